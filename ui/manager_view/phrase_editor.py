"""The manager's phrase editor: for one language and step, edit or hide a catalog phrase, or
add the store's own. Placeholders are checked by the domain on save; problems are shown here
and nothing is stored until they are fixed. A live preview fills the placeholders with a
sample customer."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from counter.errors import NotFound, ValidationError
from counter.i18n import available_languages
from counter.phrase_catalog import STEPS
from counter.phrase_overrides import EditorRow, delete_override, editor_rows, preview, save_override
from counter.phrase_templates import PLACEHOLDERS
from counter.roles import Session
from ui import theme
from ui.accessible import name_by_label
from ui.counter_view.customer_dialog import OTHER_LANGUAGES
from ui.counter_view.phrase_panel import STEP_LABELS
from ui.i18n import _, current, fill
from ui.models.phrase_rows import PhraseRowsModel
from ui.tasks import Runner


def problems_text(error: ValidationError) -> str:
    return "\n".join(fill(_(p.msgid), **p.params) for p in error.problems)


class PhraseEditor(QDialog):
    saved = Signal()  # an override was added, changed or removed

    def __init__(
        self,
        runner: Runner,
        session: Session,
        *,
        language: str = "en",
        clock: Callable[[], int] = lambda: int(time.time()),
        store_name: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._runner = runner
        self._clock = clock
        self._session = session  # the manager's: the domain refuses anyone else
        self._store_name = store_name
        self._editing: EditorRow | None = None  # None: a new phrase
        self.setObjectName("phraseEditor")
        self.resize(780, 560)

        self.language = QComboBox(self)
        self.language.setObjectName("phraseEditorLanguage")
        # The catalog languages, then others customers speak: a manager may write phrases for
        # a language Counter has no catalog for.
        for code in dict.fromkeys([*available_languages(), *OTHER_LANGUAGES]):
            self.language.addItem(code, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.step = QComboBox(self)
        self.step.setObjectName("phraseEditorStep")
        for key in STEPS:
            self.step.addItem("", key)
        self.language_label = QLabel(self)
        self.language_label.setBuddy(self.language)
        self.step_label = QLabel(self)
        self.step_label.setBuddy(self.step)
        choose = QHBoxLayout()
        choose.addWidget(self.language_label)
        choose.addWidget(self.language)
        choose.addSpacing(16)
        choose.addWidget(self.step_label)
        choose.addWidget(self.step)
        choose.addStretch(1)

        self.model = PhraseRowsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("phraseEditorTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PhraseRowsModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PhraseRowsModel.STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)

        self.text_label = QLabel(self)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("phraseEditorText")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.text_label.setBuddy(self.text)
        self.text.textChanged.connect(self._update_preview)
        self.insert_label = QLabel(self)
        inserts = QHBoxLayout()
        inserts.addWidget(self.insert_label)
        for name in PLACEHOLDERS:
            button = QToolButton(self)
            button.setText("{" + name + "}")
            button.setObjectName(f"insert_{name}")
            button.clicked.connect(lambda _checked=False, n=name: self._insert(n))
            inserts.addWidget(button)
        inserts.addStretch(1)
        self.hidden = QCheckBox(self)
        self.hidden.setObjectName("phraseEditorHidden")
        self.preview_label = QLabel(self)
        self.preview = QLabel(self)
        self.preview.setObjectName("phraseEditorPreview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.errors = QLabel(self)
        self.errors.setObjectName("phraseEditorErrors")
        self.errors.setWordWrap(True)
        self.errors.setTextFormat(Qt.TextFormat.PlainText)
        theme.colour_text(self.errors, theme.DANGER)
        self.errors.hide()

        form = QFormLayout()
        form.addRow(self.text_label, self.text)
        form.addRow("", inserts)
        form.addRow("", self.hidden)
        form.addRow(self.preview_label, self.preview)

        self.new_button = QPushButton(self)
        self.new_button.setObjectName("phraseEditorNew")
        self.new_button.clicked.connect(self.new_phrase)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("phraseEditorSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self)
        self.revert_button.setObjectName("phraseEditorRevert")
        self.revert_button.clicked.connect(self.revert)
        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addStretch(1)
        actions.addWidget(self.revert_button)
        actions.addWidget(self.save_button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addLayout(actions)
        layout.addWidget(self.buttons)

        self.language.currentIndexChanged.connect(lambda _i: self.reload())
        self.step.currentIndexChanged.connect(lambda _i: self.reload())
        self.retranslate()
        self.reload()

    # data ----------------------------------------------------------------------------------
    def current_language(self) -> str:
        return self.language.currentData() or "en"

    def current_step(self) -> str:
        return self.step.currentData() or STEPS[0]

    def reload(self, select: int | None = None) -> None:
        language, step = self.current_language(), self.current_step()
        self._runner.run(
            lambda db: editor_rows(db, language, step),
            lambda rows: self._show_rows(rows, select),
            self._failed,
            key="phrase_editor",
        )

    def _show_rows(self, rows: list[EditorRow], select: int | None) -> None:
        self.model.set_rows(rows)
        self.table.resizeRowsToContents()
        if select is not None and 0 <= select < len(rows):
            self.table.selectionModel().setCurrentIndex(
                self.model.index(select, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.new_phrase()

    def _row_chosen(self, current, _previous) -> None:
        row = self.model.row(current.row()) if current.isValid() else None
        if row is None:
            return
        self._editing = row
        self.text.setPlainText(row.text or row.catalog_text)
        self.hidden.setChecked(row.hidden)
        self.hidden.setEnabled(True)
        self._clear_errors()
        self._update_buttons()

    def new_phrase(self) -> None:
        self._editing = None
        self.table.clearSelection()
        self.table.selectionModel().clearCurrentIndex()
        self.text.clear()
        self.hidden.setChecked(False)
        self.hidden.setEnabled(False)
        self._clear_errors()
        self._update_buttons()
        self.text.setFocus()

    def save(self) -> None:
        row = self._editing
        session, language, step = self._session, self.current_language(), self.current_step()
        msgid, text = (row.msgid if row else ""), self.text.toPlainText()
        hidden, now = self.hidden.isChecked(), self._clock()
        override_id = row.override_id if row and not row.msgid else None
        position = self.table.currentIndex().row()
        self._runner.run(
            lambda db: save_override(
                db,
                session,
                language=language,
                step=step,
                msgid=msgid,
                text=text,
                hidden=hidden,
                now=now,
                override_id=override_id,
            ),
            lambda _id: self._changed(position if row else self.model.rowCount()),
            self._failed,
        )

    def revert(self) -> None:
        """Put an edited catalog phrase back, or delete a phrase added here."""
        row = self._editing
        if row is None or row.override_id is None:
            return
        override_id = row.override_id
        position = self.table.currentIndex().row() if row.msgid else None
        self._runner.run(
            lambda db: delete_override(db, self._session, override_id),
            lambda _none: self._changed(position),
            self._failed,
        )

    def _changed(self, select: int | None) -> None:
        self._clear_errors()
        self.saved.emit()
        self.reload(select)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self.errors.setText(problems_text(error))
        elif isinstance(error, NotFound):
            self.errors.setText(_("That phrase was changed elsewhere; the list is up to date now."))
            self.reload()
        else:
            self.errors.setText(_("Something went wrong: {reason}").format(reason=str(error)[:200]))
        self.errors.show()

    def _clear_errors(self) -> None:
        self.errors.clear()
        self.errors.hide()

    # editing helpers -----------------------------------------------------------------------
    def _insert(self, name: str) -> None:
        self.text.insertPlainText("{" + name + "}")
        self.text.setFocus()

    def _update_preview(self) -> None:
        text = self.text.toPlainText()
        if not text.strip():
            self.preview.setText("—")
            return
        try:
            shown = preview(
                text,
                self.current_language(),
                now=self._clock(),
                store_name=self._store_name,
                tz=None,
            )
        except ValidationError as error:
            self.preview.setText(problems_text(error))
            return
        self.preview.setText(shown or "—")

    def _update_buttons(self) -> None:
        row = self._editing
        self.revert_button.setVisible(row is not None and row.override_id is not None)
        self.revert_button.setText(
            _("&Back to the catalog text") if row and row.msgid else _("&Delete this phrase")
        )
        self.hidden.setText(_("&Hide this phrase from the suggestions"))
        self.save_button.setText(_("&Save") if row else _("&Add phrase"))

    def retranslate(self) -> None:
        tr = current()
        self.setWindowTitle(_("Phrases"))
        self.table.setAccessibleName(_("Phrases"))
        self.language_label.setText(_("&Language:"))
        self.step_label.setText(_("S&tep:"))
        name_by_label(self.language, self.language_label)  # not by what is chosen
        name_by_label(self.step, self.step_label)
        for index in range(self.language.count()):
            self.language.setItemText(index, tr.language_name(self.language.itemData(index)))
        for index, key in enumerate(STEPS):
            self.step.setItemText(index, _(STEP_LABELS[key]))
        self.text_label.setText(_("Phrase te&xt:"))
        self.insert_label.setText(_("Insert:"))
        for name in PLACEHOLDERS:
            button = self.findChild(QToolButton, f"insert_{name}")
            if button is not None:
                button.setAccessibleDescription(
                    _("Puts this placeholder into the phrase text at the cursor")
                )
        self.preview_label.setText(_("Preview:"))
        self.new_button.setText(_("&New phrase"))
        self.model.refresh_texts()
        self._update_buttons()
        self._update_preview()
