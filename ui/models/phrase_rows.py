"""The phrases of one language and step as the manager's editor lists them: the text and
whether it is the catalog's, edited, hidden, added here or not yet translated."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from counter.phrase_overrides import EditorRow
from ui.i18n import _

Index = QModelIndex | QPersistentModelIndex


def status_text(row: EditorRow) -> str:
    if row.kind == "catalog" and not row.catalog_text:
        return _("Not translated")
    return {
        "catalog": _("From the catalog"),
        "edited": _("Edited"),
        "hidden": _("Hidden"),
        "custom": _("Added here") if not row.hidden else _("Hidden"),
    }[row.kind]


class PhraseRowsModel(QAbstractTableModel):
    TEXT, STATUS = range(2)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[EditorRow] = []

    def set_rows(self, rows: list[EditorRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> EditorRow | None:
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

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
        return (_("Phrase"), _("Status"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == self.TEXT:
                return row.text or row.msgid
            return status_text(row)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.TEXT and row.msgid:
            return row.msgid
        if role == Qt.ItemDataRole.ForegroundRole and (row.hidden or not row.text):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def refresh_texts(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 1)
