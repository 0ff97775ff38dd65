"""What the visit was about: the need, what was offered, the outcome, and the complaint switch
with the complaint path it opens (acknowledge the feeling, then clarify, confirm, commit).

It holds what the person types and chooses; the visit panel (ui/counter_view/visit_panel.py)
commits it: ``edited`` as they type (committed after a pause), ``finished`` when they leave a
field, ``outcome_chosen`` and ``complaint_clicked`` at once.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter import visits
from counter.outcomes import outcome_label
from ui import theme
from ui.accessible import name_by_label
from ui.i18n import _


class VisitNotesForm(QWidget):
    """Need, offered, outcome and the complaint check box. ``complaint_box`` (the complaint
    path) is made here but laid out by the panel, under the checklist and the notes."""

    edited = Signal()  # the need or the offer was typed in
    finished = Signal()  # the need or the offer was left (or Enter pressed)
    outcome_chosen = Signal(str)  # an outcome's key ('' for none) picked by the person
    complaint_clicked = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._outcomes: list[str] = []  # the store's outcomes, in its order

        self.need = QLineEdit(self)
        self.need.setObjectName("visitNeed")
        self.solution = QLineEdit(self)
        self.solution.setObjectName("visitSolution")
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("visitOutcome")
        for edit in (self.need, self.solution):
            edit.setMaxLength(visits.MAX_NOTE)
            edit.textEdited.connect(lambda _text: self.edited.emit())
            edit.editingFinished.connect(self.finished)
        self.need.returnPressed.connect(
            lambda: self.solution.setFocus(Qt.FocusReason.TabFocusReason)
        )
        self.solution.returnPressed.connect(
            lambda: self.outcome.setFocus(Qt.FocusReason.TabFocusReason)
        )
        self.outcome.activated.connect(
            lambda index: self.outcome_chosen.emit(self.outcome.itemData(index) or "")
        )
        self.complaint = QCheckBox(self)
        self.complaint.setObjectName("visitComplaint")
        self.complaint.clicked.connect(self.complaint_clicked)
        self.complaint_box = QLabel(self)
        self.complaint_box.setObjectName("complaintPath")
        self.complaint_box.setWordWrap(True)
        self.complaint_box.setTextFormat(Qt.TextFormat.RichText)
        theme.style_sheet(
            self.complaint_box,
            theme.note_css("QLabel#complaintPath", "border-left: 4px solid BORDER; padding: 6px;"),
        )
        self.complaint_box.hide()

        form = QFormLayout()
        self.form_labels = [QLabel(self) for _ in range(3)]
        for label, field in zip(
            self.form_labels, (self.need, self.solution, self.outcome), strict=True
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.complaint)

    def retranslate(self, chosen_outcome: str) -> None:
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
        self.fill_outcomes(chosen_outcome)

    def chosen_outcome(self) -> str:
        """The outcome on screen ('' for none): it may still be on its way to the database."""
        return self.outcome.currentData() or ""

    def set_outcomes(self, keys: list[str], chosen: str) -> None:
        """The outcomes the store offers (loaded after the panel is built)."""
        self._outcomes = list(keys)
        self.fill_outcomes(chosen)

    def fill_outcomes(self, chosen: str) -> None:
        """The list, in the language on screen, with ``chosen`` (an outcome's key) selected."""
        keys = list(self._outcomes)
        if chosen and chosen not in keys:
            keys.append(chosen)  # chosen before the list changed: keep showing it
        self.outcome.blockSignals(True)
        self.outcome.clear()
        self.outcome.addItem(_("— choose —"), "")
        for key in keys:
            self.outcome.addItem(outcome_label(key, _), key)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(chosen)))
        self.outcome.blockSignals(False)

    def show_complaint(self, on: bool) -> None:
        """The complaint path under the visit while the complaint switch is on."""
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
