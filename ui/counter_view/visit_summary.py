"""What a visit that just ended comes to: how long the customer waited and was served against
the store's targets (over in red, within in green, following the palette), the outcome and
the steps not done. Shown by the visit panel in place of the visit until OK is pressed.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counter.outcomes import outcome_label
from counter.visits import VisitChange
from ui import theme
from ui.i18n import _, current
from ui.models.queue_model import visitor_name


class VisitSummary(QFrame):
    closed = Signal()  # OK: the summary is read

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.change: VisitChange | None = None  # the ending on screen
        self.setObjectName("summaryPage")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        self.title.setObjectName("summaryTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(self)
        self.text.setObjectName("summaryText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("summaryClose")
        self.close_button.clicked.connect(lambda: self.closed.emit())
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text)
        layout.addStretch(1)
        theme.follow(self, self._repaint)

    def retranslate(self) -> None:
        self.close_button.setText(_("OK"))
        self._repaint()

    def forget(self) -> None:
        self.change = None

    def _repaint(self) -> None:
        """In the language and the palette on screen (red and green follow the palette)."""
        if self.change is not None:
            self.show_change(self.change)

    def show_change(self, change: VisitChange) -> None:
        summary = change.summary
        assert summary is not None
        self.change = change
        visit = change.visit
        tr = current()
        self.title.setText(_("Visit with {name} ended").format(name=visitor_name(visit)))

        def line(label: str, seconds: int, target: int, over: bool) -> str:
            verdict = (
                _("{over} over the {target} target").format(
                    over=tr.exact_duration(seconds - target), target=tr.exact_duration(target)
                )
                if over
                else _("within the {target} target").format(target=tr.exact_duration(target))
            )
            colour = theme.colours().css(theme.DANGER if over else theme.SUCCESS)
            return (
                f"{html.escape(label)} <b>{html.escape(tr.exact_duration(seconds))}</b> — "
                f"<span style='color:{colour}'>{html.escape(verdict)}</span>"
            )

        lines = [
            line(
                _("Waited:"), summary.wait_seconds, summary.wait_target_seconds, summary.wait_over
            ),
            line(
                _("Service:"),
                summary.service_seconds,
                summary.service_target_seconds,
                summary.service_over,
            ),
        ]
        if visit.outcome:
            lines.append(
                html.escape(_("Outcome: {outcome}").format(outcome=outcome_label(visit.outcome, _)))
            )
        skipped = [s.text(_) for s in visit.steps if s.status != "done"]
        if skipped:
            lines.append(html.escape(_("Not done: {steps}").format(steps=tr.list(skipped))))
        self.text.setText("<br>".join(lines))
