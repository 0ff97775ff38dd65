"""The manager's window through its real widgets: filtering the visit log, paging, sorting,
opening a visit, the dashboard, export with progress, the printed report, the audit log."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt

import ui.i18n as ui_i18n
from counter.audit import list_entries
from counter.durations import Targets
from counter.i18n import Translator
from counter.settings import load_settings
from counter.visit_filter import VisitFilter
from tests.core.report_fixtures import DAY, END, NOW, START, build_store
from tests.ui.conftest import press, type_text
from ui.manager_view.audit_view import AuditLogModel
from ui.manager_view.manager_window import ManagerWindow
from ui.manager_view.period import to_qdate
from ui.models.visit_log_model import VisitLogModel
from ui.progress import ProgressRelay

TARGETS = Targets(wait=180, service=600)
FIRST_DAY = date(2026, 11, 17)


@pytest.fixture
def utc_ui(ui_language, monkeypatch):
    """The UI translator in UTC, so local days are the fixture's days on any machine."""
    monkeypatch.setattr(ui_i18n, "_current", Translator("en", tz=UTC))
    return ui_language


@pytest.fixture
def store(db):
    return build_store(db)


@pytest.fixture
def manager_window(qtbot, runner, db, store, utc_ui):
    window = ManagerWindow(runner, store.manager, load_settings(db), utc_ui, clock=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    log = window.log
    log.from_date.setDate(to_qdate(FIRST_DAY))
    log.to_date.setDate(to_qdate(FIRST_DAY + timedelta(days=2)))
    return window


def shown_ids(model) -> list[int]:
    return [model.row_at(r).id for r in range(model.rowCount())]


def visits(store, *keys):
    return [store.visits[k] for k in keys]


# the lazy model --------------------------------------------------------------------------------
def test_visit_log_model_pages_lazily(runner, store, utc_ui):
    model = VisitLogModel(runner, store.manager, lambda: NOW)
    model.page_size = 2
    model.set_filter(VisitFilter(start=START, end=END))
    assert model.total == 5
    assert model.rowCount() == 2  # one page, not everything
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert shown_ids(model) == visits(store, "v5", "v4", "v3", "v2", "v1")
    assert not model.canFetchMore()
    model.sort(6, Qt.AscendingOrder)  # the Wait column
    assert shown_ids(model)[:2] == visits(store, "v4", "v1")


def test_visit_log_model_passes_the_model_tester(qtmodeltester, runner, store, utc_ui):
    model = VisitLogModel(runner, store.manager, lambda: NOW)
    model.page_size = 2
    qtmodeltester.check(model)
    model.set_filter(VisitFilter(start=START, end=END))
    while model.canFetchMore():
        model.fetchMore()
    model.sort(1, Qt.AscendingOrder)
    model.set_filter(VisitFilter(start=START, end=END, complaint=True))
    assert model.total == 2
    qtmodeltester.check(model)


def test_visit_log_model_marks_times_over_target(runner, store, utc_ui):
    model = VisitLogModel(runner, store.manager, lambda: NOW)
    model.set_targets(TARGETS)
    model.set_filter(VisitFilter(start=START, end=END))
    row = shown_ids(model).index(store.visits["v5"])
    assert model.index(row, 6).data() == "10:00"
    assert model.index(row, 6).data(Qt.ForegroundRole) is not None
    assert model.index(row, 1).data() == "राहुल शर्मा"
    assert model.index(row, 5).data() == "Nothing today ⚠"


# the log view ----------------------------------------------------------------------------------
def test_log_shows_the_period(manager_window, store):
    log = manager_window.log
    assert shown_ids(log.model) == visits(store, "v5", "v4", "v3", "v2", "v1")
    assert log.count.text() == "5 visits"


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ("complaint", ("v5", "v3")),
        ("skipped", ("v5", "v3", "v2")),
        ("wait_over", ("v5", "v3")),
        ("service_over", ("v5", "v3")),
    ],
)
def test_log_filter_checkboxes(manager_window, store, box, expected):
    log = manager_window.log
    getattr(log, box).setChecked(True)
    assert shown_ids(log.model) == visits(store, *expected)
    assert log.count.text() == f"{len(expected)} visits"


def test_log_filter_combos(manager_window, store, qtbot):
    log = manager_window.log
    log.staff.setCurrentIndex(log.staff.findData(store.ana))
    assert shown_ids(log.model) == visits(store, "v4", "v3")
    log.staff.setCurrentIndex(0)
    log.outcome.setCurrentIndex(log.outcome.findData("bought"))
    assert shown_ids(log.model) == visits(store, "v1")
    log.outcome.setCurrentIndex(0)
    log.language.setCurrentIndex(log.language.findData("hi"))
    assert shown_ids(log.model) == visits(store, "v5")


def test_log_filter_by_customer_name_is_audited(manager_window, store, db):
    log = manager_window.log
    type_text(log.customer, "şükrü")
    press(log.customer, Qt.Key_Return)
    assert shown_ids(log.model) == visits(store, "v3", "v1")
    entry = list_entries(db, store.manager)[0]
    assert (entry.action, entry.detail) == ("view_customer_visits", "şükrü")


def test_log_sorts_when_a_header_is_clicked(manager_window, store, qtbot):
    log = manager_window.log
    header = log.table.horizontalHeader()
    served_by = QPoint(header.sectionViewportPosition(2) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=served_by)
    order = header.sortIndicatorOrder()
    expected = visits(store, "v3", "v4", "v1", "v2", "v5")
    assert header.sortIndicatorSection() == 2
    assert shown_ids(log.model) == (expected if order == Qt.AscendingOrder else expected[::-1])
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=served_by)
    assert header.sortIndicatorOrder() != order
    assert shown_ids(log.model) == (expected[::-1] if order == Qt.AscendingOrder else expected)


def test_enter_on_a_visit_opens_its_timeline(manager_window, store, qtbot, db):
    log = manager_window.log
    row = shown_ids(log.model).index(store.visits["v3"])
    log.table.setFocus()
    log.table.setCurrentIndex(log.model.index(row, 0))
    with qtbot.waitSignal(log.timeline_opened) as blocker:
        press(log.table, Qt.Key_Return)
    dialog = blocker.args[0]
    qtbot.addWidget(dialog)
    text = dialog.view.toPlainText()
    for expected in (
        "Şükrü Yılmaz",
        "served by Ana",
        "Arrived",
        "Service started after a wait of 4 min",
        "Greet warmly",
        "Thank by name — not done",
        "charger stopped working",
        "Complaint resolved",
        "call back about the charger",
        "overdue since",
    ):
        assert expected in text, expected
    assert "+10s" in text  # the gap before a step
    assert dialog.windowTitle() == "Visit of Şükrü Yılmaz"
    entry = list_entries(db, store.manager)[0]
    assert entry.action == "view_visit"


def test_export_from_the_log_with_progress(manager_window, store, tmp_path, qtbot):
    log = manager_window.log
    log.complaint.setChecked(True)
    path = tmp_path / "complaints.xlsx"
    with qtbot.waitSignal(log.exported) as blocker:
        log.export("xlsx", path)
    result = blocker.args[0]
    assert (result.rows, result.cancelled) == (2, False)
    assert path.exists()
    assert "Exported 2 visits" in manager_window.statusBar().currentMessage()


def test_progress_relay_reports_and_cancels(qtbot):
    relay = ProgressRelay()
    seen = []
    relay.progressed.connect(lambda done, total: seen.append((done, total)))
    assert relay(0, 1000)
    assert relay(5, 1000)  # under 1 %: not re-emitted
    assert relay(500, 1000)
    relay.cancel()
    assert not relay(600, 1000)
    assert seen == [(0, 1000), (500, 1000), (600, 1000)]


# dashboard -------------------------------------------------------------------------------------
def test_dashboard_shows_kpis_charts_and_staff(manager_window, store, qtmodeltester):
    board = manager_window.dashboard
    board.from_date.setDate(to_qdate(FIRST_DAY))
    board.to_date.setDate(to_qdate(FIRST_DAY + timedelta(days=2)))
    d = board.dashboard
    assert d.visits == 5
    tiles = {tile.title.text(): tile.value.text() for tile in board.tiles}
    assert tiles["Visits"] == "5"
    assert tiles["Median wait"] == "2:00"
    assert tiles["Returning customers"] == "40%"
    assert tiles["Complaints"] == "2"
    assert tiles["Overdue follow-ups"] == "2"
    assert board.chart_views["per_day"].chart().title() == "Visits per day"
    assert "Complaint resolved: 1" in board.complaints.text()
    qtmodeltester.check(board.staff_model)
    names = [board.staff_model.index(r, 0).data() for r in range(board.staff_model.rowCount())]
    assert names == ["Ana", "Sam"]
    board.staff.setCurrentIndex(board.staff.findData(store.sam))
    assert board.dashboard.visits == 3


def test_dashboard_numbers_follow_the_ui_language(manager_window, monkeypatch):
    board = manager_window.dashboard
    board.from_date.setDate(to_qdate(FIRST_DAY))
    board.to_date.setDate(to_qdate(FIRST_DAY + timedelta(days=2)))
    tr = Translator("tr", tz=UTC)
    monkeypatch.setattr(ui_i18n, "_current", tr)
    board.retranslate()
    tiles = [tile.value.text() for tile in board.tiles]
    assert tr.percent(0.4) in tiles  # "%40" in Turkish


def test_printed_report_has_two_pages(manager_window, tmp_path):
    board = manager_window.dashboard
    board.from_date.setDate(to_qdate(FIRST_DAY))
    path = board.print_report(str(tmp_path / "report.pdf"))
    data = (tmp_path / "report.pdf").read_bytes()
    assert path and data.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
        assert "Pages:           2" in info


# audit and staff tabs --------------------------------------------------------------------------
def test_audit_log_tab_lists_entries(manager_window, store, qtmodeltester):
    manager_window.log.customer.setText("sukru")
    manager_window.log.apply_filter()
    manager_window.show_tab("audit")
    model = manager_window.audit.model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, 2).data() == "Listed a customer's visits"
    assert model.index(0, 1).data() == "Mia"


def test_audit_model_pages(runner, store, db, qtmodeltester, utc_ui):
    from counter import audit

    for i in range(250):
        audit.record(db, at=NOW - i, staff_id=store.mia, action="view_visit", subject=f"visit:{i}")
    model = AuditLogModel(runner, store.manager)
    qtmodeltester.check(model)
    model.reload()
    assert model.rowCount() == 200 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 250 and not model.canFetchMore()


def test_staff_tab_adds_a_person(manager_window, qtbot):
    staff = manager_window.staff
    assert [m.name for m in staff.model.items] == ["Ana", "Mia", "Sam"]
    dialog = staff.add_member()
    qtbot.addWidget(dialog)
    dialog.name.setText("Priya")
    dialog.pin.setText("12")
    dialog._submit()
    assert "4 to 12 digits" in dialog.errors.text()
    dialog.pin.setText("4321")
    dialog._submit()
    assert [m.name for m in staff.model.items] == ["Ana", "Mia", "Priya", "Sam"]


def test_manager_window_is_retranslated(manager_window, qtbot):
    assert manager_window.tabs.tabText(0) == "Visit log"
    assert manager_window.who.text() == "Signed in as Mia (manager)"


def test_period_helpers():
    from counter.local_days import day_start, period

    assert day_start(FIRST_DAY, UTC) == START
    assert period(FIRST_DAY, FIRST_DAY + timedelta(days=2), UTC) == (START, START + 3 * DAY)
