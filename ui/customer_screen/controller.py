"""Runs the customer screen for the counter: greets the customer of the visit being served,
asks "How did we do today?" when it ends, stores the answer on that visit, and tells the
staff member at once when the answer is poor (:attr:`poor_answer`).

With a second screen the window stays full screen there. With one screen it is a mode: the
window covers this screen only while asking, and goes away after the answer or the minute.
A new visit, the idle lock and a change of staff blank it: whatever was on it belongs to
the customer who has gone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import tzinfo

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from counter import feedback
from counter.customer_greeting import ScreenTexts, screen_texts
from counter.feedback import Answer
from counter.visits import Visit, VisitChange
from ui.customer_screen.window import CustomerScreen
from ui.error_text import error_text
from ui.i18n import _, current
from ui.tasks import Runner

REASON_SECONDS = 30  # the reasons wait this long for a tap, then the screen thanks anyway


class CustomerScreenController(QObject):
    poor_answer = Signal(object, object)  # (Answer, the ended Visit): tell the staff member now
    answered = Signal(object)  # every Answer stored, poor or not
    message = Signal(str)  # for the status bar

    def __init__(
        self,
        runner: Runner,
        *,
        clock: Callable[[], int] = lambda: int(time.time()),
        tz: Callable[[], tzinfo | None] = lambda: current().tz,
        parent: QWidget | None = None,
        answer_seconds: int = feedback.ANSWER_SECONDS,
        thanks_seconds: int = feedback.THANKS_SECONDS,
        reason_seconds: int = REASON_SECONDS,
    ):
        super().__init__(parent)
        self.runner = runner
        self.clock = clock
        self.tz = tz
        self.window = CustomerScreen(parent)
        # The idle lock leaves this window up (blank) instead of hiding it: on a second screen a
        # hidden window would show the desktop to the customer.
        self.window.setProperty("blank_on_lock", True)
        self.window.face_chosen.connect(self._face)
        self.window.reason_chosen.connect(self._reason)
        self.window.reason_skipped.connect(self._thank)
        self.asking: int | None = None  # the visit whose customer is being asked
        self._asked_visit: Visit | None = None
        self._answered_face = False
        self._greeting_for: int | None = None
        self.answer_timer = self._timer(answer_seconds, self._no_answer)
        self.reason_timer = self._timer(reason_seconds, self._thank)
        self.thanks_timer = self._timer(thanks_seconds, self._done)
        self.enabled = False
        self.retranslate()

    def _timer(self, seconds: int, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(seconds * 1000)
        timer.timeout.connect(slot)
        return timer

    def retranslate(self) -> None:
        self.window.setWindowTitle(_("Customer screen"))

    # where the window goes ---------------------------------------------------------------
    def second_screen(self):
        """The screen the customer sees: one that is not the main window's, if there is one."""
        owner = self.parent()
        mine = owner.screen() if isinstance(owner, QWidget) else None
        others = [s for s in QGuiApplication.screens() if s is not mine]
        return others[0] if others else None

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        if not on:
            self._stop_asking(record=True)
            self.window.show_blank()
            self.window.hide()
            return
        screen = self.second_screen()
        if screen is not None:
            self.window.setScreen(screen)
            self.window.setGeometry(screen.geometry())
            self.window.showFullScreen()
        self.message.emit(
            _("The customer screen is on.")
            if screen is not None
            else _("One screen: the customer screen covers it only while asking.")
        )

    def _show_for_asking(self) -> None:
        if self.second_screen() is None:
            self.window.showFullScreen()
            self.window.raise_()
            self.window.activateWindow()

    def _hide_if_one_screen(self) -> None:
        if self.second_screen() is None:
            self.window.hide()

    # the visit ---------------------------------------------------------------------------
    def visit_shown(self, visit: Visit) -> None:
        """A visit is being served: greet its customer (the customer before has gone)."""
        if not self.enabled or not visit.is_open:
            return
        if self.asking is not None and self.asking != visit.id:
            self._stop_asking(record=True)
        if self._greeting_for == visit.id:
            return
        self._greeting_for = visit.id
        self._load(visit.id, self._greet)

    def visit_ended(self, change: VisitChange) -> None:
        """Ask the customer of a visit that just ended."""
        visit = change.visit
        if not self.enabled or visit.status != "ended":
            return
        self._stop_asking(record=True)
        self.asking = visit.id
        self._asked_visit = visit
        self._answered_face = False
        self._greeting_for = None
        self._load(visit.id, self._ask)

    def _load(self, visit_id: int, then: Callable[[ScreenTexts], None]) -> None:
        now, tz = self.clock(), self.tz()
        self.runner.run(lambda db: screen_texts(db, visit_id, now=now, tz=tz), then, self._failed)

    def _greet(self, texts: ScreenTexts) -> None:
        if self.asking is None and self._greeting_for == texts.visit_id:
            self.window.show_greeting(texts)

    def _ask(self, texts: ScreenTexts) -> None:
        if self.asking != texts.visit_id:
            return
        self.window.ask(texts)
        self._show_for_asking()
        self.answer_timer.start()

    # answers -----------------------------------------------------------------------------
    def _face(self, face: int) -> None:
        visit_id = self.asking
        if visit_id is None or self._answered_face:
            return
        self._answered_face = True
        self.answer_timer.stop()
        now = self.clock()
        self.runner.run(
            lambda db: feedback.record_face(db, visit_id, face, now=now),
            self._face_stored,
            self._failed,
        )
        if feedback.asks_reason(face) and self.window.texts and self.window.texts.reasons:
            self.window.ask_reason()
            self.reason_timer.start()
        else:
            self._thank()

    def _face_stored(self, answer: Answer) -> None:
        self.answered.emit(answer)
        visit = self._asked_visit
        if answer.poor and visit is not None and visit.id == answer.visit_id:
            self.poor_answer.emit(answer, visit)

    def _reason(self, reason: str) -> None:
        visit_id = self.asking
        if visit_id is None or self.window.page != "reasons":
            return
        self.reason_timer.stop()
        now = self.clock()
        self.runner.run(
            lambda db: feedback.record_reason(db, visit_id, reason, now=now),
            self._reason_stored,
            self._failed,
        )
        self._thank()

    def _reason_stored(self, answer: Answer) -> None:
        self._face_stored(answer)  # the staff member's notice gains the reason

    def _thank(self) -> None:
        self.reason_timer.stop()
        self.window.thank()
        self.thanks_timer.start()

    def _no_answer(self) -> None:
        visit_id = self.asking
        if visit_id is not None and not self._answered_face:
            now = self.clock()
            self.runner.run(
                lambda db: feedback.record_no_answer(db, visit_id, now=now),
                self.answered.emit,
                self._failed,
            )
        self._done()

    def _done(self) -> None:
        self.asking = None
        for timer in (self.answer_timer, self.reason_timer, self.thanks_timer):
            timer.stop()
        self.window.show_blank()
        self._hide_if_one_screen()

    def _stop_asking(self, *, record: bool) -> None:
        """The question is over (a new customer, the screen switched off): no answer yet is
        recorded as none."""
        if self.asking is None:
            return
        if record and not self._answered_face:
            self._no_answer()
        else:
            self._done()

    def blank(self) -> None:
        """Idle lock, a change of staff: nothing of the last customer stays on the screen."""
        self._stop_asking(record=True)
        self._greeting_for = None
        self.window.show_blank()
        self._hide_if_one_screen()

    def _failed(self, error: BaseException) -> None:
        self.message.emit(error_text(error))
