"""Store settings a manager saves are checked at the boundary: whole minutes in range, amber
before red, a language Counter speaks, a known phone country; nothing is stored otherwise."""

from __future__ import annotations

import pytest

from counter.errors import PermissionDenied, ValidationError
from counter.i18n import Translator
from counter.outcomes import outcome_key
from counter.roles import Session
from counter.settings import load_settings, save_store_settings
from counter.storage import staff_sql


@pytest.fixture
def boss(db, now):
    manager_id = staff_sql.insert_staff(db, "Sarah", "manager", "pin-hash", now)
    return Session(manager_id, "Sarah", "manager", now)


def fields(error: ValidationError) -> list[str]:
    return [p.field for p in error.problems]


def test_saves_cleaned_values(db, boss, now):
    save_store_settings(
        db,
        boss,
        {
            "store_name": "  Köşe   Eczanesi ",
            "store_language": "tr",
            "phone_region": "tr",
            "wait_amber_minutes": " 4",
            "wait_red_minutes": 9,
            "service_target_minutes": "12",
            "idle_lock_minutes": "0",
        },
        now=now,
    )
    settings = load_settings(db)
    assert settings.store_name == "Köşe Eczanesi"
    assert (settings.store_language, settings.phone_region) == ("tr", "TR")
    assert (settings.wait_amber_minutes, settings.wait_red_minutes) == (4, 9)
    assert (settings.service_target_minutes, settings.idle_lock_minutes) == (12, 0)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"wait_amber_minutes": "three"}, "wait_amber_minutes"),
        ({"wait_amber_minutes": "0"}, "wait_amber_minutes"),
        ({"wait_red_minutes": "-5"}, "wait_red_minutes"),
        ({"service_target_minutes": "100000"}, "service_target_minutes"),
        ({"idle_lock_minutes": "-1"}, "idle_lock_minutes"),
        ({"wait_amber_minutes": "8"}, "wait_red_minutes"),  # the stored red is 8
        ({"wait_amber_minutes": "10", "wait_red_minutes": "9"}, "wait_red_minutes"),
        ({"store_language": "xx"}, "store_language"),
        ({"store_language": "de"}, "store_language"),  # a language, but no catalog
        ({"phone_region": "ZZ"}, "phone_region"),
        ({"store_name": "   "}, "store_name"),
        ({"store_name": "x" * 81}, "store_name"),
    ],
)
def test_bad_values_store_nothing(db, boss, now, values, field):
    before = load_settings(db)
    with pytest.raises(ValidationError) as caught:
        save_store_settings(db, boss, {"store_name": "Mine", **values}, now=now)
    assert field in fields(caught.value)
    assert load_settings(db) == before
    for problem in caught.value.problems:  # every message formats with its values
        assert problem.msgid.format(**problem.params)


def test_amber_and_red_checked_together(db, boss, now):
    save_store_settings(db, boss, {"wait_amber_minutes": "10", "wait_red_minutes": "15"}, now=now)
    assert (load_settings(db).wait_amber_minutes, load_settings(db).wait_red_minutes) == (10, 15)


def test_unknown_setting_is_a_programming_error(db, boss, now):
    with pytest.raises(KeyError):
        save_store_settings(db, boss, {"ui_language": "tr"}, now=now)


def test_staff_cannot_change_settings(db, now):
    clerk_id = staff_sql.insert_staff(db, "Zeynep", "staff", "", now)
    with pytest.raises(PermissionDenied):
        save_store_settings(
            db, Session(clerk_id, "Zeynep", "staff", now), {"wait_red_minutes": "20"}, now=now
        )
    assert load_settings(db).wait_red_minutes == 8


def test_outcome_key_finds_builtin_outcomes():
    tr = Translator("tr").gettext
    assert outcome_key("  bought ", tr) == "bought"
    assert outcome_key("Nothing today", tr) == "nothing_today"
    assert outcome_key(tr("Repaired"), tr) == "repaired"
    assert outcome_key("Sipariş   verildi", tr) == "Sipariş verildi"
