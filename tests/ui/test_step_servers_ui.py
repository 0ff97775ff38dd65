"""Who served which step, through the real widgets (issue 12, item 8): Ana resumes the visit
Zeynep left open and ticks the rest; the database and the manager's timeline name each."""

from __future__ import annotations

from PySide6.QtCore import Qt

from counter import visits
from counter.customers import CustomerInput, create_customer
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import staff_sql
from tests.core.report_fixtures import MANAGER_PIN, pin_hash
from tests.ui.conftest import press
from ui.main_window import MainWindow
from ui.manager_view.visit_timeline import VisitTimelineDialog


def test_a_resumed_visit_records_who_ticked_each_step(qtbot, runner, db, ui_language, now):
    zeynep = staff_sql.insert_staff(db, "Zeynep", "staff", "", now - 1000)
    ana = staff_sql.insert_staff(db, "Ana", "staff", "", now - 1000)
    sarah = staff_sql.insert_staff(db, "Sarah", "manager", pin_hash(MANAGER_PIN), now - 1000)
    customer = create_customer(
        db, CustomerInput("Anna", "Kovács", language="hu"), now=now, phone_region="HU"
    ).id
    visit = visits.serve_directly(
        db, customer_id=customer, staff_id=zeynep, now=now - 300, language="en"
    ).visit
    visits.complete_step(db, visit.id, "greet", now=now - 290, staff_id=zeynep)

    window = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    window.signed_in.set(Session(ana, "Ana", "staff", now))  # Ana signed in, restarted
    qtbot.addWidget(window)
    window.show()
    window.visit_actions.show_open_visits()  # Visit ▸ Open visits…: every open visit
    window.visit_actions.open_visits_dialog.resume()
    panel = window.visit_panel
    assert panel.visit.id == visit.id and panel.current_step_key() == "rapport"
    qtbot.mouseClick(panel.done_button, Qt.LeftButton)  # rapport
    panel.steps.setFocus()
    press(panel.steps, Qt.Key_Space)  # needs
    qtbot.mouseClick(panel.skip_button, Qt.LeftButton)  # solution, skipped on purpose

    stored = visits.load_visit(db, visit.id)
    assert [(s.key, s.status, s.staff_name) for s in stored.steps] == [
        ("greet", "done", "Zeynep"),
        ("rapport", "done", "Ana"),
        ("needs", "done", "Ana"),
        ("solution", "skipped", "Ana"),
        ("thank", "pending", ""),
    ]

    manager = Session(sarah, "Sarah", "manager", now)
    dialog = VisitTimelineDialog(runner, manager, visit.id, clock=lambda: now)
    qtbot.addWidget(dialog)
    lines = dialog.view.toPlainText().splitlines()
    assert "served by Zeynep" in dialog.view.toPlainText()  # who started the visit
    steps = {
        label: line
        for line in lines
        for label in ("Greet", "rapport", "needs", "solution", "Thank")
        if label in line
    }
    assert steps["Greet"].endswith("by Zeynep")
    assert steps["rapport"].endswith("by Ana")
    assert steps["needs"].endswith("by Ana")
    assert "skipped" in steps["solution"] and steps["solution"].endswith("by Ana")
    assert steps["Thank"].endswith("not done")  # nobody served it: no name after it
