"""The status-bar words for writes that wait for the database: another program (a second
counter, a sqlite3 shell, a long import) holds its write lock, and a tick or a note made here
is waiting its turn. It is not lost: the task runner tries it again until it lands."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from ui import theme
from ui.i18n import UiLanguage, ngettext
from ui.tasks import Runner


class WriteStatus(QLabel):
    """A permanent status-bar label, shown only while writes wait."""

    def __init__(self, runner: Runner, language: UiLanguage, bar: QStatusBar):
        super().__init__(bar)
        self.setObjectName("writeStatus")
        theme.colour_text(self, theme.WARNING, "font-weight: bold")
        self._count = 0
        bar.addPermanentWidget(self)
        runner.waiting_changed.connect(self.show_waiting)
        language.changed.connect(lambda _code: self.retranslate())
        self.hide()

    def show_waiting(self, count: int) -> None:
        self._count = count
        self.retranslate()
        self.setVisible(count > 0)

    def retranslate(self) -> None:
        self.setText(
            ngettext(
                "Saving… {count} change is waiting for the database",
                "Saving… {count} changes are waiting for the database",
                self._count,
            ).format(count=self._count)
            if self._count
            else ""
        )
        self.setToolTip(
            ngettext(
                "Another program is writing to the database. Your change is kept and saved "
                "as soon as it is free.",
                "Another program is writing to the database. Your changes are kept and saved "
                "as soon as it is free.",
                max(self._count, 1),
            )
        )
