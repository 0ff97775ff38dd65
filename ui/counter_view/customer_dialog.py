"""Add or edit a customer. The domain validates; problems appear next to their fields and
nothing is saved until every one is fixed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from counter.customers import (
    Customer,
    CustomerInput,
    create_customer,
    format_phone,
    update_customer,
)
from counter.errors import ValidationError
from counter.i18n import SUPPORTED_LANGUAGES
from counter.names import split_full_name
from ui import theme
from ui.accessible import name_form_combos
from ui.error_text import error_label, error_text
from ui.i18n import _, current
from ui.tasks import Runner

# Languages offered beyond those with catalogs: customers speak more languages than the UI.
OTHER_LANGUAGES = ("ar", "bn", "de", "es", "fr", "it", "pl", "pt", "ro", "ru", "uk", "ur", "zh")


class CustomerDialog(QDialog):
    saved = Signal(object)  # the Customer as stored

    def __init__(
        self,
        runner: Runner,
        *,
        phone_region: str,
        now_fn,
        customer: Customer | None = None,
        initial_text: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._runner = runner
        self._region = phone_region
        self._now = now_fn
        self._customer = customer
        self.setObjectName("customerDialog")
        self.setWindowTitle(_("Edit customer") if customer else _("New customer"))

        self.given = QLineEdit(self)
        self.family = QLineEdit(self)
        self.native = QLineEdit(self)
        self.language = QComboBox(self)
        self.language.addItem(_("Store's language"), "")
        tr = current()
        for code in (*SUPPORTED_LANGUAGES, *OTHER_LANGUAGES):
            self.language.addItem(f"{tr.language_name(code)} ({code})", code)
        self.formality = QComboBox(self)
        self.formality.addItem(_("Formal"), "formal")
        self.formality.addItem(_("Informal (first name)"), "informal")
        self.title = QComboBox(self)
        for label, value in (
            (_("Not given"), ""),
            (_("Ms / Mrs (Hanım, pani, asszony)"), "ms"),
            (_("Mr (Bey, pán, úr)"), "mr"),
            (_("Mx (no gendered title)"), "mx"),
        ):
            self.title.addItem(label, value)
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText("+90 532 123 45 67")
        self.email = QLineEdit(self)
        self.card = QLineEdit(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(_("e.g. training for a marathon; prefers tea"))
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 4)

        self._fields: dict[str, QWidget] = {
            "given_name": self.given,
            "family_name": self.family,
            "native_name": self.native,
            "language": self.language,
            "formality": self.formality,
            "title": self.title,
            "phone": self.phone,
            "email": self.email,
            "card": self.card,
            "rapport_notes": self.notes,
        }
        form = QFormLayout()
        for key, label in (
            ("given_name", _("&Given name:")),
            ("family_name", _("&Family name:")),
            ("native_name", _("Name in own &script:")),
            ("language", _("&Language:")),
            ("formality", _("Add&ress:")),
            ("title", _("&Title:")),
            ("phone", _("&Phone:")),
            ("email", _("E-&mail:")),
            ("card", _("Loyalty &card:")),
            ("rapport_notes", _("Rapport &notes:")),
        ):
            form.addRow(label, self._fields[key])
        name_form_combos(form)  # not by the language chosen
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

        if customer is not None:
            self._fill(customer)
        elif initial_text:
            self._prefill(initial_text)
        self.given.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill(self, customer: Customer) -> None:
        self.given.setText(customer.given_name)
        self.family.setText(customer.family_name)
        self.native.setText(customer.native_name)
        self._select(self.language, customer.language)
        self._select(self.formality, customer.formality)
        self._select(self.title, customer.title)
        self.phone.setText(format_phone(customer.phone))
        self.email.setText(customer.email)
        self.card.setText(customer.card)
        self.notes.setPlainText(customer.rapport_notes)

    def _prefill(self, text: str) -> None:
        """The search text becomes the new customer: digits as phone, letters as the name."""
        text = text.strip()
        if text and all(ch.isdigit() or ch in " +-()" for ch in text):
            self.phone.setText(text)
            return
        if any("\u0900" <= ch <= "\u097f" for ch in text):
            self.native.setText(text)
            return
        name = split_full_name(text)
        self.given.setText(name.given)
        self.family.setText(name.family)

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        if index < 0:
            combo.addItem(value, value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def value(self) -> CustomerInput:
        return CustomerInput(
            given_name=self.given.text(),
            family_name=self.family.text(),
            native_name=self.native.text(),
            language=self.language.currentData() or "",
            formality=self.formality.currentData(),
            title=self.title.currentData(),
            phone=self.phone.text(),
            email=self.email.text(),
            card=self.card.text(),
            rapport_notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        data = self.value()
        now = self._now()
        region = self._region
        self.buttons.setEnabled(False)
        if self._customer is None:

            def work(db):
                return create_customer(db, data, now=now, phone_region=region)
        else:
            customer_id = self._customer.id

            def work(db):
                return update_customer(db, customer_id, data, now=now, phone_region=region)

        self._runner.run(work, self._saved, self._failed)

    def _saved(self, customer: Customer) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(customer)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        for widget in self._fields.values():
            widget.setProperty("invalid", False)
            widget.setStyleSheet("")
        if isinstance(error, ValidationError):
            for problem in error.problems:
                field = self._fields.get(problem.field)
                if field is not None:
                    field.setStyleSheet(f"border: 1px solid {theme.colours().css(theme.DANGER)}")
            first = self._fields.get(error.problems[0].field)
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.errors.setText(error_text(error, missing=_("That customer no longer exists.")))
        self.errors.show()
