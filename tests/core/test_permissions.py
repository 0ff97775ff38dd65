"""Manager-only domain functions refuse anything but an active manager's session, when called
directly (not only through the UI)."""

from __future__ import annotations

import pytest

from counter import audit, auth, dashboard, export, settings, staff, visit_log, visit_timeline
from counter.durations import Targets
from counter.errors import PermissionDenied
from counter.i18n import Translator
from counter.roles import Session
from counter.storage import staff_sql, write_transaction
from counter.visit_filter import VisitFilter
from tests.core.report_fixtures import END, NOW, START, build_store

PERIOD = VisitFilter(start=START, end=END)


@pytest.fixture
def store(db):
    return build_store(db)


def manager_only_calls(store, tmp_path):
    """(name, call(db, session)) for every manager-only function."""
    return [
        ("count_visits", lambda db, s: visit_log.count_visits(db, s, PERIOD, now=NOW)),
        ("list_visits", lambda db, s: visit_log.list_visits(db, s, PERIOD)),
        (
            "load_timeline",
            lambda db, s: visit_timeline.load_timeline(db, s, store.visits["v1"], now=NOW),
        ),
        (
            "load_dashboard",
            lambda db, s: dashboard.load_dashboard(
                db, s, PERIOD, targets=Targets(180, 600), now=NOW
            ),
        ),
        (
            "export_visits",
            lambda db, s: export.export_visits(
                db, s, PERIOD, tmp_path / "x.csv", fmt="csv", translator=Translator("en"), now=NOW
            ),
        ),
        ("audit.list_entries", lambda db, s: audit.list_entries(db, s)),
        ("audit.count_entries", lambda db, s: audit.count_entries(db, s)),
        ("staff.list_staff", lambda db, s: staff.list_staff(db, s)),
        (
            "staff.add_staff",
            lambda db, s: staff.add_staff(db, s, name="Eve", role="manager", pin="12345", now=NOW),
        ),
        ("staff.set_pin", lambda db, s: staff.set_pin(db, s, store.mia, "0000", now=NOW)),
        (
            "staff.update_staff",
            lambda db, s: staff.update_staff(
                db, s, store.sam, name="Sam", role="manager", active=True, now=NOW
            ),
        ),
        (
            "settings.save_store_settings",
            lambda db, s: settings.save_store_settings(db, s, {"store_name": "Mine"}, now=NOW),
        ),
    ]


def _denied_sessions(db, store):
    with write_transaction(db):
        gone = staff_sql.insert_staff(db, "Gone", "manager", "x", NOW)
        staff_sql.update_staff(db, gone, name="Gone", role="manager", active=False)
    return {
        "staff session": store.staff_session,
        "staff member posing as manager": Session(store.sam, "Sam", "manager", NOW),
        "deactivated manager": Session(gone, "Gone", "manager", NOW),
        "no such staff": Session(99_999, "Ghost", "manager", NOW),
        "no session": None,
        "not a session": {"staff_id": store.mia, "role": "manager"},
    }


def test_every_manager_function_refuses_non_managers(db, store, tmp_path):
    sessions = _denied_sessions(db, store)
    for name, call in manager_only_calls(store, tmp_path):
        for label, session in sessions.items():
            with pytest.raises(PermissionDenied):
                call(db, session)
                pytest.fail(f"{name} accepted {label}")
    assert not (tmp_path / "x.csv").exists()
    assert audit.count_entries(db, store.manager) == 0  # refused calls leave no trace either


def test_every_manager_function_accepts_a_manager(db, store, tmp_path):
    """Each call does its job for a manager: what it returns and what it writes."""
    done = {name: call(db, store.manager) for name, call in manager_only_calls(store, tmp_path)}
    assert done["count_visits"] == 5 == len(done["list_visits"])  # the fixture's period
    assert done["load_timeline"].visit.id == store.visits["v1"]
    assert done["load_dashboard"].visits == 5
    assert done["export_visits"].rows == 5 and (tmp_path / "x.csv").exists()
    assert [e.action for e in done["audit.list_entries"]][:1] == ["export_visits"]
    assert done["audit.count_entries"] >= 1
    assert {"Mia", "Sam", "Ana"} <= {m.name for m in done["staff.list_staff"]}
    assert done["staff.add_staff"].name == "Eve" and done["staff.add_staff"].role == "manager"
    assert auth.sign_in(db, store.mia, "0000", now=NOW).staff_id == store.mia  # the new PIN
    assert done["staff.update_staff"].role == "manager"
    assert settings.load_settings(db).store_name == "Mine"
