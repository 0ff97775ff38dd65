"""Time a new counter's first download again and again without paying the hub's seed each time
(what ``counter bench --only sync`` measures as "first download", alone).

    python scripts/first_download_timing.py seed WORKDIR BENCH_FILE
    python scripts/first_download_timing.py time WORKDIR [--statements]

``seed`` starts a throw-away PostgreSQL cluster under WORKDIR (left running: stop it with
``pg_ctl -D WORKDIR/hub-*/data stop`` as its owner), makes a hub and seeds it by COPY with the
customers and visits of a bench file (``counter bench`` builds them, e.g.
~/.cache/Counter/bench-1000000-5000000.db; read only). ``time`` joins a fresh counter file to
that hub and prints the wall time, the load, Counter's CPU and the hub backend's CPU (from
/proc: Linux, the hub on this machine); ``--statements`` adds each SQLite statement's wall and
CPU time (the main thread's), largest first.
"""

from __future__ import annotations

import collections
import json
import os
import resource
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from counter.bench.sync import seed_hub
from counter.hub import hub_sql, local_cluster, schema
from counter.hub.connection import connect, split_password
from counter.storage import open_database, sync_sql
from counter.sync import join


def _fresh(path: Path) -> Database:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return open_database(path)


def seed(workdir: Path, bench: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    cluster = local_cluster.create(prefix=str(workdir / "hub-"))
    with connect(cluster.url()) as admin:
        hub_sql.create_database(admin, "bench")
    url = cluster.url("bench")
    with connect(url) as conn:
        schema.apply(conn)
    source = Database(sqlite3.connect(f"file:{bench}?mode=ro", uri=True))
    now = int(source.execute("SELECT value FROM bench_meta WHERE key = 'now'").fetchone()[0])
    first = _fresh(workdir / "seed-counter.db")
    with connect(url) as conn:
        join(first, conn, hub=split_password(url)[0], store="Bench", now=now)
    store_id = sync_sql.state(first)["store_id"]
    with connect(url) as conn:
        print(f"{seed_hub(conn, source, store_id):,} rows seeded", flush=True)
    with connect(url) as conn:
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    (workdir / "hub.json").write_text(json.dumps({"url": url, "now": now}))


class _Timed:
    """The connection, each statement's wall and main-thread CPU time added up by its text."""

    def __init__(self, conn: sqlite3.Connection, times: dict[str, list[float]]) -> None:
        self._conn, self._times = conn, times

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def _timed(self, how: str, sql: str, *args: Any) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        out = getattr(self._conn, how)(sql, *args)
        key = ("MANY " if how == "executemany" else "") + " ".join(str(sql).split())[:90]
        self._times[key][0] += time.perf_counter() - wall
        self._times[key][1] += time.thread_time() - cpu
        return out

    def execute(self, sql: str, *args: Any) -> Any:
        return self._timed("execute", sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        return self._timed("executemany", sql, *args)


def timed(workdir: Path, statements: bool) -> None:
    hub = json.loads((workdir / "hub.json").read_text())
    db = _fresh(workdir / "first-download.db")
    conn = connect(hub["url"])
    times: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0])
    if statements:
        db.conn = _Timed(db.conn, times)  # type: ignore[assignment]
    tick = os.sysconf("SC_CLK_TCK")

    def backend_cpu() -> float:
        stat = Path(f"/proc/{conn.info.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(stat[11]) + int(stat[12])) / tick

    load = os.getloadavg()
    pg, started = backend_cpu(), time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    got = join(db, conn, hub=split_password(hub["url"])[0], store="Bench", now=hub["now"] + 20)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime
    print(
        f"{got.downloaded:,} rows in {wall:.1f} s ({got.downloaded / wall:,.0f} rows/s); "
        f"Counter's CPU {cpu:.1f} s, the hub backend's {backend_cpu() - pg:.1f} s; "
        f"load {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    for key, (w, c) in sorted(times.items(), key=lambda kv: -kv[1][1])[:25]:
        print(f"{w:7.2f} s wall {c:7.2f} s CPU  {key}")
    db.close()
    conn.close()


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        timed(Path(sys.argv[2]), "--statements" in sys.argv)
