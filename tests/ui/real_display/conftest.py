"""Real key presses at a real X display: the keys go through the X server, Qt's keyboard
mapping, its shortcut map and the focus chain, as a person's would (qtbot's synthetic events
skip some of that, and missed issue 13). These tests run only in the process
tests/ui/test_real_display.py starts at its own Xvfb (tests/ui/conftest.py leaves them out of
the offscreen run).

``keys.press("ctrl+shift+i")`` and ``keys.type("anna kovacs")`` send through xdotool to the
window that has the X input focus, then wait until Qt has handled them: a last key nobody uses
(Pause) follows them, and everything before it has been delivered once it arrives (it is sent
again if a dialog opening in between swallowed it)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from counter.customers import CustomerInput, create_customer
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import staff_sql
from ui.main_window import MainWindow

SENTINEL = "Pause"


class _Sentinel(QObject):
    def __init__(self):
        super().__init__()
        self.seen = 0

    def eventFilter(self, _watched, event):
        if (
            event.type() == QEvent.KeyPress
            and event.key() == Qt.Key_Pause
            and event.spontaneous()
            and not event.isAutoRepeat()
        ):
            self.seen += 1
            return True  # nobody else sees it
        return False


class Keys:
    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.sentinel = _Sentinel()
        QApplication.instance().installEventFilter(self.sentinel)

    def close(self) -> None:
        QApplication.instance().removeEventFilter(self.sentinel)

    def _xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], check=True, timeout=30)

    def _settle(self) -> None:
        # Sent again if lost: a key sent while a modal dialog opens is dropped by Qt.
        before = self.sentinel.seen
        for _attempt in range(20):
            self._xdotool("key", "--clearmodifiers", SENTINEL)
            try:
                self.qtbot.waitUntil(lambda: self.sentinel.seen > before, timeout=500)
                return
            except self.qtbot.TimeoutError:
                continue
        raise AssertionError("the keys sent never arrived")

    def press(self, *combos: str) -> None:
        """xdotool key names: "ctrl+shift+i", "Tab", "alt+z", "ctrl+Return", "KP_Enter"."""
        self._xdotool("key", "--delay", "15", *combos)
        self._settle()

    def type(self, text: str) -> None:
        self._xdotool("type", "--delay", "15", text)
        self._settle()

    def focus(self, window: QWidget) -> None:
        """Give ``window`` the X input focus (there is no window manager to do it)."""
        window.raise_()
        self._xdotool("windowfocus", "--sync", str(int(window.winId())))
        self.qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
        self._settle()


@pytest.fixture
def keys(qtbot):
    assert shutil.which("xdotool")
    sender = Keys(qtbot)
    yield sender
    sender.close()


@pytest.fixture
def people(db, now):
    staff = staff_sql.insert_staff(db, "Zeynep", "staff", "", now - 1000)
    sukru = create_customer(
        db,
        CustomerInput("Şükrü", "Yılmaz", language="tr", title="mr", phone="+90 532 123 4567"),
        now=now - 1000,
        phone_region="GB",
    )
    anna = create_customer(
        db, CustomerInput("Anna", "Kovács", language="hu", title="ms"), now=now, phone_region="HU"
    )
    return {"staff": staff, "sukru": sukru.id, "anna": anna.id}


def make_window(qtbot, runner, db, people, ui_language, now, keys) -> MainWindow:
    """A counter window with the X input focus. A test that calls this asks for ``runner``
    before ``qtbot``, so the window is closed before the runner is shut down."""
    main = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    main.signed_in.set(Session(people["staff"], "Zeynep", "staff", now))
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    keys.focus(main)
    return main


@pytest.fixture
def window(runner, qtbot, db, people, ui_language, now, keys):
    return make_window(qtbot, runner, db, people, ui_language, now, keys)
