"""The configured checklist as the manager's editor lists it, in the language being edited:
position, label, hint, shown or hidden, built-in or the store's own. Hidden steps are greyed;
each row has a full sentence for screen readers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from counter.checklist import ChecklistStep
from ui.i18n import _, current, pgettext

Index = QModelIndex | QPersistentModelIndex


def kind_text(step: ChecklistStep) -> str:
    if not step.builtin:
        return _("Store's own")
    return _("Built-in") if step.translatable else _("Built-in, renamed")


class ChecklistStepsModel(QAbstractTableModel):
    NUMBER, LABEL, HINT, SHOWN, KIND = range(5)
    COLUMNS = 5
    StepRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self._steps: list[ChecklistStep] = []
        self._gettext: Callable[[str], str] = _  # the edited language's catalog

    def set_steps(self, steps: list[ChecklistStep], gettext: Callable[[str], str]) -> None:
        self.beginResetModel()
        self._steps = list(steps)
        self._gettext = gettext
        self.endResetModel()

    def step(self, row: int) -> ChecklistStep | None:
        return self._steps[row] if 0 <= row < len(self._steps) else None

    def keys(self) -> list[str]:
        return [s.key for s in self._steps]

    def row_of(self, key: str) -> int:
        return next((row for row, s in enumerate(self._steps) if s.key == key), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._steps)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < self.COLUMNS:
            return None
        return (_("No."), _("Step"), _("Hint"), _("On new visits"), _("Kind"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._steps):
            return None
        step, column = self._steps[index.row()], index.column()
        if role == self.StepRole:
            return step
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NUMBER:
                return current().number(index.row() + 1)
            if column == self.LABEL:
                return step.text(self._gettext)
            if column == self.HINT:
                return step.hint_text(self._gettext)
            if column == self.SHOWN:
                return pgettext("step", "Hidden") if step.hidden else pgettext("step", "Shown")
            if column == self.KIND:
                return kind_text(step)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and step.hidden:
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            tr = current()
            return _("Step {number} of {count}: {step}, {shown}, {kind}").format(
                number=tr.number(index.row() + 1),
                count=tr.number(len(self._steps)),
                step=step.text(self._gettext),
                shown=pgettext("step", "hidden") if step.hidden else pgettext("step", "shown"),
                kind=kind_text(step),
            )
        if role == Qt.ItemDataRole.ToolTipRole and column == self.HINT:
            return step.hint_text(self._gettext) or None
        return None

    def refresh_texts(self) -> None:
        if self._steps:
            last = self.index(len(self._steps) - 1, self.COLUMNS - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMNS - 1)
