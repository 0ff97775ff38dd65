"""The profile stays current: relative times tick, the open visit shows as it is typed, F5
reads the customer and the queue again, and another counter's write shows without reopening."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter import visits
from counter.customers import CustomerInput, create_customer, update_customer
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import open_database, staff_sql
from tests.ui.conftest import type_text
from ui.main_window import MainWindow
from ui.models.visit_history import VisitHistoryModel
from ui.tasks import SyncTaskRunner


class Clock:
    def __init__(self, now: int):
        self.now = now

    def __call__(self) -> int:
        return self.now


def history(window, column: int, row: int = 0) -> str:
    model = window.profile.history_model
    return model.index(row, column).data()


def make_window(qtbot, db, runner, ui_language, clock) -> MainWindow:
    staff = staff_sql.insert_staff(db, "Zeynep", "staff", "", clock.now - 1000)
    window = MainWindow(runner, load_settings(db), ui_language, clock=clock)
    window.signed_in.set(Session(staff, "Zeynep", "staff", clock.now))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it
    return window


@pytest.fixture
def anna(db, now):
    return create_customer(
        db, CustomerInput("Anna", "Kovács", language="hu", title="ms"), now=now, phone_region="HU"
    ).id


def test_a_checked_in_visit_says_now_and_the_times_tick(qtbot, db, runner, ui_language, now, anna):
    clock = Clock(now)
    window = make_window(qtbot, db, runner, ui_language, clock)
    window.open_customer(anna)
    window.visit_actions.check_in_action.trigger()
    assert history(window, VisitHistoryModel.WHEN) == "now"  # not "in 0 seconds"
    assert history(window, VisitHistoryModel.OUTCOME).startswith("waiting")

    clock.now += 10 * 60
    window.profile.tick_timer.timeout.emit()  # the timer fires: no query, new texts
    assert history(window, VisitHistoryModel.WHEN) == "10 minutes ago"
    assert history(window, VisitHistoryModel.OUTCOME) == "waiting 10 min"


def test_the_need_typed_during_a_visit_shows_in_the_history(
    qtbot, db, runner, ui_language, now, anna
):
    clock = Clock(now)
    window = make_window(qtbot, db, runner, ui_language, clock)
    window.open_customer(anna)
    window.visit_actions.serve_now_action.trigger()
    panel = window.visit_panel
    assert history(window, VisitHistoryModel.OUTCOME) == "in progress"
    panel.need.setFocus(Qt.OtherFocusReason)
    type_text(panel.need, "new glasses")
    panel.save_timer.timeout.emit()  # the pause after typing: committed
    assert panel.visit.status == "in_progress"
    assert history(window, VisitHistoryModel.NEED) == "new glasses"


def test_f5_reads_the_customer_again(qtbot, db, runner, ui_language, now, anna):
    window = make_window(qtbot, db, runner, ui_language, Clock(now))
    window.open_customer(anna)
    update_customer(
        db,
        anna,
        CustomerInput("Anna", "Nagy", language="hu", title="ms"),
        now=now,
        phone_region="HU",
    )
    assert window.profile.name.text() == "Kovács Anna"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_F5)  # wherever the focus is
    assert window.profile.name.text() == "Nagy Anna"


def test_another_counters_visit_shows_without_reopening(qtbot, tmp_path, ui_language, now):
    path = tmp_path / "counter.db"
    here, there = open_database(path), open_database(path)
    runner = SyncTaskRunner(here)
    try:
        customer = create_customer(
            here, CustomerInput("Anna", "Kovács", language="hu"), now=now, phone_region="HU"
        )
        window = make_window(qtbot, here, runner, ui_language, Clock(now))
        window.open_customer(customer.id)
        window.queue.poll()  # the first look: remembers where the file stands
        assert window.profile.history_model.rowCount() == 0

        change = visits.serve_directly(
            there, customer_id=customer.id, staff_id=None, now=now, language="en"
        )
        visits.set_need(there, change.visit.id, "a new battery", now=now + 5)
        with qtbot.waitSignal(window.queue.changed_elsewhere):
            window.queue.poll_timer.timeout.emit()  # the poll notices the other counter
        assert history(window, VisitHistoryModel.NEED) == "a new battery"
    finally:
        here.close()
        there.close()
