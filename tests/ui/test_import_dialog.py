"""The import dialog through its widgets: the file's columns mapped, the first rows shown,
every problem listed by line, all or nothing, progress and cancel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter.customers import CustomerInput, create_customer
from tests.ui.conftest import press, type_text
from ui import import_dialog
from ui.import_dialog import ImportDialog
from ui.progress import ProgressRelay

TEXT = (
    "Ad;Soyad;Telefon;E-posta;Notlar\n"
    "Şükrü;Yılmaz;0532 123 45 67;sukru@example.com;çay sever\n"
    "Ayşe;Işık;05329876543;;\n"
    ";;05321112233;;\n"
    "Emre;Demir;12;;\n"
    "Zeynep;Kaya;0532 123 45 67;;\n"
)


@pytest.fixture(autouse=True)
def no_file_dialogs(monkeypatch):
    """A file dialog would wait for a click forever: fail instead."""
    from PySide6.QtWidgets import QFileDialog

    def refuse(*_args, **_kwargs):
        raise AssertionError("a file dialog opened")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", refuse)


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "müşteriler.csv"
    path.write_bytes(TEXT.encode("cp1254"))
    return path


@pytest.fixture
def dialog(qtbot, runner, now, ui_language):
    widget = ImportDialog(runner, phone_region="TR", clock=lambda: now)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def count(db) -> int:
    return db.execute("SELECT count(*) FROM customers").fetchone()[0]


def test_columns_are_guessed_and_rows_previewed(dialog, csv_file, qtmodeltester):
    dialog.load_file(csv_file)
    assert dialog.mapping() == ["given_name", "family_name", "phone", "email", "rapport_notes"]
    assert "Turkish (Windows-1254)" in dialog.file_info.text()
    assert dialog.mapping_table.item(0, 1).text() == "Şükrü"
    # A cell's combo box has no label: its name and description say which column it maps.
    header = dialog.mapping_table.item(0, 0).text()
    combo = dialog.mapping_table.cellWidget(0, 2)
    assert combo.accessibleName() == f"Field for the column “{header}”"
    assert combo.accessibleDescription() == combo.accessibleName()
    assert dialog.preview_model.rowCount() == 5
    assert dialog.preview_model.item(0) == (
        2,
        CustomerInput(
            "Şükrü",
            "Yılmaz",
            phone="0532 123 45 67",
            email="sukru@example.com",
            rapport_notes="çay sever",
        ),
    )
    qtmodeltester.check(dialog.preview_model)
    assert dialog.check_button.isEnabled() and dialog.import_button.isEnabled()


def test_a_check_lists_every_problem_by_line_and_writes_nothing(
    dialog, csv_file, db, qtmodeltester
):
    dialog.load_file(csv_file)
    dialog.check_button.click()
    rows = [(p.line, p.kind) for p in dialog.problem_model.items]
    assert rows == [(4, "error"), (5, "error"), (6, "duplicate")]
    assert "phone number" in dialog.problem_model.items[1].text
    assert "Same phone number as line 2" in dialog.problem_model.items[2].text
    assert "Nothing has been written" in dialog.summary.text()
    assert count(db) == 0
    qtmodeltester.check(dialog.problem_model)


def test_import_with_problems_imports_nothing_then_skipping_imports_the_rest(
    dialog, csv_file, db, qtbot
):
    dialog.load_file(csv_file)
    dialog.import_button.click()
    assert count(db) == 0
    assert dialog.summary.text().startswith("Nothing was imported")
    dialog.skip_check.setChecked(True)
    with qtbot.waitSignal(dialog.imported) as blocker:
        dialog.import_button.click()
    assert blocker.args[0].created == 2 and count(db) == 2
    assert dialog.summary.text().startswith("Imported.")


def test_changing_the_mapping_changes_the_preview(dialog, csv_file):
    dialog.load_file(csv_file)
    dialog.set_mapping(0, "")
    dialog.set_mapping(1, "")
    assert not dialog.import_button.isEnabled()  # no name column left
    assert "names" in dialog.summary.text()
    dialog.set_mapping(0, "full_name")
    assert dialog.import_button.isEnabled()
    assert dialog.preview_model.item(0)[1].given_name == "Şükrü"


def test_merging_duplicates(dialog, csv_file, db, now):
    create_customer(
        db, CustomerInput("Ayşe", "Işık", phone="+905329876543"), now=now, phone_region="TR"
    )
    dialog.load_file(csv_file)
    dialog.merge_check.setChecked(True)
    dialog.skip_check.setChecked(True)
    dialog.import_button.click()
    report = dialog._report
    assert report.committed and report.merged == 2 and report.created == 1


def test_cancel_stops_and_rolls_back(dialog, tmp_path, db, monkeypatch):
    path = tmp_path / "many.csv"
    path.write_text("Name\n" + "\n".join(f"Person {i}" for i in range(3000)), encoding="utf-8")

    class CancelAtOnce(ProgressRelay):
        def __call__(self, done, total):
            dialog.cancel()  # the person presses Cancel while the import runs
            return super().__call__(done, total)

    monkeypatch.setattr(import_dialog, "ProgressRelay", CancelAtOnce)
    dialog.load_file(path)
    dialog.import_button.click()
    assert count(db) == 0
    assert dialog.summary.text() == "Cancelled. Nothing was changed."
    assert dialog.import_button.isEnabled() and dialog.progress.isHidden()


def test_an_unreadable_file_is_a_message(dialog, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04broken")
    dialog.load_file(path)
    assert "cannot be read" in dialog.file_info.text()
    assert not dialog.import_button.isEnabled()


def test_a_pasted_path_is_loaded_on_enter(dialog, csv_file):
    type_text(dialog.file_edit, str(csv_file))
    press(dialog.file_edit, Qt.Key_Return)
    assert dialog.mapping()[0] == "given_name"
    type_text(dialog.file_edit, "-nothing-here")
    press(dialog.file_edit, Qt.Key_Return)
    assert "There is no file" in dialog.file_info.text()


@pytest.mark.parametrize(
    ("language", "beyond", "runaway"),
    [
        ("en", "Column 4 has no header", "swallows the lines up to line 4"),
        ("tr", "4. sütun", "4. satır"),
    ],
)
def test_a_quote_that_swallows_rows_and_cells_beyond_the_header_are_listed(
    dialog, tmp_path, db, ui_language, language, beyond, runaway
):
    ui_language.set_language(language)
    path = tmp_path / "c.csv"
    path.write_text(
        'given_name,family_name,notes\nAnna,Kovács,x,extra\nAli,"Demir,\nZeynep,Kaya,\n'
    )
    dialog.load_file(path)
    dialog.check_button.click()
    items = dialog.problem_model.items
    assert [(p.line, p.kind) for p in items] == [(2, "error"), (3, "error")]
    assert beyond in items[0].text and "extra" in items[0].text
    assert runaway in items[1].text and "family_name" in items[1].text
    dialog.import_button.click()
    assert count(db) == 0
