"""Visits left in progress: offered on start (the app was closed or died mid-visit) and from
the Visit menu. Resume one exactly where it stood, or close it with a reason: ended as it
stood, or discarded."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter import visits
from counter.visits import Visit, VisitChange
from ui import theme
from ui.error_text import error_text
from ui.i18n import _
from ui.models.open_visits_model import OpenVisitsModel
from ui.tasks import Runner


class OpenVisitsDialog(QDialog):
    resume_requested = Signal(object)  # the Visit to load into the visit panel
    closed_one = Signal(object)  # the VisitChange of a visit ended or discarded here

    def __init__(
        self,
        runner: Runner,
        open_visits: list[Visit],
        *,
        staff_id: Callable[[], int | None],
        clock: Callable[[], int] = lambda: int(time.time()),
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._runner = runner
        self._staff_id = staff_id
        self._clock = clock
        self.setObjectName("openVisitsDialog")
        self.setWindowTitle(_("Visits still open"))
        self.resize(640, 320)

        self.intro = QLabel(
            _(
                "These visits were not ended, perhaps because Counter closed unexpectedly. "
                "Resume one where it stood, or close it with a reason."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.model = OpenVisitsModel(self)
        self.model.set_visits(open_visits)
        self.view = QTableView(self)
        self.view.setObjectName("openVisitsView")
        self.view.setTabKeyNavigation(False)  # Tab leaves the table
        self.view.setModel(self.model)
        self.view.setAccessibleName(_("Open visits"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a date is never cut
        header.setSectionResizeMode(OpenVisitsModel.CUSTOMER, QHeaderView.ResizeMode.Stretch)
        self.view.activated.connect(lambda _index: self.resume())
        self.error = QLabel(self)
        theme.colour_text(self.error, theme.DANGER)
        self.error.setWordWrap(True)
        self.error.hide()

        self.resume_button = QPushButton(_("&Resume"), self)
        self.resume_button.setObjectName("resumeVisit")
        self.resume_button.setDefault(True)
        self.resume_button.clicked.connect(self.resume)
        self.end_button = QPushButton(_("&End as it stood…"), self)
        self.end_button.clicked.connect(lambda: self.close_visit("end"))
        self.discard_button = QPushButton(_("&Discard…"), self)
        self.discard_button.clicked.connect(lambda: self.close_visit("discard"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("&Later"))
        buttons.rejected.connect(self.reject)
        for button in (self.resume_button, self.end_button, self.discard_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if self.model.rowCount():
            self.view.selectRow(0)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def current_visit(self) -> Visit | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.visit(rows[0].row()) if rows else None

    def resume(self) -> None:
        visit = self.current_visit()
        if visit is not None:
            self.resume_requested.emit(visit)
            self.accept()

    def close_visit(self, how: str, reason: str | None = None) -> None:
        visit = self.current_visit()
        if visit is None:
            return
        if reason is None:
            title = _("End as it stood") if how == "end" else _("Discard visit")
            reason, ok = QInputDialog.getText(self, title, _("Why? (kept in the audit log)"))
            if not ok:
                return
        visit_id, by, now = visit.id, self._staff_id(), self._clock()
        fn = visits.close_left_open if how == "end" else visits.discard_visit
        self._runner.run(
            lambda db: fn(db, visit_id, reason=reason, by=by, now=now),
            self._closed,
            self._failed,
            must_land=True,
        )

    def _closed(self, change: VisitChange) -> None:
        self.error.hide()
        self.model.remove(change.visit.id)
        self.closed_one.emit(change)
        if self.model.rowCount():
            self.view.selectRow(0)
        else:
            self.accept()

    def _failed(self, error: BaseException) -> None:
        self.error.setText(error_text(error))
        self.error.show()
