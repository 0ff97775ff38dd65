"""Customer records: validation at the boundary, writes, forms of address, the profile."""

import pytest

from counter.address import NameParts, form_of_address, full_name
from counter.customers import (
    CustomerInput,
    create_customer,
    get_customer,
    load_profile,
    update_customer,
    validate,
)
from counter.errors import NotFound, ValidationError
from counter.storage import staff_sql, visit_sql


def test_create_normalizes_phone_and_card(db, now):
    customer = create_customer(
        db,
        CustomerInput("Ayşe", "Yılmaz", language="tr", phone="0532 123 45 67", card=" ab-12 "),
        now=now,
        phone_region="TR",
    )
    assert customer.phone == "+905321234567"
    assert customer.card == "AB12"
    assert customer.created_at == now


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (CustomerInput(), "given_name"),
        (CustomerInput("  ", "\x00"), "given_name"),
        (CustomerInput("A", phone="12"), "phone"),
        (CustomerInput("A", phone="not a number"), "phone"),
        (CustomerInput("A", email="nobody"), "email"),
        (CustomerInput("A", language="xx-nonsense"), "language"),
        (CustomerInput("A" * 101), "given_name"),
        (CustomerInput("A", card="9" * 41), "card"),
        (CustomerInput("A", rapport_notes="x" * 2001), "rapport_notes"),
        (CustomerInput("A", title="sir"), "title"),
        (CustomerInput("A", formality="casual"), "formality"),
    ],
)
def test_validation_refuses_bad_input(data, field):
    with pytest.raises(ValidationError) as error:
        validate(data, phone_region="GB")
    assert field in {p.field for p in error.value.problems}


def test_validation_reports_every_problem_at_once():
    with pytest.raises(ValidationError) as error:
        validate(CustomerInput("", phone="1", email="x"), phone_region="GB")
    assert {p.field for p in error.value.problems} == {"given_name", "phone", "email"}


def test_control_characters_are_dropped_not_stored():
    values = validate(CustomerInput("Ay\x00şe\x1b", rapport_notes="a\nb\x07"), phone_region="GB")
    assert values["given_name"] == "Ayşe"
    assert values["rapport_notes"] == "a\nb"


def test_card_must_be_unique(db, now):
    create_customer(db, CustomerInput("A", card="123"), now=now, phone_region="GB")
    with pytest.raises(ValidationError):
        create_customer(db, CustomerInput("B", card="123"), now=now, phone_region="GB")
    assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == 1


def test_update_rewrites_search_key(db, now):
    customer = create_customer(db, CustomerInput("Old"), now=now, phone_region="GB")
    update_customer(db, customer.id, CustomerInput("Şükrü"), now=now + 5, phone_region="GB")
    stored = get_customer(db, customer.id)
    assert stored.given_name == "Şükrü" and stored.updated_at == now + 5
    hits = db.execute(
        "SELECT rowid FROM customers_fts WHERE customers_fts MATCH 'sukru'"
    ).fetchall()
    assert hits == [(customer.id,)]


def test_update_missing_customer(db, now):
    with pytest.raises(NotFound):
        update_customer(db, 999, CustomerInput("A"), now=now, phone_region="GB")


@pytest.mark.parametrize(
    ("parts", "language", "address", "written"),
    [
        (NameParts("Ayşe", "Yılmaz", title="ms"), "tr", "Ayşe Hanım", "Ayşe Yılmaz"),
        (NameParts("Mehmet", "Kaya", title="mr"), "tr", "Mehmet Bey", "Mehmet Kaya"),
        (NameParts("Anna", "Kovács", title="ms"), "hu", "Kovács asszony", "Kovács Anna"),
        (NameParts("Győző", "Kovács", title="mr"), "hu", "Kovács úr", "Kovács Győző"),
        (NameParts("Ľubomír", "Novák", title="mr"), "sk", "pán Novák", "Ľubomír Novák"),
        (NameParts("Jana", "Nováková", title="ms"), "sk", "pani Nováková", "Jana Nováková"),
        (NameParts("Rahul", "Sharma", "राहुल शर्मा", "mr"), "hi", "राहुल जी", "राहुल शर्मा"),
        (NameParts("Emma", "Clarke", title="ms"), "en", "Ms Clarke", "Emma Clarke"),
        (NameParts("Sam", "Lee", title="mx"), "en", "Mx Lee", "Sam Lee"),
        (NameParts("Emma", "Clarke", title="ms", informal=True), "en", "Emma", "Emma Clarke"),
        (NameParts("Sam", "Lee"), "en", "Sam Lee", "Sam Lee"),
    ],
)
def test_forms_of_address(parts, language, address, written):
    assert form_of_address(parts, language) == address
    assert full_name(parts, language) == written


def test_profile_has_history_and_open_follow_ups(db, now):
    staff = staff_sql.insert_staff(db, "Zeynep", "staff", "", now)
    customer = create_customer(db, CustomerInput("Ayşe"), now=now, phone_region="GB")
    for days in (30, 10, 2):
        visit_sql.insert_visit(
            db,
            {
                "customer_id": customer.id,
                "staff_id": staff,
                "status": "ended",
                "arrived_at": now - days * 86400,
                "need": f"need {days}",
                "outcome": "bought",
                "updated_at": now,
            },
        )
    visit_sql.insert_follow_up(
        db,
        {
            "customer_id": customer.id,
            "description": "call back",
            "due_at": now - 3600,
            "created_at": now - 86400,
            "owner_id": staff,
        },
    )
    visit_sql.insert_follow_up(
        db,
        {
            "customer_id": customer.id,
            "description": "done already",
            "due_at": now,
            "created_at": now - 86400,
            "closed_at": now - 10,
        },
    )
    profile = load_profile(db, customer.id)
    assert [v.need for v in profile.visits] == ["need 2", "need 10", "need 30"]
    assert profile.visits[0].staff_name == "Zeynep"
    assert [f.description for f in profile.follow_ups] == ["call back"]
    assert profile.follow_ups[0].overdue(now)
    assert get_customer(db, customer.id).last_visit_at == now - 2 * 86400
