"""A customer's data: a full copy (JSON and CSV) and erasure that keeps the statistics; both
manager-only and audited without the person's data in the log."""

from __future__ import annotations

import csv
import io
import json

import pytest

from counter.auth import set_up_store
from counter.customers import CustomerInput, create_customer, get_customer
from counter.errors import NotFound, PermissionDenied, ValidationError
from counter.privacy import customer_data, erase_customer, unlock_read_only
from counter.roles import Session
from counter.search import find_customers
from counter.storage import visit_sql


@pytest.fixture
def manager(db, now):
    return set_up_store(
        db, store_name="Köşe", store_language="tr", manager_name="Mia", pin="2468", now=now
    )


@pytest.fixture
def ayse(db, now, manager):
    customer = create_customer(
        db,
        CustomerInput(
            "Ayşe",
            "Yılmaz",
            language="tr",
            title="ms",
            phone="+90 532 123 4567",
            email="ayse@example.com",
            card="C42",
            rapport_notes="training for a marathon",
        ),
        now=now - 1000,
        phone_region="TR",
    )
    visit_id = visit_sql.insert_visit(
        db,
        {
            "customer_id": customer.id,
            "staff_id": manager.staff_id,
            "status": "ended",
            "arrived_at": now - 900,
            "started_at": now - 800,
            "ended_at": now - 500,
            "need": "new running shoes for Ayşe",
            "solution": "size 38, call 0532 123 4567",
            "outcome": "bought",
            "updated_at": now - 500,
        },
    )
    visit_sql.insert_visit_steps(db, [(visit_id, 1, "greet", "Greet warmly", "done", now - 790)])
    visit_sql.insert_follow_up(
        db,
        {
            "customer_id": customer.id,
            "visit_id": visit_id,
            "description": "Call Ayşe when size 38 arrives",
            "due_at": now + 86400,
            "created_at": now - 500,
        },
    )
    return customer


def test_everything_about_a_customer(db, now, manager, ayse):
    data = customer_data(db, manager, ayse.id, now=now)
    as_json = json.loads(data.to_json())
    assert as_json["customer"]["given_name"] == "Ayşe"
    assert as_json["customer"]["phone"] == "+905321234567"
    assert as_json["visits"][0]["need"] == "new running shoes for Ayşe"
    assert as_json["visits"][0]["steps"][0]["step_key"] == "greet"
    assert as_json["follow_ups"][0]["description"].startswith("Call Ayşe")
    rows = list(csv.reader(io.StringIO(data.to_csv())))
    assert ["customer"] in rows and ["visits"] in rows and ["follow_ups"] in rows
    assert any("Ayşe" in cell for row in rows for cell in row)
    entry = db.execute(
        "SELECT action, subject, staff_id FROM audit_log ORDER BY id DESC"
    ).fetchone()
    assert tuple(entry) == ("export_customer", f"customer:{ayse.id}", manager.staff_id)
    # A second export lists the first one: the person can see who looked at their data.
    again = json.loads(customer_data(db, manager, ayse.id, now=now + 1).to_json())
    assert [e["action"] for e in again["audit_log"]] == ["export_customer"]


def test_erase_removes_the_person_and_keeps_the_statistics(db, now, manager, ayse):
    visits_before = db.execute(
        "SELECT id, arrived_at, started_at, ended_at, outcome, staff_id, status FROM visits"
    ).fetchall()

    erase_customer(db, manager, ayse.id, now=now)

    row = db.execute("SELECT * FROM customers WHERE id = ?", [ayse.id]).fetchone()
    text = " ".join(str(v) for v in row)
    for secret in ("Ayşe", "Yılmaz", "5321234567", "ayse@", "C42", "marathon"):
        assert secret not in text
    assert (
        db.execute(
            "SELECT id, arrived_at, started_at, ended_at, outcome, staff_id, status FROM visits"
        ).fetchall()
        == visits_before
    )
    visit = db.execute("SELECT need, solution, customer_id FROM visits").fetchone()
    assert tuple(visit) == ("", "", ayse.id)
    assert db.execute("SELECT description FROM follow_ups").fetchone()[0] == ""
    assert db.execute("SELECT count(*) FROM visit_steps").fetchone()[0] == 1
    assert find_customers(db, "ayse") == [] and find_customers(db, "C42") == []
    assert find_customers(db, "4567") == []
    db.execute("INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')")
    with pytest.raises(NotFound):
        get_customer(db, ayse.id)
    entry = db.execute("SELECT action, subject, detail FROM audit_log ORDER BY id DESC").fetchone()
    assert tuple(entry) == ("erase_customer", f"customer:{ayse.id}", "")
    with pytest.raises(NotFound):
        erase_customer(db, manager, ayse.id, now=now)
    with pytest.raises(NotFound):
        customer_data(db, manager, ayse.id, now=now)


def test_only_a_manager_may_export_or_erase(db, now, manager, ayse):
    staff = Session(manager.staff_id + 100, "Sam", "staff", now)
    with pytest.raises(PermissionDenied):
        customer_data(db, staff, ayse.id, now=now)
    with pytest.raises(PermissionDenied):
        erase_customer(db, staff, ayse.id, now=now)
    assert get_customer(db, ayse.id).given_name == "Ayşe"


def test_unlocking_a_read_only_database_checks_the_pin_without_writing(db, now, manager):
    before = db.execute("SELECT failed_sign_ins FROM staff").fetchall()
    with pytest.raises(ValidationError):
        unlock_read_only(db, manager.staff_id, "0000", now=now)
    assert unlock_read_only(db, manager.staff_id, "2468", now=now).staff_id == manager.staff_id
    assert db.execute("SELECT failed_sign_ins FROM staff").fetchall() == before
