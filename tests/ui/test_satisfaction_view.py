"""The dashboard's "How customers felt" section on the demo data, through the manager window:
the numbers shown against a hand count of the demo rows, the staff table (qtmodeltester
attached before it fills), the staff filter, and the section in another UI language."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

import ui.i18n as ui_i18n
from counter.demo import fill_demo_data
from counter.i18n import Translator
from counter.local_days import local_day
from counter.roles import Session
from counter.settings import load_settings
from ui.manager_view.manager_window import ManagerWindow
from ui.manager_view.period import to_qdate


@pytest.fixture
def utc_ui(ui_language, monkeypatch):
    monkeypatch.setattr(ui_i18n, "_current", Translator("en", tz=UTC))
    return ui_language


@pytest.fixture
def demo(db, now):
    fill_demo_data(db, customers=150, now=now)
    return db


@pytest.fixture
def board(qtbot, runner, demo, utc_ui, now, qtmodeltester):
    staff_id, name = demo.execute(
        "SELECT id, name FROM staff WHERE role = 'manager' ORDER BY id"
    ).fetchone()
    manager = Session(staff_id, name, "manager", now)
    window = ManagerWindow(runner, manager, load_settings(demo), utc_ui, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    dashboard = window.dashboard
    qtmodeltester.check(dashboard.satisfaction.staff_model)  # attached before it fills
    window.show_tab("dashboard")  # the dashboard loads when first looked at
    today = local_day(now, UTC)
    dashboard.from_date.setDate(to_qdate(today - timedelta(days=59)))
    dashboard.to_date.setDate(to_qdate(today))
    dashboard.keep_window = window  # the test holds the dashboard; the window must stay
    return dashboard


def hand_count(db, start, end, staff_id=None):
    rows = db.execute(
        "SELECT feedback, staff_id FROM visits WHERE feedback IS NOT NULL AND status = 'ended' "
        "AND arrived_at >= ? AND arrived_at < ?",
        [start, end],
    ).fetchall()
    rows = [r for r in rows if staff_id is None or r[1] == staff_id]
    answered = [r[0] for r in rows if r[0]]
    return len(rows), len(answered), sum(answered)


def test_section_shows_the_demo_answers_as_counted_by_hand(board, demo):
    f = board.current_filter()
    asked, answered, total = hand_count(demo, f.start, f.end)
    section = board.satisfaction
    report = section.report
    assert (report.figures.asked, report.figures.answered) == (asked, answered) and asked > 20
    text = section.summary.text()
    assert f"{answered} of {asked} customers asked answered" in text
    assert f"average face {round(total / answered, 1)} of 5" in text
    assert section.chart_views["faces"].chart().title() == "Answers by face"
    shown = sum(
        int(section.staff_model.index(r, 1).data()) for r in range(section.staff_model.rowCount())
    )
    assert shown == answered
    assert "Reasons given:" in section.reasons.text()
    assert "when done" in section.influences.text()


def test_staff_filter_and_language(board, demo, monkeypatch):
    section = board.satisfaction
    member = section.report.staff[0]
    board.staff.setCurrentIndex(board.staff.findData(member.staff_id))
    f = board.current_filter()
    asked, answered, _total = hand_count(demo, f.start, f.end, member.staff_id)
    assert (section.report.figures.asked, section.report.figures.answered) == (asked, answered)
    monkeypatch.setattr(ui_i18n, "_current", Translator("hu", tz=UTC))
    board.retranslate()
    assert section.title.text() != "How customers felt"
    assert "customers asked answered" not in section.summary.text()


def pdf_pages(path) -> list[str]:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    pages = [doc.getAllText(i).text() for i in range(doc.pageCount())]
    doc.close()
    return pages


def test_printed_report_has_the_answers(board, demo, tmp_path, qtbot, monkeypatch):
    """Print report (PDF)… clicked: a page on how customers felt, figures as counted by hand."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "report.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    qtbot.mouseClick(board.print_button, Qt.LeftButton)
    pages = pdf_pages(path)
    felt = [p for p in pages if "How customers felt" in p]
    assert len(pages) >= 3 and felt, pages
    f = board.current_filter()
    asked, answered, total = hand_count(demo, f.start, f.end)
    text = " ".join(" ".join(p.split()) for p in pages[pages.index(felt[0]) :])
    assert f"{answered} of {asked} customers asked answered" in text
    assert f"average face {round(total / answered, 1)} of 5" in text
    for heading in ("Answers by face", "Answers by wait", "Answers by checklist step"):
        assert heading in text
    assert "Reasons given:" in text
    assert board.satisfaction.report.staff[0].name in text
