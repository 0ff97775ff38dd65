"""The visit being served: the checklist (Ctrl+1..9 or Space to tick, Skip to skip), the hint
for the current step, the complaint path, need / offered / outcome, a follow-up for a promise,
and ending (Ctrl+Enter) with the wait and service time against the store's targets.

Every tick, note and outcome goes to the domain at once through the task runner as a write
that must land: if another program holds the database's write lock it waits and is tried
again, never dropped. The panel repaints from the change that comes back, so what is on screen
is what was committed; a tick or undo still on its way shows its new state marked "saving…".
Phrase suggestions (issue 3) hook in through :meth:`current_step_key` and ``step_changed``.
"""

from __future__ import annotations

import dataclasses
import html
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter import checklist, visits
from counter.checklist import ChecklistStep
from counter.errors import ValidationError
from counter.outcomes import configured_outcomes, outcome_label
from counter.visits import Visit, VisitChange
from ui import theme
from ui.accessible import name_by_label
from ui.error_text import error_text
from ui.fit import FitLabel, FlowLayout, VerticalScroll
from ui.i18n import _, current
from ui.models.checklist_model import ChecklistModel
from ui.models.queue_model import clock_text, visitor_name
from ui.tasks import Runner

if TYPE_CHECKING:  # opened on Ctrl+P, imported then
    from ui.counter_view.follow_up_dialog import FollowUpDialog

SAVE_TEXT_AFTER_MS = 1200  # typing pauses this long: the note is committed
# The most height a visit's checklist and notes claim from the window (they scroll past
# that): a 1280 × 800 screen still shows the profile above the visit.
VISIT_MIN_HEIGHT = 360


def visit_error_text(error: BaseException) -> str:
    """A domain error as the staff member reads it, for the visit on screen."""
    return error_text(error, missing=_("That visit or step no longer exists."))


class VisitPanel(QWidget):
    step_changed = Signal(str)  # the current step's key ('' when no visit)
    changed = Signal(object)  # a VisitChange committed from this panel
    ended = Signal(object)  # the VisitChange of a visit that just ended
    shown = Signal(object)  # the Visit now in the panel (started or resumed)
    message = Signal(str)  # something to tell the staff member (status bar)
    follow_up_saved = Signal(object)  # a FollowUpChange

    def __init__(
        self,
        runner: Runner,
        *,
        clock: Callable[[], int] = lambda: int(time.time()),
        staff_id: Callable[[], int | None] = lambda: None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._runner = runner
        self._clock = clock
        self._staff_id = staff_id
        self.visit: Visit | None = None
        self._hints: dict[str, ChecklistStep] = {}
        self._hints_language = ""
        self._outcomes: list[str] = []
        self._current_key = ""
        self._confirming_end = False
        self._summary: VisitChange | None = None
        # Writes on their way to the database: step key -> the statuses asked for, in order;
        # field name -> how many writes of it are on their way.
        self._unsaved_steps: dict[str, list[str]] = {}
        self._unsaved_fields: dict[str, int] = {}
        self.setObjectName("visitPanel")

        self.empty = QLabel(self)
        self.empty.setObjectName("visitEmpty")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.summary_page = self._build_summary_page()
        self.visit_page = self._build_visit_page()

        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.visit_page)
        self.stack.addWidget(self.summary_page)
        self.stack.currentChanged.connect(self._page_changed)
        self._page_changed(0)

        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._update_timers)
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_TEXT_AFTER_MS)
        self.save_timer.timeout.connect(self.save_texts)
        self.retranslate()
        theme.follow(self, self._recolour)

    def _recolour(self) -> None:
        """The end-of-visit summary's red and green follow the palette."""
        if self._summary is not None and self.stack.currentWidget() is self.summary_page:
            self._show_summary(self._summary)

    # building ----------------------------------------------------------------------------
    def _build_visit_page(self) -> QWidget:
        page = QFrame(self)
        page.setObjectName("visitPage")
        page.setFrameShape(QFrame.StyledPanel)
        self.name = FitLabel(page)
        self.name.setObjectName("visitName")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.timers = QLabel(page)
        self.timers.setObjectName("visitTimers")
        self.timers.setAlignment(Qt.AlignRight | Qt.AlignVCenter)

        self.model = ChecklistModel(self)
        self.model.toggle_requested.connect(self.toggle_step)
        self.steps = QTableView(page)
        self.steps.setObjectName("checklist")
        self.steps.setModel(self.model)
        self.steps.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.steps.setSelectionMode(QAbstractItemView.SingleSelection)
        self.steps.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.steps.setTabKeyNavigation(False)
        self.steps.verticalHeader().hide()
        self.steps.setShowGrid(False)
        self.steps.setWordWrap(False)
        # A focus ring strong enough to see from a step away from the screen.
        self.steps.setStyleSheet(
            "QTableView#checklist:focus { border: 2px solid palette(highlight); }"
        )
        self.steps.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.steps.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        header = self.steps.horizontalHeader()
        header.setSectionResizeMode(ChecklistModel.KEY, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(ChecklistModel.STEP, QHeaderView.Stretch)
        header.setSectionResizeMode(ChecklistModel.STATUS, QHeaderView.ResizeToContents)
        self.steps.installEventFilter(self)
        self.steps.selectionModel().currentRowChanged.connect(self._row_changed)

        self.hint = QLabel(page)
        self.hint.setObjectName("stepHint")
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.RichText)
        self.hint.setAlignment(Qt.AlignTop | Qt.AlignLeading)
        self.hint.setStyleSheet("QLabel#stepHint { padding-top: 4px; }")
        self.done_button = QPushButton(page)
        self.done_button.setObjectName("stepDone")
        self.done_button.clicked.connect(lambda: self.toggle_step(self.current_step_key()))
        self.skip_button = QPushButton(page)
        self.skip_button.setObjectName("stepSkip")
        self.skip_button.clicked.connect(lambda: self.skip_step(self.current_step_key()))
        step_buttons = FlowLayout()
        step_buttons.addWidget(self.done_button)
        step_buttons.addWidget(self.skip_button)

        left = QVBoxLayout()
        left.addWidget(self.steps, 1)
        left.addLayout(step_buttons)

        self.need = QLineEdit(page)
        self.need.setObjectName("visitNeed")
        self.solution = QLineEdit(page)
        self.solution.setObjectName("visitSolution")
        self.outcome = QComboBox(page)
        self.outcome.setObjectName("visitOutcome")
        for edit in (self.need, self.solution):
            edit.setMaxLength(visits.MAX_NOTE)
            edit.textEdited.connect(lambda _text: self.save_timer.start())
            edit.editingFinished.connect(self.save_texts)
        self.need.returnPressed.connect(lambda: self.solution.setFocus(Qt.TabFocusReason))
        self.solution.returnPressed.connect(lambda: self.outcome.setFocus(Qt.TabFocusReason))
        self.outcome.activated.connect(self._outcome_chosen)
        self.complaint = QCheckBox(page)
        self.complaint.setObjectName("visitComplaint")
        self.complaint.clicked.connect(self._complaint_clicked)
        self.complaint_box = QLabel(page)
        self.complaint_box.setObjectName("complaintPath")
        self.complaint_box.setWordWrap(True)
        self.complaint_box.setTextFormat(Qt.RichText)
        theme.style_sheet(
            self.complaint_box,
            theme.note_css("QLabel#complaintPath", "border-left: 4px solid BORDER; padding: 6px;"),
        )
        self.complaint_box.hide()

        self.form = QFormLayout()
        self.form_labels = [QLabel(page) for _ in range(3)]
        for label, field in zip(
            self.form_labels, (self.need, self.solution, self.outcome), strict=True
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addWidget(self.complaint)
        right.addWidget(self.hint)
        right.addStretch(1)

        self.follow_up_button = QPushButton(page)
        self.follow_up_button.setObjectName("promiseFollowUp")
        self.follow_up_button.clicked.connect(self.promise_follow_up)
        self.end_button = QPushButton(page)
        self.end_button.setObjectName("endVisit")
        self.end_button.clicked.connect(self.end_visit)
        self.end_note = QLabel(page)
        self.end_note.setObjectName("endNote")
        self.end_note.setWordWrap(True)
        theme.colour_text(self.end_note, theme.WARNING)
        self.end_note.hide()

        top = QHBoxLayout()
        top.addWidget(self.name, 1)
        top.addWidget(self.timers)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 4)
        bottom = FlowLayout()
        bottom.addWidget(self.follow_up_button)
        bottom.add_stretch()
        bottom.addWidget(self.end_button)
        # Between the name and the buttons, the visit scrolls rather than squeezing its rows
        # on top of each other when the complaint path and a warning make it taller than the
        # room it has; who is served and "End visit" stay in view.
        body = QWidget(page)
        body.setObjectName("visitBody")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(columns, 1)
        body_layout.addWidget(self.complaint_box)
        body_layout.addWidget(self.end_note)
        self.body_scroll = VerticalScroll(body, page, max_minimum_height=VISIT_MIN_HEIGHT)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.body_scroll, 1)
        layout.addLayout(bottom)
        return page

    def _build_summary_page(self) -> QWidget:
        page = QFrame(self)
        page.setObjectName("summaryPage")
        page.setFrameShape(QFrame.StyledPanel)
        self.summary_title = QLabel(page)
        self.summary_title.setObjectName("summaryTitle")
        font = self.summary_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.summary_title.setFont(font)
        self.summary_text = QLabel(page)
        self.summary_text.setObjectName("summaryText")
        self.summary_text.setTextFormat(Qt.RichText)
        self.summary_text.setWordWrap(True)
        self.summary_text.setTextInteractionFlags(Qt.TextSelectableByKeyboard)
        self.summary_close = QPushButton(page)
        self.summary_close.setObjectName("summaryClose")
        self.summary_close.clicked.connect(self.clear)
        top = QHBoxLayout()
        top.addWidget(self.summary_title, 1)
        top.addWidget(self.summary_close)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.summary_text)
        layout.addStretch(1)
        return page

    def retranslate(self) -> None:
        self.empty.setText(
            _(
                "No visit in progress.\n\nCtrl+I checks in the customer on screen, "
                "Ctrl+Shift+N serves whoever has waited longest, "
                "Ctrl+Shift+I serves the customer on screen now."
            )
        )
        self.steps.setAccessibleName(_("Checklist steps"))
        self.steps.setAccessibleDescription(
            _("Space or Ctrl+1 to Ctrl+9 ticks a step; ticking it again undoes it.")
        )
        self.done_button.setText(_("Done / undo (Space)"))
        self.skip_button.setText(_("S&kip step"))
        self.skip_button.setToolTip(_("Record that this step was skipped on purpose"))
        for label, text in zip(
            self.form_labels,
            (_("&What they need:"), _("&Offered:"), _("O&utcome:")),
            strict=True,
        ):
            label.setText(text)
        name_by_label(self.outcome, self.form_labels[2])  # not by the outcome chosen
        self.need.setPlaceholderText(_("in a few words, e.g. screen cracked"))
        self.solution.setPlaceholderText(_("what you offered, e.g. new screen today"))
        self.complaint.setText(_("Compl&aint — switch on the complaint path"))
        self.follow_up_button.setText(_("&Promise a follow-up…"))
        self.end_button.setText(_("End visit (Ctrl+Enter)"))
        self.summary_close.setText(_("OK"))
        self.model.refresh_texts()
        self._fill_outcomes()
        if self.visit is not None:
            self._show_header()
            self._show_complaint()
            self._show_hint()
        if self._summary is not None:
            self._show_summary(self._summary)
        language = current().language
        if language != self._hints_language and self.visit is not None:
            self._load_hints()

    def tab_order(self) -> list[QWidget]:
        """Down the checklist's column, then down the notes' column, then the bottom row; the
        summary (shown instead of the visit) last."""
        return [
            self.steps,
            self.done_button,
            self.skip_button,
            self.need,
            self.solution,
            self.outcome,
            self.complaint,
            self.follow_up_button,
            self.end_button,
            self.summary_close,
            self.summary_text,
        ]

    def _page_changed(self, index: int) -> None:
        # Only the page on screen claims room: no empty space held for a visit not running.
        for i in range(self.stack.count()):
            policy = QSizePolicy.Preferred if i == index else QSizePolicy.Ignored
            self.stack.widget(i).setSizePolicy(policy, policy)
        self.updateGeometry()

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

    # showing a visit ---------------------------------------------------------------------
    def show_visit(self, visit: Visit) -> None:
        """Load a visit as it stands (a new one, or one resumed after a crash)."""
        self.visit = visit
        self._summary = None
        self._confirming_end = False
        self._unsaved_steps.clear()
        self._unsaved_fields.clear()
        self.end_note.hide()
        self.model.set_steps(visit.steps)
        self._fit_steps()
        self.need.setText(visit.need)
        self.solution.setText(visit.solution)
        self.complaint.setChecked(visit.complaint)
        self._show_header()
        self._show_complaint()
        self.follow_up_button.setEnabled(visit.customer_id is not None)
        self.follow_up_button.setToolTip(
            "" if visit.customer_id is not None else _("Follow-ups need a customer record.")
        )
        self.stack.setCurrentWidget(self.visit_page)
        self.clock_timer.start()
        self._select_step(self._next_pending(-1))
        self._load_hints()
        self.shown.emit(visit)
        self._runner.run(configured_outcomes, self._outcomes_loaded, key="visit-outcomes")

    def clear(self) -> None:
        """No visit on screen (ended, discarded, or the summary dismissed)."""
        self.save_timer.stop()
        self.visit = None
        self._summary = None
        self._unsaved_steps.clear()
        self._unsaved_fields.clear()
        self.clock_timer.stop()
        self.model.set_steps([])
        self.stack.setCurrentWidget(self.empty)
        self._set_current_key("")

    def _load_hints(self) -> None:
        language = current().language
        self._runner.run(
            lambda db: checklist.load_checklist(db, language),
            lambda steps: self._hints_loaded(language, steps),
            key="visit-hints",
        )

    def _hints_loaded(self, language: str, steps: list[ChecklistStep]) -> None:
        self._hints = {s.key: s for s in steps}
        self._hints_language = language
        self._show_hint()

    def _outcomes_loaded(self, keys: list[str]) -> None:
        self._outcomes = keys
        self._fill_outcomes()

    def _fill_outcomes(self) -> None:
        keys = list(self._outcomes)
        if self.visit is not None and self.visit.outcome and self.visit.outcome not in keys:
            keys.append(self.visit.outcome)  # chosen before the list changed: keep showing it
        self.outcome.blockSignals(True)
        self.outcome.clear()
        self.outcome.addItem(_("— choose —"), "")
        for key in keys:
            self.outcome.addItem(outcome_label(key, _), key)
        chosen = self.visit.outcome if self.visit is not None else ""
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(chosen)))
        self.outcome.blockSignals(False)

    def _show_header(self) -> None:
        visit = self.visit
        assert visit is not None
        name = visitor_name(visit)
        if visit.address_as and visit.address_as != visit.customer_name:
            name = _("{name} — address as {address}").format(name=name, address=visit.address_as)
        self.name.setText(name)
        self.name.setAccessibleName(_("Serving {name}").format(name=visitor_name(visit)))
        self._update_timers()

    def _update_timers(self) -> None:
        visit = self.visit
        if visit is None or self.stack.currentWidget() is not self.visit_page:
            return
        now = self._clock()
        self.timers.setText(
            _("waited {wait} · serving {service}").format(
                wait=clock_text(visit.wait_seconds(now)),
                service=clock_text(visit.service_seconds(now)),
            )
        )

    def _show_complaint(self) -> None:
        visit = self.visit
        on = visit is not None and visit.complaint
        self.complaint_box.setVisible(on)
        if not on:
            return
        lines = [
            "<b>"
            + html.escape(_("First, acknowledge the feeling:"))
            + "</b> "
            # Quotation marks differ by language („…” in Hungarian): the catalog decides.
            + html.escape(_("“{words}”").format(words=_(visits.COMPLAINT_EMPATHY)))
        ]
        for number, (_key, label, hint) in enumerate(visits.COMPLAINT_PROMPTS, start=1):
            lines.append(f"{number}. <b>{html.escape(_(label))}</b> — {html.escape(_(hint))}")
        self.complaint_box.setText("<br>".join(lines))

    def _show_hint(self) -> None:
        key = self.current_step_key()
        if self.visit is None or not key:
            self.hint.setText("")
            return
        step = self.visit.step(key)
        configured = self._hints.get(key)
        hint = configured.hint_text(_) if configured is not None else ""
        parts = []
        if step is not None:
            parts.append("<b>" + html.escape(step.text(_)) + "</b>")
        if hint:
            parts.append(html.escape(hint))
        if key == "thank" and self.visit.address_as:
            parts.append(
                "<i>"
                + html.escape(
                    _("“Thank you, {name}, for the chance to help you today.”").format(
                        name=self.visit.address_as
                    )
                )
                + "</i>"
            )
        self.hint.setText(" — ".join(parts[:2]) + ("<br>" + parts[2] if len(parts) > 2 else ""))

    # the current step --------------------------------------------------------------------
    def current_step_key(self) -> str:
        """The step the staff member is on: phrases for this step are the ones to suggest."""
        return self._current_key

    def _row_changed(self, current_index, _previous) -> None:
        step = self.model.step(current_index.row()) if current_index.isValid() else None
        self._set_current_key(step.key if step else "")

    def _set_current_key(self, key: str) -> None:
        if key != self._current_key:
            self._current_key = key
            self._show_hint()
            self.step_changed.emit(key)

    def _select_step(self, row: int) -> None:
        if row < 0:
            row = 0 if self.model.rowCount() else -1
        if row < 0:
            self._set_current_key("")
            return
        index = self.model.index(row, ChecklistModel.STEP)
        self.steps.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows
        )
        self._set_current_key(self.model.step(row).key)

    def _next_pending(self, after_row: int) -> int:
        count = self.model.rowCount()
        for offset in range(1, count + 1):
            row = (after_row + offset) % count
            if self.model.step(row).status == "pending":
                return row
        return -1

    def select_step_number(self, number: int) -> str:
        """The step at 1-based ``number`` (Ctrl+number), or '' if there is none."""
        step = self.model.step(number - 1)
        return step.key if step else ""

    # writes ------------------------------------------------------------------------------
    def _write(
        self,
        fn: Callable,
        on_done: Callable | None = None,
        *,
        field: str = "",
        on_error: Callable | None = None,
    ) -> None:
        """Send one write; it waits out another writer's lock (must_land). ``field``: which
        field it writes, so a repaint does not put back its old value while it travels."""
        if self.visit is None:
            return
        visit_id = self.visit.id
        if field:
            self._unsaved_fields[field] = self._unsaved_fields.get(field, 0) + 1

        def landed(change: VisitChange) -> None:
            if field and self.visit is not None and self.visit.id == visit_id:
                self._field_landed(field)
            (on_done or self.apply)(change)

        def failed(error: BaseException) -> None:
            if field and self.visit is not None and self.visit.id == visit_id:
                self._field_landed(field)
            (on_error or self._failed)(error)

        self._runner.run(fn, landed, failed, must_land=True)

    def _field_landed(self, field: str) -> None:
        left = self._unsaved_fields.get(field, 0) - 1
        if left > 0:
            self._unsaved_fields[field] = left
        else:
            self._unsaved_fields.pop(field, None)

    def saving(self) -> bool:
        """Is a write from this panel still on its way to the database?"""
        return bool(self._unsaved_steps or self._unsaved_fields)

    def toggle_step(self, key: str) -> None:
        """Done becomes not done; anything else becomes done. Decided by what is on screen
        (a tick still on its way counts), so pressing again while it waits undoes it."""
        if self.visit is None or not key:
            return
        shown = self.model.step(self.model.row_of(key))
        if shown is None:
            return
        self._set_step(key, "pending" if shown.status == "done" else "done")

    def _set_step(self, key: str, status: str) -> None:
        assert self.visit is not None
        visit_id, now, by = self.visit.id, self._clock(), self._staff_id()
        write = {"done": visits.complete_step, "pending": visits.undo_step}.get(
            status, visits.skip_step
        )
        self._unsaved_steps.setdefault(key, []).append(status)
        self._show_step(key, status)
        self._write(
            lambda db: write(db, visit_id, key, now=now, staff_id=by),
            lambda change: self._step_landed(key, change),
            on_error=lambda error: self._step_failed(visit_id, key, error),
        )

    def _show_step(self, key: str, status: str) -> None:
        """The step as asked for, marked as saving, and the cursor on to the next one."""
        row = self.model.row_of(key)
        shown = self.model.step(row)
        if shown is None:
            return
        at = shown.at if status == shown.status else None
        self.model.update_step(dataclasses.replace(shown, status=status, at=at), saving=True)
        self._confirming_end = False
        self.end_note.hide()
        if status != "pending" and row == self.steps.currentIndex().row():
            following = self._next_pending(row)
            if following >= 0:
                self._select_step(following)
        self._show_hint()

    def _step_landed(self, key: str, change: VisitChange) -> None:
        if self.visit is None or change.visit.id != self.visit.id:
            return
        waiting = self._unsaved_steps.get(key, [])
        if waiting:
            waiting.pop(0)
        if not waiting:
            self._unsaved_steps.pop(key, None)
        self.apply(change)

    def _step_failed(self, visit_id: int, key: str, error: BaseException) -> None:
        if self.visit is not None and self.visit.id == visit_id:
            waiting = self._unsaved_steps.get(key, [])
            if waiting:
                waiting.pop(0)
            if not waiting:
                self._unsaved_steps.pop(key, None)
                committed = self.visit.step(key)
                if committed is not None:
                    self.model.update_step(committed)  # back to what the database holds
        self._failed(error)

    def toggle_step_number(self, number: int) -> None:
        """Ctrl+1..9: tick (or untick) that step wherever the focus is."""
        key = self.select_step_number(number)
        if key:
            self.toggle_step(key)
        elif self.visit is not None:
            self.message.emit(_("This visit has no step {number}.").format(number=number))

    def skip_step(self, key: str) -> None:
        if self.visit is None or not key or self.model.row_of(key) < 0:
            return
        self._set_step(key, "skipped")

    def save_texts(self) -> None:
        """Commit the need and the offer if they differ from what is stored."""
        self.save_timer.stop()
        visit = self.visit
        if visit is None or visit.status != "in_progress":
            return
        need, solution = " ".join(self.need.text().split()), " ".join(self.solution.text().split())
        visit_id, now = visit.id, self._clock()
        if need != visit.need:
            self._write(lambda db: visits.set_need(db, visit_id, need, now=now), field="need")
        if solution != visit.solution:
            self._write(
                lambda db: visits.set_solution(db, visit_id, solution, now=now), field="solution"
            )

    def _outcome_chosen(self, index: int) -> None:
        if self.visit is None:
            return
        key = self.outcome.itemData(index) or ""
        visit_id, now = self.visit.id, self._clock()
        self._write(lambda db: visits.set_outcome(db, visit_id, key, now=now), field="outcome")

    def _complaint_clicked(self, checked: bool) -> None:
        if self.visit is None:
            return
        visit_id, now = self.visit.id, self._clock()
        self._write(
            lambda db: visits.set_complaint(db, visit_id, checked, now=now), field="complaint"
        )

    def apply(self, change: VisitChange) -> None:
        """A committed change to the visit on screen: repaint only what it touched."""
        if self.visit is None or change.visit.id != self.visit.id:
            return
        before = self.visit
        self.visit = change.visit
        if change.visit.status == "ended" and change.summary is not None:
            self._show_summary(change)
            self.changed.emit(change)
            self.ended.emit(change)
            return
        if not change.visit.is_open:
            self.clear()
            self.changed.emit(change)
            return
        if change.step_key is not None:
            step = change.visit.step(change.step_key)
            # A later tick of this step is still on its way: keep showing that one.
            if step is not None and not self._unsaved_steps.get(step.key):
                self.model.update_step(step)
                self._confirming_end = False
                self.end_note.hide()
                row = self.model.row_of(step.key)
                if step.status != "pending" and row == self.steps.currentIndex().row():
                    following = self._next_pending(row)
                    if following >= 0:
                        self._select_step(following)
                self._show_hint()
        else:
            # A field whose own write is still on its way keeps what the person typed.
            unsaved = self._unsaved_fields
            if (
                not self.need.hasFocus()
                and "need" not in unsaved
                and self.need.text() != change.visit.need
            ):
                self.need.setText(change.visit.need)
            if (
                not self.solution.hasFocus()
                and "solution" not in unsaved
                and self.solution.text() != change.visit.solution
            ):
                self.solution.setText(change.visit.solution)
            if before.outcome != change.visit.outcome and "outcome" not in unsaved:
                self._fill_outcomes()
                self._confirming_end = False
                self.end_note.hide()
            if before.complaint != change.visit.complaint and "complaint" not in unsaved:
                self.complaint.setChecked(change.visit.complaint)
                self._show_complaint()
        self.changed.emit(change)

    def _failed(self, error: BaseException) -> None:
        self.message.emit(visit_error_text(error))
        if isinstance(error, ValidationError) and any(p.field == "visit" for p in error.problems):
            # Ended or discarded at another counter: show what is really there.
            visit_id = self.visit.id if self.visit else None
            if visit_id is not None:
                self._runner.run(
                    lambda db: visits.load_visit(db, visit_id), self._reloaded, self._failed
                )

    def _reloaded(self, visit: Visit) -> None:
        if visit.is_open:
            self.show_visit(visit)
        else:
            self.clear()

    # follow-ups --------------------------------------------------------------------------
    def promise_follow_up(self) -> FollowUpDialog | None:
        visit = self.visit
        if visit is None or visit.customer_id is None:
            self.message.emit(_("Follow-ups need a customer record."))
            return None
        self.save_texts()
        from ui.counter_view.follow_up_dialog import open_for_visit

        return open_for_visit(
            self._runner,
            visit,
            staff_id=self._staff_id(),
            clock=self._clock,
            initial_text=visit.solution,
            on_saved=self.follow_up_saved.emit,
            parent=self,
        )

    # ending ------------------------------------------------------------------------------
    def end_visit(self) -> None:
        """Ctrl+Enter. Asks only for what is missing: an outcome, and (once) a word about
        steps not ticked, which are recorded as skipped; a second Ctrl+Enter ends."""
        visit = self.visit
        if visit is None or self.stack.currentWidget() is not self.visit_page:
            self.message.emit(_("No visit in progress."))
            return
        self.save_texts()
        # The outcome on screen may still be on its way to the database: count it as chosen.
        # So may a tick: the steps as shown count.
        shown = dataclasses.replace(
            visit,
            outcome=self.outcome.currentData() or visit.outcome,
            steps=tuple(self.model.step(row) for row in range(self.model.rowCount())),
        )
        missing = visits.missing_before_end(shown)
        if missing.outcome:
            self._show_end_note(_("Choose an outcome first: what happened today?"))
            self.outcome.setFocus(Qt.OtherFocusReason)
            self.message.emit(self.end_note.text())
            return
        if missing.steps and not self._confirming_end:
            names = current().list([s.text(_) for s in missing.steps])
            self._show_end_note(
                _(
                    "Not ticked: {steps}. They will be recorded as skipped. "
                    "Press Ctrl+Enter again to end the visit."
                ).format(steps=names)
            )
            self._confirming_end = True
            return
        visit_id, now = visit.id, self._clock()
        self._write(lambda db: visits.end_visit(db, visit_id, now=now), field="end")

    def _show_end_note(self, text: str) -> None:
        self.end_note.setText(text)
        self.end_note.show()
        # Laid out first (a wrapped label knows its height then), then scrolled into view.
        QTimer.singleShot(0, lambda: self.body_scroll.ensureWidgetVisible(self.end_note, 0, 0))

    def _show_summary(self, change: VisitChange) -> None:
        self._summary = change
        self.clock_timer.stop()
        self.save_timer.stop()
        summary = change.summary
        assert summary is not None
        visit = change.visit
        tr = current()
        self.summary_title.setText(_("Visit with {name} ended").format(name=visitor_name(visit)))

        def line(label: str, seconds: int, target: int, over: bool) -> str:
            verdict = (
                _("{over} over the {target} target").format(
                    over=tr.exact_duration(seconds - target), target=tr.exact_duration(target)
                )
                if over
                else _("within the {target} target").format(target=tr.exact_duration(target))
            )
            colour = theme.colours().css(theme.DANGER if over else theme.SUCCESS)
            return (
                f"{html.escape(label)} <b>{html.escape(tr.exact_duration(seconds))}</b> — "
                f"<span style='color:{colour}'>{html.escape(verdict)}</span>"
            )

        lines = [
            line(
                _("Waited:"), summary.wait_seconds, summary.wait_target_seconds, summary.wait_over
            ),
            line(
                _("Service:"),
                summary.service_seconds,
                summary.service_target_seconds,
                summary.service_over,
            ),
        ]
        if visit.outcome:
            lines.append(
                html.escape(_("Outcome: {outcome}").format(outcome=outcome_label(visit.outcome, _)))
            )
        skipped = [s.text(_) for s in visit.steps if s.status != "done"]
        if skipped:
            lines.append(html.escape(_("Not done: {steps}").format(steps=tr.list(skipped))))
        self.summary_text.setText("<br>".join(lines))
        self.stack.setCurrentWidget(self.summary_page)
        self._set_current_key("")

    # keyboard ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.steps and event.type() == QEvent.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key_Space and event.modifiers() == Qt.NoModifier:
                self.toggle_step(self.current_step_key())
                return True
        return super().eventFilter(watched, event)
