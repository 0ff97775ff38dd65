"""UI fixtures: a synchronous task runner over an in-memory database, and typing helpers."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from ui.i18n import UiLanguage
from ui.tasks import SyncTaskRunner

# Real key presses need an X display: tests/ui/test_real_display.py runs them in a process of
# its own at its own Xvfb (COUNTER_TEST_QPA=xcb); the offscreen run does not collect them.
if os.environ.get("QT_QPA_PLATFORM") != "xcb":
    collect_ignore = ["real_display"]


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` one character at a time, as an input method commits it.

    ``qtbot.keyClicks`` aborts the process on non-ASCII text ("Şükrü", "नमस्ते"); a commit
    string carries any Unicode and fires the same textChanged/textEdited signals as typing.
    """
    for ch in text:
        event = QInputMethodEvent("", [])
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def press(widget: QWidget, key: Qt.Key, modifiers=Qt.NoModifier, text: str = "") -> None:
    for kind in (QKeyEvent.KeyPress, QKeyEvent.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text))


@pytest.fixture
def runner(db, qapp):
    task_runner = SyncTaskRunner(db)
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def ui_language(qapp):
    language = UiLanguage()
    language.set_language("en")
    yield language
    language.set_language("en")


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    """Each test starts with no remembered window sizes (ui/window_state.py), in its own folder."""
    folder = tmp_path / "settings"
    folder.mkdir()
    monkeypatch.setenv("COUNTER_SETTINGS_DIR", str(folder))
    return folder
