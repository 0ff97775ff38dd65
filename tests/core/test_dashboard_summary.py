"""The dashboard read from its summary tables (m004) equals the dashboard aggregated from the
visits themselves, after random histories of everything that writes visits and their steps."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter import privacy, visits
from counter.dashboard import load_dashboard, offset_segments, summary_ranges
from counter.durations import Targets
from counter.errors import NotFound, ValidationError
from counter.outcomes import configured_outcomes
from counter.storage import bench_sql, open_memory_database, write_transaction
from counter.storage.dashboard_sql import DASH_TABLES
from counter.visit_filter import VisitFilter
from tests.core.report_fixtures import DAY, NOW, START, STEPS, add_visit, build_store

MINUTE_TARGETS = Targets(wait=5 * 60, service=12 * 60)
ODD_TARGETS = Targets(wait=150, service=601)  # not whole minutes: the count within is refined


def local_period(first: date, days: int, tz: tzinfo) -> tuple[int, int]:
    def start_of(day: date) -> int:
        return int(datetime.combine(day, time(), tzinfo=tz).timestamp())

    return start_of(first), start_of(first + timedelta(days=days))


def both(db, session, f, *, now, tz, targets=MINUTE_TARGETS):
    summary = load_dashboard(db, session, f, targets=targets, now=now, tz=tz)
    raw = load_dashboard(db, session, f, targets=targets, now=now, tz=tz, use_summary=False)
    return summary, raw


def summary_rows(db) -> dict[str, list[tuple]]:
    """Every summary row that counts something (rows left at zero are allowed to stay)."""
    counted = {
        "dash_counts": "visits != 0 OR steps_total != 0",
        "dash_outcomes": "visits != 0",
        "dash_durations": "visits != 0",
        "dash_steps": "total != 0",
    }
    return {
        table: sorted(tuple(r) for r in db.execute(f"SELECT * FROM {table} WHERE {where}"))
        for table, where in counted.items()
    }


def assert_summary_matches_a_fresh_fill(db) -> None:
    kept = summary_rows(db)
    flags = list(db.execute("SELECT id, is_returning FROM visits ORDER BY id"))
    with write_transaction(db):
        bench_sql.fill_dashboard_summary(db)
    assert summary_rows(db) == kept
    assert list(db.execute("SELECT id, is_returning FROM visits ORDER BY id")) == flags


# Random histories --------------------------------------------------------------------------
OPS = st.one_of(
    st.tuples(st.just("advance"), st.integers(0, 3 * DAY)),
    st.tuples(st.just("check_in"), st.integers(-1, 2)),  # -1: a walk-in
    st.tuples(st.just("serve_next"), st.integers(0, 2)),
    st.tuples(st.just("serve_directly"), st.integers(0, 2), st.integers(-1, 2)),
    st.tuples(
        st.just("step"),
        st.sampled_from(["complete", "skip", "undo", "toggle"]),
        st.sampled_from(STEPS),
        st.integers(0, 5),
    ),
    st.tuples(st.just("outcome"), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("complaint"), st.booleans(), st.integers(0, 5)),
    st.tuples(st.just("end"), st.integers(0, 5)),
    st.tuples(st.just("discard"), st.integers(0, 5)),
    st.tuples(st.just("close_left_open"), st.integers(0, 5)),
    st.tuples(st.just("erase"), st.integers(0, 2)),
    # An ended (or discarded) visit written late, dated back: returning flags change after it.
    st.tuples(
        st.just("backdated"),
        st.integers(0, 30 * DAY),
        st.integers(-1, 2),
        st.integers(0, 2),
        st.integers(0, 900),
        st.integers(0, 2400),
        st.booleans(),
    ),
    # What no screen does, but the triggers must follow: moves and deletes.
    st.tuples(st.just("sql_move"), st.integers(0, 50), st.integers(-2 * DAY, 2 * DAY)),
    st.tuples(st.just("sql_restaff"), st.integers(0, 50), st.integers(-1, 2)),
    st.tuples(st.just("sql_recustomer"), st.integers(0, 50), st.integers(-1, 2)),
    st.tuples(st.just("sql_delete"), st.integers(0, 50)),
)


def run_history(db, store, ops) -> int:
    now = NOW
    staff = [store.sam, store.ana, store.mia]
    customers = list(store.customers.values())
    outcomes = configured_outcomes(db)

    def open_visit(i: int, status: str = "in_progress") -> int | None:
        found = visits.list_queue(db) if status == "waiting" else visits.open_visits(db)
        ids = [v.id for v in found]
        return ids[i % len(ids)] if ids else None

    def any_visit(i: int) -> int | None:
        ids = [r[0] for r in db.execute("SELECT id FROM visits ORDER BY id")]
        return ids[i % len(ids)] if ids else None

    for op in ops:
        kind, *args = op
        now += 1
        try:
            if kind == "advance":
                now += args[0]
            elif kind == "check_in":
                who = None if args[0] < 0 else customers[args[0]]
                visits.check_in(db, now=now, customer_id=who, walk_in_name="")
            elif kind == "serve_next":
                visits.serve_next(db, staff_id=staff[args[0]], now=now, language="en")
            elif kind == "serve_directly":
                who = None if args[1] < 0 else customers[args[1]]
                visits.serve_directly(
                    db, staff_id=staff[args[0]], now=now, language="tr", customer_id=who
                )
            elif kind == "step":
                action, key, i = args
                if (visit := open_visit(i)) is not None:
                    getattr(visits, f"{action}_step")(db, visit, key, now=now)
            elif kind == "outcome":
                if (visit := open_visit(args[1])) is not None:
                    visits.set_outcome(db, visit, outcomes[args[0] % len(outcomes)], now=now)
            elif kind == "complaint":
                if (visit := open_visit(args[1])) is not None:
                    visits.set_complaint(db, visit, args[0], now=now)
            elif kind == "end":
                if (visit := open_visit(args[0])) is not None:
                    visits.end_visit(db, visit, now=now)
            elif kind == "discard":
                visit = open_visit(args[0], "waiting") or open_visit(args[0])
                if visit is not None:
                    visits.discard_visit(db, visit, reason="left", by=store.mia, now=now)
            elif kind == "close_left_open":
                if (visit := open_visit(args[0])) is not None:
                    visits.close_left_open(db, visit, reason="closing", by=store.mia, now=now)
            elif kind == "erase":
                privacy.erase_customer(db, store.manager, customers[args[0]], now=now)
            elif kind == "backdated":
                back, who, member, wait, service, discarded = args
                add_visit(
                    db,
                    staff=staff[member],
                    customer=None if who < 0 else customers[who],
                    arrived=now - back,
                    wait=None if discarded else wait,
                    service=None if discarded else service,
                    outcome=outcomes[back % len(outcomes)],
                    complaint=bool(back % 3 == 0),
                    status="discarded" if discarded else "ended",
                    not_done={STEPS[back % 5]: "skipped", STEPS[wait % 5]: "pending"},
                )
            elif (visit := any_visit(args[0])) is not None:
                with write_transaction(db):
                    if kind == "sql_move":
                        db.execute(
                            "UPDATE visits SET arrived_at = arrived_at + ? WHERE id = ?",
                            [args[1], visit],
                        )
                    elif kind == "sql_restaff":
                        who = None if args[1] < 0 else staff[args[1]]
                        db.execute("UPDATE visits SET staff_id = ? WHERE id = ?", [who, visit])
                    elif kind == "sql_recustomer":
                        who = None if args[1] < 0 else customers[args[1]]
                        db.execute("UPDATE visits SET customer_id = ? WHERE id = ?", [who, visit])
                    elif kind == "sql_delete":
                        db.execute("DELETE FROM follow_ups WHERE visit_id = ?", [visit])
                        db.execute("DELETE FROM visits WHERE id = ?", [visit])
        except (ValidationError, NotFound):
            pass
    return now


def filters(store, now: int):
    """(filter, tz) pairs: the periods and staff choices the dashboard offers, in zones with
    whole-hour, half-hour and quarter-hour offsets and across a daylight-saving change."""
    for tz in (UTC, ZoneInfo("Europe/Budapest"), ZoneInfo("Asia/Kolkata")):
        for first, days in ((date(2026, 11, 17), 3), (date(2026, 10, 20), 60)):
            start, end = local_period(first, days, tz)
            for staff in ((), (store.sam,), (store.ana,), (store.mia,)):
                yield VisitFilter(start=start, end=end, staff_ids=staff), tz
    end = (now // 900 + 1) * 900  # just after now, on a quarter-hour
    yield VisitFilter(start=START - 10 * DAY, end=end), ZoneInfo("Asia/Kathmandu")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(OPS, max_size=40))
def test_summary_dashboard_equals_the_raw_aggregation(ops):
    db = open_memory_database()
    try:
        store = build_store(db)
        now = run_history(db, store, ops)
        assert_summary_matches_a_fresh_fill(db)
        for f, tz in filters(store, now):
            assert summary_ranges(f, offset_segments(f.start, f.end, tz)) is not None
            summary, raw = both(db, store.manager, f, now=now, tz=tz)
            assert summary == raw, (f, tz)
        f = VisitFilter(start=START - 30 * DAY, end=now + DAY)
        summary, raw = both(db, store.manager, f, now=now, tz=UTC, targets=ODD_TARGETS)
        assert summary == raw
    finally:
        db.close()


# The summary path and its fallbacks --------------------------------------------------------
@pytest.fixture
def store(db):
    return build_store(db)


def test_the_fixture_store_reads_the_same_either_way(db, store):
    f = VisitFilter(start=START, end=START + 3 * DAY)
    summary, raw = both(db, store.manager, f, now=NOW, tz=UTC)
    assert summary == raw
    assert summary.visits == 5 and summary.returning == 2  # v1 and v3: Şükrü


@pytest.mark.parametrize(
    "change",
    [
        {"languages": ("tr",)},
        {"outcomes": ("bought",)},
        {"complaint": True},
        {"steps_skipped": True},
        {"wait_over": 100},
        {"customer_text": "Emma"},
        {"statuses": ("ended", "discarded")},
        {"start": START + 7},  # not on a quarter-hour
    ],
)
def test_filters_the_summary_cannot_answer_read_the_visits(db, store, change):
    f = VisitFilter(start=START, end=START + 3 * DAY)
    f = VisitFilter(**{**f.__dict__, **change})
    assert summary_ranges(f, offset_segments(f.start, f.end, UTC)) is None
    summary, raw = both(db, store.manager, f, now=NOW, tz=UTC)
    assert summary == raw


def test_a_zone_off_the_quarter_hour_reads_the_visits(db, store):
    odd = ZoneInfo("Africa/Monrovia")  # -0:44:30 until 1972
    f = VisitFilter(start=0, end=3 * DAY)
    assert summary_ranges(f, offset_segments(f.start, f.end, odd)) is None


def test_a_month_reads_whole_weeks_days_beside_them_and_quarter_hours_at_the_ends():
    week = 7 * DAY
    monday = 3 * week  # a block boundary (blocks count 7-day steps from the epoch)
    f = VisitFilter(start=monday - 2 * DAY - 3600, end=monday + 4 * week + DAY + 1800)
    slot = f.start // 900
    assert summary_ranges(f, [(f.start, 0)]) == [
        (900, slot, slot + 4),
        (86_400, (monday - 2 * DAY) // DAY, monday // DAY),
        (604_800, 3, 7),
        (86_400, (monday + 4 * week) // DAY, (monday + 4 * week) // DAY + 1),
        (900, (monday + 4 * week + DAY) // 900, (monday + 4 * week + DAY) // 900 + 2),
    ]


def test_ranges_are_whole_utc_days_and_quarter_hours_at_the_ends():
    f = VisitFilter(start=START - 3600, end=START + 2 * DAY + 1800)
    ranges = summary_ranges(f, [(f.start, 0)])
    slot = START // 900
    assert ranges == [
        (900, slot - 4, slot),
        (86_400, START // DAY, START // DAY + 2),
        (900, slot + 2 * 96, slot + 2 * 96 + 2),
    ]
    short = VisitFilter(start=START + 900, end=START + 3600)
    assert summary_ranges(short, [(short.start, 0)]) == [(900, slot + 1, slot + 4)]


def test_discarding_the_first_visit_makes_the_next_one_a_first_visit(db, store):
    emma = store.customers["Emma"]
    first = add_visit(db, staff=store.sam, customer=emma, arrived=START - 40 * DAY, wait=5,
                      service=60, outcome="bought")  # fmt: skip
    flags = dict(db.execute("SELECT id, is_returning FROM visits WHERE customer_id = ?", [emma]))
    assert flags[first] == 0 and flags[store.visits["v2"]] == 1
    with write_transaction(db):
        db.execute("UPDATE visits SET status = 'discarded' WHERE id = ?", [first])
    flags = dict(db.execute("SELECT id, is_returning FROM visits WHERE customer_id = ?", [emma]))
    assert flags[store.visits["v2"]] == 0
    assert_summary_matches_a_fresh_fill(db)


def _vm_steps(db, call) -> int:
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return 0

    db.conn.set_progress_handler(tick, 1)
    try:
        call()
    finally:
        db.conn.set_progress_handler(None, 0)
    return count


def _serve_and_end(db, store, now: int) -> tuple[int, int, int]:
    """VM instructions to tick a step and to end a visit of a regular customer."""
    emma = store.customers["Emma"]
    visit = visits.serve_directly(
        db, staff_id=store.sam, now=now, language="en", customer_id=emma
    ).visit.id
    visits.set_outcome(db, visit, "bought", now=now + 60)
    tick = _vm_steps(db, lambda: visits.complete_step(db, visit, "greet", now=now + 70))
    end = _vm_steps(db, lambda: visits.end_visit(db, visit, now=now + 300))
    return tick, end, visit


def test_ticking_a_step_and_ending_a_visit_cost_the_same_with_a_long_history(db, store):
    # Close the fixture's open visit so Emma can be served.
    visits.close_left_open(db, store.visits["open"], reason="x", by=store.mia, now=NOW)
    small = _serve_and_end(db, store, NOW + DAY)
    for day in range(400):  # four hundred ended visits of Emma's, and others on the days
        for who in (store.customers["Emma"], None, store.customers["Rahul"]):
            add_visit(db, staff=store.ana, customer=who, arrived=START - 500 * DAY + day * DAY,
                      wait=30, service=300, outcome="bought")  # fmt: skip
    large = _serve_and_end(db, store, NOW + 2 * DAY)
    # A few more B-tree levels, not work per visit in the history.
    assert large[0] < small[0] * 1.5 and large[1] < small[1] * 1.5, (small, large)
    assert_summary_matches_a_fresh_fill(db)


def test_ticking_a_step_of_an_open_visit_leaves_the_summary_alone(db, store):
    before = summary_rows(db)
    visits.complete_step(db, store.visits["open"], "needs", now=NOW)
    visits.skip_step(db, store.visits["open"], "thank", now=NOW)
    assert summary_rows(db) == before


def test_summary_tables_exist():
    db = open_memory_database()
    assert set(DASH_TABLES) <= set(db.table_names())
