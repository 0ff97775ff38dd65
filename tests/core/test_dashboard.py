"""Every KPI of the dashboard, on a store whose answers are known by hand
(tests/core/report_fixtures.py has the table)."""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from counter.dashboard import load_dashboard, offset_segments
from counter.durations import Targets
from counter.visit_filter import VisitFilter
from tests.core.report_fixtures import DAY, END, NOW, START, build_store

TARGETS = Targets(wait=180, service=600)
PERIOD = VisitFilter(start=START, end=END)


@pytest.fixture
def store(db):
    return build_store(db)


@pytest.fixture
def dash(db, store):
    return load_dashboard(db, store.manager, PERIOD, targets=TARGETS, now=NOW, tz=UTC)


# dashboard ---------------------------------------------------------------------------------
def test_visit_count_and_visits_per_day(dash):
    assert dash.visits == 5
    first = date(2026, 11, 17)
    assert dash.days == [(first, 3), (first + timedelta(days=1), 1), (first + timedelta(days=2), 1)]


def test_visits_by_hour_of_day(dash):
    expected = [0] * 24
    expected[9], expected[14], expected[10], expected[16] = 2, 1, 1, 1
    assert dash.by_hour == expected


def test_wait_median_p90_and_target(dash):
    assert dash.wait.count == 5
    assert dash.wait.median == 120
    assert dash.wait.p90 == pytest.approx(456.0)
    assert dash.wait.target == 180
    assert dash.wait.within_target == 3
    assert dash.wait.within_share == pytest.approx(0.6)


def test_service_median_p90_and_target(dash):
    assert dash.service.median == 600
    assert dash.service.p90 == pytest.approx(1080.0)
    assert dash.service.within_target == 3  # 200, 300 and exactly 600


def test_share_of_visits_with_each_step_done(dash):
    shares = {s.step_key: (s.done, s.total) for s in dash.steps}
    assert [s.step_key for s in dash.steps] == ["greet", "rapport", "needs", "solution", "thank"]
    assert shares == {
        "greet": (5, 5),
        "rapport": (3, 5),
        "needs": (5, 5),
        "solution": (5, 5),
        "thank": (3, 5),  # one skipped, one left pending when the visit ended
    }
    assert dash.steps[1].share == pytest.approx(0.6)


def test_outcomes_breakdown(dash):
    assert dash.outcomes == {
        "bought": 1,
        "complaint_resolved": 1,
        "informed": 1,
        "nothing_today": 1,
        "repaired": 1,
    }


def test_complaints_and_how_they_ended(dash):
    assert dash.complaints == 2
    assert dash.complaint_share == pytest.approx(0.4)
    assert dash.complaint_outcomes == {"complaint_resolved": 1, "nothing_today": 1}


def test_overdue_follow_ups_at_now(dash):
    assert dash.overdue_follow_ups == 2


def test_returning_customer_share(dash):
    # v1 (Şükrü came before the period) and v3 (after v1); Rahul's earlier visit was discarded.
    assert dash.returning == 2
    assert dash.known_customer_visits == 4
    assert dash.returning_share == pytest.approx(0.4)


def test_per_staff_comparison(dash, store):
    by_name = {s.name: s for s in dash.staff}
    assert list(by_name) == ["Ana", "Sam"]
    sam, ana = by_name["Sam"], by_name["Ana"]
    assert (sam.visits, ana.visits) == (3, 2)
    assert sam.wait.median == 120 and sam.wait.p90 == pytest.approx(504.0)
    assert ana.wait.median == 135
    assert sam.service.median == 600
    assert (sam.steps_done, sam.steps_total) == (12, 15)
    assert (ana.steps_done, ana.steps_total) == (9, 10)
    assert (sam.complaints, ana.complaints) == (1, 1)
    assert (sam.returning, ana.returning) == (1, 1)
    assert (sam.overdue_follow_ups, ana.overdue_follow_ups) == (1, 1)


def test_staff_filter_narrows_every_kpi(db, store):
    only_sam = VisitFilter(start=START, end=END, staff_ids=(store.sam,))
    dash = load_dashboard(db, store.manager, only_sam, targets=TARGETS, now=NOW, tz=UTC)
    assert dash.visits == 3
    assert [n for _d, n in dash.days] == [2, 0, 1]
    assert dash.wait.median == 120
    assert dash.complaints == 1
    assert dash.overdue_follow_ups == 1
    assert dash.returning == 1
    assert [s.name for s in dash.staff] == ["Sam"]


def test_empty_period_has_no_medians(db, store):
    empty = VisitFilter(start=START + 10 * DAY, end=START + 11 * DAY)
    dash = load_dashboard(db, store.manager, empty, targets=TARGETS, now=NOW, tz=UTC)
    assert dash.visits == 0
    assert dash.wait.median is None and dash.wait.within_share is None
    assert dash.returning_share is None
    assert len(dash.days) == 1


def test_local_days_and_hours_follow_the_time_zone(db, store):
    plus3 = timezone(timedelta(hours=3))
    period = VisitFilter(start=START - 3 * 3600, end=END - 3 * 3600)
    dash = load_dashboard(db, store.manager, period, targets=TARGETS, now=NOW, tz=plus3)
    assert dash.by_hour[12] == 2 and dash.by_hour[17] == 1 and dash.by_hour[19] == 1
    assert [n for _d, n in dash.days] == [3, 1, 1]


def test_offset_segments_find_daylight_saving_changes():
    london = ZoneInfo("Europe/London")
    # 2026-10-25 01:00 UTC: BST (+1) ends.
    change = 1_792_890_000
    segments = offset_segments(change - 2 * DAY, change + 2 * DAY, london)
    assert segments == [(change - 2 * DAY, 3600), (change, 0)]
    assert offset_segments(START, END, UTC) == [(START, 0)]


def test_dashboard_needs_a_period(db, store):
    with pytest.raises(ValueError):
        load_dashboard(db, store.manager, VisitFilter(), targets=TARGETS, now=NOW)
