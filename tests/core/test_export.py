"""CSV and XLSX exports of the filtered log: localized headers, ISO times, progress, cancel,
no half-written files, an audit entry, and files LibreOffice opens."""

from __future__ import annotations

import csv
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook

from counter.audit import list_entries
from counter.errors import ValidationError
from counter.export import COLUMNS, export_visits
from counter.i18n import Translator
from counter.storage import visit_sql, write_transaction
from counter.visit_filter import VisitFilter
from tests.core.report_fixtures import END, NOW, START, build_store
from tests.fixtures.libreoffice import convert

PERIOD = VisitFilter(start=START, end=END)


@pytest.fixture
def store(db):
    return build_store(db)


def utc(language: str = "en") -> Translator:
    from datetime import UTC

    return Translator(language, tz=UTC)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_csv_has_headers_iso_times_and_every_row(db, store, tmp_path):
    path = tmp_path / "visits.csv"
    result = export_visits(db, store.manager, PERIOD, path, fmt="csv", translator=utc(), now=NOW)
    assert (result.rows, result.cancelled, result.path) == (5, False, path)
    rows = read_csv(path)
    assert rows[0] == [label for _key, label in COLUMNS]
    assert len(rows) == 6
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Visit"] == str(store.visits["v1"])
    assert first["Arrived"] == "2026-11-17T09:10:00+00:00"
    assert first["Customer"] == "Şükrü Yılmaz"
    assert first["Outcome"] == "Bought"
    assert first["Complaint"] == "No"
    assert (first["Wait (seconds)"], first["Service (seconds)"]) == ("60", "300")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets detect UTF-8


def test_headers_and_labels_in_the_translators_language(db, store, tmp_path):
    tr = utc("tr")
    if not tr.has_catalog:
        pytest.skip("no Turkish catalog built")
    path = tmp_path / "ziyaretler.csv"
    export_visits(db, store.manager, PERIOD, path, fmt="csv", translator=tr, now=NOW)
    header = read_csv(path)[0]
    translated = [tr.gettext(label) for _key, label in COLUMNS]
    assert header == translated


def test_text_that_looks_like_a_formula_is_kept_as_text(db, store, tmp_path):
    with write_transaction(db):
        visit_sql.insert_visit(
            db,
            {
                "status": "ended",
                "arrived_at": START + 3600,
                "need": '=HYPERLINK("http://evil")',
                "walk_in_name": "@boss",
                "updated_at": START,
            },
        )
    path = tmp_path / "v.csv"
    export_visits(db, store.manager, PERIOD, path, fmt="csv", translator=utc(), now=NOW)
    cells = {cell for row in read_csv(path) for cell in row}
    assert '\'=HYPERLINK("http://evil")' in cells and "'@boss" in cells


def test_xlsx_has_real_times_and_the_same_rows(db, store, tmp_path):
    path = tmp_path / "visits.xlsx"
    result = export_visits(
        db, store.manager, PERIOD, path, fmt="xlsx", translator=utc(), now=NOW, chunk=2
    )
    assert result.rows == 5
    sheet = load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [label for _key, label in COLUMNS]
    assert rows[1][1] == datetime(2026, 11, 17, 9, 10)
    assert rows[1][5] == "Şükrü Yılmaz"
    assert len(rows) == 6


def test_progress_is_reported_and_cancel_leaves_no_file(db, store, tmp_path):
    seen = []

    def progress(done, total):
        seen.append((done, total))
        return done < 2

    path = tmp_path / "visits.csv"
    result = export_visits(
        db,
        store.manager,
        PERIOD,
        path,
        fmt="csv",
        translator=utc(),
        now=NOW,
        progress=progress,
        chunk=2,
    )
    assert result.cancelled and result.path is None
    assert seen == [(0, 5), (2, 5)]
    assert list(tmp_path.iterdir()) == []
    assert list_entries(db, store.manager) == []  # nothing exported, nothing to audit


def test_progress_reaches_the_total(db, store, tmp_path):
    seen = []
    export_visits(
        db,
        store.manager,
        PERIOD,
        tmp_path / "v.xlsx",
        fmt="xlsx",
        translator=utc(),
        now=NOW,
        progress=lambda d, t: seen.append((d, t)) or True,
        chunk=2,
    )
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_a_failed_export_leaves_no_partial_file(db, store, tmp_path, monkeypatch):
    import counter.export as module

    def boom(*args, **kwargs):
        yield []
        raise OSError("disk full")

    monkeypatch.setattr(module, "iter_visit_rows", boom)
    path = tmp_path / "v.csv"
    with pytest.raises(OSError):
        export_visits(db, store.manager, PERIOD, path, fmt="csv", translator=utc(), now=NOW)
    assert list(tmp_path.iterdir()) == []


def test_export_is_audited(db, store, tmp_path):
    f = VisitFilter(start=START, end=END, complaint=True)
    export_visits(db, store.manager, f, tmp_path / "c.csv", fmt="csv", translator=utc(), now=NOW)
    entry = list_entries(db, store.manager)[0]
    assert (entry.action, entry.subject, entry.staff_id) == ("export_visits", "c.csv", store.mia)
    detail = json.loads(entry.detail)
    assert detail["format"] == "csv" and detail["rows"] == 2
    assert detail["filter"] == {"complaint": True, "end": END, "start": START}


def test_xlsx_refuses_more_rows_than_a_sheet_holds(db, store, tmp_path, monkeypatch):
    import counter.export as module

    monkeypatch.setattr(module, "XLSX_MAX_ROWS", 3)
    with pytest.raises(ValidationError):
        export_visits(
            db, store.manager, PERIOD, tmp_path / "v.xlsx", fmt="xlsx", translator=utc(), now=NOW
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_libreoffice_opens_the_export(db, store, tmp_path, fmt):
    # Not skipped when LibreOffice is missing: `make test` installs it (scripts/system-deps.sh).
    path = tmp_path / f"visits.{fmt}"
    export_visits(db, store.manager, PERIOD, path, fmt=fmt, translator=utc(), now=NOW)
    # Convert to CSV and compare: LibreOffice read every cell, not just "some file". A CSV is
    # read as UTF-8, as a person picks in LibreOffice's import dialog.
    converted = read_csv(convert(path, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path))
    assert converted[0] == [label for _key, label in COLUMNS]
    assert len(converted) == 6
    names = {row[5] for row in converted[1:]}
    assert {"Şükrü Yılmaz", "राहुल शर्मा", "Tourist"} <= names
