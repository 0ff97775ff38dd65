"""``counter report``: the dashboard's printed report from the command line."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtPdf import QPdfDocument

from counter.dashboard_report import report_days
from counter.errors import ValidationError
from counter.storage import open_database
from tests.core.report_fixtures import build_store
from ui.main import main


@pytest.fixture
def store_file(tmp_path):
    path = tmp_path / "counter.db"
    db = open_database(path)
    build_store(db)
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('store_name', 'Köşe')")
    db.close()
    return path


def _pages(path) -> int:
    doc = QPdfDocument()
    doc.load(str(path))
    return doc.pageCount()


def test_report_writes_the_pdf_of_a_period(store_file, tmp_path, capsys, ui_language):
    out = tmp_path / "report.pdf"
    code = main(
        ["--db", str(store_file), "report", "--out", str(out), "--from", "2026-11-17",
         "--to", "2026-11-19"]
    )  # fmt: skip
    assert code == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert _pages(out) == 2
    assert "2026-11-17 to 2026-11-19" in capsys.readouterr().out
    # Another language, and the default period (the last 30 days).
    again = tmp_path / "tr.pdf"
    assert main(["--db", str(store_file), "report", "--out", str(again), "--lang", "tr"]) == 0
    assert again.read_bytes().startswith(b"%PDF")
    assert ui_language.code == "en"  # the app's language is left as it was


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from", "17.11.2026"], "is not a date: write it as YYYY-MM-DD"),
        (["--from", "2026-11-20", "--to", "2026-11-19"], "first day comes after the last"),
        (["--lang", "xx"], "No catalog for the language 'xx'"),
    ],
)
def test_report_refuses_bad_input_with_a_message(store_file, tmp_path, capsys, extra, message):
    out = tmp_path / "report.pdf"
    assert main(["--db", str(store_file), "report", "--out", str(out), *extra]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_report_to_a_folder_that_does_not_exist(store_file, tmp_path, capsys):
    out = tmp_path / "missing" / "report.pdf"
    assert main(["--db", str(store_file), "report", "--out", str(out)]) == 1
    assert f"Counter cannot write the file {out}." in capsys.readouterr().err


def test_report_needs_a_database_and_a_manager(tmp_path, capsys):
    out = tmp_path / "report.pdf"
    assert main(["--db", str(tmp_path / "none.db"), "report", "--out", str(out)]) == 1
    assert "There is no database" in capsys.readouterr().err
    open_database(tmp_path / "empty.db").close()
    assert main(["--db", str(tmp_path / "empty.db"), "report", "--out", str(out)]) == 1
    assert "no manager yet" in capsys.readouterr().err


def test_report_days():
    today = date(2026, 11, 24)
    assert report_days(None, None, today) == (date(2026, 10, 26), today)
    assert report_days(date(2026, 11, 1), None, today) == (date(2026, 11, 1), today)
    assert report_days(None, date(2026, 11, 10), today) == (date(2026, 10, 12), date(2026, 11, 10))
    with pytest.raises(ValidationError):
        report_days(date(2026, 11, 2), date(2026, 11, 1), today)
