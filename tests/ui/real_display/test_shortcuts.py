"""Issue 13, item 2, with real key presses in every UI language: no two actions share a key, Qt
reports no ambiguous shortcut, every shortcut of the F1 help fires its action, and every key
of the README's table is one of them.

The app is started in each language (shortcuts are made when the window is built: Qt's
Hungarian translation once turned Ctrl+Enter into a second Ctrl+Return there)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QKeyCombination, Qt, QTimer, qInstallMessageHandler
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
)

from counter import visits
from counter.customers import CustomerInput, create_customer
from tests.ui.real_display.conftest import make_window
from ui.keyboard import mnemonic

LANGUAGES = ["en", "tr", "sk", "hu", "hi"]
README = Path(__file__).resolve().parents[3] / "README.md"

_KEY_NAMES = {
    Qt.Key_Return: "Return",
    Qt.Key_Enter: "KP_Enter",
    Qt.Key_Escape: "Escape",
    Qt.Key_Space: "space",
    Qt.Key_Down: "Down",
    Qt.Key_Up: "Up",
    Qt.Key_Tab: "Tab",
    Qt.Key_Find: "Find",  # the keyboards that have one: part of QKeySequence.Find here
    Qt.Key_Help: "Help",
}


def xdotool_name(sequence: QKeySequence) -> str:
    """A one-chord QKeySequence as xdotool's key name ("ctrl+shift+i", "ctrl+KP_Enter")."""
    assert sequence.count() == 1, sequence.toString()
    combo: QKeyCombination = sequence[0]
    modifiers, key = combo.keyboardModifiers(), combo.key()
    parts = [
        name
        for flag, name in (
            (Qt.ControlModifier, "ctrl"),
            (Qt.ShiftModifier, "shift"),
            (Qt.AltModifier, "alt"),
            (Qt.MetaModifier, "super"),
        )
        if modifiers & flag
    ]
    if key in _KEY_NAMES:
        name = _KEY_NAMES[key]
    elif Qt.Key_F1 <= key <= Qt.Key_F35:
        name = f"F{key - Qt.Key_F1 + 1}"
    else:
        name = chr(key).lower()
    return "+".join([*parts, name])


class Dialogs:
    """Closes every dialog that opens (QInputDialog.getText waits in a loop of its own) and
    remembers what opened."""

    def __init__(self, window):
        self.window = window
        self.opened: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self.close_all)
        self.timer.start()

    def close_all(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                self.opened.append(type(widget).__name__)
                widget.reject()

    def expect(self, qtbot, keys, name: str) -> None:
        qtbot.waitUntil(lambda: name in self.opened, timeout=5000)
        self.opened.clear()
        keys.focus(self.window)  # no window manager gives it back when the dialog closes


class Context:
    def __init__(self, window, qtbot, keys, db, people, now):
        self.window, self.qtbot, self.keys, self.db = window, qtbot, keys, db
        self.people, self.now = people, now
        self.dialogs = Dialogs(window)

    @property
    def panel(self):
        return self.window.visit_panel

    def no_visit(self) -> None:
        panel = self.panel
        if panel.visit is not None and panel.visit.is_open:
            visits.discard_visit(
                self.db, panel.visit.id, reason="test", by=self.people["staff"], now=self.now
            )
        panel.clear()
        for waiting in visits.list_queue(self.db):
            visits.discard_visit(
                self.db, waiting.id, reason="test", by=self.people["staff"], now=self.now
            )
        self.window.queue.reload()
        self.qtbot.waitUntil(lambda: self.window.queue.model.rowCount() == 0)

    def customer_open(self, who: str = "sukru") -> None:
        customer_id = self.people[who]
        self.window.open_customer(customer_id)
        self.qtbot.waitUntil(
            lambda: (
                self.window.current_customer() is not None
                and self.window.current_customer().id == customer_id
            )
        )

    def with_visit(self) -> None:
        self.no_visit()
        self.customer_open()
        self.window.visit_actions.serve_customer_now()
        self.qtbot.waitUntil(lambda: self.panel.visit is not None)
        self.panel.steps.setFocus()

    def someone_waiting(self) -> None:
        self.no_visit()
        visits.check_in(self.db, walk_in_name="Somebody", now=self.now - 30)
        self.window.queue.reload()
        self.qtbot.waitUntil(lambda: self.window.queue.model.rowCount() == 1)

    def fires(self, signal, key: str) -> None:
        with self.qtbot.waitSignal(signal, timeout=5000):
            self.keys.press(key)


# One check per row of the F1 help (by ShortcutRow.name), called once per key of the row.
def _find(c: Context, key: str) -> None:
    c.window.queue.view.setFocus()
    c.keys.press(key)
    assert c.window.search.box.hasFocus()


def _results(c: Context, key: str) -> None:
    search = c.window.search
    search.box.setFocus()
    search.box.clear()
    with c.qtbot.waitSignal(search.results_shown, check_params_cb=lambda t: t == "a"):
        c.keys.type("a")  # Anna Kovács and Ayşe Aksoy
    assert search.model.rowCount() == 2
    if key == "Down":  # into the list, on the highlighted row; then down the list
        search.view.selectRow(0)
        c.keys.press(key)
        assert search.view.hasFocus() and search.current_row() == 0
        c.keys.press(key)
        assert search.current_row() == 1
        c.keys.press("Up", "Up")  # back up, and out to the box
        assert search.box.hasFocus() and search.current_row() == 0
    elif key == "Up":
        search.view.selectRow(1)
        c.keys.press(key)
        assert search.current_row() == 0
    else:
        with c.qtbot.waitSignal(search.customer_chosen) as chosen:
            c.keys.press(key)
        assert chosen.args == [search.model.hit(0).id]


def _clear(c: Context, key: str) -> None:
    c.window.search.box.setFocus()
    c.window.search.box.setText("anna")
    c.keys.press(key)
    assert c.window.search.box.text() == ""


def _new(c: Context, key: str) -> None:
    c.keys.press(key)
    c.dialogs.expect(c.qtbot, c.keys, "CustomerDialog")


def _edit(c: Context, key: str) -> None:
    c.customer_open()
    c.keys.press(key)
    c.dialogs.expect(c.qtbot, c.keys, "CustomerDialog")


def _check_in(c: Context, key: str) -> None:
    c.no_visit()
    c.customer_open()
    c.keys.press(key)
    c.qtbot.waitUntil(lambda: c.window.queue.model.rowCount() == 1)


def _serve_now(c: Context, key: str) -> None:
    c.no_visit()
    c.customer_open()
    c.keys.press(key)
    c.qtbot.waitUntil(lambda: c.panel.visit is not None)
    assert c.panel.visit.customer_id == c.people["sukru"]


def _serve_next(c: Context, key: str) -> None:
    c.someone_waiting()
    c.keys.press(key)
    c.qtbot.waitUntil(lambda: c.panel.visit is not None)
    assert c.panel.visit.customer_name == "Somebody"


def _queue_enter(c: Context, key: str) -> None:
    c.someone_waiting()
    c.window.queue.view.setFocus()
    c.window.queue.view.selectRow(0)
    c.keys.press(key)
    c.qtbot.waitUntil(lambda: c.panel.visit is not None)


def _tick(c: Context, key: str) -> None:
    c.with_visit()
    number = int(key[-1])
    c.fires(c.window.visit_actions.step_actions[number - 1].triggered, key)
    if number <= len(c.panel.visit.steps):
        assert c.panel.visit.steps[number - 1].status == "done"


def _space(c: Context, key: str) -> None:
    c.with_visit()
    c.keys.press(key)
    c.qtbot.waitUntil(lambda: c.panel.visit.step("greet").status == "done")


def _skip(c: Context, key: str) -> None:
    c.with_visit()
    c.keys.press(key)
    c.qtbot.waitUntil(lambda: c.panel.visit.step("greet").status == "skipped")


def _fields(c: Context, key: str) -> None:
    c.with_visit()
    c.keys.press(key)
    fields = dict(zip(c.window.shortcut_row("fields").keys, c.panel.form_labels, strict=True))
    (label,) = (lbl for seq, lbl in fields.items() if xdotool_name(seq) == key)
    assert label.buddy().hasFocus()


def _walk_in(c: Context, key: str) -> None:
    c.no_visit()
    c.keys.press(key)
    c.dialogs.expect(c.qtbot, c.keys, "QInputDialog")


def _complaint(c: Context, key: str) -> None:
    c.with_visit()
    c.keys.press(key)
    c.qtbot.waitUntil(lambda: c.panel.visit.complaint)


def _follow_up(c: Context, key: str) -> None:
    c.with_visit()
    c.keys.press(key)
    c.dialogs.expect(c.qtbot, c.keys, "FollowUpDialog")


def _end(c: Context, key: str) -> None:
    c.with_visit()
    c.fires(c.window.visit_actions.end_action.triggered, key)
    assert c.panel.end_note.isVisible()  # "choose an outcome first"


def _follow_ups(c: Context, key: str) -> None:
    c.keys.press(key)
    c.dialogs.expect(c.qtbot, c.keys, "FollowUpListDialog")


def _sign_in(c: Context, key: str) -> None:
    c.keys.press(key)
    c.dialogs.expect(c.qtbot, c.keys, "SignInDialog")


def _copy(c: Context, key: str) -> None:
    c.customer_open()
    phrases = c.window.phrases
    c.qtbot.waitUntil(lambda: all(r.phrase is not None for r in phrases.rows[:2]))
    number = int(key[-1])
    row = phrases.rows[number - 1]
    if row.phrase is None:  # fewer phrases for this step: the key is still the action's
        c.fires(phrases.shortcuts[number - 1].activated, key)
        return
    QGuiApplication.clipboard().clear()
    with c.qtbot.waitSignal(phrases.copied, timeout=5000):
        c.keys.press(key)
    assert QGuiApplication.clipboard().text() == row.phrase.text


def _help(c: Context, key: str) -> None:
    c.dialogs.timer.stop()  # read the help before it is closed
    c.keys.press(key)
    c.qtbot.waitUntil(lambda: c.window.findChild(QMessageBox, "shortcutHelp") is not None)
    help_box = c.window.findChild(QMessageBox, "shortcutHelp")
    for row in c.window.shortcut_rows():
        assert f"{row.keys_text()}\t{row.what}" in help_box.text()
    help_box.reject()
    c.dialogs.timer.start()
    c.keys.focus(c.window)


def _reload(c: Context, key: str) -> None:
    c.customer_open()
    # Written behind the screen's back (as another counter would): F5 reads it again.
    c.db.execute(
        "UPDATE customers SET rapport_notes = 'asks about F5' WHERE id = ?", [c.people["sukru"]]
    )
    c.keys.press(key)
    c.qtbot.waitUntil(lambda: c.window.profile.notes.text() == "asks about F5")


def _quit(c: Context, key: str) -> None:
    c.keys.press(key)
    c.qtbot.waitUntil(lambda: not c.window.isVisible())


CHECKS = {
    "find": _find,
    "results": _results,
    "clear": _clear,
    "new": _new,
    "edit": _edit,
    "reload": _reload,
    "check_in": _check_in,
    "serve_now": _serve_now,
    "serve_next": _serve_next,
    "queue_enter": _queue_enter,
    "tick": _tick,
    "space": _space,
    "skip": _skip,
    "fields": _fields,
    "walk_in": _walk_in,
    "complaint": _complaint,
    "follow_up": _follow_up,
    "end": _end,
    "follow_ups": _follow_ups,
    "sign_in": _sign_in,
    "copy": _copy,
    "help": _help,
    "quit": _quit,  # last: it closes the window
}


@pytest.fixture
def ambiguous():
    """Qt's warnings about ambiguous shortcuts, while the test runs."""
    said: list[str] = []

    def handler(_mode, _context, message):
        if "mbiguous" in message:
            said.append(message)

    previous = qInstallMessageHandler(handler)
    yield said
    qInstallMessageHandler(previous)


@pytest.fixture
def more_people(db, people, now):
    ayse = create_customer(
        db, CustomerInput("Ayşe", "Aksoy", language="tr"), now=now - 10, phone_region="TR"
    )
    return {**people, "ayse": ayse.id}


def owners_of_keys(window) -> dict[str, set[str]]:
    """Every key the counter screen reacts to with every thing that takes it: actions and
    shortcuts, the Alt+letters of the visible buttons and labels, the menu bar's titles."""
    owners: dict[str, set[str]] = {}

    def own(sequence: QKeySequence, owner: str) -> None:
        if not sequence.isEmpty():
            owners.setdefault(sequence.toString(QKeySequence.PortableText), set()).add(owner)

    for action in window.findChildren(QAction):
        for number, sequence in enumerate(action.shortcuts()):  # twice in one action counts
            own(sequence, f"action {action.text() or action.objectName()} #{number}")
    for shortcut in window.findChildren(QShortcut):
        own(shortcut.key(), f"shortcut {shortcut.key().toString()} of {shortcut.parent()}")
    for widget in (*window.findChildren(QAbstractButton), *window.findChildren(QLabel)):
        if widget.isVisible() and widget.isEnabled():
            own(mnemonic(widget.text()), f"{type(widget).__name__} {widget.text()}")
    for action in window.menuBar().actions():
        own(mnemonic(action.text()), f"menu {action.text()}")
    return owners


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shortcut_fires_its_action_in_every_language(
    runner, qtbot, db, more_people, ui_language, now, keys, language, ambiguous
):
    ui_language.set_language(language)
    window = make_window(qtbot, runner, db, more_people, ui_language, now, keys)
    c = Context(window, qtbot, keys, db, more_people, now)
    c.with_visit()  # everything on screen, for the keys and their owners
    c.qtbot.waitUntil(lambda: window.phrases.rows[0].phrase is not None)

    shared = {key: who for key, who in owners_of_keys(window).items() if len(who) > 1}
    assert shared == {}

    rows = window.shortcut_rows()
    assert [row.name for row in rows if row.name not in CHECKS] == []
    assert all(row.keys for row in rows), [row.name for row in rows if not row.keys]
    for row in sorted(rows, key=lambda r: list(CHECKS).index(r.name)):
        for sequence in row.keys:
            key = xdotool_name(sequence)
            try:
                CHECKS[row.name](c, key)
            except Exception as error:
                raise AssertionError(f"{language}: {row.name} {key}: {error!r}") from error
    c.dialogs.timer.stop()
    assert ambiguous == []


def _readme_keys() -> list[QKeySequence]:
    """The keys of the README's table, as English text ("Ctrl+1…9" is Ctrl+1 to Ctrl+9)."""
    table = README.read_text(encoding="utf-8").split("| Keys | What they do |")[1]
    cells = []
    for line in table.splitlines()[2:]:  # past the header's end and the |---| line
        if not line.startswith("|"):
            break  # the end of the table
        cells.append(line.split("|")[1].strip())
    found = []
    for cell in cells:
        for part in re.split(r",\s*|\s+/\s+", cell):
            part = part.strip()
            if part == "just type":
                continue  # tests/ui/real_display/test_typing.py
            if part == "↓ ↑ Enter":
                found += [QKeySequence(Qt.Key_Down), QKeySequence(Qt.Key_Up)]
                part = "Enter"
            spans = re.fullmatch(r"(.*\+)(\d)…(\d)", part)
            if spans:
                prefix, first, last = spans.groups()
                found += [
                    QKeySequence.fromString(f"{prefix}{n}", QKeySequence.PortableText)
                    for n in range(int(first), int(last) + 1)
                ]
                continue
            part = {"Esc": "Escape", "Enter": "Return"}.get(part, part)
            sequence = QKeySequence.fromString(part, QKeySequence.PortableText)
            assert not sequence.isEmpty(), part
            found.append(sequence)
    return found


def test_every_key_of_the_readme_is_in_the_help(window):
    helped = {
        k.toString(QKeySequence.PortableText) for row in window.shortcut_rows() for k in row.keys
    }
    readme = [k.toString(QKeySequence.PortableText) for k in _readme_keys()]
    assert len(readme) > 20
    assert [k for k in readme if k not in helped] == []
