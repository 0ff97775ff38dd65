"""Every open follow-up, soonest due first (overdue in red): filter to overdue or to your own,
open the customer (Enter or double-click), mark one done (who and when are recorded)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.follow_ups import FollowUpChange, FollowUpItem, close_follow_up, list_follow_ups
from ui.changes import Changes
from ui.error_text import error_text
from ui.i18n import _, ngettext
from ui.models.follow_up_model import FollowUpModel
from ui.tasks import Runner


class FollowUpListDialog(QDialog):
    customer_chosen = Signal(int)
    closed_one = Signal(object)  # FollowUpChange

    def __init__(
        self,
        runner: Runner,
        *,
        staff_id: Callable[[], int | None],
        clock: Callable[[], int] = lambda: int(time.time()),
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._runner = runner
        self._staff_id = staff_id
        self._clock = clock
        self.setObjectName("followUpList")
        self.setWindowTitle(_("Follow-ups"))
        self.resize(760, 420)

        self.overdue_only = QCheckBox(_("&Overdue only"), self)
        self.mine_only = QCheckBox(_("&Mine only"), self)
        self.mine_only.setEnabled(staff_id() is not None)
        for box in (self.overdue_only, self.mine_only):
            box.toggled.connect(lambda _checked: self.reload())
        self.count = QLabel(self)
        self.model = FollowUpModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("followUpView")
        self.view.setTabKeyNavigation(False)  # Tab leaves the table
        self.view.setModel(self.model)
        self.view.setAccessibleName(_("Open follow-ups"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(FollowUpModel.DUE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FollowUpModel.CUSTOMER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FollowUpModel.PROMISE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FollowUpModel.OWNER, QHeaderView.ResizeMode.ResizeToContents)
        self.view.activated.connect(lambda index: self._open(index.row()))
        self.close_button = QPushButton(_("Mark &done…"), self)
        self.close_button.setObjectName("closeFollowUp")
        self.close_button.clicked.connect(lambda: self.close_current())  # clicked(bool) ≠ note
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.ActionRole)

        filters = QHBoxLayout()
        filters.addWidget(self.overdue_only)
        filters.addWidget(self.mine_only)
        filters.addStretch(1)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.reload()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload(self) -> None:
        now = self._clock()
        overdue = self.overdue_only.isChecked()
        owner = self._staff_id() if self.mine_only.isChecked() else None
        self._runner.run(
            lambda db: list_follow_ups(db, now=now, overdue_only=overdue, owner_id=owner),
            lambda items: self._show(items, now),
            lambda error: self.count.setText(error_text(error)),
            key="follow-up-list",
        )

    def apply_changes(self, changes: Changes) -> None:
        """A follow-up was promised or closed elsewhere (a change notice): the list again."""
        if changes.follow_ups:
            self.reload()

    def _show(self, items: list[FollowUpItem], now: int) -> None:
        self.model.set_items(items, now)
        overdue = sum(1 for item in items if item.overdue(now))
        text = ngettext("{count} open", "{count} open", len(items)).format(count=len(items))
        if overdue:
            text += " · " + ngettext("{count} overdue", "{count} overdue", overdue).format(
                count=overdue
            )
        self.count.setText(text)
        if items:
            self.view.selectRow(0)
        self.close_button.setEnabled(bool(items))

    def current_item(self) -> FollowUpItem | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _open(self, row: int) -> None:
        item = self.model.item(row)
        if item is not None:
            self.customer_chosen.emit(item.customer_id)

    def close_current(self, note: str | None = None) -> None:
        item = self.current_item()
        if item is None:
            return
        if note is None:
            note, ok = QInputDialog.getText(
                self,
                _("Mark done"),
                _("“{promise}” for {name}. What happened? (optional)").format(
                    promise=item.description, name=item.customer_name
                ),
            )
            if not ok:
                return
        by, now, item_id = self._staff_id(), self._clock(), item.id
        self._runner.run(
            lambda db: close_follow_up(db, item_id, by=by, now=now, note=note),
            self._closed,
            lambda error: self.count.setText(error_text(error)),
            must_land=True,
        )

    def _closed(self, change: FollowUpChange) -> None:
        self.closed_one.emit(change)
        self.reload()
