"""Staff admin: who can sign in, their role, their PIN; lift a lockout by setting a new PIN."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.roles import Session
from counter.staff import StaffMember, add_staff, list_staff, set_pin, update_staff
from ui.accessible import name_form_combos
from ui.error_text import error_label, error_text
from ui.fit import fit_dialog
from ui.i18n import N_, _, current, pgettext
from ui.models.list_table_model import Column, ListTableModel
from ui.tasks import Runner

ROLE_LABELS = {"staff": N_("Staff"), "manager": N_("Manager")}


class StaffDialog(QDialog):
    """Add a person (name, role, PIN) or edit one (name, role, active)."""

    submitted = Signal(dict)

    def __init__(self, member: StaffMember | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("staffDialog")
        self.setWindowTitle(_("Edit staff member") if member else _("Add staff member"))
        self.name = QLineEdit(member.name if member else "", self)
        self.role = QComboBox(self)
        for key, msgid in ROLE_LABELS.items():
            self.role.addItem(_(msgid), key)
        if member:
            self.role.setCurrentIndex(self.role.findData(member.role))
        self.active = QCheckBox(_("Can sign in"), self)
        self.active.setChecked(member.active if member else True)
        self.pin = QLineEdit(self)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("&Role:"), self.role)
        name_form_combos(form)
        if member:
            form.addRow("", self.active)
            self.pin.hide()
        else:
            form.addRow(_("&PIN:"), self.pin)
            self.active.hide()  # not in the form: it would lie on top of the name
        self.errors = error_label(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        fit_dialog(self)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        self.submitted.emit(
            {
                "name": self.name.text(),
                "role": self.role.currentData(),
                "active": self.active.isChecked(),
                "pin": self.pin.text(),
            }
        )

    def show_error(self, text: str) -> None:
        self.errors.setText(text)
        self.errors.show()


class StaffAdminView(QWidget):
    changed = Signal()  # a member was added or edited, or their PIN set

    def __init__(
        self,
        runner: Runner,
        session: Session,
        clock: Callable[[], int],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("staffAdmin")
        self._runner = runner
        self._session = session
        self._clock = clock

        def state(m: StaffMember) -> str:
            if not m.active:
                return _("cannot sign in")
            if m.locked(self._clock()) and m.locked_until is not None:
                return _("locked until {time}").format(time=current().time(m.locked_until))
            return _("no PIN yet") if not m.has_pin else _("active")

        self.model = ListTableModel(
            [
                Column(N_("Name"), lambda m: m.name),
                Column(N_("Role"), lambda m: _(ROLE_LABELS.get(m.role, m.role))),
                Column(N_("Status"), state),
            ],
            self,
        )
        self.table = QTableView(self)
        self.table.setObjectName("staffTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _index: self.edit_member())
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self.add_member)
        self.edit_button = QPushButton(self)
        self.edit_button.clicked.connect(self.edit_member)
        self.pin_button = QPushButton(self)
        self.pin_button.clicked.connect(self.set_member_pin)
        self.message = QLabel(self)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.pin_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        QWidget.setTabOrder(self.pin_button, self.table)  # the buttons above, then the table
        self.retranslate()
        self.refresh()

    def _saved(self) -> None:
        self.refresh()
        self.changed.emit()

    def _close_saved(self, dialog: QDialog) -> None:
        dialog.accept()
        self._saved()

    def refresh(self) -> None:
        session = self._session
        self._runner.run(lambda db: list_staff(db, session), self.model.set_items, self._failed)

    def selected(self) -> StaffMember | None:
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def add_member(self) -> StaffDialog:
        dialog = StaffDialog(None, self)
        session, now = self._session, self._clock()

        def save(values: dict) -> None:
            self._runner.run(
                lambda db: add_staff(
                    db,
                    session,
                    name=values["name"],
                    role=values["role"],
                    pin=values["pin"],
                    now=now,
                ),
                lambda _member: self._close_saved(dialog),
                lambda error: dialog.show_error(error_text(error)),
            )

        dialog.submitted.connect(save)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def edit_member(self) -> StaffDialog | None:
        member = self.selected()
        if member is None:
            return None
        dialog = StaffDialog(member, self)
        session, now = self._session, self._clock()

        def save(values: dict) -> None:
            self._runner.run(
                lambda db: update_staff(
                    db,
                    session,
                    member.id,
                    name=values["name"],
                    role=values["role"],
                    active=values["active"],
                    now=now,
                ),
                lambda _member: self._close_saved(dialog),
                lambda error: dialog.show_error(error_text(error)),
            )

        dialog.submitted.connect(save)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def set_member_pin(self) -> QDialog | None:
        member = self.selected()
        if member is None:
            return None
        dialog = QDialog(self)
        dialog.setWindowTitle(_("New PIN for {name}").format(name=member.name))
        pin = QLineEdit(dialog)
        pin.setEchoMode(QLineEdit.EchoMode.Password)
        errors = error_label(dialog)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        layout = QFormLayout(dialog)
        layout.addRow(_("&PIN:"), pin)
        layout.addRow(errors)
        layout.addRow(buttons)
        session, now = self._session, self._clock()
        buttons.rejected.connect(dialog.reject)
        buttons.accepted.connect(
            lambda: self._runner.run(
                lambda db: set_pin(db, session, member.id, pin.text(), now=now),
                lambda _none: self._close_saved(dialog),
                lambda error: _show_error(errors, error),
            )
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_text(error))

    def retranslate(self) -> None:
        self.table.setAccessibleName(pgettext("manager tab", "Staff"))
        self.add_button.setText(_("&Add…"))
        self.edit_button.setText(_("&Edit…"))
        self.pin_button.setText(_("Set &PIN…"))
        self.model.refresh_texts()


def _show_error(label: QLabel, error: BaseException) -> None:
    label.setText(error_text(error))
    label.show()
