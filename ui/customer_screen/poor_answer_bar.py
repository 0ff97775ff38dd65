"""What the staff member sees the moment a customer taps an unhappy face: who, which face,
the reason if they gave one, and the way to act on it before the next customer: a follow-up
(the complaint path's "commit" step) or, having read it, Dismiss."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from counter import feedback
from counter.feedback import Answer
from counter.visits import Visit
from ui.i18n import _
from ui.models.queue_model import visitor_name
from ui.tasks import Runner


class PoorAnswerBar(QFrame):
    """Shown and hidden by what holds it (a tool bar): :attr:`cleared` says when to hide."""

    follow_up_saved = Signal(object)  # a FollowUpChange
    cleared = Signal()

    def __init__(
        self,
        runner: Runner,
        *,
        staff_id: Callable[[], int | None],
        clock: Callable[[], int] = lambda: int(time.time()),
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("poorAnswerBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._runner = runner
        self._staff_id = staff_id
        self._clock = clock
        self.answer: Answer | None = None
        self.visit: Visit | None = None
        self.text = QLabel(self)
        self.text.setObjectName("poorAnswerText")
        self.text.setWordWrap(True)
        self.follow_up = QPushButton(self)
        self.follow_up.setObjectName("poorAnswerFollowUp")
        self.follow_up.clicked.connect(lambda _checked=False: self.add_follow_up())
        self.dismiss = QPushButton(self)
        self.dismiss.setObjectName("poorAnswerDismiss")
        self.dismiss.clicked.connect(lambda _checked=False: self.clear())
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.follow_up)
        layout.addWidget(self.dismiss)
        self.follow_up_saved.connect(lambda _change: self.clear())
        self.retranslate()

    @property
    def pending(self) -> bool:
        """An unhappy answer nobody has acted on or dismissed yet."""
        return self.answer is not None

    def show_answer(self, answer: Answer, visit: Visit) -> None:
        self.answer, self.visit = answer, visit
        self.retranslate()

    def retranslate(self) -> None:
        self.follow_up.setText(_("Add a follow-up…"))
        self.dismiss.setText(_("Dismiss"))
        answer, visit = self.answer, self.visit
        if answer is None or visit is None:
            self.text.clear()
            return
        name = visitor_name(visit) or _("The customer")
        face = feedback.face_name(answer.face or 0, _)
        if answer.reason:
            text = _("{name} answered “{face}”: {reason}").format(
                name=name, face=face, reason=feedback.reason_label(answer.reason, _)
            )
        else:
            text = _("{name} answered “{face}”.").format(name=name, face=face)
        self.text.setText(text)
        self.follow_up.setVisible(visit.customer_id is not None)
        self.setAccessibleName(text)

    def clear(self) -> None:
        self.answer = self.visit = None
        self.retranslate()
        self.cleared.emit()

    def add_follow_up(self):
        visit, answer = self.visit, self.answer
        if visit is None or answer is None or visit.customer_id is None:
            return None
        from ui.counter_view.follow_up_dialog import open_for_visit

        return open_for_visit(
            self._runner,
            visit,
            staff_id=self._staff_id(),
            clock=self._clock,
            initial_text=feedback.reason_label(answer.reason, _) if answer.reason else "",
            on_saved=self.follow_up_saved.emit,
            parent=self.window(),
        )

    def confirm_next(self) -> bool:
        """Before the next customer: an unhappy answer still waiting is offered a follow-up.
        True: go on to the next customer."""
        if not self.pending:
            return True
        box = QMessageBox(self.window())
        box.setObjectName("poorAnswerConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Before the next customer"))
        box.setText(self.text.text())
        add = box.addButton(_("Add a follow-up…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Serve next anyway"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(add)
        if self.visit is None or self.visit.customer_id is None:
            add.hide()  # a walk-in without a record: nothing to follow up
        box.exec()
        if box.clickedButton() is add:
            self.add_follow_up()
            return False
        self.clear()
        return True
