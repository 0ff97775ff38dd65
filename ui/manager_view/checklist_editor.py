"""The manager's checklist editor: for the language chosen, the steps in order with their
hints, shown or hidden, built-in or the store's own; rename a step (an empty name on a
built-in step brings back the built-in text), move it, hide it, add the store's own steps.

Every change is saved at once; visits already served keep the steps they ran with."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.checklist import (
    MAX_HINT,
    MAX_LABEL,
    ChecklistStep,
    add_step,
    load_checklist,
    rename_step,
    reorder_steps,
    set_step_hidden,
)
from counter.i18n import Translator, available_languages
from counter.roles import Session
from ui.accessible import name_by_label
from ui.error_text import error_label, error_text
from ui.i18n import _, current
from ui.manager_view.ordered_list import move_buttons, moved, set_up_list_table
from ui.models.checklist_steps import ChecklistStepsModel
from ui.tasks import Runner


class ChecklistEditor(QWidget):
    changed = Signal()  # a change was saved

    def __init__(
        self,
        runner: Runner,
        session: Session,
        clock: Callable[[], int],
        *,
        language: str = "en",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("checklistEditor")
        self._runner = runner
        self._session = session  # the manager's: the domain refuses anyone else
        self._clock = clock
        self._editing: ChecklistStep | None = None  # None: a new step
        self._shown_texts = ("", "")  # what the fields held when the step was chosen

        self.language = QComboBox(self)
        self.language.setObjectName("checklistLanguage")
        for code in available_languages():
            self.language.addItem(code, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language_label = QLabel(self)
        self.language_label.setBuddy(self.language)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        choose = QHBoxLayout()
        choose.addWidget(self.language_label)
        choose.addWidget(self.language)
        choose.addSpacing(16)
        choose.addWidget(self.note, 1)

        self.model = ChecklistStepsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("checklistTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setModel(self.model)
        set_up_list_table(self.table)
        # Rows grow with a long hint as the column narrows or widens, not only when loaded.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ChecklistStepsModel.HINT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)

        self.up_button, self.down_button = move_buttons(self, "checklist", self.move_selected)
        self.hide_button = QPushButton(self)
        self.hide_button.setObjectName("checklistHide")
        self.hide_button.clicked.connect(self.toggle_hidden)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("checklistNew")
        self.new_button.clicked.connect(self.new_step)
        row_actions = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.hide_button):
            row_actions.addWidget(button)
        row_actions.addStretch(1)
        row_actions.addWidget(self.new_button)

        self.label_edit = QLineEdit(self)
        self.label_edit.setObjectName("checklistLabel")
        self.label_edit.setMaxLength(MAX_LABEL)
        self.label_edit.returnPressed.connect(self.save)
        self.hint_edit = QLineEdit(self)
        self.hint_edit.setObjectName("checklistHint")
        self.hint_edit.setMaxLength(MAX_HINT)
        self.hint_edit.returnPressed.connect(self.save)
        self.label_label = QLabel(self)
        self.label_label.setBuddy(self.label_edit)
        self.hint_label = QLabel(self)
        self.hint_label.setBuddy(self.hint_edit)
        self.form_title = QLabel(self)
        font = self.form_title.font()
        font.setBold(True)
        self.form_title.setFont(font)
        form = QFormLayout()
        form.addRow(self.label_label, self.label_edit)
        form.addRow(self.hint_label, self.hint_edit)

        self.builtin_button = QPushButton(self)
        self.builtin_button.setObjectName("checklistBuiltin")
        self.builtin_button.clicked.connect(self.back_to_builtin)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("checklistSave")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel(self)
        self.message.setObjectName("checklistMessage")
        self.errors = error_label(self)
        form_actions = QHBoxLayout()
        form_actions.addWidget(self.message, 1)
        form_actions.addWidget(self.builtin_button)
        form_actions.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_actions)
        layout.addSpacing(8)
        layout.addWidget(self.form_title)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addLayout(form_actions)

        self.language.currentIndexChanged.connect(lambda _i: self.reload())
        self.retranslate()
        self.reload()

    # data ----------------------------------------------------------------------------------
    def current_language(self) -> str:
        return self.language.currentData() or "en"

    def _gettext(self) -> Callable[[str], str]:
        return Translator(self.current_language()).gettext

    def reload(self, select: str | None = None) -> None:
        language = self.current_language()
        self._runner.run(
            lambda db: load_checklist(db, language),
            lambda steps: self._show_steps(steps, select),
            self._failed,
            key="checklist_editor",
        )

    def _show_steps(self, steps: list[ChecklistStep], select: str | None) -> None:
        if select is None and self._editing is not None:
            select = self._editing.key
        self.model.set_steps(steps, self._gettext())
        row = self.model.row_of(select) if select else -1
        if row < 0 and select is None and steps:
            row = 0
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, ChecklistStepsModel.LABEL),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.new_step(focus=False)

    def selected(self) -> ChecklistStep | None:
        index = self.table.currentIndex()
        return self.model.step(index.row()) if index.isValid() else None

    def _row_chosen(self, current_index, _previous) -> None:
        step = self.model.step(current_index.row()) if current_index.isValid() else None
        if step is None:
            return
        self._editing = step
        gettext = self._gettext()
        # A built-in text is offered as a placeholder: typing over it renames the step for
        # this language; leaving it empty keeps the built-in (translated) text.
        self.label_edit.setText("" if step.translatable else step.label)
        self.label_edit.setPlaceholderText(step.text(gettext) if step.translatable else "")
        self.hint_edit.setText("" if step.hint_translatable else step.hint)
        self.hint_edit.setPlaceholderText(step.hint_text(gettext) if step.hint_translatable else "")
        self._shown_texts = (self.label_edit.text(), self.hint_edit.text())
        self._clear_errors()
        self._update_buttons()

    def new_step(self, *, focus: bool = True) -> None:
        self._editing = None
        self.table.clearSelection()
        self.table.selectionModel().clearCurrentIndex()
        for edit in (self.label_edit, self.hint_edit):
            edit.clear()
            edit.setPlaceholderText("")
        self._shown_texts = ("", "")
        self._clear_errors()
        self._update_buttons()
        if focus:
            self.label_edit.setFocus()

    # changes -------------------------------------------------------------------------------
    def save(self) -> None:
        step, session, now = self._editing, self._session, self._clock()
        language = self.current_language()
        label, hint = self.label_edit.text(), self.hint_edit.text()
        if step is None:
            self._change(lambda db: add_step(db, session, language, label, hint, now=now))
            return
        if (label, hint) == self._shown_texts:
            return  # nothing typed: nothing to save
        key = step.key  # an empty name on a built-in step keeps the built-in one (translated)
        self._change(
            lambda db: rename_step(db, session, key, language, label, hint, now=now), select=key
        )

    def back_to_builtin(self) -> None:
        step, session, now = self._editing, self._session, self._clock()
        if step is None or not step.builtin:
            return
        key, language = step.key, self.current_language()
        self._change(lambda db: rename_step(db, session, key, language, "", now=now), select=key)

    def move_selected(self, offset: int) -> None:  # not move(): QWidget.move places the widget
        step, session, now = self.selected(), self._session, self._clock()
        if step is None:
            return
        keys = moved(self.model.keys(), step.key, offset)
        if keys is None:
            return
        self._change(lambda db: reorder_steps(db, session, keys, now=now), select=step.key)

    def toggle_hidden(self) -> None:
        step, session, now = self.selected(), self._session, self._clock()
        if step is None:
            return
        key, hidden = step.key, not step.hidden
        self._change(lambda db: set_step_hidden(db, session, key, hidden, now=now), select=key)

    def _change(self, fn, *, select: str | None = None) -> None:
        def done(result) -> None:
            self._clear_errors()
            self.message.setText(_("Saved. New visits use this checklist."))
            self.changed.emit()
            # add_step returns the new step's key: show it selected.
            self.reload(result if isinstance(result, str) else select)

        self.message.clear()
        self._runner.run(fn, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.message.clear()
        self.errors.setText(
            error_text(error, missing=_("That step was changed elsewhere; the list is up to date."))
        )
        self.errors.show()

    def _clear_errors(self) -> None:
        self.errors.clear()
        self.errors.hide()

    # texts ---------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        step = self._editing
        for button in (self.up_button, self.down_button, self.hide_button):
            button.setEnabled(step is not None)
        if step is not None:
            row = self.model.row_of(step.key)
            self.up_button.setEnabled(row > 0)
            self.down_button.setEnabled(0 <= row < self.model.rowCount() - 1)
        hidden = step is not None and step.hidden
        self.hide_button.setText(_("S&how on new visits") if hidden else _("&Hide from new visits"))
        self.builtin_button.setVisible(step is not None and step.builtin and not step.translatable)
        self.save_button.setText(_("&Save step") if step else _("&Add step"))
        if step is None:
            self.form_title.setText(_("New step of this store"))
        else:
            self.form_title.setText(
                _("Step {number}: {step}").format(
                    number=current().number(self.model.row_of(step.key) + 1),
                    step=step.text(self._gettext()),
                )
            )

    def retranslate(self) -> None:
        tr = current()
        self.language_label.setText(_("&Language:"))
        name_by_label(self.language, self.language_label)  # not by the language chosen
        for index in range(self.language.count()):
            self.language.setItemText(index, tr.language_name(self.language.itemData(index)))
        self.note.setText(
            _(
                "Changes are saved at once and apply to new visits; visits already served "
                "keep the steps they ran with."
            )
        )
        self.table.setAccessibleName(_("Checklist steps"))
        self.up_button.setText(_("Move &up"))
        self.down_button.setText(_("Move &down"))
        self.new_button.setText(_("&New step"))
        self.label_label.setText(_("Step na&me:"))
        self.hint_label.setText(_("H&int:"))
        self.label_edit.setAccessibleName(_("Step name"))
        self.hint_edit.setAccessibleName(_("Hint"))
        self.builtin_button.setText(_("&Back to the built-in text"))
        self.model.refresh_texts()
        self._update_buttons()
