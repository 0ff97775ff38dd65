"""Signing in: the staff sign-in dialog (name + PIN; Ctrl+L switches staff) and the first-start
dialog (store name, store language, the first manager's PIN)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter.auth import set_up_store, sign_in
from counter.i18n import Translator, available_languages
from counter.roles import Session
from counter.staff import StaffMember, sign_in_list
from ui.accessible import name_form_combos
from ui.error_text import error_label, error_text
from ui.fit import centre_on_parent, fit_dialog
from ui.i18n import _, current
from ui.tasks import Runner


class SignInDialog(QDialog):
    """Choose your name, type your PIN, Enter. ``managers_only`` lists only managers (opening
    the Manage window while a staff member is signed in)."""

    signed_in = Signal(object)  # Session

    def __init__(
        self,
        runner: Runner,
        clock: Callable[[], int],
        *,
        managers_only: bool = False,
        preselect: int | None = None,
        pin_first: bool = False,  # preselected is most likely who is there: the PIN has focus
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self._pin_first = pin_first
        self._runner = runner
        self._clock = clock
        self._managers_only = managers_only
        self._preselect = preselect
        self.setWindowTitle(_("Manager sign-in") if managers_only else _("Sign in"))

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setText(
            _("Manager functions need a manager's PIN or password.")
            if managers_only
            else _("Who is at the counter?")
        )
        self.person = QComboBox(self)
        self.person.setObjectName("signInPerson")
        # The list arrives after the dialog is shown: sized to its names then, not to nothing.
        self.person.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.pin = QLineEdit(self)
        self.pin.setObjectName("signInPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(128)
        form = QFormLayout()
        form.addRow(_("&Name:"), self.person)
        form.addRow(_("&PIN:"), self.pin)
        name_form_combos(form)  # not by the person chosen
        self.errors = error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        fit_dialog(self)
        runner.run(sign_in_list, self._fill, self._failed, key="sign-in-list")

    def _fill(self, members: list[StaffMember]) -> None:
        self.person.clear()
        for member in members:
            if self._managers_only and not member.is_manager:
                continue
            label = (
                _("{name} (manager)").format(name=member.name) if member.is_manager else member.name
            )
            self.person.addItem(label, member.id)
        index = self.person.findData(self._preselect) if self._preselect is not None else -1
        if index >= 0:
            self.person.setCurrentIndex(index)
        fit_dialog(self)
        centre_on_parent(self)  # grown for the names: still in the middle of the window
        if self._pin_first and index >= 0:
            # The start of a shift: the last person who signed in here, their PIN at once.
            self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            # Switching staff: type the first letters of a name, Tab, the PIN, Enter.
            self.person.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # At start-up the window may be placed after this dialog was: centre once both are.
        QTimer.singleShot(0, self, lambda: centre_on_parent(self))

    def choose(self, staff_id: int) -> None:
        index = self.person.findData(staff_id)
        if index >= 0:
            self.person.setCurrentIndex(index)

    def submit(self) -> None:
        staff_id = self.person.currentData()
        if staff_id is None:
            self._show(_("Choose your name from the list."))
            return
        pin, now = self.pin.text(), self._clock()
        self.buttons.setEnabled(False)
        self._runner.run(lambda db: sign_in(db, staff_id, pin, now=now), self._done, self._failed)

    def _done(self, session: Session) -> None:
        self.buttons.setEnabled(True)
        self.signed_in.emit(session)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.pin.clear()
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show(error_text(error))

    def _show(self, text: str) -> None:
        self.errors.setText(text)
        self.errors.show()


class FirstStartDialog(QDialog):
    """The first start: the store's name and language, and the first manager."""

    signed_in = Signal(object)  # the first manager's Session

    def __init__(
        self,
        runner: Runner,
        clock: Callable[[], int],
        *,
        store_name: str = "",
        store_language: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("firstStartDialog")
        self._runner = runner
        self._clock = clock
        self.setWindowTitle(_("Welcome to Counter"))
        intro = QLabel(
            _(
                "Set up this counter: the store's name and language, and the first manager. "
                "Managers review visits, export and manage staff with their PIN or password."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.store_name = QLineEdit(store_name, self)
        self.store_name.setObjectName("storeName")
        self.store_language = QComboBox(self)
        self.store_language.setObjectName("storeLanguage")
        for code in available_languages():
            native = Translator(code).language_name(code)
            self.store_language.addItem(f"{native} ({code})", code)
        index = self.store_language.findData(store_language or current().language)
        self.store_language.setCurrentIndex(max(index, 0))
        self.manager_name = QLineEdit(self)
        self.manager_name.setObjectName("managerName")
        self.pin = QLineEdit(self)
        self.pin.setObjectName("managerPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_again = QLineEdit(self)
        self.pin_again.setObjectName("managerPinAgain")
        self.pin_again.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("&Store name:"), self.store_name)
        form.addRow(_("Store &language:"), self.store_language)
        form.addRow(_("&Manager's name:"), self.manager_name)
        form.addRow(_("Manager &PIN or password:"), self.pin)
        form.addRow(_("&Repeat it:"), self.pin_again)
        name_form_combos(form)
        self.errors = error_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start"))
        self.buttons.accepted.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        fit_dialog(self, min_width=520)
        self.store_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: centre_on_parent(self))  # see SignInDialog.showEvent

    def submit(self) -> None:
        if self.pin.text() != self.pin_again.text():
            self._show(_("The two PINs are not the same."))
            return
        store_name, store_language = self.store_name.text(), self.store_language.currentData() or ""
        manager_name, pin, now = self.manager_name.text(), self.pin.text(), self._clock()
        self.buttons.setEnabled(False)
        self._runner.run(
            lambda db: set_up_store(
                db,
                store_name=store_name,
                store_language=store_language,
                manager_name=manager_name,
                pin=pin,
                now=now,
            ),
            self._done,
            self._failed,
        )

    def _done(self, session: Session) -> None:
        self.buttons.setEnabled(True)
        self.signed_in.emit(session)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._show(error_text(error))

    def _show(self, text: str) -> None:
        self.errors.setText(text)
        self.errors.show()
