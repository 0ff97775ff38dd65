"""Kill-and-restart soak: can a reader outside Counter ever see the database half-done while
Counter starts, works and is killed? (issue 12, item 9; the findings are in
docs/data-safety.md, "What a reader sees while Counter starts".)

The parent makes a demo database, starts reader processes that loop reading it, and then,
for ``--seconds``, starts Counter's start-up path in a child process again and again and
SIGKILLs it at a random moment. The child does what ``counter run`` does before and after the
window opens, without Qt:

    check_database (quick_check, inspect, open + migrations; the pre-migration backup if due)
    open_database (the task runner's connection)
    the daily backup on its own thread and connection (a new UTC day every start, so it runs
    and rotates every time), while:
    open visits are resumed (load_visit), then visits are served and ticked, notes written,
    visits ended, walk-ins checked in, as fast as a busy counter never would

Readers: ``plain`` keeps one ``mode=ro`` connection open for the whole soak; ``fresh`` opens a
``mode=ro`` connection for every read; ``counter`` opens with Counter's own
``open_read_only`` for every read (what ``counter`` commands, a read-only start and the
start-up check use); ``immutable`` opens with ``immutable=1``, a reader that ignores the
write-ahead log and the locks (what ``open_read_only`` fell back to on any error before this
soak, and what some tools do for "read-only"): not a default, run it to see the difference.
Each read scans visits, steps and the search index; every 100th runs ``PRAGMA quick_check``.

At the end: ``PRAGMA integrity_check`` and ``check_database`` on the file, and a JSON summary
(kills by the stage the child had reached, reads and errors per reader).

    .venv/bin/python scripts/kill_restart_soak.py --seconds 120
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DAY = 86_400
BASE = 1_795_512_600  # 2026-11-24 09:30 UTC; the child's clock starts here, a day per start


# The child: Counter's start-up and then work, until killed ----------------------------------
def child(path: Path, start: int, seed: int) -> None:
    from counter import visits
    from counter.backup import backup_folder, run_daily_backup
    from counter.errors import ValidationError
    from counter.integrity import check_database
    from counter.storage import open_database

    def stage(name: str) -> None:
        print(name, flush=True)

    rng = random.Random(seed)
    now = BASE + start * DAY
    stage("checking")
    health = check_database(path)
    stage("checked" if health.ok else f"PROBLEM {health.problem.trouble.value}")
    if not health.ok:
        return
    db = open_database(path, migrate=False)
    stage("opened")

    def daily_backup() -> None:
        backup_db = open_database(path, migrate=False)
        try:
            stage("backup")
            run_daily_backup(backup_db, backup_folder(path), now=now)
            stage("backup done")
        finally:
            backup_db.close()

    threading.Thread(target=daily_backup, daemon=True).start()
    for visit in visits.open_visits(db):
        visits.load_visit(db, visit.id)  # Resume
    stage("resumed")
    keys = ["greet", "rapport", "needs", "solution", "thank"]
    t = now
    while True:
        t += 7
        try:
            open_now = visits.open_visits(db)
            if not open_now:
                visits.check_in(db, walk_in_name=f"guest {t}", now=t)
                visits.serve_next(db, staff_id=None, now=t + 1, language="en")
                continue
            visit = open_now[0]
            for key in rng.sample(keys, 3):
                visits.toggle_step(db, visit.id, key, now=t)
            visits.set_need(db, visit.id, f"need at {t} " + "x" * rng.randrange(200), now=t)
            visits.set_outcome(db, visit.id, "bought", now=t)
            if rng.random() < 0.5:
                visits.end_visit(db, visit.id, now=t + 3)
        except ValidationError:
            pass
        stage("working")


# Readers --------------------------------------------------------------------------------------
def _plain(path: Path, flags: str = "mode=ro") -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path))}?{flags}", uri=True, isolation_level=None)


def _read(conn: sqlite3.Connection, n: int) -> None:
    conn.execute("SELECT count(*), sum(length(need)), max(updated_at) FROM visits").fetchone()
    conn.execute("SELECT count(*), sum(status = 'done') FROM visit_steps").fetchone()
    conn.execute(
        "SELECT rowid FROM customers_fts WHERE customers_fts MATCH 'a*' LIMIT 50"
    ).fetchall()
    if n % 100 == 0:
        result = conn.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise sqlite3.DatabaseError(f"quick_check: {result[:3]}")


def reader(path: str, kind: str, stop, out) -> None:
    from counter.storage.connection import open_read_only

    path_ = Path(path)
    reads, errors, examples = 0, collections.Counter(), []
    kept = _plain(path_) if kind == "plain" else None
    while not stop.is_set():
        conn = kept
        try:
            if kind == "fresh":
                conn = _plain(path_)
            elif kind == "immutable":
                conn = _plain(path_, "mode=ro&immutable=1")
            elif kind == "counter":
                conn = open_read_only(path_).conn
            _read(conn, reads)
        except sqlite3.Error as error:
            message = str(error)
            errors[message] += 1
            if len(examples) < 5:
                examples.append({"at": time.time(), "error": message})
        finally:
            reads += 1
            if conn is not kept and conn is not None:
                conn.close()
    out.put({"kind": kind, "reads": reads, "errors": dict(errors), "examples": examples})


# The parent ------------------------------------------------------------------------------------
def soak(seconds: float, folder: Path, seed: int, readers: list[str]) -> dict:
    from counter.demo import create_demo_database
    from counter.integrity import check_database
    from counter.storage import open_database

    rng = random.Random(seed)
    path = folder / "counter.db"
    create_demo_database(path, customers=3000, seed=seed)
    context = multiprocessing.get_context("spawn")
    stop, out = context.Event(), context.Queue()
    processes = [
        context.Process(target=reader, args=(str(path), kind, stop, out)) for kind in readers
    ]
    for p in processes:
        p.start()
    stages: collections.Counter[str] = collections.Counter()
    kill_times: list[tuple[float, str]] = []
    starts = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        starts += 1
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", str(path), "--start", str(starts)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # "checking": Counter is imported, start-up begins
        time.sleep(rng.uniform(0.0, 2.0))
        proc.send_signal(signal.SIGKILL)
        stdout, stderr = proc.communicate()
        stdout = first + stdout
        lines = stdout.split()
        reached = stdout.strip().splitlines()[-1] if lines else "(nothing yet)"
        if "backup" in stdout and "backup done" not in stdout:
            reached += " (backup copying)"
        if stderr.strip() and "Traceback" in stderr:
            reached += " ERROR " + stderr.strip().splitlines()[-1][:120]
        stages[reached] += 1
        kill_times.append((time.time(), reached))
    stop.set()
    results = [out.get(timeout=60) for _ in processes]
    for p in processes:
        p.join(30)
    # Every error example: which stage the child had reached at the kill just before it.
    for result in results:
        for example in result["examples"]:
            before = [s for t, s in kill_times if t <= example["at"]]
            example["child_stage_last_killed"] = before[-1] if before else "(first start)"
    db = open_database(path)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        counts = db.execute("SELECT count(*) FROM visits").fetchone()[0]
    finally:
        db.close()
    health = check_database(path)
    return {
        "seconds": seconds,
        "starts_killed": starts,
        "killed_at_stage": dict(stages.most_common()),
        "readers": results,
        "integrity_check": integrity,
        "check_database_ok": health.ok,
        "visits_at_end": counts,
        "backups_left": len(list((folder / "backups").glob("counter-*.db"))),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--readers",
        default="plain,fresh,counter",
        help="comma-separated: plain, fresh, counter, immutable",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.start, args.seed * 100_003 + args.start)
        return 0
    with tempfile.TemporaryDirectory(prefix="counter-soak-") as folder:
        summary = soak(args.seconds, Path(folder), args.seed, args.readers.split(","))
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    bad = sum(sum(r["errors"].values()) for r in summary["readers"])
    ok = summary["integrity_check"] == [("ok",)] or summary["integrity_check"] == [["ok"]]
    return 0 if ok and summary["check_database_ok"] and not bad else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
