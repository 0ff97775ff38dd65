"""The app side of the AT-SPI walk (tests/ui/test_atspi_walk.py): Counter on a real X display
with Qt's accessibility bridge on, put through the screens a screen reader user meets.

Run by tests/ui/atspi_walk.py (the assistive-technology client) with this project's Python.
It prints ``STATE <name>`` when a screen is ready and waits for a line on stdin before the
next; ``DONE`` at the end. Nothing here is an instruction to the walker beyond those lines.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QEventLoop, QSocketNotifier, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from counter import visits
from counter.demo import fill_demo_data
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import open_memory_database
from ui.i18n import UiLanguage
from ui.main_window import MainWindow
from ui.manager_view.manager_window import TABS, ManagerWindow
from ui.tasks import SyncTaskRunner

NOW = 1_795_512_600  # Tuesday 2026-11-24 09:30 UTC, as in tests/conftest.py


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.sendPostedEvents()
        app.processEvents()


def ready(app: QApplication, state: str, *windows: QWidget) -> None:
    """Tell the walker the screen is ready and which windows to walk; run the event loop (the
    bridge answers the walker's questions from it) until the walker has walked them."""
    settle(app)
    titles = "\t".join(window.windowTitle() for window in windows)
    print(f"STATE {state}\t{titles}", flush=True)
    loop = QEventLoop()
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(loop.quit)
    loop.exec()
    notifier.setEnabled(False)
    sys.stdin.readline()


def dialog(app: QApplication, ready: Callable[..., None], state: str, shown: QWidget) -> None:
    """A dialog as opened from its button or menu: walked, then cancelled."""
    assert shown is not None, state
    ready(app, state, shown)
    shown.close()
    settle(app)


def main(ready: Callable[..., None] = ready, language_code: str = "en") -> None:
    """The screens, each handed to ``ready`` (tests/ui/test_tab_order.py hands its own)."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Counter")
    db = open_memory_database()
    fill_demo_data(db, customers=60, now=NOW)
    runner = SyncTaskRunner(db)
    language = UiLanguage()
    language.set_language(language_code)
    settings = load_settings(db)
    window = MainWindow(runner, settings, language, clock=lambda: NOW)
    staff_id, name = db.execute(
        "SELECT id, name FROM staff WHERE role = 'staff' ORDER BY id"
    ).fetchone()
    window.signed_in.set(Session(staff_id, name, "staff", NOW))
    window.resize(1280, 800)
    window.show()
    window.visit_panel, window.profile, window.phrases  # noqa: B018  every deferred panel
    customer_id = db.execute(  # a Turkish customer: the customer screen speaks Turkish
        "SELECT id FROM customers WHERE language = 'tr' ORDER BY id LIMIT 1"
    ).fetchone()[0]
    window.open_customer(customer_id)
    window.search.box.setText("a")  # results to walk
    ready(app, "counter screen, a customer open", window)
    # ↓ in the search box: the focus goes into the results, on the first one (issue 18).
    window.activateWindow()
    window.search.focus_search(select_all=False)
    settle(app)
    QApplication.sendEvent(
        window.search.box,
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier),
    )
    assert window.search.view.hasFocus() or not window.isActiveWindow()
    ready(app, "search results focused", window)
    window.search.focus_search()
    dialog(app, ready, "new customer", window.new_customer())
    dialog(app, ready, "edit customer", window.edit_customer())
    dialog(app, ready, "follow-ups", window.visit_actions.show_follow_ups())
    dialog(app, ready, "sign in", window.session_actions.sign_in())

    window.visit_actions.check_in()
    queued = [v for v in visits.list_queue(db) if v.customer_id == customer_id]
    window.visit_actions.serve_from_queue(queued[0].id)
    panel = window.visit_panel
    panel.need.setText("phone screen cracked")
    panel.complaint.click()  # the complaint path on: its box and buttons too
    ready(app, "visit in progress", window)
    dialog(app, ready, "promise a follow-up", panel.promise_follow_up())
    window.visit_actions.show_open_visits()
    dialog(app, ready, "open visits", window.visit_actions.open_visits_dialog)

    window.customer_screen.action.trigger()  # Visit ▸ Customer screen: on
    screen = window.customer_screen.controller
    panel.complaint.click()
    panel.outcome.setCurrentIndex(panel.outcome.findData("bought"))
    panel.outcome.activated.emit(panel.outcome.currentIndex())
    panel.end_visit()  # steps not ticked are confirmed once
    panel.end_visit()
    ready(app, "customer screen asks", screen.window)
    screen.window.faces[0].click()  # a poor answer: the reasons
    ready(app, "customer screen asks why", screen.window)
    window.customer_screen.action.trigger()

    manager_id, manager_name = db.execute(
        "SELECT id, name FROM staff WHERE role = 'manager' ORDER BY id"
    ).fetchone()
    manager = ManagerWindow(
        runner, Session(manager_id, manager_name, "manager", NOW), settings, language, lambda: NOW
    )
    manager.resize(1280, 800)
    manager.show()
    for key in TABS:
        manager.show_tab(key)
        ready(app, f"manager window, tab {key}", manager)
        if key == "log":
            table = manager.log.table
            dialog(
                app, ready, "a visit's timeline", manager.log.open_visit(table.model().index(0, 0))
            )
        if key == "staff":
            manager.staff.table.selectRow(0)
            dialog(app, ready, "add staff", manager.staff.add_member())
            dialog(app, ready, "edit staff", manager.staff.edit_member())
            dialog(app, ready, "set a PIN", manager.staff.set_member_pin())
    editor = window.edit_phrases(manager.session)
    ready(app, "phrase editor", editor)
    editor.close()
    print("DONE", flush=True)
    manager.close()
    window.close()
    runner.shutdown()


if __name__ == "__main__":
    os.environ.setdefault("QT_LINUX_ACCESSIBILITY_ALWAYS_ON", "1")
    main()
