"""How the app takes the keyboard: shortcuts built from key codes, the rows of the F1 help, and
the guard that keeps typing out of the visit.

Shortcuts are never parsed from text: ``QKeySequence("Ctrl+Enter")`` reads the text through
Qt's translation, and Qt's Hungarian one names both Return and Enter "Enter", so the two
shortcuts of "end the visit" became Ctrl+Return twice ("Ambiguous shortcut overload") and
neither fired. :func:`keys` builds them from key codes, the same in every language.

:class:`TypingGuard` watches the widget with the keyboard focus (one event filter, moved along
as the focus moves):
- the counter screen's own shortcuts win over a line edit's keys (Ctrl+E);
- Ctrl+Tab leaves a table of the counter screen as Tab does (Qt item views ignore it);
- a key with Ctrl, Alt or Meta never types text anywhere (Alt+Z with no mnemonic behind it
  typed "z" into the search box; Qt's line edit accepts Alt+letter as text);
- on the counter screen, text typed while a widget that takes no text has the focus (the
  checklist, a table, a button, a list of choices) starts a search instead: the focus moves to
  the search box with what was typed, so the spaces between the words go there too and never
  tick a step, press a button or pick an outcome. A Space typed first still does what Space
  does there (ticks the checklist's step, presses the focused button).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox, QTextEdit

_TEXT_BLOCKING = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def keys(
    key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> QKeySequence:
    """One shortcut from key codes (never from text: see the module's docstring)."""
    return QKeySequence(QKeyCombination(modifiers, key))


CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
DIGITS = (
    Qt.Key.Key_1,
    Qt.Key.Key_2,
    Qt.Key.Key_3,
    Qt.Key.Key_4,
    Qt.Key.Key_5,
    Qt.Key.Key_6,
    Qt.Key.Key_7,
    Qt.Key.Key_8,
    Qt.Key.Key_9,
)


def key_text(sequence: QKeySequence) -> str:
    """A shortcut as this language writes it (the way the menus show it)."""
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


@dataclass(frozen=True)
class ShortcutRow:
    """One line of the F1 help: the keys, what they do, and a stable name tests refer to."""

    name: str
    keys: tuple[QKeySequence, ...]
    what: str
    span: bool = False  # the keys are a range, shown "first … last"
    label: str = ""  # shown instead of the keys' names (arrows)

    def keys_text(self) -> str:
        if self.label:
            return self.label
        # Once each: Qt's Hungarian names Return and Enter alike ("Ctrl+Enter, Ctrl+Enter").
        texts = list(dict.fromkeys(key_text(k) for k in self.keys if not k.isEmpty()))
        if self.span and len(texts) > 1:
            return f"{texts[0]} … {texts[-1]}"
        return ", ".join(texts) or "—"


def mnemonic(text: str) -> QKeySequence:
    """The Alt+letter a translated widget text marks with "&" (empty when it has none)."""
    return QKeySequence.mnemonic(text)


# --- typing ----------------------------------------------------------------------------------
def takes_text(widget: QWidget) -> bool:
    """A widget typing goes into: a line or text edit, an editable list, a spin or date box.

    Asked by class name (Qt's own ``inherits``), not ``isinstance``: naming the text edit,
    spin box and combo box classes here would build their Python types before the window's
    first paint (ui/early_start.py), and the first screen has none of them."""
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if widget.inherits("QAbstractSpinBox"):
        return True
    if widget.inherits("QTextEdit") or widget.inherits("QPlainTextEdit"):
        return not cast("QTextEdit", widget).isReadOnly()  # both have isReadOnly
    return widget.inherits("QComboBox") and cast("QComboBox", widget).isEditable()


def _altgr(modifiers: Qt.KeyboardModifier) -> bool:
    # Windows reports AltGr (how @, [ or € are typed on Hungarian and Slovak keyboards) as
    # Ctrl+Alt; X11 and Wayland report no Ctrl or Alt for it, so only Windows needs the pass.
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    return sys.platform == "win32" and (modifiers & both) == both


def printable(event: QKeyEvent) -> str:
    """The printable text a key press carries ('' for none: arrows, Ctrl+C's control code)."""
    text = event.text()
    return text if text and text.isprintable() else ""


def typed_with_modifier(event: QKeyEvent) -> bool:
    """A key that carries text but was pressed with Ctrl, Alt or Meta: it must type nothing."""
    modifiers = event.modifiers()
    return bool(printable(event)) and bool(modifiers & _TEXT_BLOCKING) and not _altgr(modifiers)


class TypingGuard(QObject):
    """See the module's docstring. ``start_search(text)`` is called with the first character
    typed on the counter screen outside a text field; ``searching()`` says whether the search
    box can take it now (not behind the idle lock)."""

    def __init__(
        self,
        window: QWidget,
        start_search: Callable[[str], None],
        searching: Callable[[], bool] = lambda: True,
    ):
        super().__init__(window)
        self._window = window
        self._start_search = start_search
        self._searching = searching
        self._watched: QWidget | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)
        self._focus_changed(None, QApplication.focusWidget())

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._watched is not None:
            with contextlib.suppress(RuntimeError):  # already deleted
                self._watched.removeEventFilter(self)
        self._watched = new
        if new is not None:
            new.installEventFilter(self)

    def _own_shortcut(self, event: QKeyEvent) -> bool:
        sequence = QKeySequence(event.keyCombination())
        shortcuts = [
            *(
                k
                for a in self._window.findChildren(QAction)
                if a.isEnabled()
                for k in a.shortcuts()
            ),
            *(s.key() for s in self._window.findChildren(QShortcut) if s.isEnabled()),
        ]
        return sequence in shortcuts

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if (
                event.modifiers() & _TEXT_BLOCKING
                and takes_text(watched)
                and watched.window() is self._window
                and self._searching()  # not behind the idle lock, which takes every key
                and self._own_shortcut(event)
            ):
                # The counter screen's shortcuts win over a line edit's Emacs keys: on Linux
                # Ctrl+E is "end of line" there, and Ctrl+E never edited the customer.
                event.ignore()
                return True
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if (
            event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and isinstance(watched, QAbstractItemView)
            and watched.window() is self._window  # the manager's tabs switch on Ctrl+Tab
        ):
            # Ctrl+Tab is how a person leaves a widget that keeps Tab; a table moves no
            # further with it, so it is a Tab (Ctrl+Shift+Tab a Shift+Tab) there.
            backwards = (
                event.key() == Qt.Key.Key_Backtab
                or event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            tab = QKeyEvent(
                QEvent.Type.KeyPress,
                Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab,
                Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier,
            )
            QApplication.sendEvent(watched, tab)
            return True
        if typed_with_modifier(event):
            # A shortcut or a mnemonic would have taken it before this key press was sent.
            return True
        text = printable(event)
        if (
            text
            and text != " "
            and not takes_text(watched)
            and watched.window() is self._window
            and self._searching()
        ):
            self._start_search(text)
            return True
        return False
