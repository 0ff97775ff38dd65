"""The chain's visit log (read from the hub, ``counter.office``) as a lazy table: newest first,
the next page fetched as the view scrolls to the end (``canFetchMore``/``fetchMore``), each
page after the last row of the one before (keyset: page 500 as fast as page 1). No count query:
the first page comes back as fast as the hub can give it."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush

from counter import office
from counter.i18n import clock_text
from counter.outcomes import outcome_label
from ui import theme
from ui.i18n import N_, _, current
from ui.tasks import Runner

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    ("store", N_("Store")),
    ("arrived", N_("Arrived")),
    ("customer", N_("Customer")),
    ("staff", N_("Staff")),
    ("outcome", N_("Outcome")),
    ("wait", N_("Wait")),
    ("service", N_("Service")),
    ("complaint", N_("Complaint")),
)


class OfficeLogModel(QAbstractTableModel):
    """Rows of :class:`counter.office.OfficeVisitRow` for one link and filter."""

    loaded = Signal(int)  # rows held, after each page
    load_failed = Signal(object)

    def __init__(self, hub_runner: Runner, parent=None):
        super().__init__(parent)
        self._runner = hub_runner
        self._link: office.OfficeLink | None = None
        self._filter = office.OfficeFilter()
        self._rows: list[office.OfficeVisitRow] = []
        self._more = False  # the last page was full: there may be another
        self._fetching = False
        self._generation = 0  # bumps on every reset: pages of an older query are dropped
        self.page_size = office.PAGE_SIZE

    @property
    def filter(self) -> office.OfficeFilter:
        return self._filter

    @property
    def rows(self) -> list[office.OfficeVisitRow]:
        return list(self._rows)

    def set_source(self, link: office.OfficeLink | None, f: office.OfficeFilter) -> None:
        """Show ``f``'s visits from ``link``'s hub, from the first page."""
        self._link, self._filter = link, f
        self._generation += 1
        self.beginResetModel()
        self._rows, self._more, self._fetching = [], False, False
        self.endResetModel()
        if link is not None:
            self._fetch(self._generation, None)

    def _fetch(self, generation: int, before: tuple[int, str] | None) -> None:
        link, f, size = self._link, self._filter, self.page_size
        if link is None:
            return
        self._fetching = True
        self._runner.run(
            lambda _db: office.list_visits(link.conn, link.scope, f, limit=size, before=before),
            lambda rows: self._page_loaded(generation, before, rows),
            lambda error: self._page_failed(generation, error),
            key="office-log" if before is None else None,
        )

    def _page_loaded(
        self, generation: int, before: tuple[int, str] | None, rows: list[office.OfficeVisitRow]
    ) -> None:
        if generation != self._generation:
            return
        last = (self._rows[-1].arrived_at, self._rows[-1].gid) if self._rows else None
        if before != last:  # a page that no longer follows what is shown
            return
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._more = len(rows) >= self.page_size
        self._fetching = False
        self.loaded.emit(len(self._rows))

    def _page_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._fetching = False
            self._more = False  # no endless retries from the view; Refresh starts again
        self.load_failed.emit(error)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent) and self._rows:
            self._fetch(self._generation, (self._rows[-1].arrived_at, self._rows[-1].gid))

    # the table ----------------------------------------------------------------------------
    def row_at(self, row: int) -> office.OfficeVisitRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section][1])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def _target(self, visit: office.OfficeVisitRow, key: str) -> int | None:
        if self._link is None:
            return None
        for store in self._link.scope.stores:
            if store.id == visit.store_id:
                return store.targets.wait if key == "wait" else store.targets.service
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        visit = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(visit, key)
        if key in ("wait", "service"):
            seconds = visit.wait if key == "wait" else visit.service
            target = self._target(visit, key)
            over = seconds is not None and target is not None and seconds > target
            if role == Qt.ItemDataRole.ForegroundRole and over:
                return QBrush(theme.colours().danger)
            if role == Qt.ItemDataRole.ToolTipRole and over and target is not None:
                return _("Over this store's target of {time}").format(time=clock_text(target))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and key == "arrived":
            return current().datetime(visit.arrived_at, "full")
        return None

    @staticmethod
    def _display(visit: office.OfficeVisitRow, key: str) -> str:
        if key == "store":
            return visit.store_name
        if key == "arrived":
            return current().datetime(visit.arrived_at, "short")
        if key == "customer":
            if visit.customer_erased:
                return _("(erased)")
            return visit.customer_name or _("Walk-in")
        if key == "staff":
            return visit.staff_name
        if key == "outcome":
            return outcome_label(visit.outcome, _) if visit.outcome else ""
        if key in ("wait", "service"):
            seconds = visit.wait if key == "wait" else visit.service
            return "" if seconds is None else clock_text(seconds)
        if key == "complaint":
            return _("Yes") if visit.complaint else ""
        return ""
