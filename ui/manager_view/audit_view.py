"""The audit log, newest first, fetched a page at a time as the manager scrolls."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from counter.audit import AuditEntry, action_label, count_entries, list_entries
from counter.roles import Session
from ui.i18n import N_, _, current
from ui.manager_view.audit_text import detail_text, subject_text
from ui.tasks import Runner

Index = QModelIndex | QPersistentModelIndex
HEADERS = (N_("When"), N_("Who"), N_("What"), N_("Whose data"), N_("Details"))
PAGE = 200
SUBJECT, DETAILS = 3, 4


class AuditLogModel(QAbstractTableModel):
    def __init__(self, runner: Runner, session: Session, parent=None):
        super().__init__(parent)
        self._runner = runner
        self._session = session
        self._entries: list[AuditEntry] = []
        self._total = 0
        self._fetching = False

    def reload(self) -> None:
        self.beginResetModel()
        self._entries, self._total, self._fetching = [], 0, True
        self.endResetModel()
        session = self._session

        def first(db):
            return count_entries(db, session), list_entries(db, session, limit=PAGE)

        self._runner.run(first, lambda result: self._loaded(0, *result))

    def _loaded(self, offset: int, total: int, entries: list[AuditEntry]) -> None:
        self._total = total
        if entries and offset == len(self._entries):
            self.beginInsertRows(QModelIndex(), offset, offset + len(entries) - 1)
            self._entries.extend(entries)
            self.endInsertRows()
        elif not entries:
            self._total = len(self._entries)
        self._fetching = False  # only now: no fetchMore() from a view or tester mid-insert

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._fetching and len(self._entries) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        offset, session, total = len(self._entries), self._session, self._total
        self._runner.run(
            lambda db: list_entries(db, session, limit=PAGE, offset=offset),
            lambda entries: self._loaded(offset, total, entries),
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return _(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ToolTipRole and column >= SUBJECT:
            # As written, for whoever needs the exact record (a number, a file name).
            return (entry.subject, entry.detail)[column - SUBJECT] or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            current().datetime(entry.at, "short"),  # the computer's own time zone
            entry.staff_name or "—",
            action_label(entry.action, _),
            subject_text(entry),
            detail_text(entry),
        )[column]

    def refresh_texts(self) -> None:
        if self._entries:
            last = self.index(len(self._entries) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)


class AuditLogView(QWidget):
    def __init__(self, runner: Runner, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("auditLog")
        self.model = AuditLogModel(runner, session, self)
        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # When, who, what and whose fit their longest text; the details take the rest.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        # No load here: the manager window loads the log when its tab is shown.

    def retranslate(self) -> None:
        self.table.setAccessibleName(_("Audit log"))
        self.model.refresh_texts()
