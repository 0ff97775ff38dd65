"""Promise a follow-up: what will be done, by when, by whom. Enter saves."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta, tzinfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter.follow_ups import MAX_DESCRIPTION, FollowUpChange, StaffChoice, create_follow_up
from counter.follow_ups import staff_choices as load_staff
from counter.local_days import day_start, local_day
from counter.visits import Visit
from ui.accessible import name_form_combos
from ui.error_text import error_label, error_text
from ui.fit import fit_dialog
from ui.i18n import _, current
from ui.manager_view.period import from_qdate, to_qdate
from ui.models.queue_model import visitor_name
from ui.tasks import Runner


def end_of_day(day: QDate, tz: tzinfo | None) -> int:
    """A due date means "by the end of that day", in the counter's own time zone."""
    return day_start(from_qdate(day) + timedelta(days=1), tz) - 1


class FollowUpDialog(QDialog):
    saved = Signal(object)  # FollowUpChange

    def __init__(
        self,
        runner: Runner,
        *,
        customer_id: int,
        customer_name: str,
        visit_id: int | None,
        staff_id: int | None,
        clock: Callable[[], int] = lambda: int(time.time()),
        initial_text: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._runner = runner
        self._customer_id = customer_id
        self._visit_id = visit_id
        self._staff_id = staff_id
        self._clock = clock
        self.setObjectName("followUpDialog")
        self.setWindowTitle(_("Follow-up for {name}").format(name=customer_name))

        self.what = QLineEdit(self)
        self.what.setObjectName("followUpWhat")
        self.what.setMaxLength(MAX_DESCRIPTION)
        self.what.setPlaceholderText(_("e.g. call when the part arrives"))
        self.what.setText(initial_text)
        self.what.selectAll()
        today = to_qdate(local_day(clock(), current().tz))
        self.due = QDateEdit(self)
        self.due.setObjectName("followUpDue")
        self.due.setCalendarPopup(True)
        self.due.setMinimumDate(today)
        self.due.setDate(today.addDays(1))
        self.owner = QComboBox(self)
        self.owner.setObjectName("followUpOwner")
        self.owner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.owner.addItem(_("Nobody yet"), None)

        form = QFormLayout()
        form.addRow(_("&Promise:"), self.what)
        form.addRow(_("&Due by:"), self.due)
        form.addRow(_("&Who will do it:"), self.owner)
        name_form_combos(form)  # not by who is chosen
        self.errors = error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        fit_dialog(self)  # the title names the customer: the dialog is as wide as it needs
        self.what.setFocus(Qt.FocusReason.OtherFocusReason)
        runner.run(load_staff, self._staff_loaded)

    def _staff_loaded(self, staff: list[StaffChoice]) -> None:
        for member in staff:
            self.owner.addItem(member.name, member.id)
        index = self.owner.findData(self._staff_id)
        if self._staff_id is not None and index >= 0:
            self.owner.setCurrentIndex(index)
        fit_dialog(self)

    def save(self) -> None:
        tz = current().tz
        text, due_at = self.what.text(), end_of_day(self.due.date(), tz)
        owner = self.owner.currentData()
        customer_id, visit_id, by, now = (
            self._customer_id,
            self._visit_id,
            self._staff_id,
            self._clock(),
        )
        self.buttons.setEnabled(False)
        self._runner.run(
            lambda db: create_follow_up(
                db,
                customer_id=customer_id,
                description=text,
                due_at=due_at,
                owner_id=owner,
                created_by=by,
                now=now,
                tz=tz,
                visit_id=visit_id,
            ),
            self._saved,
            self._failed,
            must_land=True,
        )

    def _saved(self, change: FollowUpChange) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(change)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.errors.setText(error_text(error))
        self.errors.show()
        self.what.setFocus(Qt.FocusReason.OtherFocusReason)


def open_for_visit(
    runner: Runner,
    visit: Visit,
    *,
    staff_id: int | None,
    clock: Callable[[], int],
    initial_text: str,
    on_saved: Callable[[FollowUpChange], None],
    parent: QWidget,
) -> FollowUpDialog:
    """A promise for the customer of ``visit`` (who has a record), opened window-modal and
    deleted when closed: from the visit panel, and from an unhappy answer's notice."""
    assert visit.customer_id is not None
    dialog = FollowUpDialog(
        runner,
        customer_id=visit.customer_id,
        customer_name=visitor_name(visit),
        visit_id=visit.id,
        staff_id=staff_id,
        clock=clock,
        initial_text=initial_text,
        parent=parent,
    )
    dialog.saved.connect(on_saved)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
