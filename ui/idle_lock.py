"""Idle lock: after some minutes without a key press or a mouse move, the counter screen hides
customer data behind a panel until a staff member unlocks it with their PIN.

:class:`IdleWatcher` notices input anywhere in the application (an event filter) and asks a
clock, not a timer, how long it has been; a timer only decides how often to look, so tests
move the clock and call :meth:`IdleWatcher.check`. :class:`IdleLockOverlay` covers the window's
central widget and disables the menus; it never learns the PIN's rules: ``verify(staff_id, pin,
on_ok, on_error)`` does (``counter.auth.sign_in`` through the task runner).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.accessible import name_by_label
from ui.error_text import error_text
from ui.i18n import _
from ui.signed_in import SignedIn
from ui.tasks import Runner

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)
CHECK_EVERY_MS = 10_000

Verify = Callable[
    [int | None, str, Callable[[object], None], Callable[[BaseException], None]], None
]


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: int, clock: Callable[[], int], parent: QObject | None = None):
        super().__init__(parent)
        self.minutes = minutes
        self._clock = clock
        self.last_input = clock()
        self.paused = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self.running = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.last_input = self._clock()
        return False

    def touch(self) -> None:
        self.last_input = self._clock()

    def check(self) -> bool:
        """Emit ``idle`` (once, until the next input) when the time is up."""
        if self.paused or self.minutes <= 0:
            return False
        if self._clock() - self.last_input >= self.minutes * 60:
            self.paused = True
            self.idle.emit()
            return True
        return False

    def resume(self) -> None:
        self.paused = False
        self.touch()

    def start(self) -> None:
        """Watch all input (an application-wide event filter) while the window is shown."""
        app = QApplication.instance()
        if self.running or self.minutes <= 0 or app is None:
            return
        app.installEventFilter(self)
        self._timer.start()
        self.running = True
        self.touch()

    def stop(self) -> None:
        # A hidden or closed window stops watching: every filter sees every event of the app.
        self._timer.stop()
        app = QApplication.instance()
        if self.running and app is not None:
            app.removeEventFilter(self)
        self.running = False


class IdleLockOverlay(QFrame):
    """An opaque panel over the counter screen: who unlocks, their PIN, Unlock."""

    unlocked = Signal(object)  # what verify() returned (a Session)

    def __init__(self, target: QWidget, verify: Verify):
        # A sibling laid over the target, not its child: a QSplitter (the central widget)
        # would take a child in as one more pane.
        super().__init__(target.parentWidget())
        self._target = target
        self.setObjectName("idleLock")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("#idleLock { background: palette(window); }")
        self._verify = verify
        self.title = QLabel(self)
        self.title.setObjectName("idleLockTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)  # "Uzamknuté na ochranu údajov zákazníkov" is wider
        self.hint = QLabel(self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        # Built on the first lock: not named at start-up (ui/early_start.py).
        from PySide6.QtWidgets import QComboBox, QHBoxLayout

        self.staff = QComboBox(self)
        self.staff.setObjectName("idleLockStaff")
        self.staff_label = QLabel(self)
        self.pin = QLineEdit(self)
        self.pin.setObjectName("idleLockPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.returnPressed.connect(self.unlock)
        self.button = QPushButton(self)
        self.button.setObjectName("idleLockUnlock")
        self.button.clicked.connect(self.unlock)
        self.error = QLabel(self)
        self.error.setObjectName("idleLockError")
        theme.colour_text(self.error, theme.DANGER)
        self.error.setWordWrap(True)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.hide()
        box = QWidget(self)
        box.setFixedWidth(360)
        form = QVBoxLayout(box)
        for widget in (
            self.title,
            self.hint,
            self.staff_label,
            self.staff,
            self.pin,
            self.button,
            self.error,
        ):
            form.addWidget(widget)
        # Centred between stretches, not with an alignment flag: a layout gives an aligned
        # widget the height of its size hint, not the height its wrapped labels need at its
        # width (a two-line hint was cut to one).
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        target.installEventFilter(self)
        # While locked, no shortcut of the window fires (Ctrl+1 ticked a step behind the
        # lock): the lock's controls take every key themselves.
        for control in (self.staff, self.pin, self.button):
            control.installEventFilter(self)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.title.setText(_("Locked to protect customer data"))
        self.hint.setText(_("Choose your name and type your PIN to carry on."))
        self.staff_label.setText(_("&Name:"))
        name_by_label(self.staff, self.staff_label)  # not by who is chosen
        self.pin.setPlaceholderText(_("PIN"))
        self.button.setText(_("Unlock"))

    def set_staff(self, members: list[tuple[int, str]]) -> None:
        """Who may unlock; with nobody set up yet the panel is a privacy screen only."""
        self.staff.clear()
        for staff_id, name in members:
            self.staff.addItem(name, staff_id)
        self.staff.setVisible(bool(members))
        self.staff_label.setVisible(bool(members))
        self.pin.setVisible(bool(members))

    def choose(self, staff_id: int | None) -> None:
        index = self.staff.findData(staff_id)
        if index >= 0:
            self.staff.setCurrentIndex(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._target and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.setGeometry(self._target.geometry())
        elif event.type() == QEvent.Type.ShortcutOverride and self.isVisible():
            event.accept()
            return True
        return False

    def lock(self) -> None:
        self.setGeometry(self._target.geometry())
        self.pin.clear()
        self.error.hide()
        self.show()
        self.raise_()
        (self.pin if self.pin.isVisible() else self.button).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def unlock(self) -> None:
        staff_id = self.staff.currentData() if self.staff.count() else None
        self.button.setEnabled(False)
        self._verify(staff_id, self.pin.text(), self._ok, self._failed)

    def _ok(self, result: object) -> None:
        self.button.setEnabled(True)
        self.pin.clear()
        self.hide()
        self.unlocked.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.button.setEnabled(True)
        self.pin.clear()
        self.error.setText(error_text(error))
        self.error.show()
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)


class IdleLock(QObject):
    """Wires the watcher and the overlay to a main window: lock after ``minutes`` idle (0:
    never), hide other windows (the manager's visit log shows customers too) and the menus,
    unlock with any active staff member's PIN; the person who unlocks is now serving
    (``signed_in``), and ``unlocked`` is emitted."""

    did_lock = Signal()  # the screen is locked: windows that stay up blank themselves
    unlocked = Signal()
    # A window shown but never painted (started minimised) starts watching after this.
    UNPAINTED_START_MS = 1000

    def __init__(
        self,
        window: QMainWindow,  # what the lock covers: its central widget, its menus
        runner: Runner,
        clock: Callable[[], int],
        minutes: int,
        *,
        signed_in: SignedIn,
        read_only: Callable[[], bool],  # the database is open read-only: PINs are not counted
    ):
        super().__init__(window)
        self.window = window
        self.runner = runner
        self.clock = clock
        self.signed_in = signed_in
        self._read_only = read_only
        self.watcher = IdleWatcher(minutes, clock, self)
        self._overlay: IdleLockOverlay | None = None  # built when first needed, not at start
        self.watcher.idle.connect(self.lock)
        self._hidden: list[QWidget] = []
        self._start_after_paint = False
        window.installEventFilter(self)
        if window.isVisible():
            self.watcher.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            kind = event.type()
            if kind == QEvent.Type.Show:
                # Watching starts once the window has painted, not at show(): an app-wide
                # filter sees every event, and PySide6 builds the Python type (and enums) of
                # each Qt class it first hands it (the application's style among them),
                # some 120 of them before the first paint.
                self._start_after_paint = True
                QTimer.singleShot(self.UNPAINTED_START_MS, self, self._start_if_shown)
            elif kind == QEvent.Type.Paint and self._start_after_paint:
                self._start_after_paint = False
                QTimer.singleShot(0, self, self._start_if_shown)
            elif kind == QEvent.Type.Hide and not self.window.isMinimized():
                self._start_after_paint = False
                self.watcher.stop()
        return False

    def _start_if_shown(self) -> None:
        if self.window.isVisible():
            self.watcher.start()

    def set_minutes(self, minutes: int) -> None:
        """A manager changed the idle time (0: never lock); counted afresh from now."""
        self.watcher.stop()
        self.watcher.minutes = minutes
        self._start_if_shown()

    def _central(self) -> QWidget:
        central = self.window.centralWidget()
        assert central is not None  # the main window sets it before the lock is made
        return central

    @property
    def overlay(self) -> IdleLockOverlay:
        if self._overlay is None:
            self._overlay = IdleLockOverlay(self._central(), self._verify)
            self._overlay.unlocked.connect(self._unlocked)
        return self._overlay

    @property
    def locked(self) -> bool:
        return self._overlay is not None and self._overlay.isVisible()

    def retranslate(self) -> None:
        if self._overlay is not None:  # else it is translated when built
            self._overlay.retranslate()

    def lock(self) -> None:
        if self.locked:
            return
        if not self.window.isVisible():  # closed or not shown yet: nothing on screen to hide
            self.watcher.resume()
            return
        self.watcher.paused = True
        window = self.window
        self._hidden = [
            w
            for w in QApplication.topLevelWidgets()
            if w is not window
            and w.isVisible()
            and w.isWindow()
            and not w.property("blank_on_lock")
        ]
        for widget in self._hidden:
            widget.hide()
        window.menuBar().setEnabled(False)
        # Nothing behind the lock takes the keyboard: Tab stays on the lock's own controls.
        self._central().setEnabled(False)
        window.statusBar().clearMessage()
        self.overlay.set_staff([])
        self.overlay.lock()
        from counter.staff import sign_in_list  # not at start-up: ui/early_start.py

        self.runner.run(sign_in_list, self._fill_staff, key="idle-lock-staff")
        self.did_lock.emit()

    def _fill_staff(self, members) -> None:
        self.overlay.set_staff([(m.id, m.name) for m in members if m.has_pin])
        self.overlay.choose(self.signed_in.staff_id)
        self.overlay.lock()

    def _verify(self, staff_id, pin, on_ok, on_error) -> None:
        if staff_id is None:  # nobody can sign in yet: a privacy screen, not a lock
            on_ok(None)
            return
        now = self.clock()
        from counter.auth import sign_in

        # Read-only mode cannot count wrong PINs; sign_in would fail on its write.
        check = sign_in
        if self._read_only():
            from counter.privacy import unlock_read_only  # not needed before a lock

            check = unlock_read_only
        self.runner.run(
            lambda db: check(db, staff_id, pin, now=now), on_ok, on_error, key="idle-unlock"
        )

    def _unlocked(self, session) -> None:
        self.window.menuBar().setEnabled(True)
        self._central().setEnabled(True)
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        if session is not None:
            self.signed_in.set(session)
        self.watcher.resume()
        self.unlocked.emit()
