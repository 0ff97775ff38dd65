"""``counter bench --only sync``: several counters through a hub on this machine (a throw-away
PostgreSQL cluster, see counter.hub.local_cluster), measured against the issue's targets:

- a visit ended at one counter shows on another (woken by LISTEN/NOTIFY) within 2 s p95;
- 10,000 changes queued during a day offline upload in 10 s or less;
- a new counter's first download of the bench file's customers and visits (1,000,000 and
  5,000,000 at full size) in 5 minutes or less. The hub is seeded with them by COPY first
  (not measured; a real hub gets them from uploads over time). The baseline is the same
  download change by change (the path every later sync takes), run for at most
  BASELINE_BUDGET_S and scaled to all the rows at the speed it showed (said in the note);
- with ``while_syncing`` (the Qt side's search, open-a-customer and typing measurements), the
  same rows again on the counter that has just downloaded everything, while it syncs in the
  background and another counter ends a visit every half second (counter.bench.background_sync).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter.bench.background_sync import SyncActivity, SyncLoad
from counter.bench.dataset import BenchData
from counter.bench.table import Result
from counter.bench.timing import Stats
from counter.customers import CustomerInput, create_customer
from counter.storage import bench_sql, customer_sql, open_database, sync_sql, write_transaction
from counter.sync.tables import BY_NAME

if TYPE_CHECKING:
    from sqlite_utils import Database

LATENCY_TARGET_S = 2.0
UPLOAD_TARGET_S = 10.0
DOWNLOAD_TARGET_S = 300.0
OFFLINE_CHANGES = 10_000
BASELINE_BUDGET_S = 60.0


def _fresh(path: Path) -> Database:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return open_database(path)


def measure(
    workdir: Path,
    bench: BenchData,
    *,
    trials: int,
    log: Callable[[str], None],
    while_syncing: Callable[[Path], list[Result]] | None = None,
) -> list[Result] | str:
    try:
        from counter.hub import hub_sql, local_cluster, schema
        from counter.hub.connection import connect, split_password
        from counter.sync import join, run_once
        from counter.visits import check_in, end_visit, serve, set_outcome
    except ImportError as error:  # psycopg missing
        return f"sync: not measured ({error})"
    try:
        cluster = local_cluster.create(prefix="counter-bench-hub-")
    except (FileNotFoundError, OSError) as error:
        return f"sync: not measured, no PostgreSQL to start a hub with ({error})"
    opened: list[Any] = []
    results: list[Result] = []
    try:
        with connect(cluster.url()) as admin:
            hub_sql.create_database(admin, "bench")
        url = cluster.url("bench")
        hub = split_password(url)[0]
        with connect(url) as conn:
            schema.apply(conn)

        def counter(name: str, now: int):  # type: ignore[no-untyped-def]
            db = _fresh(workdir / f"bench-sync-{name}.db")
            conn = connect(url)
            opened.append((db, conn))
            join(db, conn, hub=hub, store="Bench", now=now)
            return db, conn

        now = bench.now
        (a, ca), (b, cb) = counter("a", now), counter("b", now)
        listener = connect(url)
        opened.append((None, listener))
        hub_sql.listen(listener)
        store_id = sync_sql.state(b)["store_id"]
        log("sync: a visit ended at one counter, shown at another")
        seconds = []
        for i in range(trials):
            now += 60
            started = time.perf_counter()
            visit = check_in(a, now=now, walk_in_name=f"Walk-in {i}").visit
            serve(a, visit.id, staff_id=None, now=now + 1, language="en")
            set_outcome(a, visit.id, "bought", now=now + 2)
            end_visit(a, visit.id, now=now + 3)
            run_once(a, ca, now=now + 3)
            hub_sql.wait_for_changes(listener, store_id, 10)
            run_once(b, cb, now=now + 3)
            seconds.append(time.perf_counter() - started)
        shown = bench_sql.ended_visits(b)
        stats = Stats.of(s * 1000 for s in seconds)
        results.append(
            Result(
                "visit ended at one counter → shown at another",
                stats,
                target=f"p95 ≤ {LATENCY_TARGET_S:g} s",
                met=stats.p95 <= LATENCY_TARGET_S * 1000 and shown == trials,
                note=f"{trials} visits: end, upload, NOTIFY wakes the other, it downloads",
            )
        )

        log(f"sync: {OFFLINE_CHANGES:,} changes queued offline, uploaded")
        with write_transaction(a):
            for i in range(OFFLINE_CHANGES):
                customer_sql.insert_customer(
                    a, {"given_name": f"Offline {i}", "search_key": f"offline {i}"}, now
                )
        started = time.perf_counter()
        moved = run_once(a, ca, now=now + 10)
        upload_s = time.perf_counter() - started
        results.append(
            Result(
                f"{OFFLINE_CHANGES:,} changes queued offline → uploaded",
                Stats.of([upload_s]),
                unit="s",
                target=f"≤ {UPLOAD_TARGET_S:g} s",
                met=upload_s <= UPLOAD_TARGET_S and moved.uploaded >= OFFLINE_CHANGES,
                note="one sync: upload batches of 500, each one hub transaction",
            )
        )

        log("sync: seeding the hub with the bench file's customers and visits (COPY)")
        source = open_database(bench.path)
        opened.append((source, None))
        with connect(url) as seed:
            seeded = seed_hub(seed, source, store_id)
        log(f"sync: a new counter's first download ({seeded:,} rows), in bulk")
        c = _fresh(workdir / "bench-sync-c.db")
        cc = connect(url)
        opened.append((c, cc))
        started = time.perf_counter()
        got = join(c, cc, hub=hub, store="Bench", now=now + 20)
        download_s = time.perf_counter() - started
        log(f"sync: the same download change by change (at most {BASELINE_BUDGET_S:g} s)")
        d = _fresh(workdir / "bench-sync-d.db")
        cd = connect(url)
        opened.append((d, cd))
        started = time.perf_counter()
        deadline = started + BASELINE_BUDGET_S
        slow = join(
            d,
            cd,
            hub=hub,
            store="Bench",
            now=now + 20,
            bulk=False,
            should_stop=lambda: time.perf_counter() > deadline,
        )
        slow_s = time.perf_counter() - started
        slow_rate = slow.downloaded / slow_s if slow_s > 0 else 0.0
        whole = slow.downloaded >= got.downloaded
        baseline_s = slow_s if whole else got.downloaded / max(slow_rate, 1e-9)
        full = bench.customers >= 1_000_000 and bench.visits >= 5_000_000
        results.append(
            Result(
                f"first download, {bench.customers:,} customers + {bench.visits:,} visits",
                Stats.of([download_s]),
                unit="s",
                baseline=Stats.of([baseline_s]),
                target=f"≤ {DOWNLOAD_TARGET_S:g} s at 1M + 5M",
                met=download_s <= DOWNLOAD_TARGET_S if full else None,
                note=f"join and first sync of an empty counter: {got.downloaded:,} rows "
                f"({seeded:,} seeded by COPY, the rest from the rows above) at "
                f"{got.downloaded / download_s:,.0f} rows/s, one snapshot of the hub's rows "
                "in one local transaction, search and dashboard rebuilt once; baseline: "
                f"change by change at {slow_rate:,.0f} rows/s"
                + (
                    ""
                    if whole
                    else f" ({slow.downloaded:,} rows in {slow_s:.0f} s, scaled to all rows)"
                ),
            )
        )
        # The sync left every counter a complete customer list: spot-check the new one.
        assert customer_sql.count_customers(c) >= bench.customers
        create_customer(c, CustomerInput(given_name="After"), now=now + 30, phone_region="")
        if while_syncing is not None:
            log("sync: search, a customer opened and typing on that counter while it syncs")
            load = SyncLoad(
                url,
                store_id,
                measured=workdir / "bench-sync-c.db",
                other=workdir / "bench-sync-a.db",
                now=now + 1000,
            )
            try:
                measured = while_syncing(workdir / "bench-sync-c.db")
            finally:
                activity = load.stop()
            results += [_sync_running(result, activity) for result in measured]
    finally:
        for db, conn in opened:
            with contextlib.suppress(Exception):
                if conn is not None:
                    conn.close()
                if db is not None:
                    db.close()
        cluster.remove()
        for name in ("a", "b", "c", "d"):
            for suffix in ("", "-wal", "-shm"):
                (workdir / f"bench-sync-{name}.db{suffix}").unlink(missing_ok=True)
    return results


def seed_hub(conn: Any, source: Database, store_id: int) -> int:
    """The bench file's customers and visits into the hub by COPY, as made by a counter of
    ``store_id`` that no counter measured is (not timed: a real hub gets them from uploads
    over time). Returns how many rows."""
    from counter.hub import hub_sql  # psycopg: see measure

    seeded = 0
    for table in ("customers", "visits"):
        seeded += hub_sql.bench_seed(
            conn,
            table=table,
            fields=BY_NAME[table].fields,
            rows=sync_sql.bench_rows(source, table),
            store_id=store_id,
            counter_gid=uuid.uuid4().hex,
            hlc=1 << 16,
        )
    return seeded


def _sync_running(result: Result, activity: SyncActivity) -> Result:
    """A row measured while the counter synced: its label says so, its note says how much sync
    did meanwhile, and it is not met if sync did nothing (then it was not measured with sync)."""
    synced = activity.syncs > 1 and activity.applied > 0
    return dataclasses.replace(
        result,
        label=f"{result.label}, sync running",
        met=(result.met and synced) if result.met is not None else None,
        note=f"{result.note}; meanwhile this counter synced {activity.syncs} times and applied "
        f"{activity.applied:,} rows from another counter that ended {activity.visits_ended} "
        "visits",
    )
