"""Who is in front of you: name as their language writes it, how to address them, language,
contact, rapport notes, open follow-ups and the last visits."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.customers import CustomerProfile, format_phone
from counter.i18n import available_languages
from ui.i18n import _, current, ngettext
from ui.models.visit_history import VisitHistoryModel


class ProfilePanel(QWidget):
    edit_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.profile: CustomerProfile | None = None

        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("profileEmpty")

        page = QWidget(self)
        self.name = QLabel(page)
        self.name.setObjectName("profileName")
        self.name.setTextInteractionFlags(Qt.TextSelectableByMouse)
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.name.setFont(font)
        self.latin_name = QLabel(page)
        self.latin_name.setObjectName("profileLatinName")
        self.address = QLabel(page)
        self.address.setObjectName("profileAddress")
        font = self.address.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.address.setFont(font)
        self.edit_button = QPushButton(page)
        self.edit_button.setObjectName("editCustomer")
        self.edit_button.clicked.connect(self._edit)

        self.details = QFormLayout()
        self.language = QLabel(page)
        self.contact = QLabel(page)
        self.contact.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.notes = QLabel(page)
        self.notes.setWordWrap(True)
        self.notes.setObjectName("profileNotes")
        self.follow_ups = QLabel(page)
        self.follow_ups.setWordWrap(True)
        self.follow_ups.setObjectName("profileFollowUps")
        self.follow_ups.setTextFormat(Qt.RichText)
        self._labels = [QLabel(page) for _ in range(4)]
        for label, value in zip(
            self._labels, (self.language, self.contact, self.notes, self.follow_ups), strict=True
        ):
            label.setBuddy(value)
            self.details.addRow(label, value)

        self.history_title = QLabel(page)
        self.history_model = VisitHistoryModel(self)
        self.history = QTableView(page)
        self.history.setObjectName("visitHistory")
        self.history.setModel(self.history_model)
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.history.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it)
        self.history.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.history.setAlternatingRowColors(True)
        self.history.setWordWrap(False)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(VisitHistoryModel.WHEN, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(VisitHistoryModel.NEED, QHeaderView.Stretch)
        header.setSectionResizeMode(VisitHistoryModel.OUTCOME, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(VisitHistoryModel.STAFF, QHeaderView.ResizeToContents)

        layout = QVBoxLayout(page)
        layout.addWidget(self.name)
        layout.addWidget(self.latin_name)
        layout.addWidget(self.address)
        layout.addLayout(self.details)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.edit_button, 0, Qt.AlignRight)

        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        self.retranslate()

    def retranslate(self) -> None:
        self.empty.setText(_("Find a customer on the left, or press Ctrl+N to add one."))
        self.edit_button.setText(_("&Edit customer…"))
        self.edit_button.setToolTip(_("Edit this customer (Ctrl+E)"))
        for label, text in zip(
            self._labels,
            (_("Language:"), _("Contact:"), _("Rapport notes:"), _("Open follow-ups:")),
            strict=True,
        ):
            label.setText(text)
        self.history_model.refresh_texts()
        if self.profile is not None:
            self.show_profile(self.profile)

    def tab_order(self) -> list[QWidget]:
        return [self.history, self.edit_button]

    def clear(self) -> None:
        self.profile = None
        self.stack.setCurrentIndex(0)

    def show_profile(self, profile: CustomerProfile, now: int | None = None) -> None:
        now = int(time.time()) if now is None else now
        self.profile = profile
        customer = profile.customer
        tr = current()
        self.name.setText(customer.full_name())
        latin = customer.full_name("en") if customer.native_name else ""
        self.latin_name.setText(latin if latin and latin != customer.full_name() else "")
        self.latin_name.setVisible(bool(self.latin_name.text()))
        self.address.setText(_("Address as: {address}").format(address=customer.address()))
        if customer.language:
            language = tr.language_name(customer.language)
            if customer.language not in available_languages():
                language += " " + _("(no phrases in this language yet)")
        else:
            language = _("not given — the store's language is used")
        self.language.setText(language)
        contact = [p for p in (format_phone(customer.phone), customer.email) if p]
        if customer.card:
            contact.append(_("card {number}").format(number=customer.card))
        self.contact.setText(" · ".join(contact) or "—")
        self.notes.setText(customer.rapport_notes or "—")
        self.follow_ups.setText(self._follow_up_html(profile, now))
        count = len(profile.visits)
        if count:
            self.history_title.setText(
                ngettext("Last visit", "Last {count} visits", count).format(count=count)
            )
        else:
            self.history_title.setText(_("First visit — no history yet."))
        self.history_model.set_visits(profile.visits, now)
        self.stack.setCurrentIndex(1)

    def _follow_up_html(self, profile: CustomerProfile, now: int) -> str:
        if not profile.follow_ups:
            return "—"
        tr = current()
        lines = []
        for follow_up in profile.follow_ups:
            when = tr.relative(follow_up.due_at, now)
            text = html.escape(f"{follow_up.description} — {when}")
            if follow_up.overdue(now):
                text = "<b style='color:#b00020'>" + html.escape(_("Overdue:")) + "</b> " + text
            lines.append(text)
        return "<br>".join(lines)

    def _edit(self) -> None:
        if self.profile is not None:
            self.edit_requested.emit(self.profile.customer.id)
