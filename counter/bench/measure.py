"""The domain-side measurements of ``counter bench``, each next to a naive baseline measured
in the same run on the same file: search per keystroke, opening a customer, the manager's
30-day dashboard, and importing customers from CSV (when those features exist)."""

from __future__ import annotations

import csv
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter.bench import workload
from counter.bench.dataset import DAY, BenchData, people_for_csv
from counter.bench.table import Result
from counter.bench.timing import Stats, run_each, time_ms
from counter.customers import load_profile
from counter.search import DEFAULT_LIMIT, find_customers
from counter.storage import bench_sql, open_database

if TYPE_CHECKING:
    from sqlite_utils import Database

SEARCH_TARGET_MS = 5.0
SEARCH_SPEEDUP = 20
OPEN_TARGET_MS = 5.0
DASHBOARD_TARGET_MS = 100.0


@dataclass(frozen=True)
class Plan:
    """How much to measure: enough runs for a stable p95, little enough to finish."""

    names: int  # customers whose names are typed, letter by letter
    numbers: int  # customers whose phone tail or card is typed
    passes: int  # times the fast paths go over their keystrokes
    baseline_names: int  # of those names, how many the naive search types too
    profiles: int
    dashboard_runs: int
    baseline_dashboard_runs: int
    ui_names: int  # names typed into the real widget
    startups: int  # fresh processes, each of the app and of the bare window


QUICK = Plan(
    names=20,
    numbers=10,
    passes=1,
    baseline_names=5,
    profiles=50,
    dashboard_runs=3,
    baseline_dashboard_runs=1,
    ui_names=5,
    startups=1,
)
FULL = Plan(
    names=150,
    numbers=60,
    passes=2,
    baseline_names=20,
    profiles=400,
    dashboard_runs=15,
    baseline_dashboard_runs=3,
    ui_names=60,
    startups=7,
)


def sample_customers(db: Database, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` customers drawn at random (deterministic for a seed)."""
    high = bench_sql.max_customer_id(db)
    rng = random.Random(seed)
    ids = sorted(rng.sample(range(1, high + 1), min(count, high)))
    rows = bench_sql.customers_by_ids(db, ids)
    rng.shuffle(rows)
    return rows


def _flatten(sequences: list[list[str]]) -> list[str]:
    return [text for sequence in sequences for text in sequence]


def search(db: Database, bench: BenchData, plan: Plan) -> list[Result]:
    customers = sample_customers(db, plan.names, bench.seed + 1)
    names = workload.name_sequences(customers, bench.seed + 2)
    numbers = workload.number_sequences(
        sample_customers(db, plan.numbers, bench.seed + 3), bench.seed + 4
    )

    def fast(text: str) -> object:
        return find_customers(db, text)

    def naive(text: str) -> object:
        return bench_sql.like_search(db, text, DEFAULT_LIMIT)

    typed = _flatten(names)
    fast_names = Stats.of(run_each(typed, fast, passes=plan.passes))
    baseline = Stats.of(run_each(_flatten(names[: plan.baseline_names]), naive))
    fast_numbers = Stats.of(run_each(_flatten(numbers), fast, passes=plan.passes))
    name_ok = fast_names.p95 <= SEARCH_TARGET_MS and baseline.p95 >= SEARCH_SPEEDUP * fast_names.p95
    return [
        Result(
            "search per keystroke, names (DB side)",
            fast_names,
            baseline=baseline,
            target=f"p95 ≤ {SEARCH_TARGET_MS:g} ms, ≥ {SEARCH_SPEEDUP}× faster",
            met=name_ok,
            note=(
                f"{len(names)} names typed letter by letter ({len(typed)} keystrokes, "
                f"{plan.passes}×); baseline: LIKE '%text%' over the name columns, "
                f"most recent first, on the first {plan.baseline_names} names"
            ),
        ),
        Result(
            "search per keystroke, phone tails and cards",
            fast_numbers,
            target=f"p95 ≤ {SEARCH_TARGET_MS:g} ms",
            met=fast_numbers.p95 <= SEARCH_TARGET_MS,
            note=f"{len(numbers)} last-four-digit phone tails and scanned cards, digit by digit",
        ),
    ]


def open_customer(db: Database, bench: BenchData, plan: Plan) -> Result:
    # Half of them as they walk in (a random visit's customer: regulars with long histories
    # come up often), half drawn from everyone.
    rng = random.Random(bench.seed + 5)
    high = bench_sql.max_visit_id(db)
    walk_ins = bench_sql.customers_of_visits(
        db, rng.sample(range(1, high + 1), min(high, plan.profiles // 2))
    )
    ids = walk_ins + [c["id"] for c in sample_customers(db, plan.profiles // 2, bench.seed + 6)]
    rng.shuffle(ids)
    visits = 0

    def load(customer_id: int) -> None:
        nonlocal visits
        visits += len(load_profile(db, customer_id).visits)

    stats = Stats.of(run_each(ids, load, passes=plan.passes))
    return Result(
        "open a customer (profile, 20 visits, follow-ups)",
        stats,
        target=f"p95 ≤ {OPEN_TARGET_MS:g} ms",
        met=stats.p95 <= OPEN_TARGET_MS,
        note=f"{len(ids)} customers, half of them a random visit's customer, half anyone; "
        f"{visits / max(1, len(ids) * plan.passes):.1f} visits shown on average",
    )


def dashboard(db: Database, bench: BenchData, plan: Plan) -> Result | str:
    """The manager's 30-day dashboard (``counter.dashboard.load_dashboard``) against the same
    KPIs grouped over text dates without an index."""
    from counter.dashboard import load_dashboard
    from counter.durations import Targets
    from counter.roles import Session
    from counter.visit_filter import VisitFilter

    manager = bench_sql.bench_manager(db)
    session = Session(manager["id"], manager["name"], "manager", bench.now)
    start, end = bench.now - 30 * DAY, bench.now
    f = VisitFilter(start=start, end=end)
    targets = Targets(wait=180, service=600)

    def real() -> Any:
        return load_dashboard(db, session, f, targets=targets, now=bench.now, tz=UTC)

    result, _ = time_ms(real)  # warm the cache the same way for both
    times = [time_ms(real)[1] for _ in range(plan.dashboard_runs)]
    if not bench_sql.has_text_date_visits(db):
        bench_sql.build_text_date_visits(db)
    iso = [_iso(start), _iso(end)]

    def naive() -> dict[str, list[dict[str, Any]]]:
        return bench_sql.text_dashboard(db, iso[0], iso[1], bench.now)

    base, _ = time_ms(naive)
    base_times = [time_ms(naive)[1] for _ in range(plan.baseline_dashboard_runs)]
    base_visits = sum(r["visits"] for r in base["by_staff"])
    agree = "" if base_visits == result.visits else f"; baseline counted {base_visits:,} (!)"
    stats = Stats.of(times)
    return Result(
        "manager's 30-day dashboard",
        stats,
        baseline=Stats.of(base_times),
        target=f"p95 ≤ {DASHBOARD_TARGET_MS:g} ms",
        met=stats.p95 <= DASHBOARD_TARGET_MS,
        note=f"counter.dashboard.load_dashboard over {result.visits:,} visits{agree}; baseline: "
        "the same KPIs grouped over ISO text dates, no index on the date",
    )


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


IMPORT_TARGET_S = 60.0
_CSV_HEADERS = {
    "given_name": "First name",
    "family_name": "Last name",
    "native_name": "Native name",
    "language": "Language",
    "title": "Title",
    "phone": "Phone",
    "email": "Email",
    "card": "Card",
    "rapport_notes": "Notes",
}


def write_people_csv(path: Path, count: int, seed: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(_CSV_HEADERS))
        f.write(",".join(_CSV_HEADERS.values()) + "\n")
        writer.writerows(people_for_csv(count, seed))


def import_csv(workdir: Path, count: int, seed: int) -> Result | str:
    """Importing ``count`` customers from a CSV file into an empty database, through
    :func:`counter.importing.writing.import_customers` (one run)."""
    from counter.importing.columns import guess_mapping
    from counter.importing.reading import open_table
    from counter.importing.writing import import_customers

    csv_path = workdir / f"bench-import-{count}.csv"
    if not csv_path.exists():
        write_people_csv(csv_path, count, seed)
    target = workdir / f"bench-import-{count}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    db = open_database(target)
    try:
        table = open_table(csv_path)
        mapping = guess_mapping(table.headers)

        def run() -> Any:
            return import_customers(
                db, table, mapping, phone_region="GB", now=int(time.time()), skip_invalid=True
            )

        report, elapsed_ms = time_ms(run)
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    seconds = elapsed_ms / 1000
    return Result(
        f"import {count:,} customers from CSV",
        Stats.of([seconds]),
        unit="s",
        target=f"≤ {IMPORT_TARGET_S:g} s",
        met=seconds <= IMPORT_TARGET_S if count >= 1_000_000 else None,
        note=f"counter.importing.writing.import_customers into an empty file, one run: "
        f"{report.created:,} created, {report.skipped:,} duplicates skipped, "
        f"{report.error_count:,} rows refused (invalid phone numbers)",
    )
