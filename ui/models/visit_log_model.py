"""The visit log as a lazy table: a count query, then pages fetched as the view scrolls
(``canFetchMore``/``fetchMore``). Sorting and filtering happen in SQL; the model only ever
holds the rows that were scrolled to."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QGuiApplication, QPixmap

from counter import feedback
from counter.durations import Targets
from counter.i18n import clock_text
from counter.outcomes import outcome_label
from counter.roles import Session
from counter.visit_filter import VisitFilter
from counter.visit_log import PAGE_SIZE, VisitRow, count_visits, list_visits
from ui import theme
from ui.customer_screen.faces import face_pixmap
from ui.i18n import N_, _, current
from ui.tasks import Runner

Index = QModelIndex | QPersistentModelIndex

# (sort key in counter.visit_log, header msgid) per column.
COLUMNS = (
    ("arrived", N_("Arrived")),
    ("customer", N_("Customer")),
    ("staff", N_("Served by")),
    ("language", N_("Language")),
    ("need", N_("Need")),
    ("outcome", N_("Outcome")),
    ("wait", N_("Wait")),
    ("service", N_("Service")),
    ("steps", N_("Steps skipped")),
    ("feedback", N_("Customer's answer")),
)
FACE_ICON = 16  # pixels: a face drawn small in the answer column


class VisitLogModel(QAbstractTableModel):
    """Rows of :class:`VisitRow`. ``VisitIdRole`` gives a row's visit id."""

    VisitIdRole = Qt.ItemDataRole.UserRole + 1
    count_changed = Signal(int)  # total matching visits, after each filter/sort change
    load_failed = Signal(object)

    def __init__(self, runner: Runner, session: Session, clock, parent=None):
        super().__init__(parent)
        self._runner = runner
        self._session = session
        self._clock = clock
        self._rows: list[VisitRow] = []
        self._total = 0
        self._filter = VisitFilter()
        self._counted_filter: VisitFilter | None = None
        self._sort = "arrived"
        self._descending = True
        self._generation = 0  # bumps on every reset: pages of an older query are dropped
        self._fetching = False
        self._targets: Targets | None = None
        self.page_size = PAGE_SIZE
        self._icons: dict[int, QPixmap] = {}

    # queries ------------------------------------------------------------------------------
    @property
    def filter(self) -> VisitFilter:
        return self._filter

    @property
    def total(self) -> int:
        return self._total

    def set_targets(self, targets: Targets) -> None:
        """New targets colour the rows already loaded at once."""
        if targets == self._targets:
            return
        self._targets = targets
        if self._rows:
            last = self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def set_filter(self, f: VisitFilter) -> None:
        self._filter = f
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = COLUMNS[column][0]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def reload(self, *, recount: bool = False) -> None:
        """Start again from the first page. The count (which also audits a look at one
        customer's visits) is only redone for a new filter (or when asked), not a new sort."""
        self._generation += 1
        generation = self._generation
        known_total = self._total
        recount = recount or self._counted_filter != self._filter
        self.beginResetModel()
        self._rows = []
        self._total = 0
        self._fetching = False
        self.endResetModel()
        session, f, now = self._session, self._filter, self._clock()
        sort, descending, size = self._sort, self._descending, self.page_size

        def first_page(db):
            total = count_visits(db, session, f, now=now) if recount else known_total
            rows = list_visits(db, session, f, sort=sort, descending=descending, limit=size)
            return total, rows

        self._runner.run(
            first_page,
            lambda result: self._first_page_loaded(generation, f, *result),
            self.load_failed.emit,
            key="visit-log",
        )

    def _first_page_loaded(
        self, generation: int, f: VisitFilter, total: int, rows: list[VisitRow]
    ) -> None:
        if generation != self._generation:
            return
        self._counted_filter = f
        self._total = total
        if rows:
            self._fetching = True  # no fetchMore() from a view or tester mid-insert
            self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
            self._rows = rows
            self.endInsertRows()
            self._fetching = False
        self.count_changed.emit(total)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, offset = self._generation, len(self._rows)
        session, f = self._session, self._filter
        sort, descending, size = self._sort, self._descending, self.page_size
        self._runner.run(
            lambda db: list_visits(
                db, session, f, sort=sort, descending=descending, limit=size, offset=offset
            ),
            lambda rows: self._page_loaded(generation, offset, rows),
            self._page_failed,
        )

    def _page_loaded(self, generation: int, offset: int, rows: list[VisitRow]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        if not rows:
            self._fetching = False
            self._total = len(self._rows)  # visits were deleted meanwhile
            return
        self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
        self._fetching = False

    def _page_failed(self, error: BaseException) -> None:
        self._fetching = False
        self.load_failed.emit(error)

    # the table ----------------------------------------------------------------------------
    def row_at(self, row: int) -> VisitRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        visit = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(visit, key)
        if role == self.VisitIdRole:
            return visit.id
        if key == "feedback" and role == Qt.ItemDataRole.DecorationRole and visit.feedback:
            return self._face_icon(visit.feedback)
        if role == Qt.ItemDataRole.ForegroundRole and self._over_target(visit, key):
            return QBrush(theme.colours().danger)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("wait", "service", "steps"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key in ("wait", "service"):
                return self._duration_tip(visit, key)
            if key == "arrived":
                return current().datetime(visit.arrived_at, "full")
            if key == "need" and visit.solution:
                return visit.solution
            if key == "outcome" and visit.complaint:
                return _("There was a complaint during this visit.")
            if key == "feedback":
                return self._feedback_tip(visit)
        return None

    def _face_icon(self, face: int) -> QPixmap:
        icon = self._icons.get(face)
        if icon is None:
            icon = self._icons[face] = face_pixmap(face, FACE_ICON, QGuiApplication.palette(), 2.0)
        return icon

    @staticmethod
    def _feedback_tip(visit: VisitRow) -> str | None:
        if visit.feedback is None:
            return _("The customer screen did not ask about this visit.")
        if not visit.feedback:
            return _("Asked; the customer did not answer.")
        name = feedback.face_name(visit.feedback, _)
        if not visit.feedback_reason:
            return name
        return _("{face}: {reason}").format(
            face=name, reason=feedback.reason_label(visit.feedback_reason, _)
        )

    def _display(self, visit: VisitRow, key: str) -> str:
        tr = current()
        if key == "arrived":
            return tr.datetime(visit.arrived_at, "short")
        if key == "customer":
            if visit.customer_erased:
                return _("(erased)")
            return visit.customer_name or _("Walk-in")
        if key == "staff":
            return visit.staff_name
        if key == "language":
            return tr.language_name(visit.language) if visit.language else ""
        if key == "need":
            return visit.need
        if key == "outcome":
            label = outcome_label(visit.outcome, _) if visit.outcome else ""
            return f"{label} ⚠" if visit.complaint else label
        if key in ("wait", "service"):
            seconds = visit.wait if key == "wait" else visit.service
            # To the second, as the queue shows it: a rounded "3m" was black for 2:39 and
            # red for 3:23 against a 3 min target.
            return "" if seconds is None else clock_text(seconds)
        if key == "feedback":
            if visit.feedback is None:
                return ""
            return feedback.face_name(visit.feedback, _)
        if key == "steps":
            if not visit.steps_total:
                return ""
            return tr.number(visit.steps_skipped) if visit.steps_skipped else "—"
        return ""

    def _duration_tip(self, visit: VisitRow, key: str) -> str | None:
        seconds = visit.wait if key == "wait" else visit.service
        if seconds is None:
            return None
        tr = current()
        text = tr.exact_duration(seconds, "long")
        if self._targets is None:
            return text
        target = self._targets.wait if key == "wait" else self._targets.service
        if self._over_target(visit, key):
            return _("{duration}: {over} over the {target} target").format(
                duration=text,
                over=tr.exact_duration(seconds - target),
                target=tr.exact_duration(target),
            )
        return _("{duration}: within the {target} target").format(
            duration=text, target=tr.exact_duration(target)
        )

    def _over_target(self, visit: VisitRow, key: str) -> bool:
        if self._targets is None:
            return False
        if key == "wait":
            return visit.wait is not None and visit.wait > self._targets.wait
        if key == "service":
            return visit.service is not None and visit.service > self._targets.service
        return key == "outcome" and visit.complaint

    def refresh_texts(self) -> None:
        if self._rows:
            last = self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
