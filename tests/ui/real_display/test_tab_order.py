"""Issue 13, item 13, with real Tab presses: every control of the counter screen is reached by
Tab in reading order, the walk ends back where it started, Shift+Tab walks it backwards, and
Tab always leaves a table (here and in the manager's window)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from counter import visits
from counter.settings import load_settings


def tab_stops(window: QWidget) -> set[QWidget]:
    """Every visible, enabled control in ``window`` that Tab should reach."""
    return {
        w
        for w in window.findChildren(QWidget)
        if w.window() is window
        and w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.TabFocus
        and w.focusProxy() is None
    }


def walk(keys, start: QWidget, key: str) -> list[QWidget]:
    """Press ``key`` until the focus is back on ``start``: every widget it went through."""
    start.setFocus(Qt.TabFocusReason)
    seen = []
    for _ in range(80):
        keys.press(key)
        focus = QApplication.focusWidget()
        if focus is start:
            return seen
        seen.append(focus)
    raise AssertionError(f"Tab never came back: {[w.objectName() for w in seen[-12:]]}")


def names(widgets) -> list[str]:
    return [w.objectName() or type(w).__name__ for w in widgets]


def everything_on_screen(window, qtbot, db, people, now):
    visits.check_in(db, walk_in_name="Somebody waiting", now=now - 60)
    window.queue.reload()
    qtbot.waitUntil(lambda: window.queue.model.rowCount() == 1)
    window.queue.view.selectRow(0)
    window.open_customer(people["sukru"])
    window.visit_actions.serve_customer_now()
    qtbot.waitUntil(lambda: window.visit_panel.visit is not None)
    qtbot.waitUntil(lambda: window.phrases.rows[1].phrase is not None)
    window.visit_panel.steps.setFocus()


def test_tab_reaches_every_control_in_reading_order_and_comes_back(
    window, qtbot, keys, db, people, now
):
    everything_on_screen(window, qtbot, db, people, now)
    start = window.search.box
    forward = walk(keys, start, "Tab")
    expected = [
        w
        for w in (
            *window.search.tab_order()[1:],  # the results, after the box
            *window.queue.tab_order(),
            *window.profile.tab_order(),
            *window.phrases.tab_order(),
            *window.visit_panel.tab_order(),
        )
        if w in tab_stops(window)
    ]
    assert names(forward) == names(expected)
    assert set(forward) | {start} == tab_stops(window)
    for name in (
        "searchResults",
        "serveNext",
        "walkIn",
        "leftQueue",
        "editCustomer",
        "phraseCopy1",
        "endVisit",
    ):
        assert name in names(forward)
    backward = walk(keys, start, "shift+Tab")
    assert backward == forward[::-1]


def test_tab_leaves_every_table_of_the_counter_screen(window, qtbot, keys, db, people, now):
    everything_on_screen(window, qtbot, db, people, now)
    views = [v for v in window.findChildren(QAbstractItemView) if v in tab_stops(window)]
    assert {v.objectName() for v in views} == {
        "searchResults",
        "queueView",
        "visitHistory",
        "checklist",
    }
    for view in views:
        for key in ("Tab", "shift+Tab", "ctrl+Tab"):
            view.setFocus(Qt.TabFocusReason)
            keys.press(key)
            assert not view.hasFocus(), (view.objectName(), key)


def test_tab_leaves_every_table_of_the_manager_window(runner, qtbot, db, ui_language, keys):
    from tests.core.report_fixtures import NOW, build_store
    from ui.manager_view.manager_window import TABS, ManagerWindow

    store = build_store(db)  # visits in the log, entries in the audit log
    window = ManagerWindow(runner, store.manager, load_settings(db), ui_language, lambda: NOW)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    keys.focus(window)
    left = []
    for tab in TABS:
        window.show_tab(tab)
        for view in window.findChildren(QAbstractItemView):
            if view not in tab_stops(window):
                continue
            for key in ("Tab", "shift+Tab", "ctrl+Tab"):
                view.setFocus(Qt.TabFocusReason)
                keys.press(key)
                assert not view.hasFocus(), (tab, view.objectName(), key)
            left.append(view.objectName())
    assert {"logTable", "auditTable", "staffTable", "checklistTable"} <= set(left)
