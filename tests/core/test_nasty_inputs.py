"""The nasty-input corpus through the domain API: every customer text field, search, and an
import file holding it. Each input is stored (cleaned) or refused with a message; nothing
crashes and nothing is half-written."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from counter.customers import CustomerInput, create_customer, get_customer, update_customer
from counter.errors import ValidationError
from counter.i18n import Translator
from counter.importing.columns import guess_mapping
from counter.importing.reading import open_table
from counter.importing.writing import import_customers
from counter.search import find_customers
from tests.fixtures.nasty_inputs import ALL, IDS, INVISIBLE_NAMES

BASE = CustomerInput("Anna", "Kovács", phone="+36 30 123 4567", email="anna@example.com")
FIELDS = [f.name for f in fields(CustomerInput)]
EN = Translator("en")


def _count(db) -> int:
    return db.execute("SELECT count(*) FROM customers").fetchone()[0]


def _index_sound(db) -> None:
    db.execute("INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')")


def _readable(error: ValidationError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.field in FIELDS
        assert EN.gettext(problem.msgid).format(**problem.params)  # a sentence, all filled in


@pytest.mark.parametrize(("name", "text"), ALL, ids=IDS)
def test_every_field_stores_or_refuses(db, now, name, text):
    for field in FIELDS:
        before = _count(db)
        data = replace(BASE, **{field: text})
        try:
            customer = create_customer(db, data, now=now, phone_region="HU")
        except ValidationError as error:
            _readable(error)
            assert _count(db) == before
        else:
            assert _count(db) == before + 1
            assert get_customer(db, customer.id) == customer
            stored = getattr(customer, field)
            assert "\x00" not in stored and "\ud800" not in stored
    _index_sound(db)


@pytest.mark.parametrize(("name", "text"), ALL, ids=IDS)
def test_editing_with_nasty_text_is_all_or_nothing(db, now, name, text):
    customer = create_customer(db, BASE, now=now, phone_region="HU")
    for field in ("given_name", "phone", "rapport_notes"):
        customer = get_customer(db, customer.id)
        try:
            update_customer(
                db, customer.id, replace(BASE, **{field: text}), now=now + 1, phone_region="HU"
            )
        except ValidationError as error:
            _readable(error)
            assert get_customer(db, customer.id) == customer  # unchanged, even updated_at
    _index_sound(db)


@pytest.mark.parametrize(("name", "text"), ALL, ids=IDS)
def test_search_never_fails(db, now, name, text):
    create_customer(db, BASE, now=now, phone_region="HU")
    hits = find_customers(db, text)
    assert isinstance(hits, list)


def test_a_far_future_clock_is_stored_as_is(db):
    future = 32_503_680_000  # the year 3000
    customer = create_customer(db, BASE, now=future, phone_region="HU")
    assert get_customer(db, customer.id).created_at == future


def test_an_import_file_full_of_nasty_text(db, now, tmp_path):
    import csv

    path = tmp_path / "nasty.csv"
    with open(path, "w", encoding="utf-8", newline="", errors="surrogatepass") as f:
        writer = csv.writer(f)
        writer.writerow(["Given name", "Family name", "Phone", "Email", "Card", "Notes"])
        for i, (_name, text) in enumerate(ALL):
            writer.writerow([text, text, text, text, text, text])
            writer.writerow([f"Row{i}", text, "", "", "", text])
    table = open_table(path)
    report = import_customers(
        db, table, guess_mapping(table.headers), phone_region="HU", now=now, skip_invalid=True
    )
    assert report.committed
    assert report.created + report.error_count + report.skipped == report.rows
    for error in report.errors:
        assert error.line >= 2
        for problem in error.problems:
            assert EN.gettext(problem.msgid).format(**problem.params)
    _index_sound(db)


@pytest.mark.parametrize(("name", "text"), INVISIBLE_NAMES, ids=[n for n, _t in INVISIBLE_NAMES])
def test_a_name_of_only_invisible_characters_is_refused_with_its_own_message(db, now, name, text):
    for field in ("given_name", "family_name", "native_name"):
        data = CustomerInput(**{field: text})
        with pytest.raises(ValidationError) as refused:
            create_customer(db, data, now=now, phone_region="HU")
        (problem,) = refused.value.problems
        assert problem.msgid.startswith("This name is made only of invisible characters")
    assert _count(db) == 0
    # Beside a real name, the invisible one is simply empty.
    customer = create_customer(db, CustomerInput("Anna", text), now=now, phone_region="HU")
    assert (customer.given_name, customer.family_name) == ("Anna", "")


def test_an_empty_name_keeps_its_own_message(db, now):
    with pytest.raises(ValidationError) as refused:
        create_customer(db, CustomerInput("  ", ""), now=now, phone_region="HU")
    assert refused.value.problems[0].msgid == "Enter at least a given or a family name."


def test_customer_and_visit_fields_are_cleaned_alike(db, now):
    from counter import visits

    typed = "\x1b[0;31mscreen\x1b[0m\ncracked\x00\u200b"
    customer = create_customer(
        db, CustomerInput(typed, "Kovács", rapport_notes=typed), now=now, phone_region="HU"
    )
    visit = visits.serve_directly(
        db, staff_id=None, now=now, language="en", walk_in_name=typed
    ).visit
    visits.set_need(db, visit.id, typed, now=now)
    row = db.execute("SELECT walk_in_name, need FROM visits WHERE id = ?", [visit.id]).fetchone()
    assert customer.given_name == row[0] == row[1] == "screen cracked"
    assert customer.rapport_notes == "screen\ncracked"  # notes keep their lines


def test_an_import_row_with_an_invisible_name_is_reported(db, now, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Name,Phone\nAnna Kovács,\n\u200b\u200f,\n", encoding="utf-8")
    table = open_table(source)
    report = import_customers(db, table, guess_mapping(table.headers), phone_region="HU", now=now)
    assert not report.committed
    (error,) = report.errors
    assert error.line == 3
    assert error.problems[0].msgid.startswith("This name is made only of invisible characters")
