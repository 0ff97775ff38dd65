"""A read-only table over a list of domain dataclasses, described by its columns: the header
msgid (translated when shown) and how to show one item. For small lists (staff, the per-staff
comparison); big tables use lazy models (``visit_log_model``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui.i18n import _

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str  # a msgid
    show: Callable[[Any], str]
    numeric: bool = False  # right-aligned
    tooltip: Callable[[Any], str] | None = None


class ListTableModel(QAbstractTableModel):
    ItemRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self._columns = list(columns)
        self._items: list[Any] = []

    @property
    def items(self) -> list[Any]:
        return list(self._items)

    def set_items(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> Any:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        in_range = 0 <= section < len(self._columns)
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and in_range
        ):
            return _(self._columns[section].header)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item, column = self._items[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.show(item)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(item) or None
        if role == self.ItemRole:
            return item
        return None

    def refresh_texts(self) -> None:
        if self._items:
            last = self.index(len(self._items) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
