"""Every KPI of the dashboard and every filter of the visit log, on a store whose answers are
known by hand (tests/core/report_fixtures.py has the table)."""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from counter.audit import list_entries
from counter.errors import NotFound
from counter.reports import (
    Durations,
    Targets,
    VisitFilter,
    count_visits,
    list_visits,
    load_dashboard,
    load_timeline,
    offset_segments,
    percentile,
)
from tests.core.report_fixtures import DAY, END, NOW, START, build_store

TARGETS = Targets(wait=180, service=600)
PERIOD = VisitFilter(start=START, end=END)


@pytest.fixture
def store(db):
    return build_store(db)


@pytest.fixture
def dash(db, store):
    return load_dashboard(db, store.manager, PERIOD, targets=TARGETS, now=NOW, tz=UTC)


# percentiles ------------------------------------------------------------------------------
def test_percentile_interpolates_like_spreadsheets():
    values = [(v, 1) for v in (30, 60, 120, 240, 600)]
    assert percentile(values, 0.5) == 120
    assert percentile(values, 0.9) == pytest.approx(456.0)  # 240 + 0.6 * (600 - 240)
    assert percentile([(1, 1), (2, 1), (3, 1), (4, 1)], 0.5) == 2.5
    assert percentile([(7, 3)], 0.9) == 7
    assert percentile([(10, 2), (20, 2)], 0.5) == 15  # counts, not just values
    assert percentile([], 0.5) is None


def test_durations_merge_histograms_of_several_staff():
    d = Durations.of([(60, 1), (120, 1), (60, 2)], target=100)
    assert (d.count, d.median, d.within_target) == (4, 60, 3)


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


# visit log -----------------------------------------------------------------------------------
def ids(db, store, f, **kwargs):
    return [row.id for row in list_visits(db, store.manager, f, **kwargs)]


def names(store, *keys):
    return [store.visits[k] for k in keys]


def test_log_defaults_to_ended_visits_newest_first(db, store):
    assert ids(db, store, PERIOD) == names(store, "v5", "v4", "v3", "v2", "v1")
    assert count_visits(db, store.manager, PERIOD, now=NOW) == 5
    assert count_visits(db, store.manager, VisitFilter(), now=NOW) == 7  # before + after


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"complaint": True}, ("v5", "v3")),
        ({"complaint": False}, ("v4", "v2", "v1")),
        ({"steps_skipped": True}, ("v5", "v3", "v2")),
        ({"steps_skipped": False}, ("v4", "v1")),
        ({"steps_skipped": True, "skipped_step": "thank"}, ("v5", "v3")),
        ({"wait_over": 180}, ("v5", "v3")),
        ({"service_over": 600}, ("v5", "v3")),
        ({"outcomes": ("bought", "informed")}, ("v4", "v1")),
        ({"languages": ("tr",)}, ("v3", "v1")),
        ({"statuses": ("in_progress",)}, ("open",)),
        ({"customer_text": "sukru"}, ("v3", "v1")),
        ({"customer_text": "राहुल"}, ("v5",)),
        ({"customer_text": "nobody"}, ()),
        ({"customer_text": "!!!"}, ()),
    ],
)
def test_log_filters(db, store, changes, expected):
    f = VisitFilter(start=START, end=END, **changes)
    assert ids(db, store, f) == names(store, *expected)
    assert count_visits(db, store.manager, f, now=NOW) == len(expected)


def test_log_filters_by_staff_and_customer_id(db, store):
    f = VisitFilter(start=START, end=END, staff_ids=(store.ana,))
    assert ids(db, store, f) == names(store, "v4", "v3")
    f = VisitFilter(customer_id=store.customers["Şükrü"])
    assert ids(db, store, f) == names(store, "v3", "v1", "before")


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("wait", ("v4", "v1", "v2", "v3", "v5")),
        ("service", ("v4", "v1", "v2", "v3", "v5")),
        ("arrived", ("v1", "v2", "v3", "v4", "v5")),
        ("staff", ("v3", "v4", "v1", "v2", "v5")),
        ("customer", ("v2", "v5", "v4", "v1", "v3")),
        ("outcome", ("v1", "v3", "v4", "v5", "v2")),
        ("language", ("v2", "v5", "v4", "v1", "v3")),
        ("steps", ("v1", "v4", "v2", "v3", "v5")),
        ("complaint", ("v1", "v2", "v4", "v3", "v5")),
        ("need", ("v4", "v5", "v3", "v2", "v1")),
    ],
)
def test_log_sorts_by_any_column(db, store, sort, expected):
    assert ids(db, store, PERIOD, sort=sort, descending=False) == names(store, *expected)
    assert ids(db, store, PERIOD, sort=sort, descending=True) == names(store, *expected)[::-1]


def test_log_pages(db, store):
    page = ids(db, store, PERIOD, sort="arrived", descending=False, limit=2, offset=2)
    assert page == names(store, "v3", "v4")


def test_log_refuses_unknown_sort_keys(db, store):
    with pytest.raises(ValueError):
        list_visits(db, store.manager, PERIOD, sort="id; DROP TABLE visits")


def test_log_rows_carry_what_the_table_shows(db, store):
    rows = {r.id: r for r in list_visits(db, store.manager, PERIOD)}
    v3 = rows[store.visits["v3"]]
    assert v3.customer_name == "Şükrü Yılmaz"
    assert v3.staff_name == "Ana"
    assert (v3.wait, v3.service, v3.steps_skipped, v3.steps_total) == (240, 900, 1, 5)
    assert v3.complaint and v3.outcome == "complaint_resolved"
    assert rows[store.visits["v5"]].customer_name == "राहुल शर्मा"
    assert rows[store.visits["v4"]].customer_name == "Tourist"


def test_filtering_by_a_customer_is_audited(db, store):
    count_visits(db, store.manager, VisitFilter(customer_text="sukru"), now=NOW)
    count_visits(db, store.manager, PERIOD, now=NOW)
    entries = list_entries(db, store.manager)
    assert [(e.action, e.detail, e.staff_name) for e in entries] == [
        ("view_customer_visits", "sukru", "Mia")
    ]


# one visit -----------------------------------------------------------------------------------
def test_timeline_of_a_visit(db, store):
    timeline = load_timeline(db, store.manager, store.visits["v3"], now=NOW)
    events = [(e.kind, e.step_key, e.status, e.gap) for e in timeline.events]
    assert events == [
        ("arrived", "", "", None),
        ("started", "", "", 240),
        ("step", "greet", "done", 10),
        ("step", "rapport", "done", 10),
        ("step", "needs", "done", 10),
        ("step", "solution", "done", 10),
        ("ended", "", "", 900 - 40),
        ("step", "thank", "pending", None),  # never ticked: no time, after the timed ones
    ]
    assert timeline.visit.need == "charger stopped working"
    assert timeline.visit.outcome == "complaint_resolved"
    assert len(timeline.follow_ups) == 4
    assert sum(f.overdue(NOW) for f in timeline.follow_ups) == 2
    entry = list_entries(db, store.manager)[0]
    assert (entry.action, entry.subject) == ("view_visit", f"customer:{store.customers['Şükrü']}")


def test_timeline_of_a_missing_visit(db, store):
    with pytest.raises(NotFound):
        load_timeline(db, store.manager, 999_999, now=NOW)
