"""The steps of the visit being served: shortcut, step (ticked or not), and when it was done
or skipped, or "saving…" while a tick waits for the database. Each row has a full sentence for
screen readers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from counter.visits import VisitStep
from ui.i18n import _, current

Index = QModelIndex | QPersistentModelIndex

MAX_SHORTCUT = 9  # Ctrl+1 .. Ctrl+9


class ChecklistModel(QAbstractTableModel):
    KEY, STEP, STATUS = range(3)
    StepRole = Qt.ItemDataRole.UserRole + 1

    toggle_requested = Signal(str)  # a step's check box was clicked: the step key

    def __init__(self, parent=None):
        super().__init__(parent)
        self._steps: list[VisitStep] = []
        self._saving: set[str] = set()  # keys shown as asked for, not yet committed

    def set_steps(self, steps: tuple[VisitStep, ...] | list[VisitStep]) -> None:
        self.beginResetModel()
        self._steps = list(steps)
        self._saving.clear()
        self.endResetModel()

    def update_step(self, step: VisitStep, *, saving: bool = False) -> bool:
        """One step changed: repaint that row only. False if the step is not shown.
        ``saving``: shown as asked for, still on its way to the database."""
        for row, shown in enumerate(self._steps):
            if shown.key == step.key:
                self._steps[row] = step
                if saving:
                    self._saving.add(step.key)
                else:
                    self._saving.discard(step.key)
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.STATUS))
                return True
        return False

    def step(self, row: int) -> VisitStep | None:
        return self._steps[row] if 0 <= row < len(self._steps) else None

    def is_saving(self, key: str) -> bool:
        return key in self._saving

    def row_of(self, key: str) -> int:
        return next((row for row, s in enumerate(self._steps) if s.key == key), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._steps)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if (
            orientation != Qt.Orientation.Horizontal
            or role != Qt.ItemDataRole.DisplayRole
            or not 0 <= section < 3
        ):
            return None
        return (_("Key"), _("Step"), _("When"))[section]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.STEP:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def _status_text(self, step: VisitStep) -> str:
        if step.key in self._saving:
            return _("saving…")
        if step.status == "done":
            return current().time(step.at) if step.at is not None else _("done")
        if step.status == "skipped":
            return _("skipped")
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._steps)):
            return None
        row, column = index.row(), index.column()
        step = self._steps[row]
        if role == self.StepRole:
            return step
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.KEY:
                return f"Ctrl+{row + 1}" if row < MAX_SHORTCUT else ""
            if column == self.STEP:
                return step.text(_)
            if column == self.STATUS:
                return self._status_text(step)
        if role == Qt.ItemDataRole.CheckStateRole and column == self.STEP:
            return Qt.CheckState.Checked if step.status == "done" else Qt.CheckState.Unchecked
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and step.key in self._saving
            and column == self.STATUS
        ):
            return QBrush(QApplication.palette().color(QPalette.ColorRole.Link))
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and step.status == "skipped"
            and column != self.KEY
        ):
            return QBrush(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            state = {
                "done": _("done"),
                "skipped": _("skipped"),
                "pending": _("not done yet"),
            }[step.status]
            if step.key in self._saving:
                state = _("{state}, waiting for the database").format(state=state)
            return _("Step {number} of {count}: {step}, {state}").format(
                number=row + 1, count=len(self._steps), step=step.text(_), state=state
            )
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        # The tick is the domain's to record: ask for it; the row repaints when it committed.
        if (
            index.isValid()
            and role == Qt.ItemDataRole.CheckStateRole
            and index.column() == self.STEP
        ):
            step = self.step(index.row())
            if step is not None:
                self.toggle_requested.emit(step.key)
        return False

    def refresh_texts(self) -> None:
        if self._steps:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._steps) - 1, self.STATUS))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)
