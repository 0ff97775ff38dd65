"""The reasons the customer screen offers after a face that is not happy, per language: the
manager picks a language and sees the list as a customer speaking it reads it (built-in
reasons in that language, the store's own as typed); add, remove and move them, or go back to
the built-in ones. Every change is saved at once; the next customer asked sees it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.feedback import (
    MAX_REASON,
    REASON_LABELS,
    configured_reasons,
    reason_key,
    reason_label,
    save_reasons,
)
from counter.i18n import SUPPORTED_LANGUAGES, Translator
from counter.roles import Session
from ui.accessible import name_by_label
from ui.error_text import error_label, error_text
from ui.i18n import N_, _, current
from ui.manager_view.ordered_list import add_row, key_table, move_buttons, moved
from ui.models.list_table_model import Column, ListTableModel
from ui.tasks import Runner


class ReasonEditor(QGroupBox):
    changed = Signal()  # the reasons offered in a language were saved

    def __init__(
        self,
        runner: Runner,
        session: Session,
        clock: Callable[[], int],
        language: str = "en",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("reasonEditor")
        self._runner = runner
        self._session = session
        self._clock = clock

        self.language_label = QLabel(self)
        self.language = QComboBox(self)
        self.language.setObjectName("reasonLanguage")
        for code in SUPPORTED_LANGUAGES:
            self.language.addItem(code, code)
        self.language.setCurrentIndex(max(self.language.findData(language), 0))
        self.language.currentIndexChanged.connect(lambda _i: self.reload())
        self.language_label.setBuddy(self.language)
        top = QHBoxLayout()
        top.addWidget(self.language_label)
        top.addWidget(self.language, 1)

        self.model = ListTableModel(
            [
                # As the customer reads it: in the chosen language, not the manager's.
                Column(N_("Reason"), lambda key: reason_label(key, self._customer_gettext())),
                Column(
                    N_("Kind"),
                    lambda key: _("Built-in") if key in REASON_LABELS else _("Store's own"),
                ),
            ],
            self,
        )
        self.table = key_table(self, "reason", self.model, self._update_buttons)

        self.up_button, self.down_button = move_buttons(self, "reason", self.move_selected)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("reasonRemove")
        self.remove_button.clicked.connect(self.remove)
        self.reset_button = QPushButton(self)
        self.reset_button.setObjectName("reasonReset")
        self.reset_button.clicked.connect(self.reset)
        row_actions = QHBoxLayout()
        for button in (self.up_button, self.down_button):
            row_actions.addWidget(button)
        row_actions.addStretch(1)
        row_actions.addWidget(self.reset_button)
        row_actions.addWidget(self.remove_button)

        self.new_label, self.new_reason, self.add_button, new_row = add_row(
            self, "reason", MAX_REASON, self.add
        )

        self.message = QLabel(self)
        self.message.setObjectName("reasonMessage")
        self.message.setWordWrap(True)
        self.errors = error_label(self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_actions)
        layout.addLayout(new_row)
        layout.addWidget(self.errors)
        layout.addWidget(self.message)
        self.retranslate()
        self.reload()

    def chosen_language(self) -> str:
        return self.language.currentData()

    def _customer_gettext(self):
        return Translator(self.chosen_language()).gettext

    def reload(self, select: str | None = None) -> None:
        language = self.chosen_language()
        self._runner.run(
            lambda db: configured_reasons(db, language),
            lambda keys: self._show(language, keys, select),
            self._failed,
            key="feedback-reasons",
        )

    def _show(self, language: str, keys: list[str], select: str | None) -> None:
        if language != self.chosen_language():
            return  # another language was picked meanwhile
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
        text = self.new_reason.text()
        if not text.strip():
            self.new_reason.setFocus()
            return
        key = reason_key(text, self._customer_gettext())
        if key in self.keys():
            self._show_error(_("That reason is offered already."))
            return
        self._save([*self.keys(), key], select=key, then=self.new_reason.clear)

    def remove(self) -> None:
        key = self.selected()
        if key is None:
            return
        keys = self.keys()
        row = keys.index(key)
        keys.remove(key)
        after = keys[min(row, len(keys) - 1)] if keys else None
        self._save(keys, select=after)

    def reset(self) -> None:
        """Back to the built-in reasons in this language."""
        self._save([], select=None)

    def move_selected(self, offset: int) -> None:
        key = self.selected()
        keys = moved(self.keys(), key, offset) if key is not None else None
        if keys is None:
            return
        self._save(keys, select=key)

    def _save(self, keys: list[str], *, select: str | None, then=None) -> None:
        session, now, language = self._session, self._clock(), self.chosen_language()

        def done(_stored) -> None:
            self.errors.hide()
            self.message.setText(
                _("Saved. Customers reading {language} see these from the next answer on.").format(
                    language=current().language_name(language)
                )
            )
            if then is not None:
                then()
            self.changed.emit()
            self.reload(select)

        self.message.clear()
        self._runner.run(
            lambda db: save_reasons(db, session, language, keys, now=now), done, self._failed
        )

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
        self.reset_button.setEnabled(self.keys() != list(REASON_LABELS))

    def retranslate(self) -> None:
        self.setTitle(_("Reasons offered after an unhappy face"))
        self.language_label.setText(_("For customers reading lan&guage:"))
        name_by_label(self.language, self.language_label)  # not by the language chosen
        for i in range(self.language.count()):
            self.language.setItemText(i, current().language_name(self.language.itemData(i)))
        self.table.setAccessibleName(_("Offered reasons"))
        self.up_button.setText(_("Move &up"))
        self.down_button.setText(_("Mo&ve down"))
        self.remove_button.setText(_("Remove reason"))
        self.reset_button.setText(_("Back to the built-in reasons"))
        self.new_label.setText(_("New r&eason:"))
        self.new_reason.setAccessibleName(_("New reason"))
        self.new_reason.setPlaceholderText(_("e.g. The price was wrong"))
        self.add_button.setText(_("Add reason"))
        self.model.refresh_texts()
