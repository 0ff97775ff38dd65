"""The counter screen's side of the customer screen: the Visit ▸ Customer screen switch, the
notice of an unhappy answer, and the hooks the main window calls (a visit shown or ended, the
idle lock, a change of staff, the next customer). The window and its controller are built
when the switch is first turned on: nothing of them loads before the first paint."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QToolBar

from ui.i18n import _
from ui.tasks import Runner

if TYPE_CHECKING:
    from counter.visits import Visit, VisitChange
    from ui.customer_screen.controller import CustomerScreenController
    from ui.customer_screen.poor_answer_bar import PoorAnswerBar


class CustomerScreenActions(QObject):
    follow_up_saved = Signal(object)  # a FollowUpChange made from the unhappy-answer bar
    answered = Signal(object)  # an Answer stored on a visit (the visit log shows it)

    def __init__(
        self,
        window: QMainWindow,
        runner: Runner,
        *,
        staff_id: Callable[[], int | None],
        clock: Callable[[], int] = lambda: int(time.time()),
        say: Callable[[str], None] = lambda _text: None,
    ):
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._staff_id = staff_id
        self._clock = clock
        self._say = say
        self.controller: CustomerScreenController | None = None
        self.bar: PoorAnswerBar | None = None
        self.toolbar: QToolBar | None = None
        self._last_staff: int | None = None
        self.action = QAction(window)
        self.action.setObjectName("customerScreenAction")
        self.action.setCheckable(True)
        self.action.toggled.connect(self.set_enabled)
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(_("C&ustomer screen"))
        self.action.setStatusTip(
            _(
                "Greet the customer on a screen turned towards them and ask how the visit "
                "went. With one screen it covers this one only while asking."
            )
        )
        if self.controller is not None:
            self.controller.retranslate()
        if self.bar is not None:
            self.bar.retranslate()

    def _build(self) -> CustomerScreenController:
        if self.controller is None:
            from ui.customer_screen.controller import CustomerScreenController
            from ui.customer_screen.poor_answer_bar import PoorAnswerBar

            self.controller = CustomerScreenController(
                self._runner, clock=self._clock, parent=self._window
            )
            self.controller.message.connect(self._say)
            self.controller.answered.connect(self.answered)
            self.bar = PoorAnswerBar(
                self._runner, staff_id=self._staff_id, clock=self._clock, parent=self._window
            )
            self.toolbar = QToolBar(self._window)
            self.toolbar.setObjectName("poorAnswerToolBar")
            self.toolbar.setMovable(False)
            self.toolbar.setFloatable(False)
            self.toolbar.toggleViewAction().setVisible(False)
            self.toolbar.addWidget(self.bar)
            self._window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
            self.toolbar.hide()
            self.controller.poor_answer.connect(self._poor_answer)
            self.bar.cleared.connect(lambda: self.toolbar_shown(False))
            self.bar.follow_up_saved.connect(self.follow_up_saved)
        return self.controller

    def toolbar_shown(self, shown: bool) -> None:
        if self.toolbar is not None:
            self.toolbar.setVisible(shown)

    def _poor_answer(self, answer, visit) -> None:
        assert self.bar is not None
        self.bar.show_answer(answer, visit)
        self.toolbar_shown(True)
        self._window.raise_()
        self._say(self.bar.text.text())

    def set_enabled(self, on: bool) -> None:
        if self.action.isChecked() != on:
            self.action.setChecked(on)  # toggled comes back here
            return
        if on or self.controller is not None:
            self._build().set_enabled(on)

    # hooks -------------------------------------------------------------------------------
    def visit_shown(self, visit: Visit) -> None:
        if self.controller is not None:
            self.controller.visit_shown(visit)

    def visit_ended(self, change: VisitChange) -> None:
        if self.controller is not None:
            self.controller.visit_ended(change)

    def blank(self) -> None:
        if self.controller is not None:
            self.controller.blank()

    def staff_changed(self, session) -> None:
        """Someone else signed in at this counter: the last customer's screen is not theirs."""
        staff_id = session.staff_id if session is not None else None
        if staff_id != self._last_staff:
            self._last_staff = staff_id
            self.blank()

    def ready_for_next(self) -> bool:
        """False when the staff member chose to add a follow-up for an unhappy answer first."""
        if self.bar is None or not self.bar.pending:
            return True
        return self.bar.confirm_next()
