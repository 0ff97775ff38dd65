"""The outcomes offered at the end of a visit, in order: built-in ones in the UI language,
the store's own as typed. Add, remove and move them; every change is saved at once and the
counter offers the new list from the next visit on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.outcomes import (
    MAX_OUTCOME,
    OUTCOME_LABELS,
    configured_outcomes,
    outcome_key,
    outcome_label,
    save_outcomes,
)
from counter.roles import Session
from ui.error_text import error_label, error_text
from ui.i18n import N_, _
from ui.manager_view.ordered_list import add_row, key_table, move_buttons, moved
from ui.models.list_table_model import Column, ListTableModel
from ui.tasks import Runner


class OutcomeEditor(QGroupBox):
    changed = Signal()  # the offered outcomes were saved

    def __init__(
        self,
        runner: Runner,
        session: Session,
        clock: Callable[[], int],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("outcomeEditor")
        self._runner = runner
        self._session = session
        self._clock = clock

        self.model = ListTableModel(
            [
                Column(N_("Outcome"), lambda key: outcome_label(key, _)),
                Column(
                    N_("Kind"),
                    lambda key: _("Built-in") if key in OUTCOME_LABELS else _("Store's own"),
                ),
            ],
            self,
        )
        self.table = key_table(self, "outcome", self.model, self._update_buttons)

        self.up_button, self.down_button = move_buttons(self, "outcome", self.move_selected)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("outcomeRemove")
        self.remove_button.clicked.connect(self.remove)
        row_actions = QHBoxLayout()
        for button in (self.up_button, self.down_button):
            row_actions.addWidget(button)
        row_actions.addStretch(1)
        row_actions.addWidget(self.remove_button)

        self.new_label, self.new_outcome, self.add_button, new_row = add_row(
            self, "outcome", MAX_OUTCOME, self.add
        )

        self.message = QLabel(self)
        self.message.setObjectName("outcomeMessage")
        self.message.setWordWrap(True)
        self.errors = error_label(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_actions)
        layout.addLayout(new_row)
        layout.addWidget(self.errors)
        layout.addWidget(self.message)
        self.retranslate()
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self._runner.run(
            configured_outcomes, lambda keys: self._show(keys, select), self._failed, key="outcomes"
        )

    def _show(self, keys: list[str], select: str | None) -> None:
        self.model.set_items(keys)
        if select in keys:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(keys.index(select), 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update_buttons()

    def keys(self) -> list[str]:
        return self.model.items

    def selected(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def add(self) -> None:
        text = self.new_outcome.text()
        if not text.strip():
            self.new_outcome.setFocus()
            return
        key = outcome_key(text, _)
        if key in self.keys():
            self._show_error(_("That outcome is offered already."))
            return
        self._save([*self.keys(), key], select=key, then=self.new_outcome.clear)

    def remove(self) -> None:
        key = self.selected()
        if key is None:
            return
        keys = self.keys()
        row = keys.index(key)
        keys.remove(key)
        after = keys[min(row, len(keys) - 1)] if keys else None
        self._save(keys, select=after)

    def move_selected(self, offset: int) -> None:  # not move(): QWidget.move places the widget
        key = self.selected()
        keys = moved(self.keys(), key, offset) if key is not None else None
        if keys is None:
            return
        self._save(keys, select=key)

    def _save(self, keys: list[str], *, select: str | None, then=None) -> None:
        session, now = self._session, self._clock()

        def done(_none) -> None:
            self.errors.hide()
            self.message.setText(_("Saved. The counter offers these from the next visit on."))
            if then is not None:
                then()
            self.changed.emit()
            self.reload(select)

        self.message.clear()
        self._runner.run(lambda db: save_outcomes(db, session, keys, now=now), done, self._failed)

    def _failed(self, error: BaseException) -> None:
        self._show_error(error_text(error))

    def _show_error(self, text: str) -> None:
        self.message.clear()
        self.errors.setText(text)
        self.errors.show()

    def _update_buttons(self) -> None:
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else -1
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.model.rowCount() - 1)
        self.remove_button.setEnabled(row >= 0 and self.model.rowCount() > 1)

    def retranslate(self) -> None:
        self.setTitle(_("Outcomes offered at the end of a visit"))
        self.table.setAccessibleName(_("Offered outcomes"))
        self.up_button.setText(_("Move u&p"))
        self.down_button.setText(_("Move do&wn"))
        self.remove_button.setText(_("Re&move"))
        self.new_label.setText(_("New &outcome:"))
        self.new_outcome.setAccessibleName(_("New outcome"))
        self.new_outcome.setPlaceholderText(_("e.g. Ordered in"))
        self.add_button.setText(_("A&dd outcome"))
        self.model.refresh_texts()
