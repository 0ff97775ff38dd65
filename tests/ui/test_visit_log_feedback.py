"""The customer's answer in the manager's views: the visit log's column (a small face, the reason
in the tooltip, sortable by clicking its header) and filter (answered / unhappy / no answer /
not asked, and the reason), the timeline, the CSV/XLSX export and the customer's own data."""

from __future__ import annotations

import csv
from datetime import UTC, date, timedelta

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPixmap

import ui.i18n as ui_i18n
from counter import feedback
from counter.i18n import Translator
from counter.privacy import customer_data
from counter.settings import load_settings
from counter.visit_filter import VisitFilter
from counter.visit_log import list_visits
from tests.core.report_fixtures import END, NOW, START, build_store
from tests.ui.conftest import press
from ui.manager_view.manager_window import ManagerWindow
from ui.manager_view.period import to_qdate
from ui.models.visit_log_model import COLUMNS, VisitLogModel

FIRST_DAY = date(2026, 11, 17)
ANSWER = [key for key, _label in COLUMNS].index("feedback")


@pytest.fixture
def utc_ui(ui_language, monkeypatch):
    monkeypatch.setattr(ui_i18n, "_current", Translator("en", tz=UTC))
    return ui_language


@pytest.fixture
def store(db):
    """v1 very happy; v2 unhappy, waited too long; v3 asked, no answer; v4 very unhappy with
    the store's own reason (a formula, for the export's guard); v5 never asked."""
    store = build_store(db)
    v = store.visits
    at = NOW - 3600
    feedback.record_face(db, v["v1"], 5, now=at)
    feedback.record_face(db, v["v2"], 2, now=at)
    feedback.record_reason(db, v["v2"], "waited", now=at)
    feedback.record_no_answer(db, v["v3"], now=at)
    feedback.record_face(db, v["v4"], 1, now=at)
    feedback.record_reason(db, v["v4"], "=1+2 queue", now=at)
    return store


@pytest.fixture
def window(qtbot, runner, db, store, utc_ui):
    window = ManagerWindow(runner, store.manager, load_settings(db), utc_ui, clock=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    window.log.from_date.setDate(to_qdate(FIRST_DAY))
    window.log.to_date.setDate(to_qdate(FIRST_DAY + timedelta(days=2)))
    return window


def ids(model) -> list[int]:
    return [model.row_at(r).id for r in range(model.rowCount())]


def visits(store, *keys) -> list[int]:
    return [store.visits[k] for k in keys]


def row_of(model, visit_id: int) -> int:
    return ids(model).index(visit_id)


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("answered", ("v4", "v2", "v1")),
        ("unhappy", ("v4", "v2")),
        ("no_answer", ("v3",)),
        ("not_asked", ("v5",)),
    ],
)
def test_the_filter_is_sql(db, store, choice, expected):
    rows = list_visits(db, store.manager, VisitFilter(start=START, end=END, feedback=choice))
    assert [r.id for r in rows] == visits(store, *expected)


def test_the_column_shows_a_face_its_name_and_the_reason_in_the_tooltip(
    runner, store, utc_ui, qtmodeltester
):
    model = VisitLogModel(runner, store.manager, lambda: NOW)
    qtmodeltester.check(model)  # attached before it fills
    model.set_filter(VisitFilter(start=START, end=END))
    assert model.headerData(ANSWER, Qt.Horizontal) == "Customer's answer"
    cell = model.index(row_of(model, store.visits["v2"]), ANSWER)
    assert cell.data() == "Unhappy"
    assert isinstance(cell.data(Qt.DecorationRole), QPixmap)
    assert cell.data(Qt.ToolTipRole) == "Unhappy: I waited too long"
    cell = model.index(row_of(model, store.visits["v4"]), ANSWER)
    assert cell.data(Qt.ToolTipRole) == "Very unhappy: =1+2 queue"
    cell = model.index(row_of(model, store.visits["v3"]), ANSWER)
    assert (cell.data(), cell.data(Qt.DecorationRole)) == ("No answer", None)
    cell = model.index(row_of(model, store.visits["v5"]), ANSWER)
    assert cell.data() == ""
    assert "did not ask" in cell.data(Qt.ToolTipRole)
    model.set_filter(VisitFilter(start=START, end=END, feedback="unhappy"))
    qtmodeltester.check(model)


def test_clicking_the_answer_header_sorts_by_the_answer(window, store, qtbot):
    log = window.log
    header = log.table.horizontalHeader()
    log.table.scrollTo(log.model.index(0, ANSWER))
    pos = QPoint(header.sectionViewportPosition(ANSWER) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=pos)
    assert header.sortIndicatorSection() == ANSWER
    # Not asked, no answer, then the faces from very unhappy up.
    expected = visits(store, "v5", "v3", "v4", "v2", "v1")
    ascending = header.sortIndicatorOrder() == Qt.AscendingOrder
    assert ids(log.model) == (expected if ascending else expected[::-1])


def test_the_log_filters_by_answer_and_reason(window, store, qtbot):
    log = window.log
    log.answer.setFocus()
    log.answer.setCurrentIndex(log.answer.findData("unhappy"))
    assert log.answer.currentText() == "Unhappy (1–2)"
    assert ids(log.model) == visits(store, "v4", "v2")
    assert log.count.text() == "2 visits"
    # The reasons offered: the built-in ones and the store's own that a customer gave.
    reasons = [log.reason.itemText(i) for i in range(log.reason.count())]
    assert reasons[0] == "Any reason"
    assert "I waited too long" in reasons and "=1+2 queue" in reasons
    log.reason.setCurrentIndex(log.reason.findData("waited"))
    assert ids(log.model) == visits(store, "v2")
    log.reason.setCurrentIndex(0)
    log.answer.setCurrentIndex(log.answer.findData("no_answer"))
    assert ids(log.model) == visits(store, "v3")
    log.answer.setCurrentIndex(log.answer.findData("not_asked"))
    assert ids(log.model) == visits(store, "v5")
    log.answer.setCurrentIndex(0)
    assert len(ids(log.model)) == 5


def test_the_timeline_shows_the_answer(window, store, qtbot):
    log = window.log
    log.table.setFocus()
    log.table.setCurrentIndex(log.model.index(row_of(log.model, store.visits["v2"]), 0))
    with qtbot.waitSignal(log.timeline_opened) as blocker:
        press(log.table, Qt.Key_Return)
    dialog = blocker.args[0]
    qtbot.addWidget(dialog)
    assert "Customer's answer" in dialog.view.toPlainText()
    assert "Unhappy (2 of 5): I waited too long" in dialog.view.toPlainText()


def test_csv_export_has_the_answer_and_guards_the_reason(window, store, tmp_path, qtbot):
    log = window.log
    path = tmp_path / "visits.csv"
    with qtbot.waitSignal(log.exported):
        log.export("csv", path)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    by_id = {int(r["Visit"]): r for r in rows}
    v = store.visits
    assert by_id[v["v2"]]["Customer's answer (1–5)"] == "2"
    assert by_id[v["v2"]]["Reason given"] == "I waited too long"
    assert by_id[v["v4"]]["Reason given"] == "'=1+2 queue"  # shown as text, never run
    assert by_id[v["v3"]]["Customer's answer (1–5)"] == "No answer"
    assert by_id[v["v5"]]["Customer's answer (1–5)"] == ""


def test_xlsx_export_in_turkish(window, store, tmp_path, qtbot, monkeypatch):
    monkeypatch.setattr(ui_i18n, "_current", Translator("tr", tz=UTC))
    log = window.log
    path = tmp_path / "visits.xlsx"
    with qtbot.waitSignal(log.exported):
        log.export("xlsx", path)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    head = list(rows[0])
    tr = Translator("tr").gettext
    answer, reason = head.index(tr("Customer's answer (1–5)")), head.index(tr("Reason given"))
    assert tr("Customer's answer (1–5)") != "Customer's answer (1–5)"  # a Turkish header
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id[store.visits["v1"]][answer] == 5  # a number a spreadsheet can average
    assert by_id[store.visits["v2"]][reason] == tr("I waited too long")
    cell = next(c for c in sheet.iter_rows(min_row=2) if c[0].value == store.visits["v4"])
    assert cell[reason].data_type == "s" and cell[reason].value == "=1+2 queue"


def test_the_customers_own_data_holds_their_answers(db, store):
    data = customer_data(db, store.manager, store.customers["Emma"], now=NOW)
    answered = next(v for v in data.visits if v["id"] == store.visits["v2"])
    assert (answered["feedback"], answered["feedback_reason"]) == (2, "waited")
    lines = data.to_csv().splitlines()
    header = lines[lines.index("visits") + 1].split(",")
    assert header[-4:] == ["feedback", "feedback_reason", "feedback_at", "steps"]
