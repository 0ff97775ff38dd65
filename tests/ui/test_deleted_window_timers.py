"""A counter window deleted while it still builds its panels in idle time (a test's teardown,
a window closed at once) leaves no timer behind that calls into the deleted window: a later
one raised "Internal C++ object (MainWindow) already deleted" in whatever test ran next."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer

from counter.settings import load_settings
from ui.i18n import UiLanguage
from ui.main_window import DEFERRED_PANELS, MainWindow


def test_a_window_deleted_mid_build_leaves_no_timer_calling_it(qtbot, runner, db, qapp):
    # Its own language switch: the shared one, set back at teardown, would call the
    # deleted window's retranslate through its lambda connections (not what this is about).
    window = MainWindow(runner, load_settings(db), UiLanguage())
    window.show()
    qtbot.waitExposed(window)  # painted: the idle building is about to start
    assert len(window._panels) < len(DEFERRED_PANELS)
    later: list[bool] = []
    with qtbot.captureExceptions() as exceptions:
        shiboken6.delete(window)
        # A zero-time timer queued after the window's own: they have all fired once it has.
        QTimer.singleShot(0, lambda: later.append(True))
        qtbot.waitUntil(lambda: bool(later))
    assert not exceptions, exceptions
