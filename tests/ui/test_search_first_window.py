"""The search-first window: the profile, the phrases and the visit panel are built after the
first paint (or when first used), and stand in as placeholders with their empty-state texts
until then. Structural checks, no timings."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

from counter.customers import CustomerInput, create_customer
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import open_database, staff_sql
from ui.counter_view.phrase_panel import PhrasePanel
from ui.counter_view.profile_panel import ProfilePanel
from ui.counter_view.visit_panel import VisitPanel
from ui.main_window import DEFERRED_PANELS, MainWindow

PANEL_TYPES = {"profile": ProfilePanel, "phrases": PhrasePanel, "visit_panel": VisitPanel}


@pytest.fixture
def people(db, now):
    staff = staff_sql.insert_staff(db, "Zeynep", "staff", "", now - 1000)
    anna = create_customer(
        db, CustomerInput("Anna", "Kovács", language="hu", title="ms"), now=now, phone_region="HU"
    )
    return {"staff": staff, "anna": anna.id}


@pytest.fixture
def window(qtbot, runner, db, people, ui_language, now):
    main = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    main.signed_in.set(Session(people["staff"], "Zeynep", "staff", now))
    qtbot.addWidget(main)
    return main


def built(window: MainWindow) -> set[str]:
    return {name for name in DEFERRED_PANELS if window.panel_built(name)}


def placeholder_texts(window: MainWindow) -> dict[str, str]:
    return {name: p.label.text() for name, p in window._placeholders.items()}


def splitter_sizes(window: MainWindow) -> list[list[int]]:
    return [s.sizes() for s in window.findChildren(QSplitter)]


def test_the_first_paint_has_placeholders_then_the_panels_come_in_unmoved(window, qtbot):
    assert built(window) == set()  # nothing of theirs is built before the first paint
    texts = placeholder_texts(window)
    window.show()
    QApplication.sendPostedEvents()
    first_frame = splitter_sizes(window)
    assert built(window) == set()
    qtbot.waitUntil(lambda: built(window) == set(DEFERRED_PANELS))
    assert window._placeholders == {}
    for name, kind in PANEL_TYPES.items():
        panel = getattr(window, name)
        assert isinstance(panel, kind) and panel.isVisible()
        assert len(window.findChildren(kind)) == 1
        assert panel.empty.text() == texts[name]  # the placeholder said what the panel says
    qtbot.waitUntil(  # deleted later, once the event loop gets to it
        lambda: not [w for w in window.findChildren(QWidget) if type(w).__name__ == "_Placeholder"]
    )
    # Laid out as the finished window from the first frame: nothing moved when they came in.
    assert splitter_sizes(window) == first_frame
    assert window.customer_row.widget(0) is window.profile
    assert window.customer_row.widget(1) is window.phrases


def test_a_customer_picked_at_once_gets_their_profile_and_phrases(window, qtbot, people):
    window.show()
    window.search.customer_chosen.emit(people["anna"])  # before the event loop ever ran
    assert {"profile", "phrases"} <= built(window)
    assert window.profile.profile is not None
    assert window.profile.name.text().startswith("Kovács Anna")
    assert window.phrases.customer_id == people["anna"]
    assert window.current_customer().id == people["anna"]
    qtbot.waitUntil(lambda: built(window) == set(DEFERRED_PANELS))
    assert window.profile.profile.customer.id == people["anna"]  # not rebuilt empty
    assert len(window.findChildren(ProfilePanel)) == 1


def test_a_visit_served_at_once_runs_in_the_visit_panel(window, qtbot, people):
    window.show()
    window.open_customer(people["anna"])
    window.visit_actions.serve_customer_now()
    visit = window.visit_panel.visit
    assert visit is not None and visit.customer_id == people["anna"]
    assert window.visit_panel.name.text().startswith("Kovács Anna")
    # The visit panel's signals reach the window: its messages go to the status bar.
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    window.visit_panel.toggle_step_number(99)
    assert any("no step 99" in m for m in messages)
    # The phrases follow the checklist's step.
    window.visit_panel.toggle_step_number(1)
    assert window.phrases.step.currentData() == window.visit_panel.current_step_key()


def test_no_customer_on_screen_is_no_customer_without_building_the_profile(window):
    assert window.current_customer() is None
    assert "profile" not in built(window)


def test_a_language_switch_before_the_panels_are_built(window, qtbot, ui_language):
    ui_language.set_language("tr")
    assert built(window) == set()
    texts = placeholder_texts(window)
    assert texts["profile"] != "Find a customer on the left, or press Ctrl+N to add one."
    assert window.profile.empty.text() == texts["profile"]
    assert window.visit_panel.empty.text() == texts["visit_panel"]


def test_the_panels_wait_while_the_database_worker_is_busy(window, qtbot, runner):
    runner.busy_changed.emit(True)  # as TaskRunner does while start-up queries run
    window.show()
    # The first paint's idle step ran, and put the building off until the worker is idle.
    qtbot.waitUntil(lambda: window._build_when_idle)
    assert built(window) == set()
    runner.busy_changed.emit(False)
    qtbot.waitUntil(lambda: built(window) == set(DEFERRED_PANELS))


def test_idle_work_runs_after_the_paint_and_the_panels_while_the_worker_is_idle(
    window, qtbot, runner
):
    done = []
    window.when_idle(lambda: done.append(built(window)))
    window.when_idle(lambda: done.append("second"))
    runner.busy_changed.emit(True)
    window.show()
    qtbot.waitUntil(lambda: window._build_when_idle)  # the idle step ran, and waits
    assert done == [] and built(window) == set()
    runner.busy_changed.emit(False)
    qtbot.waitUntil(lambda: len(done) == 2)
    assert done == [set(DEFERRED_PANELS), "second"]
    window.when_idle(lambda: done.append("later"))  # after the first round: runs all the same
    qtbot.waitUntil(lambda: done[-1] == "later")


def test_start_up_starts_the_backup_and_the_big_file_check_when_idle(tmp_path, qtbot, monkeypatch):
    """run_app hands the day's backup and a big file's quick_check to when_idle: neither
    has started when the event loop begins, both have once it idles."""
    from ui import app as app_module
    from ui.data_actions import DataActions

    started: list[str] = []
    monkeypatch.setattr(DataActions, "start_daily_backup", lambda self, _open: started.append("b"))
    monkeypatch.setattr(DataActions, "check_integrity_later", lambda self, _p: started.append("c"))
    monkeypatch.setattr("ui.session_actions.SessionActions.start", lambda self, then=None: None)
    real_resolve = app_module.resolve_startup
    monkeypatch.setattr(  # as for a file too big to check before the window opens
        app_module,
        "resolve_startup",
        lambda p, **kw: dataclasses.replace(real_resolve(p, **kw), full_check_done=False),
    )
    seen: dict[str, list[str]] = {}

    def exec_once(_app) -> int:
        seen["at exec"] = list(started)
        qtbot.waitUntil(lambda: started == ["b", "c"])
        for widget in QApplication.topLevelWidgets():
            widget.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_once)
    path = tmp_path / "counter.db"
    open_database(path).close()
    assert app_module.run_app(path) == 0
    assert seen["at exec"] == []


def test_a_window_shown_but_never_painted_still_gets_its_idle_work(window, qtbot, monkeypatch):
    monkeypatch.setattr("ui.main_window._FirstPaint.FALLBACK_MS", 10)
    done = []
    window.when_idle(lambda: done.append(True))

    class NoPaint(QObject):  # installed last, so it sees the window's events first
        def eventFilter(self, watched, event):
            return event.type() == QEvent.Paint

    no_paint = NoPaint(window)
    window.installEventFilter(no_paint)
    window.show()
    qtbot.waitUntil(lambda: done == [True])
    assert built(window) == set(DEFERRED_PANELS)


def test_after_first_paint_runs_once_painted_even_while_the_worker_is_busy(window, qtbot):
    # app.py holds the database worker's first open back with it: it must not wait for an
    # idle worker (the worker is what it releases), and work asked for later runs at once.
    ran: list[str] = []
    window.after_first_paint(lambda: ran.append("first"))
    window._runner_busy = True  # tasks queued: when_idle work would wait
    try:
        assert ran == []
        window.show()
        qtbot.waitUntil(lambda: ran == ["first"])
        window.after_first_paint(lambda: ran.append("later"))
        assert ran == ["first", "later"]
    finally:
        window._runner_busy = False
