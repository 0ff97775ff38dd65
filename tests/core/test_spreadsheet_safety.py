"""Every file Counter writes for spreadsheets is safe to open (OWASP CSV injection): text that a
spreadsheet would run as a formula stays text. Checked on the rule itself, on each writer's
file, and by opening each file with LibreOffice headless and reading back every cell's type."""

from __future__ import annotations

import csv
import io
from datetime import UTC

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from counter.cell_guard import guard, needs_guard, safe_writer, unguard
from counter.customer_export import export_customers
from counter.customers import CustomerInput, create_customer
from counter.export import export_visits
from counter.i18n import Translator
from counter.privacy import customer_data
from counter.visit_filter import VisitFilter
from tests.core.report_fixtures import END, NOW, START, add_visit, build_store
from tests.fixtures.libreoffice import cells_as_opened

PAYLOADS = (
    '=HYPERLINK("http://x","click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
)
PHONE = "+905321234567"


@pytest.mark.parametrize(
    "text",
    [
        *PAYLOADS,
        PHONE,
        "-5",
        "=",
        "\t=1+1",
        "\r=1+1",
        "\t",
        " =1+1",
        "\u00a0+1",
        "\u200b=1+1",  # zero-width space
        "\ufeff@SUM(A1)",
        "\x00=1",
        "\x1b=1",
        "'=1+1",
        "''=1+1",
        " ' =1",
        "＝1+1",  # full width
    ],
)
def test_risky_cells_are_guarded(text):
    assert needs_guard(text)
    assert guard(text) == "'" + text
    assert unguard(guard(text)) == text


@pytest.mark.parametrize(
    "text",
    ["", "Şükrü", "1+1", "a=b", "a-b", "user@example.com", "'quoted'", "' ", " ", "राहुल", "(1)"],
)
def test_ordinary_cells_are_left_alone(text):
    assert not needs_guard(text)
    assert guard(text) == text
    assert unguard(text) == text


@given(st.text())
def test_unguard_undoes_guard_and_guarded_text_starts_safely(text):
    assert unguard(guard(text)) == text
    if needs_guard(text):
        assert guard(text).startswith("'")


def test_the_safe_writer_guards_text_and_leaves_numbers():
    out = io.StringIO()
    safe_writer(out).writerow(["=1+1", -5, None, 2.5, "ok", PHONE])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'=1+1", "-5", "", "2.5", "ok", "'" + PHONE]
    ]


# the files Counter writes -----------------------------------------------------------------
@pytest.fixture
def store(db):
    store = build_store(db)
    for offset, payload in enumerate(PAYLOADS):
        add_visit(
            db,
            staff=store.sam,
            customer=None,
            walk_in_name=payload,
            need="\t" + payload,  # cleaned to the payload by a later edit or a spreadsheet
            arrived=START + 3600 * (offset + 1),
            wait=10,
            service=20,
            outcome="informed",
        )
    return store


def _payload_customers(db, now):
    ids = []
    for payload in PAYLOADS:
        ids.append(
            create_customer(
                db,
                CustomerInput(payload, "Kovács", rapport_notes=payload, phone=""),
                now=now,
                phone_region="TR",
            ).id
        )
    ids.append(
        create_customer(
            db,
            CustomerInput("Ayşe", payload_family := "-2+3", phone=PHONE),
            now=now,
            phone_region="TR",
        ).id
    )
    assert payload_family
    return ids


def _visits_file(db, store, tmp_path, fmt):
    path = tmp_path / f"visits.{fmt}"
    export_visits(
        db,
        store.manager,
        VisitFilter(start=START, end=END),
        path,
        fmt=fmt,
        translator=Translator("en", tz=UTC),
        now=NOW,
    )
    return path


def _texts(cells):
    return {value for _coord, value, kind in cells if kind == "s"}


def _no_formulas(cells):
    formulas = [(coord, value) for coord, value, kind in cells if kind not in ("s", "n", "d")]
    assert formulas == []


def test_the_visit_log_csv_guards_every_payload(db, store, tmp_path):
    rows = list(csv.reader(_visits_file(db, store, tmp_path, "csv").open(encoding="utf-8-sig")))
    cells = {cell for row in rows for cell in row}
    for payload in PAYLOADS:
        assert "'" + payload in cells
        assert "'\t" + payload in cells
        assert payload not in cells


def test_the_visit_log_xlsx_writes_text_cells_without_a_visible_apostrophe(db, store, tmp_path):
    sheet = load_workbook(_visits_file(db, store, tmp_path, "xlsx")).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    by_value = {cell.value: cell for cell in cells}
    for payload in PAYLOADS:
        cell = by_value[payload]
        assert cell.data_type == "s"
        assert cell.quotePrefix  # a spreadsheet keeps it text when the cell is edited
        assert "'" + payload not in by_value
    assert not any(cell.data_type == "f" for cell in cells)


def test_customer_export_guards_and_reads_back(db, now, tmp_path):
    _payload_customers(db, now)
    out = tmp_path / "customers.csv"
    export_customers(db, out, now=now)
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["given_name"] for r in rows[: len(PAYLOADS)]] == ["'" + p for p in PAYLOADS]
    assert rows[-1]["phone"] == "'" + PHONE and rows[-1]["family_name"] == "'-2+3"


def test_a_customers_own_data_csv_guards_every_payload(db, now):
    from counter.auth import set_up_store

    manager = set_up_store(
        db, store_name="Köşe", store_language="tr", manager_name="Mia", pin="2468", now=now
    )
    (first, *_rest) = _payload_customers(db, now)
    text = customer_data(db, manager, first, now=now).to_csv()
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    assert "'" + PAYLOADS[0] in cells and PAYLOADS[0] not in cells


# opened in LibreOffice --------------------------------------------------------------------
def test_libreoffice_reads_the_visit_log_csv_as_text(db, store, tmp_path):
    cells = cells_as_opened(_visits_file(db, store, tmp_path, "csv"), tmp_path / "lo")
    _no_formulas(cells)
    texts = _texts(cells)
    for payload in PAYLOADS:
        assert "'" + payload in texts


def test_libreoffice_reads_the_visit_log_xlsx_as_text_without_apostrophes(db, store, tmp_path):
    cells = cells_as_opened(_visits_file(db, store, tmp_path, "xlsx"), tmp_path / "lo")
    _no_formulas(cells)
    texts = _texts(cells)
    for payload in PAYLOADS:
        assert payload in texts
        assert "'" + payload not in texts


def test_libreoffice_reads_the_customer_export_as_text(db, now, tmp_path):
    _payload_customers(db, now)
    out = tmp_path / "customers.csv"
    export_customers(db, out, now=now)
    cells = cells_as_opened(out, tmp_path / "lo")
    _no_formulas(cells)
    texts = _texts(cells)
    for payload in PAYLOADS:
        assert "'" + payload in texts
    # The phone stays a phone number: text with its "+", not the number 905321234567.
    assert "'" + PHONE in texts
    assert 905321234567 not in {value for _coord, value, _kind in cells}


def test_libreoffice_reads_a_customers_own_data_as_text(db, now, tmp_path):
    from counter.auth import set_up_store

    manager = set_up_store(
        db, store_name="Köşe", store_language="tr", manager_name="Mia", pin="2468", now=now
    )
    (first, *_rest) = _payload_customers(db, now)
    path = tmp_path / "customer.csv"
    path.write_text(customer_data(db, manager, first, now=now).to_csv(), encoding="utf-8-sig")
    cells = cells_as_opened(path, tmp_path / "lo")
    _no_formulas(cells)
    assert "'" + PAYLOADS[0] in _texts(cells)
