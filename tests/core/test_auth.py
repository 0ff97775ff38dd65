"""Sign-in with PINs, the persisted lockout, first start, staff admin and the demo PINs."""

from __future__ import annotations

import pytest

from counter import auth, staff
from counter.auth import (
    LOCK_SECONDS,
    MAX_FAILURES,
    SignInLocked,
    needs_setup,
    set_up_store,
    sign_in,
)
from counter.errors import PermissionDenied, ValidationError
from counter.settings import load_settings
from counter.storage import open_database, staff_sql, write_transaction
from tests.core.report_fixtures import MANAGER_PIN, STAFF_PIN, pin_hash


@pytest.fixture
def people(db, now):
    with write_transaction(db):
        mia = staff_sql.insert_staff(db, "Mia", "manager", pin_hash(MANAGER_PIN), now)
        sam = staff_sql.insert_staff(db, "Sam", "staff", pin_hash(STAFF_PIN), now)
    return {"mia": mia, "sam": sam}


def problems(error):
    return [(p.field, p.msgid, p.params) for p in error.value.problems]


def test_sign_in_with_the_right_pin(db, people, now):
    session = sign_in(db, people["sam"], STAFF_PIN, now=now)
    assert (session.staff_id, session.name, session.role) == (people["sam"], "Sam", "staff")
    assert not session.is_manager
    assert sign_in(db, people["mia"], MANAGER_PIN, now=now).is_manager


def test_pins_are_stored_hashed(db, people):
    stored = staff_sql.get_staff(db, people["sam"])["pin_hash"]
    assert stored.startswith("$argon2id$") and STAFF_PIN not in stored


def test_wrong_pin_counts_tries(db, people, now):
    with pytest.raises(ValidationError) as error:
        sign_in(db, people["sam"], "0000", now=now)
    assert problems(error) == [
        ("pin", "Wrong PIN (try {attempt} of {max}).", {"attempt": 1, "max": MAX_FAILURES})
    ]
    sign_in(db, people["sam"], STAFF_PIN, now=now)  # success resets the count
    assert staff_sql.get_staff(db, people["sam"])["failed_sign_ins"] == 0


def test_lockout_after_repeated_failures_survives_a_restart(tmp_path, now):
    path = tmp_path / "counter.db"
    db = open_database(path)
    with write_transaction(db):
        sam = staff_sql.insert_staff(db, "Sam", "staff", pin_hash(STAFF_PIN), now)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(ValidationError):
            sign_in(db, sam, "0000", now=now)
    with pytest.raises(SignInLocked) as locked:
        sign_in(db, sam, "0000", now=now)
    assert locked.value.until == now + LOCK_SECONDS
    db.close()

    db = open_database(path)  # a restart does not lift the lock
    with pytest.raises(SignInLocked):
        sign_in(db, sam, STAFF_PIN, now=now + 60)
    assert sign_in(db, sam, STAFF_PIN, now=now + LOCK_SECONDS).staff_id == sam
    db.close()


def test_unknown_or_inactive_staff_cannot_sign_in(db, people, now):
    with pytest.raises(ValidationError):
        sign_in(db, 12345, STAFF_PIN, now=now)
    with write_transaction(db):
        staff_sql.update_staff(db, people["sam"], name="Sam", role="staff", active=False)
    with pytest.raises(ValidationError):
        sign_in(db, people["sam"], STAFF_PIN, now=now)


def test_staff_without_a_pin_is_told_to_ask_a_manager(db, now):
    with write_transaction(db):
        old = staff_sql.insert_staff(db, "Old demo", "staff", "", now)
    with pytest.raises(ValidationError) as error:
        sign_in(db, old, "", now=now)
    assert problems(error)[0][2] == {"name": "Old demo"}


# first start ---------------------------------------------------------------------------------
def test_first_start_sets_up_store_and_first_manager(db, now):
    assert needs_setup(db)
    session = set_up_store(
        db,
        store_name="  Köşe   Eczanesi ",
        store_language="tr",
        manager_name="Ayşe",
        pin="2468",
        now=now,
    )
    assert session.is_manager
    settings = load_settings(db)
    assert (settings.store_name, settings.store_language) == ("Köşe Eczanesi", "tr")
    assert not needs_setup(db)
    assert sign_in(db, session.staff_id, "2468", now=now).is_manager
    with pytest.raises(PermissionDenied):  # not a back door to a second manager
        set_up_store(
            db, store_name="X", store_language="en", manager_name="Eve", pin="1111", now=now
        )


def test_first_start_reports_every_problem(db, now):
    with pytest.raises(ValidationError) as error:
        set_up_store(
            db, store_name=" ", store_language="xx-nope", manager_name="", pin="1", now=now
        )
    assert [p[0] for p in problems(error)] == [
        "store_name",
        "store_language",
        "manager_name",
        "pin",
    ]
    assert needs_setup(db)


def test_staff_without_manager_pin_still_needs_setup(db, now):
    with write_transaction(db):
        staff_sql.insert_staff(db, "Old demo manager", "manager", "", now)
    assert needs_setup(db)


@pytest.mark.parametrize(
    ("pin", "role", "ok"),
    [
        ("1234", "staff", True),
        ("123", "staff", False),
        ("12a4", "staff", False),
        ("١٢٣٤", "staff", False),  # Arabic-Indic digits: not what the keypad types
        ("correct horse", "manager", True),
        ("abc", "manager", False),
    ],
)
def test_pin_rules(pin, role, ok):
    assert (auth.validate_pin(pin, role) == []) is ok


# staff admin ---------------------------------------------------------------------------------
def test_manager_adds_staff_and_sets_pins(db, people, now):
    manager = sign_in(db, people["mia"], MANAGER_PIN, now=now)
    priya = staff.add_staff(db, manager, name=" Priya  Nair ", role="staff", pin="5555", now=now)
    assert (priya.name, priya.role, priya.has_pin) == ("Priya Nair", "staff", True)
    staff.set_pin(db, manager, priya.id, "6666", now=now)
    assert sign_in(db, priya.id, "6666", now=now).staff_id == priya.id
    assert [m.name for m in staff.sign_in_list(db)] == ["Mia", "Priya Nair", "Sam"]


def test_set_pin_lifts_a_lockout(db, people, now):
    manager = sign_in(db, people["mia"], MANAGER_PIN, now=now)
    for _ in range(MAX_FAILURES):
        with pytest.raises(ValidationError):
            sign_in(db, people["sam"], "0000", now=now)
    staff.set_pin(db, manager, people["sam"], "4321", now=now)
    assert sign_in(db, people["sam"], "4321", now=now).staff_id == people["sam"]


def test_the_last_manager_cannot_be_removed(db, people, now):
    manager = sign_in(db, people["mia"], MANAGER_PIN, now=now)
    for role, active in (("staff", True), ("manager", False)):
        with pytest.raises(ValidationError):
            staff.update_staff(
                db, manager, people["mia"], name="Mia", role=role, active=active, now=now
            )
    second = staff.add_staff(db, manager, name="Gábor", role="manager", pin="secret99", now=now)
    staff.update_staff(db, manager, people["mia"], name="Mia", role="staff", active=True, now=now)
    with pytest.raises(PermissionDenied):  # Mia is no longer a manager: her session stops working
        staff.list_staff(db, manager)
    gabor = sign_in(db, second.id, "secret99", now=now)
    assert {m.name: m.role for m in staff.list_staff(db, gabor)}["Mia"] == "staff"


def test_demo_database_has_the_documented_pins(db, now):
    from counter.demo import DEMO_PINS, fill_demo_data

    fill_demo_data(db, customers=5, now=now)
    members = staff.sign_in_list(db)
    by_role = {m.role: m for m in members}
    assert sign_in(db, by_role["manager"].id, DEMO_PINS["manager"], now=now).is_manager
    assert not sign_in(db, by_role["staff"].id, DEMO_PINS["staff"], now=now).is_manager
    assert DEMO_PINS == {"staff": "1234", "manager": "9999"}
    assert not needs_setup(db)
