"""The waiting queue under the search: who is waiting, live wait timers that turn amber and
red, "Serve next" for the longest waiting, Enter to serve the highlighted one.

The list is re-read when this counter changes it (a change notice) and, for changes made at
another counter on the same file, when a cheap poll of SQLite's ``data_version`` says so
(also once joined to a hub: see ``set_joined``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.changes import Changes
from ui.fit import FlowLayout
from ui.i18n import _, ngettext
from ui.models.queue_model import QueueModel
from ui.tasks import Runner

if TYPE_CHECKING:
    from counter.visits import Visit

POLL_MS = 3000  # how soon a check-in at the other counter shows here


def _poll(db, version: int | None) -> tuple[int, list[Visit] | None]:
    from counter import visits  # on the worker, after the first paint (ui/early_start.py)

    now_version = visits.data_version(db)
    if version is not None and now_version == version:
        return now_version, None
    return now_version, visits.list_queue(db)


class QueuePanel(QWidget):
    serve_requested = Signal(int)  # a visit id from the queue
    serve_next_requested = Signal()
    walk_in_requested = Signal()
    remove_requested = Signal(int)  # a visit id: the customer left
    shown = Signal()  # the list on screen was (re)loaded
    changed_elsewhere = Signal()  # another connection (counter) committed since the last poll

    def __init__(
        self,
        runner: Runner,
        *,
        clock: Callable[[], int] = lambda: int(time.time()),
        amber_minutes: int = 3,
        red_minutes: int = 8,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._runner = runner
        self._version: int | None = None
        self.setObjectName("queuePanel")

        self.title = QLabel(self)
        self.title.setObjectName("queueTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.model = QueueModel(clock, amber_minutes, red_minutes, self)
        self.view = QTableView(self)
        self.view.setObjectName("queueView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setStyleSheet(
            "QTableView#queueView:focus { border: 2px solid palette(highlight); }"
        )
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QueueModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(QueueModel.WAIT, QHeaderView.ResizeMode.ResizeToContents)
        self.view.installEventFilter(self)
        self.view.doubleClicked.connect(lambda index: self._serve_row(index.row()))

        self.serve_next_button = QPushButton(self)
        self.serve_next_button.setObjectName("serveNext")
        self.serve_next_button.clicked.connect(self.serve_next_requested)
        self.walk_in_button = QPushButton(self)
        self.walk_in_button.setObjectName("walkIn")
        self.walk_in_button.clicked.connect(self.walk_in_requested)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("leftQueue")
        self.remove_button.clicked.connect(self._remove_current)

        buttons = FlowLayout()  # wraps onto a second line rather than widening the window
        buttons.addWidget(self.serve_next_button)
        buttons.addWidget(self.walk_in_button)
        buttons.add_stretch()
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self._joined = False
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.poll_timer.start()
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.view.setAccessibleName(_("Waiting customers"))
        self.serve_next_button.setText(_("Serve &next"))
        self.serve_next_button.setToolTip(_("Serve whoever has waited longest (Ctrl+Shift+N)"))
        self.walk_in_button.setText(_("Walk-&in…"))
        self.walk_in_button.setToolTip(_("Check in someone without a customer record"))
        self.remove_button.setText(_("Left without service…"))
        self.remove_button.setToolTip(_("The highlighted customer left without being served"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 1)
        self.model.tick()
        self._update_title()

    def tab_order(self) -> list[QWidget]:
        return [self.view, self.serve_next_button, self.walk_in_button, self.remove_button]

    # data --------------------------------------------------------------------------------
    def apply_changes(self, changes: Changes) -> None:
        """A change notice: the list again if who is waiting changed."""
        if changes.queue:
            self.reload()

    @property
    def joined(self) -> bool:
        return self._joined

    def set_joined(self, joined: bool) -> None:
        """Joined to a hub, this file is also written by the background sync after every
        round (its cursor, its time), and downloads say on the change bus what they changed:
        the poll then tells ``changed_elsewhere`` (which reloads the open profile) only when
        the queue itself changed. It keeps polling: another window on this same file is the
        same counter to the hub, whose changes never come back as downloads."""
        self._joined = joined

    def reload(self) -> None:
        """Re-read the queue (this counter changed it)."""
        self._runner.run(lambda db: _poll(db, None), self._polled, key="queue")

    def poll(self) -> None:
        """Re-read the queue only if another counter committed something since the last look."""
        if not self.isVisible():
            return  # a closed window does not poll (its runner may be shut down already)
        version = self._version
        try:
            self._runner.run(
                lambda db: _poll(db, version),
                lambda result: self._polled(result, elsewhere=version is not None),
                key="queue",
            )
        except RuntimeError:  # the runner was shut down: the app is closing
            self.poll_timer.stop()

    def _polled(self, result: tuple[int, list[Visit] | None], *, elsewhere: bool = False) -> None:
        self._version, queue = result
        if queue is not None:
            moved = queue != self.model.visits()
            self.show_queue(queue)
            if elsewhere and (moved or not self._joined):
                self.changed_elsewhere.emit()

    def show_queue(self, queue: list[Visit]) -> None:
        if self.model.visits() == queue:
            self.shown.emit()  # the same list: no reset (the selection and scroll stay)
            return
        selected = self.current_visit()
        self.model.set_visits(queue)
        if selected is not None:
            for row, visit in enumerate(queue):
                if visit.id == selected.id:
                    self.view.selectRow(row)
        self._update_title()
        self._update_buttons()
        self.shown.emit()

    def _update_title(self) -> None:
        count = self.model.rowCount()
        if count:
            self.title.setText(
                ngettext("{count} waiting", "{count} waiting", count).format(count=count)
            )
        else:
            self.title.setText(_("Nobody is waiting"))

    def _update_buttons(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.serve_next_button.setEnabled(has_rows)
        self.remove_button.setEnabled(has_rows)

    # choosing ----------------------------------------------------------------------------
    def current_visit(self) -> Visit | None:
        selection = self.view.selectionModel()
        rows = selection.selectedRows() if selection else []
        return self.model.visit(rows[0].row()) if rows else None

    def _serve_row(self, row: int) -> None:
        visit = self.model.visit(row)
        if visit is not None:
            self.serve_requested.emit(visit.id)

    def _remove_current(self) -> None:
        visit = self.current_visit() or self.model.visit(0)
        if visit is not None:
            self.remove_requested.emit(visit.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            plain = (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                == Qt.KeyboardModifier.NoModifier
            )  # keypad Enter too
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
                visit = self.current_visit()
                if visit is not None:
                    self.serve_requested.emit(visit.id)
                return True
        return super().eventFilter(watched, event)
