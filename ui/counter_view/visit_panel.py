"""The visit being served: who and how long (waited, serving), the checklist
(ui/counter_view/checklist_widget.py), what it was about (visit_notes_form.py), a follow-up for
a promise, and ending (Ctrl+Enter) with the summary in its place (visit_summary.py).

This panel commits. Every tick, note and outcome goes to the domain at once through the task
runner as a write that must land: if another program holds the database's write lock it waits
and is tried again, never dropped. The panel repaints from the change that comes back, so what
is on screen is what was committed; a tick or undo still on its way shows its new state marked
"saving…". Phrase suggestions (issue 3) hook in through :meth:`current_step_key` and
``step_changed``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from counter import checklist, visits
from counter.errors import ValidationError
from counter.outcomes import configured_outcomes
from counter.visits import Visit, VisitChange
from ui import theme
from ui.counter_view.checklist_widget import ChecklistWidget
from ui.counter_view.visit_notes_form import VisitNotesForm
from ui.counter_view.visit_summary import VisitSummary
from ui.error_text import error_text
from ui.fit import FitLabel, FlowLayout, VerticalScroll
from ui.i18n import _, current
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
        self._visit: Visit | None = None
        self._confirming_end = False
        # Writes on their way to the database: step key -> the statuses asked for, in order;
        # field name -> how many writes of it are on their way.
        self._unsaved_steps: dict[str, list[str]] = {}
        self._unsaved_fields: dict[str, int] = {}
        self.setObjectName("visitPanel")

        self.empty = QLabel(self)
        self.empty.setObjectName("visitEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.summary = VisitSummary(self)
        self.summary.closed.connect(self.clear)
        self.visit_page = self._build_visit_page()

        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.visit_page)
        self.stack.addWidget(self.summary)
        self.stack.currentChanged.connect(self._page_changed)
        self._page_changed(0)

        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._update_timers)
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_TEXT_AFTER_MS)
        self.save_timer.timeout.connect(self.save_texts)
        self.notes.edited.connect(lambda: self.save_timer.start())  # committed once typing pauses
        self.retranslate()

    @property
    def visit(self) -> Visit | None:
        """The visit on screen, as last committed (None: none, or its summary)."""
        return self._visit

    @visit.setter
    def visit(self, visit: Visit | None) -> None:
        self._visit = visit
        self.checklist.visit = visit

    # building ----------------------------------------------------------------------------
    def _build_visit_page(self) -> QWidget:
        page = QFrame(self)
        page.setObjectName("visitPage")
        page.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = FitLabel(page)
        self.name.setObjectName("visitName")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.timers = QLabel(page)
        self.timers.setObjectName("visitTimers")
        self.timers.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.checklist = ChecklistWidget(page)
        self.checklist.toggle_wanted.connect(self.toggle_step)
        self.checklist.skip_wanted.connect(self.skip_step)
        self.checklist.step_changed.connect(self.step_changed)
        self.notes = VisitNotesForm(page)
        self.notes.finished.connect(self.save_texts)
        self.notes.outcome_chosen.connect(self._outcome_chosen)
        self.notes.complaint_clicked.connect(self._complaint_clicked)
        # The parts tests and the window reach for by name.
        self.model = self.checklist.model
        self.steps = self.checklist.steps
        self.hint = self.checklist.hint
        self.done_button = self.checklist.done_button
        self.skip_button = self.checklist.skip_button
        self.need = self.notes.need
        self.solution = self.notes.solution
        self.outcome = self.notes.outcome
        self.complaint = self.notes.complaint
        self.complaint_box = self.notes.complaint_box
        self.form_labels = self.notes.form_labels

        right = QVBoxLayout()
        right.addWidget(self.notes)
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
        columns.addWidget(self.checklist, 5)
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

    def retranslate(self) -> None:
        self.empty.setText(
            _(
                "No visit in progress.\n\nCtrl+I checks in the customer on screen, "
                "Ctrl+Shift+N serves whoever has waited longest, "
                "Ctrl+Shift+I serves the customer on screen now."
            )
        )
        self.checklist.retranslate()
        self.notes.retranslate(self.visit.outcome if self.visit is not None else "")
        self.follow_up_button.setText(_("&Promise a follow-up…"))
        self.end_button.setText(_("End visit (Ctrl+Enter)"))
        self.summary.retranslate()
        if self.visit is not None:
            self._show_header()
            self.notes.show_complaint(self.visit.complaint)
        language = current().language
        if language != self.checklist.hints_language and self.visit is not None:
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
            self.summary.close_button,
            self.summary.text,
        ]

    def _page_changed(self, index: int) -> None:
        # Only the page on screen claims room: no empty space held for a visit not running.
        for i in range(self.stack.count()):
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            page = self.stack.widget(i)
            assert page is not None
            page.setSizePolicy(policy, policy)
        self.updateGeometry()

    # showing a visit ---------------------------------------------------------------------
    def show_visit(self, visit: Visit) -> None:
        """Load a visit as it stands (a new one, or one resumed after a crash)."""
        self.visit = visit
        self.summary.forget()
        self._confirming_end = False
        self._unsaved_steps.clear()
        self._unsaved_fields.clear()
        self.end_note.hide()
        self.checklist.set_steps(visit.steps)
        self.need.setText(visit.need)
        self.solution.setText(visit.solution)
        self.complaint.setChecked(visit.complaint)
        self._show_header()
        self.notes.show_complaint(visit.complaint)
        self.follow_up_button.setEnabled(visit.customer_id is not None)
        self.follow_up_button.setToolTip(
            "" if visit.customer_id is not None else _("Follow-ups need a customer record.")
        )
        self.stack.setCurrentWidget(self.visit_page)
        self.clock_timer.start()
        self.checklist.select_first_pending()
        self._load_hints()
        self.shown.emit(visit)
        self._runner.run(configured_outcomes, self._outcomes_loaded, key="visit-outcomes")

    def clear(self) -> None:
        """No visit on screen (ended, discarded, or the summary dismissed)."""
        self.save_timer.stop()
        self.visit = None
        self.summary.forget()
        self._unsaved_steps.clear()
        self._unsaved_fields.clear()
        self.clock_timer.stop()
        self.model.set_steps([])
        self.stack.setCurrentWidget(self.empty)
        self.checklist.set_current_key("")

    def _load_hints(self) -> None:
        language = current().language
        self._runner.run(
            lambda db: checklist.load_checklist(db, language),
            lambda steps: self.checklist.set_hints(language, steps),
            key="visit-hints",
        )

    def _outcomes_loaded(self, keys: list[str]) -> None:
        self.notes.set_outcomes(keys, self.visit.outcome if self.visit is not None else "")

    def _fill_outcomes(self) -> None:
        self.notes.fill_outcomes(self.visit.outcome if self.visit is not None else "")

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

    # the current step --------------------------------------------------------------------
    def current_step_key(self) -> str:
        """The step the staff member is on: phrases for this step are the ones to suggest."""
        return self.checklist.current_step_key()

    def select_step_number(self, number: int) -> str:
        """The step at 1-based ``number`` (Ctrl+number), or '' if there is none."""
        return self.checklist.step_number(number)

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
        shown = self.model.step(self.model.row_of(key))
        if shown is None:
            return
        at = shown.at if status == shown.status else None
        self._confirming_end = False
        self.end_note.hide()
        self.checklist.show_step(dataclasses.replace(shown, status=status, at=at), saving=True)

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

    def _outcome_chosen(self, key: str) -> None:
        if self.visit is None:
            return
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
                self._confirming_end = False
                self.end_note.hide()
                self.checklist.show_step(step)
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
                self.notes.show_complaint(change.visit.complaint)
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
            outcome=self.notes.chosen_outcome() or visit.outcome,
            steps=self.checklist.shown_steps(),
        )
        missing = visits.missing_before_end(shown)
        if missing.outcome:
            self._show_end_note(_("Choose an outcome first: what happened today?"))
            self.outcome.setFocus(Qt.FocusReason.OtherFocusReason)
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
        self.clock_timer.stop()
        self.save_timer.stop()
        self.summary.show_change(change)
        self.stack.setCurrentWidget(self.summary)
        self.checklist.set_current_key("")
