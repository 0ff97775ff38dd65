"""The waiting queue: who is waiting and for how long, longest first.

The wait timers tick from a QTimer every second against the clock, never by re-reading the
database: the rows' texts are repainted from memory. Past the store's amber and red thresholds
a row's wait turns amber, then red, and says so in words for screen readers and tooltips.
The wait is shown to the second (never rounded up), so the colour and the number agree.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush

from counter.i18n import clock_text
from ui import theme
from ui.i18n import _, current

if TYPE_CHECKING:  # counter.visits loads on the worker after the first paint
    from counter.visits import Visit

Index = QModelIndex | QPersistentModelIndex


def visitor_name(visit: Visit) -> str:
    """The customer's name, or how to tell a walk-in apart."""
    if visit.customer_id is not None:
        if visit.latin_name:
            return f"{visit.customer_name} ({visit.latin_name})"
        return visit.customer_name or _("(name erased)")
    if visit.customer_name:
        return _("{name} (walk-in)").format(name=visit.customer_name)
    return _("Walk-in, arrived {time}").format(time=current().time(visit.arrived_at))


class QueueModel(QAbstractTableModel):
    NAME, WAIT = range(2)
    VisitRole = Qt.ItemDataRole.UserRole + 1
    LevelRole = Qt.ItemDataRole.UserRole + 2  # "ok" | "amber" | "red"

    def __init__(
        self,
        clock: Callable[[], int] = lambda: int(time.time()),
        amber_minutes: int = 3,
        red_minutes: int = 8,
        parent=None,
    ):
        super().__init__(parent)
        self._clock = clock
        self._visits: list[Visit] = []
        self._now = clock()
        self.amber_seconds = amber_minutes * 60
        self.red_seconds = red_minutes * 60
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)

    # data in -----------------------------------------------------------------------------
    def set_visits(self, visits: list[Visit]) -> None:
        self.beginResetModel()
        self._visits = list(visits)
        self._now = self._clock()
        self.endResetModel()
        if self._visits:
            self.timer.start()
        else:
            self.timer.stop()

    def set_thresholds(self, amber_minutes: int, red_minutes: int) -> None:
        self.amber_seconds, self.red_seconds = amber_minutes * 60, red_minutes * 60
        self.tick()

    def tick(self) -> None:
        """One second passed: repaint the waits (and the names' spoken text, which says it)."""
        self._now = self._clock()
        if self._visits:
            last = len(self._visits) - 1
            self.dataChanged.emit(self.index(0, self.NAME), self.index(last, self.WAIT))

    # reading -----------------------------------------------------------------------------
    def visit(self, row: int) -> Visit | None:
        return self._visits[row] if 0 <= row < len(self._visits) else None

    def visits(self) -> list[Visit]:
        return list(self._visits)

    def wait_seconds(self, row: int) -> int:
        return self._visits[row].wait_seconds(self._now)

    def level(self, row: int) -> str:
        # Over the threshold, as the words say ("over 3 min") and as the visit log and the
        # end-of-visit summary count it: 3:00 is not yet amber, 3:01 is.
        wait = self.wait_seconds(row)
        if wait > self.red_seconds:
            return "red"
        if wait > self.amber_seconds:
            return "amber"
        return "ok"

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if (
            orientation != Qt.Orientation.Horizontal
            or role != Qt.ItemDataRole.DisplayRole
            or not 0 <= section < 2
        ):
            return None
        return (_("Customer"), _("Wait"))[section]

    def _level_words(self, row: int) -> str:
        level = self.level(row)
        minutes = (self.red_seconds if level == "red" else self.amber_seconds) // 60
        if level == "red":
            return _("over {minutes} min: serve now").format(minutes=minutes)
        if level == "amber":
            return _("over {minutes} min").format(minutes=minutes)
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._visits)):
            return None
        row, column = index.row(), index.column()
        visit = self._visits[row]
        if role == self.VisitRole:
            return visit
        if role == self.LevelRole:
            return self.level(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return visitor_name(visit)
            if column == self.WAIT:
                return clock_text(self.wait_seconds(row))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.WAIT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)
            and column == self.WAIT
        ):
            level = self.level(row)
            if level == "ok":
                return None
            c = theme.colours()
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(c.timer_red if level == "red" else c.timer_amber)
            return QBrush(c.timer_red_text if level == "red" else c.timer_amber_text)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            wait = _("waiting {duration}").format(
                duration=current().exact_duration(self.wait_seconds(row), "long")
            )
            words = self._level_words(row)
            text = f"{visitor_name(visit)}, {wait}"
            return f"{text} ({words})" if words else text
        return None
