"""A customer's last visits: when (relative, in the UI language), need, outcome, staff."""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from counter.customers import VisitSummary
from counter.outcomes import outcome_label
from ui.i18n import _, current

Index = QModelIndex | QPersistentModelIndex


class VisitHistoryModel(QAbstractTableModel):
    WHEN, NEED, OUTCOME, STAFF = range(4)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._visits: list[VisitSummary] = []
        self._now = int(time.time())

    def set_visits(self, visits: list[VisitSummary], now: int | None = None) -> None:
        self.beginResetModel()
        self._visits = list(visits)
        self._now = int(time.time()) if now is None else now
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if (
            orientation != Qt.Orientation.Horizontal
            or role != Qt.ItemDataRole.DisplayRole
            or not 0 <= section < 4
        ):
            return None
        return (_("When"), _("Need"), _("Outcome"), _("Served by"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._visits)):
            return None
        visit = self._visits[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.WHEN:
                return current().relative(visit.arrived_at, self._now)
            if column == self.NEED:
                return visit.need
            if column == self.OUTCOME:
                if visit.status == "waiting":
                    wait = max(0, self._now - visit.arrived_at)
                    return _("waiting {duration}").format(duration=current().duration(wait))
                if visit.status == "in_progress":
                    return _("in progress")
                label = outcome_label(visit.outcome, _) if visit.outcome else ""
                return f"{label} ⚠" if visit.complaint else label
            if column == self.STAFF:
                return visit.staff_name
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.WHEN:
                return current().datetime(visit.arrived_at)
            if column == self.NEED and visit.solution:
                return visit.solution
            if column == self.OUTCOME and visit.complaint:
                return _("There was a complaint during this visit.")
        return None

    def tick(self, now: int) -> None:
        """Time moved on: the relative times and waits are written again (no query)."""
        self._now = now
        if self._visits:
            last = len(self._visits) - 1
            self.dataChanged.emit(self.index(0, self.WHEN), self.index(last, self.OUTCOME))

    def update_visit(self, visit: VisitSummary) -> bool:
        """The open visit changed (a need typed, an outcome chosen): its row, in place. False
        if it is not listed (a new visit: reload the profile)."""
        for row, shown in enumerate(self._visits):
            if shown.id == visit.id:
                self._visits[row] = visit
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.STAFF))
                return True
        return False

    def refresh_texts(self) -> None:
        if self._visits:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._visits) - 1, 3))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)
