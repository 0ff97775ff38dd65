"""Customers written outside Counter are repaired after the window is up, on the worker."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QApplication

from counter import reindex
from counter.settings import load_settings
from counter.storage import open_database
from ui.main_window import MainWindow
from ui.search_repair import repair_search_keys


def _insert_outside(db, now: int) -> None:
    """As the sqlite3 shell would: no search key, no phone digits."""
    db.execute(
        "INSERT INTO customers (given_name, family_name, phone, created_at, updated_at) "
        "VALUES ('Şükrü', 'Yılmaz', '+905321234567', ?, ?)",
        [now, now],
    )


def test_repair_after_start_finds_the_customer_and_says_so(qtbot, runner, db, ui_language, now):
    _insert_outside(db, now)
    window = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.search.box.setText("sukru")
    assert window.search.model.rowCount() == 0
    repair_search_keys(window)
    assert window.search.model.rowCount() == 1  # the search was run again
    assert "1 customer changed outside Counter" in window.statusBar().currentMessage()
    assert not reindex.needs_repair(db)
    window.statusBar().clearMessage()
    repair_search_keys(window)  # nothing left: nothing said
    assert window.statusBar().currentMessage() == ""


def test_start_up_repairs_on_the_worker_once_idle(tmp_path, qtbot, monkeypatch, now):
    from ui import app as app_module
    from ui.data_actions import DataActions

    monkeypatch.setattr(DataActions, "start_daily_backup", lambda self, _open: None)
    monkeypatch.setattr("ui.session_actions.SessionActions.start", lambda self, then=None: None)
    path = tmp_path / "counter.db"
    db = open_database(path)
    _insert_outside(db, now)
    db.close()
    seen = {}

    def noted() -> bool:
        conn = sqlite3.connect(path)
        try:
            return conn.execute("SELECT count(*) FROM stale_search_keys").fetchone()[0] > 0
        finally:
            conn.close()

    def exec_once(_app) -> int:
        seen["at exec"] = noted()  # not before the window is up
        qtbot.waitUntil(lambda: not noted(), timeout=5000)
        for widget in QApplication.topLevelWidgets():
            widget.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_once)
    assert app_module.run_app(path) == 0
    assert seen["at exec"] is True
    db = open_database(path)
    try:
        from counter.search import find_customers

        assert [h.given_name for h in find_customers(db, "sukru")] == ["Şükrü"]
    finally:
        db.close()
