"""Open follow-ups: when due (overdue ones in red, and said in words), whose, what, and who
will do it."""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from counter.follow_ups import FollowUpItem
from ui import theme
from ui.i18n import _, current

Index = QModelIndex | QPersistentModelIndex


class FollowUpModel(QAbstractTableModel):
    DUE, CUSTOMER, PROMISE, OWNER = range(4)
    ItemRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self._items: list[FollowUpItem] = []
        self._now = int(time.time())

    def set_items(self, items: list[FollowUpItem], now: int) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._now = now
        self.endResetModel()

    def item(self, row: int) -> FollowUpItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

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
        return (_("Due"), _("Customer"), _("Promise"), _("Owner"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._items)):
            return None
        item = self._items[index.row()]
        column = index.column()
        overdue = item.overdue(self._now)
        if role == self.ItemRole:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DUE:
                when = current().relative(item.due_at, self._now)
                return _("overdue, {when}").format(when=when) if overdue else when
            if column == self.CUSTOMER:
                return item.customer_name
            if column == self.PROMISE:
                return item.description
            if column == self.OWNER:
                return item.owner_name or "—"
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DUE:
            return current().datetime(item.due_at)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.CUSTOMER and item.phone:
            return item.phone
        if role == Qt.ItemDataRole.ToolTipRole and column == self.PROMISE:
            return item.description  # whole, where the column cuts it
        if role == Qt.ItemDataRole.ForegroundRole and overdue and column == self.DUE:
            return QBrush(theme.colours().danger)
        if role == Qt.ItemDataRole.FontRole and overdue and column == self.DUE:
            font = QFont()
            font.setBold(True)
            return font
        return None
