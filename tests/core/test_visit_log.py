"""Every filter of the manager's visit log and one visit's timeline, on a store whose answers
are known by hand (tests/core/report_fixtures.py has the table)."""

from __future__ import annotations

import pytest

from counter.audit import list_entries
from counter.errors import NotFound
from counter.visit_filter import VisitFilter
from counter.visit_log import count_visits, list_visits
from counter.visit_timeline import load_timeline
from tests.core.report_fixtures import END, NOW, START, build_store

PERIOD = VisitFilter(start=START, end=END)


@pytest.fixture
def store(db):
    return build_store(db)


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
