"""``counter bench --only office``: the chain's office reading the hub (a throw-away PostgreSQL
cluster on this machine), against the issue's targets:

- the chain-wide 30-day dashboard (counter.office.store_comparison: every store's visits,
  median and 90th-percentile wait and service against its targets, steps, complaints,
  returning customers, overdue follow-ups) over 10 stores × 1,000,000 visits: p95 ≤ 200 ms,
  next to the naive way (GROUP BY over the raw merged visits, jsonb in counter.rows) in the
  same run;
- the chain-wide visit log's first page (200 rows, newest first) with every filter
  combination the log offers: p95 ≤ 50 ms.

The hub is seeded on the server first (counter.hub.office_sql.bench_seed; not measured).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from counter.bench.table import Result
from counter.bench.timing import Stats

if TYPE_CHECKING:
    from counter.office import OfficeFilter

DASHBOARD_TARGET_MS = 200.0
LOG_TARGET_MS = 50.0
STORES = 10
FULL_VISITS_PER_STORE = 1_000_000
DAY = 86_400
YEAR = 365 * DAY


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _described(f: OfficeFilter) -> str:
    """The filter's fields that differ from no filter at all, for the bench's notes."""
    plain = type(f)()
    shown = [f"{k}={v!r}" for k, v in f.__dict__.items() if v != getattr(plain, k)]
    return "(" + ", ".join(shown or ["none"]) + ")"


def measure(
    *, visits_per_store: int, trials: int, log: Callable[[str], None], now: int = 1_795_512_600
) -> list[Result] | str:
    try:
        from counter import office
        from counter.hub import local_cluster, office_sql, schema
        from counter.hub.connection import connect
        from counter.hub.hub_sql import create_database
    except ImportError as error:  # psycopg missing
        return f"office: not measured ({error})"
    try:
        cluster = local_cluster.create(prefix="counter-bench-office-")
    except (FileNotFoundError, OSError) as error:
        return f"office: not measured, no PostgreSQL to start a hub with ({error})"
    results: list[Result] = []
    try:
        with connect(cluster.url()) as admin:
            create_database(admin, "office")
        with connect(cluster.url("office")) as conn:
            schema.apply(conn)
            conn.execute("DO $$ BEGIN CREATE ROLE bench_office LOGIN PASSWORD 'bench'; "
                         "EXCEPTION WHEN duplicate_object THEN NULL; END $$")  # fmt: skip
            conn.execute("GRANT counter_office TO bench_office")
            total = STORES * visits_per_store
            log(f"office: seeding the hub with {STORES} stores × {visits_per_store:,} visits")
            started = time.perf_counter()
            ids = office_sql.bench_seed(
                conn,
                stores=STORES,
                visits_per_store=visits_per_store,
                start=now - YEAR,
                end=now,
            )
            log(f"office: seeded {total:,} visits in {time.perf_counter() - started:.0f} s")
        # The office reads as its own login: row-level security is part of what is measured.
        with connect(cluster.url("office", user="bench_office", password="bench")) as conn:
            scope = office.open_scope(conn)
            start, end = now - 30 * DAY, now
            size = f"{STORES} stores × {visits_per_store:,} visits"
            full = visits_per_store >= FULL_VISITS_PER_STORE
            log("office: chain-wide 30-day dashboard")

            def dashboard() -> None:
                rows = office.store_comparison(conn, scope, start=start, end=end, now=now)
                assert len(rows) == STORES

            def naive() -> None:
                office_sql.naive_store_comparison(conn, start, end, ids)

            dashboard()  # warm the cache, both ways
            naive()
            ours = Stats.of(_timed(dashboard) for _ in range(trials))
            base = Stats.of(_timed(naive) for _ in range(max(3, trials // 4)))
            results.append(
                Result(
                    f"office: chain 30-day dashboard, {size}",
                    ours,
                    baseline=base,
                    target=f"p95 ≤ {DASHBOARD_TARGET_MS:g} ms at 10 × 1M",
                    met=ours.p95 <= DASHBOARD_TARGET_MS if full else None,
                    note="store_comparison: day and hour summary rows, the part hours' visits, "
                    "the deciding minutes' per-second counts (hub h004) vs GROUP BY over the raw "
                    "jsonb visits",
                )
            )
            log("office: chain-wide visit log, first page")
            staff = f"st{ids[2]}-3"
            month = now - 30 * DAY
            combos = [
                office.OfficeFilter(),
                office.OfficeFilter(start=month),  # what the Stores tab opens with
                office.OfficeFilter(store_ids=(ids[3],), start=month),  # ... for one store
                office.OfficeFilter(start=start, end=end),
                office.OfficeFilter(store_ids=(ids[0],)),
                office.OfficeFilter(store_ids=(ids[1], ids[4]), complaint=True),
                office.OfficeFilter(complaint=True),
                office.OfficeFilter(outcomes=("repaired",)),
                office.OfficeFilter(languages=("hu",), outcomes=("returned",)),
                office.OfficeFilter(staff_gids=(staff,)),
                office.OfficeFilter(steps_skipped=True),
                office.OfficeFilter(wait_over=600),
                office.OfficeFilter(service_over=1500, complaint=True),
                office.OfficeFilter(statuses=("discarded",)),
                office.OfficeFilter(customer_gid="cu4242"),
                office.OfficeFilter(
                    store_ids=(ids[2],), start=start, end=end, complaint=True, steps_skipped=True
                ),
                office.OfficeFilter(start=now - 7 * DAY, end=now, wait_over=300, languages=("tr",)),
            ]
            for f in combos:
                office.list_visits(conn, scope, f)
            per_filter = [
                [_timed(functools.partial(office.list_visits, conn, scope, f)) for f in combos]
                for _ in range(max(1, trials // 4))
            ]
            stats = Stats.of(t for run in per_filter for t in run)
            slowest = sorted(
                ((Stats.of(run[k] for run in per_filter).p95, k) for k in range(len(combos))),
                reverse=True,
            )
            for p95, k in slowest:
                log(f"office: log filter {_described(combos[k])}: p95 {p95:.1f} ms")
            results.append(
                Result(
                    f"office: chain visit log first page, {size}",
                    stats,
                    target=f"p95 ≤ {LOG_TARGET_MS:g} ms at 10 × 1M",
                    met=stats.p95 <= LOG_TARGET_MS if full else None,
                    note=f"{len(combos)} filter combinations (store, period, staff, outcome, "
                    "language, complaint, skipped step, wait/service over, status, customer); "
                    f"slowest: {_described(combos[slowest[0][1]])}, p95 {slowest[0][0]:.1f} ms",
                )
            )
    finally:
        cluster.remove()
    return results
