"""What to say now: two or three phrases for the customer on screen and the current step, in
the customer's language, each with a pronunciation line for non-Latin scripts, the same phrase
in the UI language underneath, and a copy button (Alt+1..3).

The step follows the visit checklist (``set_step``, wired to ``VisitPanel.step_changed``) and
can be chosen here too; phrases come from ``counter.phrase_suggestions`` through the task
runner.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from counter.errors import NotFound
from counter.phrase_catalog import MAX_PHRASES, NO_CATALOG, NO_LANGUAGE, STEPS
from ui import theme
from ui.accessible import name_by_label
from ui.error_text import error_text
from ui.fit import FlowLayout
from ui.i18n import N_, _, current
from ui.keyboard import DIGITS, keys
from ui.tasks import Runner

if TYPE_CHECKING:  # counter.phrase_suggestions is loaded by the first suggestion (worker)
    from counter.phrase_suggestions import Phrase, Suggestions

STEP_LABELS = {
    "greet": N_("Greet"),
    "rapport": N_("Build rapport"),
    "needs": N_("Identify needs"),
    "solution": N_("Offer a solution"),
    "thank": N_("Thank"),
    "complaint": N_("Complaint"),
    "farewell": N_("Farewell"),
}


def _label(parent: QWidget, name: str, *, scale: float = 1.0, italic: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # customer data (notes, needs) is never markup
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setItalic(italic)
    label.setFont(font)
    return label


class _PhraseRow(QFrame):
    """One phrase: the text to say, how to say it, what it means, and a copy button."""

    def __init__(self, number: int, parent: QWidget):
        super().__init__(parent)
        self.number = number
        self.phrase: Phrase | None = None
        self.setObjectName(f"phraseRow{number}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = _label(self, f"phraseText{number}", scale=1.2)
        self.pronunciation = _label(self, f"phrasePronunciation{number}", italic=True)
        self.gloss = _label(self, f"phraseGloss{number}", scale=0.95)
        palette = self.gloss.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
        )
        self.gloss.setPalette(palette)
        self.copy = QToolButton(self)
        self.copy.setObjectName(f"phraseCopy{number}")
        self.copy.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # The three lines stacked, the copy button beside them at the top.
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.text)
        texts.addWidget(self.pronunciation)
        texts.addWidget(self.gloss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(texts, 1)
        layout.addWidget(self.copy, 0, Qt.AlignmentFlag.AlignTop)

    def show_phrase(self, phrase: Phrase | None) -> None:
        self.phrase = phrase
        self.setVisible(phrase is not None)
        if phrase is None:
            return
        self.text.setText(phrase.text)
        self.pronunciation.setText(phrase.pronunciation)
        self.pronunciation.setVisible(bool(phrase.pronunciation))
        self.gloss.setText(phrase.gloss)
        self.gloss.setVisible(bool(phrase.gloss))

    def retranslate(self) -> None:
        shortcut = f"Alt+{self.number}"
        self.copy.setText(_("Copy ({shortcut})").format(shortcut=shortcut))
        self.copy.setToolTip(_("Copy this phrase to the clipboard"))
        self.pronunciation.setToolTip(_("How to say it"))
        self.gloss.setToolTip(_("What it means, in your language"))


class PhrasePanel(QWidget):
    copied = Signal(str)  # the phrase text just put on the clipboard
    shown = Signal(object)  # the Suggestions now on screen

    def __init__(
        self,
        runner: Runner,
        *,
        clock: Callable[[], int] = lambda: int(time.time()),
        staff_id: Callable[[], int | None] = lambda: None,
        tz: tzinfo | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._runner = runner
        self._clock = clock
        self._staff_id = staff_id
        self.tz = tz  # None: the computer's own time zone
        self.customer_id: int | None = None
        self.suggestions: Suggestions | None = None
        self.setObjectName("phrasePanel")

        self.title = QLabel(self)
        self.title.setObjectName("phraseTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.step_label = QLabel(self)
        self.step = QComboBox(self)
        self.step.setObjectName("phraseStep")
        self.step.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for key in STEPS:
            self.step.addItem("", key)
        self.step_label.setBuddy(self.step)
        self.step.currentIndexChanged.connect(lambda _index: self.refresh())

        self.language = QLabel(self)
        self.language.setObjectName("phraseLanguage")
        # Title, language and step on one line when there is room, on two when not (long
        # step names in Hungarian): the header never widens the window.
        step_box = QWidget(self)
        step_row = QHBoxLayout(step_box)
        step_row.setContentsMargins(0, 0, 0, 0)
        step_row.addWidget(self.step_label)
        step_row.addWidget(self.step)
        header = FlowLayout()
        header.addWidget(self.title)
        header.addWidget(self.language)
        header.add_stretch()
        header.addWidget(step_box)
        self.notice = QLabel(self)
        self.notice.setObjectName("phraseNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        theme.style_sheet(
            self.notice, theme.note_css("QLabel", "border-radius: 3px; padding: 3px 6px;")
        )
        self.empty = QLabel(self)
        self.empty.setObjectName("phraseEmpty")
        self.empty.setWordWrap(True)

        self.rows = [_PhraseRow(n, self) for n in range(1, MAX_PHRASES + 1)]
        self.shortcuts = []
        for row in self.rows:
            row.copy.clicked.connect(lambda _checked=False, r=row: self.copy_phrase(r.number))
            shortcut = QShortcut(
                keys(DIGITS[row.number - 1], Qt.KeyboardModifier.AltModifier), self
            )
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda r=row: self.copy_phrase(r.number))
            self.shortcuts.append(shortcut)

        # The phrases scroll, so the panel shares the column without forcing the window taller.
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.notice)
        body_layout.addWidget(self.empty)
        for row in self.rows:
            row.setParent(body)
            body_layout.addWidget(row)
        body_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("phraseScroll")
        self.scroll_area.setWidget(body)
        self.scroll_area.setWidgetResizable(True)
        QWidget.setTabOrder(self.step, self.scroll_area)  # the phrases' page, then its buttons
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Not a Tab stop of its own: Tab goes from copy button to copy button, and the area
        # scrolls to show the one with the focus.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.scroll_area, 1)
        self._show(None)
        self.retranslate()

    def sizeHint(self) -> QSize:
        # Room for every phrase at the width we have, so a splitter starts with them in view.
        hint = super().sizeHint()
        width = max(self.width(), 600) - 24
        rows = [r for r in self.rows if r.phrase is not None] or self.rows[:1]
        body = sum(r.heightForWidth(width) if r.hasHeightForWidth() else 60 for r in rows)
        body += 6 * len(rows) + self.notice.sizeHint().height() * self.notice.isVisibleTo(self)
        return QSize(hint.width(), self.step.sizeHint().height() + body + 12)

    def tab_order(self) -> list[QWidget]:
        return [self.step, *(row.copy for row in self.rows)]

    # what is shown -------------------------------------------------------------------------
    def current_step(self) -> str:
        return self.step.currentData() or STEPS[0]

    def set_step(self, step: str) -> None:
        """Follow the visit checklist; steps without phrases (custom ones) are ignored. No
        visit ('': ended, discarded) means the next customer is to be greeted."""
        index = self.step.findData(step or STEPS[0])
        if index >= 0 and index != self.step.currentIndex():
            self.step.setCurrentIndex(index)

    def show_customer(self, customer_id: int) -> None:
        self.customer_id = customer_id
        self.refresh()

    def clear(self) -> None:
        self.customer_id = None
        self._show(None)

    def refresh(self) -> None:
        if self.customer_id is None:
            self._show(None)
            return
        customer_id, step = self.customer_id, self.current_step()
        now, staff_id, tz = self._clock(), self._staff_id(), self.tz
        ui_language = current().language

        def suggest(db):
            from counter.phrase_suggestions import suggest_for_customer

            return suggest_for_customer(
                db, customer_id, step, now=now, ui_language=ui_language, staff_id=staff_id, tz=tz
            )

        self._runner.run(
            suggest,
            self._show,
            self._failed,
            key="phrases",
        )

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, NotFound):
            self.clear()
            return
        self._show(None)
        self.empty.setText(error_text(error))

    def _show(self, suggestions: Suggestions | None) -> None:
        self.suggestions = suggestions
        phrases = suggestions.phrases if suggestions else ()
        for index, row in enumerate(self.rows):
            row.show_phrase(phrases[index] if index < len(phrases) else None)
        self._update_texts()
        self.shown.emit(suggestions)

    def _update_texts(self) -> None:
        tr = current()
        suggestions = self.suggestions
        self.language.setVisible(suggestions is not None)
        self.notice.setVisible(bool(suggestions and suggestions.fallback))
        if suggestions is None:
            self.empty.setVisible(True)
            if self.customer_id is None:
                self.empty.setText(_("Open a customer to see what to say."))
            return
        language = tr.language_name(suggestions.language)
        self.language.setText(_("in {language}").format(language=language))
        if suggestions.fallback == NO_CATALOG:
            self.notice.setText(
                _("Shown in the store's language: no {language} phrases yet.").format(
                    language=tr.language_name(suggestions.requested_language)
                )
            )
        elif suggestions.fallback == NO_LANGUAGE:
            self.notice.setText(
                _("Shown in the store's language: this customer has no preferred language.")
            )
        self.empty.setVisible(not suggestions.phrases)
        self.empty.setText(_("No phrases for this step. A manager can add some under Manage."))

    def copy_phrase(self, number: int) -> str:
        """Put phrase ``number`` (1-based) on the clipboard; '' when there is none."""
        row = self.rows[number - 1] if 1 <= number <= len(self.rows) else None
        if row is None or row.phrase is None or not row.isVisibleTo(self):
            return ""
        QGuiApplication.clipboard().setText(row.phrase.text)
        self.copied.emit(row.phrase.text)
        return row.phrase.text

    def retranslate(self) -> None:
        self.title.setText(_("What to say"))
        self.step_label.setText(_("S&tep:"))
        name_by_label(self.step, self.step_label)  # not by the step chosen
        self.scroll_area.setAccessibleName(_("What to say"))
        for index, key in enumerate(STEPS):
            self.step.setItemText(index, _(STEP_LABELS[key]))
        for row in self.rows:
            row.retranslate()
        self._update_texts()
        if self.customer_id is not None:
            self.refresh()  # the glosses are in the UI language
