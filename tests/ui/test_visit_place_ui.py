"""The store and counter of each visit in the manager's log (a column shown only once the file
joined a hub or holds several stores) and in the visit's timeline."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from PySide6.QtCore import Qt

import ui.i18n as ui_i18n
from counter.i18n import Translator
from counter.settings import load_settings
from counter.storage import sync_sql, write_transaction
from tests.core.report_fixtures import NOW, build_store
from tests.ui.conftest import press
from ui.changes import Changes
from ui.manager_view.manager_window import ManagerWindow
from ui.manager_view.period import to_qdate
from ui.models.visit_log_model import PLACE_COLUMN

FIRST_DAY = date(2026, 11, 17)


@pytest.fixture
def window(qtbot, runner, db, ui_language, monkeypatch):
    monkeypatch.setattr(ui_i18n, "_current", Translator("en", tz=UTC))
    store = build_store(db)
    window = ManagerWindow(runner, store.manager, load_settings(db), ui_language, clock=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    window.log.from_date.setDate(to_qdate(FIRST_DAY))
    window.log.to_date.setDate(to_qdate(FIRST_DAY + timedelta(days=2)))
    return window


def test_a_lone_counter_has_no_place_column(window):
    log = window.log
    assert log.model.rowCount() > 0
    assert log.table.isColumnHidden(PLACE_COLUMN)


def test_joining_shows_the_column_and_the_timeline_says_where(window, db, qtbot):
    log = window.log
    with write_transaction(db):
        sync_sql.join(
            db, hub="host=hub", store="Main street", store_id=7, counter_gid="a1b2c3d4",
            now=NOW, counter_name="Till 2",
        )  # fmt: skip
    log.apply_changes(Changes(visits=True))
    assert not log.table.isColumnHidden(PLACE_COLUMN)
    assert log.model.headerData(PLACE_COLUMN, Qt.Horizontal) == "Store and counter"
    cell = log.model.index(0, PLACE_COLUMN)
    assert cell.data() == "Main street · Till 2"
    log.table.setFocus()
    log.table.setCurrentIndex(log.model.index(0, 0))
    with qtbot.waitSignal(log.timeline_opened) as blocker:
        press(log.table, Qt.Key_Return)
    dialog = blocker.args[0]
    qtbot.addWidget(dialog)
    assert "at Main street · Till 2" in dialog.view.toPlainText()
