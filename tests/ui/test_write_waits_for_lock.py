"""A tick or an undo made while another program holds the database's write lock (issue 12,
item 5): it shows that it is waiting, reads go on meanwhile, and once the lock is released it
lands exactly once, however long the lock was held (here: three times the busy timeout).

Real widgets, the real threaded task runner, and a real second sqlite3 connection holding
``BEGIN IMMEDIATE`` on the same file."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from counter import visits
from counter.customers import CustomerInput, create_customer
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import connection, open_database, staff_sql
from ui.main_window import MainWindow
from ui.models.checklist_model import ChecklistModel
from ui.tasks import TaskRunner

BUSY_MS = 400  # the busy timeout for this test: the lock is held for three times as long
WAIT_MS = 30_000  # returns as soon as it holds; long for a machine under load


@pytest.fixture
def store(tmp_path, now, monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", BUSY_MS)
    path = tmp_path / "counter.db"
    db = open_database(path)
    try:
        staff = staff_sql.insert_staff(db, "Zeynep", "staff", "", now - 1000)
        customer = create_customer(
            db, CustomerInput("Anna", "Kovács", language="hu"), now=now, phone_region="HU"
        ).id
        visit = visits.serve_directly(
            db, customer_id=customer, staff_id=staff, now=now - 60, language="en"
        ).visit
        # Every change of a step's status, as the file saw it: "exactly once" is countable.
        db.execute("CREATE TABLE tick_log (step_key TEXT, status TEXT)")
        db.execute(
            "CREATE TRIGGER tick_log AFTER UPDATE OF status ON visit_steps BEGIN "
            "INSERT INTO tick_log VALUES (new.step_key, new.status); END"
        )
        settings = load_settings(db)
    finally:
        db.close()
    return path, staff, visit.id, settings


@pytest.fixture
def window(qtbot, store, ui_language, now):
    path, staff, visit_id, settings = store
    runner = TaskRunner(lambda: open_database(path, migrate=False))
    main = MainWindow(runner, settings, ui_language, clock=lambda: now)
    main.signed_in.set(Session(staff, "Zeynep", "staff", now))
    qtbot.addWidget(main)
    main.show()
    main.visit_actions.show_open_visits()
    qtbot.waitUntil(lambda: main.visit_actions.open_visits_dialog is not None, timeout=WAIT_MS)
    main.visit_actions.open_visits_dialog.resume()
    qtbot.waitUntil(lambda: main.visit_panel.visit is not None, timeout=WAIT_MS)
    assert main.visit_panel.visit.id == visit_id
    yield main
    ui_language.changed.disconnect()  # this window goes with the runner it is shut down with
    runner.shutdown()


def tick_log(path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT step_key, status FROM tick_log").fetchall()


def status_text(panel, key: str) -> str:
    return panel.model.index(panel.model.row_of(key), ChecklistModel.STATUS).data()


def hold_the_lock(path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # as a second counter, a shell or a long import would
    return other


def test_a_tick_waits_for_another_writer_and_lands_exactly_once(qtbot, window, store, now):
    path, staff, visit_id, _settings = store
    panel = window.visit_panel
    assert panel.current_step_key() == "greet"
    other = hold_the_lock(path)
    try:
        qtbot.mouseClick(panel.done_button, Qt.LeftButton)
        # At once: the step shows ticked and "saving…"; the cursor moves on to the next step.
        assert panel.model.is_saving("greet")
        assert panel.model.step(0).status == "done" and status_text(panel, "greet") == "saving…"
        assert panel.current_step_key() == "rapport"
        # The write steps aside: the status bar says it waits, and reads still answer.
        qtbot.waitUntil(lambda: window.write_status.isVisible(), timeout=WAIT_MS)
        assert "waiting for the database" in window.write_status.text()
        seen = []
        window.runner.run(lambda db: visits.load_visit(db, visit_id), seen.append)
        qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
        assert seen[0].step("greet").status == "pending"  # not written yet: the lock is held
        qtbot.wait(3 * BUSY_MS)  # held well past the busy timeout that used to drop the tick
        assert panel.model.is_saving("greet") and window.write_status.isVisible()
        assert "locked" not in window.statusBar().currentMessage()
    finally:
        other.execute("ROLLBACK")
        other.close()
    qtbot.waitUntil(lambda: not panel.model.is_saving("greet"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.write_status.isVisible(), timeout=WAIT_MS)
    assert status_text(panel, "greet") != "saving…" and panel.model.step(0).at == now
    assert tick_log(path) == [("greet", "done")]  # landed, and only once
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT status, at, staff_id FROM visit_steps WHERE visit_id = ? AND step_key = ?",
            [visit_id, "greet"],
        ).fetchone()
    assert row == ("done", now, staff)


def test_ticks_and_an_undo_made_while_waiting_land_in_order(qtbot, window, store):
    path = store[0]
    panel = window.visit_panel
    other = hold_the_lock(path)
    try:
        qtbot.mouseClick(panel.done_button, Qt.LeftButton)  # greet
        qtbot.mouseClick(panel.done_button, Qt.LeftButton)  # rapport
        window.visit_actions.step_actions[0].trigger()  # Ctrl+1 again: undo greet
        assert [panel.model.step(r).status for r in range(3)] == ["pending", "done", "pending"]
        assert panel.model.is_saving("greet") and panel.model.is_saving("rapport")
        qtbot.waitUntil(lambda: window.write_status.isVisible(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: "3 changes" in window.write_status.text(), timeout=WAIT_MS)
        qtbot.wait(3 * BUSY_MS)
    finally:
        other.execute("ROLLBACK")
        other.close()
    qtbot.waitUntil(lambda: not panel.saving(), timeout=WAIT_MS)
    assert tick_log(path) == [("greet", "done"), ("rapport", "done"), ("greet", "pending")]
    assert [panel.model.step(r).status for r in range(3)] == ["pending", "done", "pending"]
    assert not any(panel.model.is_saving(k) for k in ("greet", "rapport"))


def test_notes_and_ending_wait_too(qtbot, window, store):
    path, _staff, visit_id, _settings = store
    panel = window.visit_panel
    other = hold_the_lock(path)
    try:
        panel.need.setText("new battery")
        panel.save_texts()
        panel.outcome.setCurrentIndex(panel.outcome.findData("bought"))
        panel.outcome.activated.emit(panel.outcome.currentIndex())
        panel.end_visit()  # asks about the steps not ticked
        panel.end_visit()  # and ends
        qtbot.waitUntil(lambda: window.write_status.isVisible(), timeout=WAIT_MS)
        qtbot.wait(3 * BUSY_MS)
        assert panel.need.text() == "new battery"  # what was typed stays on screen
    finally:
        other.execute("ROLLBACK")
        other.close()
    qtbot.waitUntil(lambda: panel.visit is not None and not panel.visit.is_open, timeout=WAIT_MS)
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT need, outcome, status FROM visits WHERE id = ?", [visit_id])
        assert row.fetchone() == ("new battery", "bought", "ended")
