"""The customer search result list: name (as their language writes it), phone tail, last visit."""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from counter.address import NameParts, full_name
from counter.search import SearchHit
from ui.i18n import _, current

Index = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractTableModel):
    NAME, PHONE, LAST_VISIT = range(3)
    HitRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._now = int(time.time())

    def set_hits(self, hits: list[SearchHit], now: int | None = None) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self._now = int(time.time()) if now is None else now
        self.endResetModel()

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation != Qt.Horizontal or role != Qt.DisplayRole:
            return None
        return (_("Name"), _("Phone"), _("Last visit"))[section] if 0 <= section < 3 else None

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._hits)):
            return None
        hit = self._hits[index.row()]
        column = index.column()
        if role == self.HitRole:
            return hit
        if role == Qt.DisplayRole:
            if column == self.NAME:
                return _display_name(hit)
            if column == self.PHONE:
                return hit.phone_tail
            if column == self.LAST_VISIT:
                if hit.last_visit_at is None:
                    return _("never")
                return current().relative(hit.last_visit_at, self._now)
        if role == Qt.ToolTipRole and column == self.NAME:
            return " · ".join(p for p in (hit.native_name, hit.phone, hit.card) if p) or None
        if role == Qt.AccessibleTextRole and column == self.NAME:
            return _display_name(hit)
        return None

    def refresh_texts(self) -> None:
        """Language changed: headers and relative dates are re-read."""
        if self._hits:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._hits) - 1, 2))
        self.headerDataChanged.emit(Qt.Horizontal, 0, 2)


def _display_name(hit: SearchHit) -> str:
    name = full_name(NameParts(hit.given_name, hit.family_name, hit.native_name), hit.language)
    latin = full_name(NameParts(hit.given_name, hit.family_name), "en")
    if hit.native_name and latin and latin != name:
        return f"{name} ({latin})"
    return name or latin
