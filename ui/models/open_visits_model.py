"""Visits left in progress (after a crash, or at closing time): who, served by whom, since
when, and how far the checklist got."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from counter.visits import Visit
from ui.i18n import _, current
from ui.models.queue_model import visitor_name

Index = QModelIndex | QPersistentModelIndex


class OpenVisitsModel(QAbstractTableModel):
    CUSTOMER, STAFF, STARTED, PROGRESS = range(4)
    VisitRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self._visits: list[Visit] = []

    def set_visits(self, visits: list[Visit]) -> None:
        self.beginResetModel()
        self._visits = list(visits)
        self.endResetModel()

    def visit(self, row: int) -> Visit | None:
        return self._visits[row] if 0 <= row < len(self._visits) else None

    def remove(self, visit_id: int) -> None:
        for row, visit in enumerate(self._visits):
            if visit.id == visit_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._visits[row]
                self.endRemoveRows()
                return

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
        return (_("Customer"), _("Served by"), _("Started"), _("Steps done"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._visits)):
            return None
        visit = self._visits[index.row()]
        column = index.column()
        if role == self.VisitRole:
            return visit
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.CUSTOMER:
                return visitor_name(visit)
            if column == self.STAFF:
                return visit.staff_name or "—"
            if column == self.STARTED:
                return current().datetime(visit.started_at or visit.arrived_at, "short")
            if column == self.PROGRESS:
                return _("{done} of {count}").format(
                    done=visit.steps_done(), count=len(visit.steps)
                )
        return None
