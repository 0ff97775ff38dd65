"""The visit's checklist: its steps (Space or Ctrl+1..9 ticks one, "Skip step" skips it), the
step the staff member is on, and the hint for that step.

It shows and chooses; it writes nothing. ``toggle_wanted`` and ``skip_wanted`` ask the visit
panel (ui/counter_view/visit_panel.py), which sends the write and shows the step as asked for
and then as committed (:meth:`ChecklistWidget.show_step`). Phrase suggestions follow
``step_changed``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.checklist import ChecklistStep
from counter.visits import Visit, VisitStep
from ui.fit import FlowLayout
from ui.i18n import _
from ui.models.checklist_model import ChecklistModel


class ChecklistWidget(QWidget):
    """The steps' table and the Done / Skip buttons under it. ``hint`` is made here but laid
    out by the panel (under the notes, beside the steps)."""

    step_changed = Signal(str)  # the current step's key ('' when none)
    toggle_wanted = Signal(str)  # tick or untick this step
    skip_wanted = Signal(str)  # skip this step

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.visit: Visit | None = None  # the visit whose steps these are (for the hint)
        self._hints: dict[str, ChecklistStep] = {}
        self.hints_language = ""
        self._current_key = ""

        self.model = ChecklistModel(self)
        self.model.toggle_requested.connect(self.toggle_wanted)
        self.steps = QTableView(self)
        self.steps.setObjectName("checklist")
        self.steps.setModel(self.model)
        self.steps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.steps.setTabKeyNavigation(False)
        self.steps.verticalHeader().hide()
        self.steps.setShowGrid(False)
        self.steps.setWordWrap(False)
        # A focus ring strong enough to see from a step away from the screen.
        self.steps.setStyleSheet(
            "QTableView#checklist:focus { border: 2px solid palette(highlight); }"
        )
        self.steps.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.steps.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header = self.steps.horizontalHeader()
        header.setSectionResizeMode(ChecklistModel.KEY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ChecklistModel.STEP, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ChecklistModel.STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.steps.installEventFilter(self)
        self.steps.selectionModel().currentRowChanged.connect(self._row_changed)

        self.hint = QLabel(self)
        self.hint.setObjectName("stepHint")
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        self.hint.setStyleSheet("QLabel#stepHint { padding-top: 4px; }")
        self.done_button = QPushButton(self)
        self.done_button.setObjectName("stepDone")
        self.done_button.clicked.connect(lambda: self.toggle_wanted.emit(self.current_step_key()))
        self.skip_button = QPushButton(self)
        self.skip_button.setObjectName("stepSkip")
        self.skip_button.clicked.connect(lambda: self.skip_wanted.emit(self.current_step_key()))
        step_buttons = FlowLayout()
        step_buttons.addWidget(self.done_button)
        step_buttons.addWidget(self.skip_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.steps, 1)
        layout.addLayout(step_buttons)

    def retranslate(self) -> None:
        self.steps.setAccessibleName(_("Checklist steps"))
        self.steps.setAccessibleDescription(
            _("Space or Ctrl+1 to Ctrl+9 ticks a step; ticking it again undoes it.")
        )
        self.done_button.setText(_("Done / undo (Space)"))
        self.skip_button.setText(_("S&kip step"))
        self.skip_button.setToolTip(_("Record that this step was skipped on purpose"))
        self.model.refresh_texts()
        if self.visit is not None:
            self.show_hint()

    # the steps ---------------------------------------------------------------------------
    def set_steps(self, steps: tuple[VisitStep, ...] | list[VisitStep]) -> None:
        """A visit's steps, every one in view."""
        self.model.set_steps(steps)
        self._fit_steps()

    def select_first_pending(self) -> None:
        """The cursor on the first step not done yet (the first step if all are)."""
        self.select_step(self._next_pending(-1))

    def _fit_steps(self) -> None:
        """Every step in view without scrolling (a checklist is short)."""
        rows = max(self.model.rowCount(), 5)
        height = (
            self.steps.verticalHeader().defaultSectionSize() * rows
            + self.steps.horizontalHeader().sizeHint().height()
            + 2 * self.steps.frameWidth()
            + 4
        )
        self.steps.setMinimumHeight(height)

    def shown_steps(self) -> tuple[VisitStep, ...]:
        """The steps as on screen: a tick still on its way counts."""
        steps = (self.model.step(row) for row in range(self.model.rowCount()))
        return tuple(step for step in steps if step is not None)

    def show_step(self, step: VisitStep, *, saving: bool = False) -> None:
        """``step`` as asked for (``saving``: on its way) or as committed; a step that is no
        longer pending moves the cursor on to the next one."""
        row = self.model.row_of(step.key)
        self.model.update_step(step, saving=saving)
        if step.status != "pending" and row == self.steps.currentIndex().row():
            following = self._next_pending(row)
            if following >= 0:
                self.select_step(following)
        self.show_hint()

    def step_number(self, number: int) -> str:
        """The step at 1-based ``number`` (Ctrl+number), or '' if there is none."""
        step = self.model.step(number - 1)
        return step.key if step else ""

    # the current step --------------------------------------------------------------------
    def current_step_key(self) -> str:
        return self._current_key

    def _row_changed(self, current_index: QModelIndex, _previous: QModelIndex) -> None:
        step = self.model.step(current_index.row()) if current_index.isValid() else None
        self.set_current_key(step.key if step else "")

    def set_current_key(self, key: str) -> None:
        if key != self._current_key:
            self._current_key = key
            self.show_hint()
            self.step_changed.emit(key)

    def select_step(self, row: int) -> None:
        if row < 0:
            row = 0 if self.model.rowCount() else -1
        step = self.model.step(row)
        if step is None:
            self.set_current_key("")
            return
        index = self.model.index(row, ChecklistModel.STEP)
        self.steps.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.set_current_key(step.key)

    def _next_pending(self, after_row: int) -> int:
        count = self.model.rowCount()
        for offset in range(1, count + 1):
            row = (after_row + offset) % count
            step = self.model.step(row)
            if step is not None and step.status == "pending":
                return row
        return -1

    # the hint ----------------------------------------------------------------------------
    def set_hints(self, language: str, steps: list[ChecklistStep]) -> None:
        """The store's checklist in ``language``: the hint of each step."""
        self._hints = {s.key: s for s in steps}
        self.hints_language = language
        self.show_hint()

    def show_hint(self) -> None:
        key = self.current_step_key()
        visit = self.visit
        if visit is None or not key:
            self.hint.setText("")
            return
        step = visit.step(key)
        configured = self._hints.get(key)
        hint = configured.hint_text(_) if configured is not None else ""
        parts = []
        if step is not None:
            parts.append("<b>" + html.escape(step.text(_)) + "</b>")
        if hint:
            parts.append(html.escape(hint))
        if key == "thank" and visit.address_as:
            parts.append(
                "<i>"
                + html.escape(
                    _("“Thank you, {name}, for the chance to help you today.”").format(
                        name=visit.address_as
                    )
                )
                + "</i>"
            )
        self.hint.setText(" — ".join(parts[:2]) + ("<br>" + parts[2] if len(parts) > 2 else ""))

    # keyboard ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.steps and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if (
                event.key() == Qt.Key.Key_Space
                and event.modifiers() == Qt.KeyboardModifier.NoModifier
            ):
                self.toggle_wanted.emit(self.current_step_key())
                return True
        return super().eventFilter(watched, event)
