"""Import customers from a CSV or XLSX file: pick the file, check which column goes where,
see the first rows as they will be read, check the whole file, import. Every row with a problem
is listed with its line in the file; nothing is written unless the whole import succeeds."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.customers import CustomerInput
from counter.importing.columns import (
    FIELD_LABELS,
    FIELDS,
    Mapping,
    check_mapping,
    guess_mapping,
    preview,
)
from counter.importing.reading import SourceTable, open_table
from counter.importing.writing import ImportReport, import_customers
from counter.progress import Cancelled
from ui import theme
from ui.error_text import error_text
from ui.fit import fit_headers
from ui.i18n import N_, _, current, fill, ngettext
from ui.models.list_table_model import Column, ListTableModel
from ui.progress import ProgressRelay
from ui.tasks import Runner

_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp1254": N_("Turkish (Windows-1254)"),
    "cp1250": N_("Central European (Windows-1250)"),
    "cp1252": N_("Western (Windows-1252)"),
}


EXAMPLE_ROWS = 200  # rows read for the mapping table's example column


@dataclass(frozen=True)
class ProblemRow:
    line: int
    kind: str  # "error" or "duplicate"
    text: str


def _preview_columns() -> list[Column]:
    def field(name: str) -> Callable:
        return lambda row: getattr(row[1], name)

    return [
        Column(N_("Line"), lambda row: str(row[0]), numeric=True),
        Column(N_("Given name"), field("given_name")),
        Column(N_("Family name"), field("family_name")),
        Column(N_("Phone"), field("phone")),
        Column(N_("E-mail"), field("email")),
        Column(N_("Loyalty card"), field("card")),
        Column(N_("Language"), field("language")),
    ]


def _problem_columns() -> list[Column]:
    return [
        Column(N_("Line"), lambda p: str(p.line), numeric=True),
        Column(N_("Problem"), lambda p: p.text, tooltip=lambda p: p.text),
    ]


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportReport of a committed import

    def __init__(
        self,
        runner: Runner,
        *,
        phone_region: str,
        clock: Callable[[], int],
        staff_id: int | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self._runner = runner
        self._region = phone_region
        self._clock = clock
        self._staff_id = staff_id
        self._table: SourceTable | None = None
        self._report: ImportReport | None = None
        self._relay: ProgressRelay | None = None
        self._combos: list[QComboBox] = []

        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("importFile")
        self.file_edit.returnPressed.connect(
            lambda: self.load_file(Path(self.file_edit.text().strip()))
        )
        self.browse_button = QPushButton(self)
        self.browse_button.clicked.connect(self.choose_file)
        self.file_info = QLabel(self)
        self.file_info.setObjectName("importFileInfo")
        self.file_info.setWordWrap(True)

        self.mapping_box = QGroupBox(self)
        self.mapping_table = QTableWidget(0, 3, self.mapping_box)
        self.mapping_table.setObjectName("importMapping")
        self.mapping_table.setTabKeyNavigation(False)  # Tab leaves the table
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        QVBoxLayout(self.mapping_box).addWidget(self.mapping_table)

        self.preview_box = QGroupBox(self)
        self.preview_model = ListTableModel(_preview_columns(), self)
        self.preview_view = self._table_view(self.preview_model, "importPreview")
        QVBoxLayout(self.preview_box).addWidget(self.preview_view)

        self.merge_check = QCheckBox(self)
        self.merge_check.setObjectName("importMerge")
        self.skip_check = QCheckBox(self)
        self.skip_check.setObjectName("importSkipInvalid")

        self.problems_box = QGroupBox(self)
        self.summary = QLabel(self.problems_box)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.problem_model = ListTableModel(_problem_columns(), self)
        self.problem_view = self._table_view(self.problem_model, "importProblems")
        self.problem_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.problem_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        problems_layout = QVBoxLayout(self.problems_box)
        problems_layout.addWidget(self.summary)
        problems_layout.addWidget(self.problem_view, 1)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 100)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress.hide()
        self.cancel_button.hide()

        # Check, then import, then close: in reading order, whatever the platform's habit.
        self.check_button = QPushButton(self)
        self.check_button.setObjectName("importCheck")
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importRun")
        self.close_button = QPushButton(self)
        self.check_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        self.close_button.clicked.connect(self.reject)
        # Enter in the file box loads the file; it must not also press a button of the dialog.
        for button in (
            self.browse_button,
            self.cancel_button,
            self.check_button,
            self.import_button,
            self.close_button,
        ):
            button.setAutoDefault(False)
            button.setDefault(False)

        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self.mapping_box)
        top.addWidget(self.preview_box)
        top.setStretchFactor(0, 2)
        top.setStretchFactor(1, 3)
        top.setChildrenCollapsible(False)
        options = QHBoxLayout()
        options.addWidget(self.merge_check)
        options.addWidget(self.skip_check)
        options.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addStretch(1)
        for button in (self.check_button, self.import_button, self.close_button):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.file_info)
        layout.addWidget(top, 3)
        layout.addLayout(options)
        layout.addWidget(self.problems_box, 2)
        layout.addLayout(bottom)
        self.resize(980, 720)
        self.retranslate()
        self._update_buttons()

    def _table_view(self, model: ListTableModel, name: str) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setTabKeyNavigation(False)  # Tab leaves the table
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def retranslate(self) -> None:
        self.setWindowTitle(_("Import customers"))
        self.file_edit.setPlaceholderText(
            _("A CSV or Excel (.xlsx) file with a header row: choose it, or paste its path")
        )
        self.browse_button.setText(_("Choose &file…"))
        self.mapping_box.setTitle(_("Columns"))
        self.mapping_table.setHorizontalHeaderLabels([_("Column"), _("Example"), _("Goes to")])
        self.preview_box.setTitle(_("First rows as they will be imported"))
        fit_headers(self.preview_view)  # empty: as wide as the titles ("Vernostná karta")
        self.merge_check.setText(_("&Merge duplicates into the existing customer"))
        self.merge_check.setToolTip(
            _(
                "A row with the phone, e-mail or card of a customer fills in that customer's "
                "missing details instead of being skipped."
            )
        )
        self.skip_check.setText(_("&Skip rows with problems"))
        self.problems_box.setTitle(_("Problems and duplicates"))
        self.cancel_button.setText(_("Cancel"))
        self.check_button.setText(_("C&heck file"))
        self.import_button.setText(_("&Import"))
        self.close_button.setText(_("Close"))
        for combo in self._combos:
            for i in range(combo.count()):
                name = combo.itemData(i)
                combo.setItemText(i, _(FIELD_LABELS[name]) if name else _("(ignore)"))
        self.preview_model.refresh_texts()
        self.problem_model.refresh_texts()
        self._show_file_info()
        if self._report is not None:
            self.show_report(self._report)

    # file and mapping --------------------------------------------------------------------
    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import customers"),
            "",
            _("Spreadsheets (*.csv *.txt *.xlsx);;All files (*)"),
        )
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        self.file_edit.setText(str(path))
        self._table = None
        self._report = None
        self.problem_model.set_items([])
        self.summary.clear()
        self._update_buttons()
        self._runner.run(lambda _db: open_table(path), self._loaded, self._load_failed)

    def _loaded(self, table: SourceTable) -> None:
        self._table = table
        self._fill_mapping(table, guess_mapping(table.headers))
        self._show_file_info()
        self.refresh_preview()

    def _load_failed(self, error: BaseException) -> None:
        self._table = None
        self.mapping_table.setRowCount(0)
        self._combos = []
        self.preview_model.set_items([])
        self.file_info.setText(error_text(error))
        theme.colour_text(self.file_info, theme.DANGER)
        self._update_buttons()

    def _show_file_info(self) -> None:
        table = self._table
        if table is None:
            return
        theme.colour_text(self.file_info, None)
        rows = ngettext("about {count} row", "about {count} rows", table.total).format(
            count=current().number(table.total)
        )
        if table.kind == "xlsx":
            self.file_info.setText(_("Excel workbook, first sheet; {rows}.").format(rows=rows))
        else:
            encoding = _ENCODING_NAMES.get(table.encoding, table.encoding)
            separator = {"\t": _("tab"), ",": ",", ";": ";", "|": "|"}.get(table.delimiter, "?")
            self.file_info.setText(
                _("Text file in {encoding}, columns separated by “{separator}”; {rows}.").format(
                    encoding=_(encoding), separator=separator, rows=rows
                )
            )

    def _fill_mapping(self, table: SourceTable, mapping: Mapping) -> None:
        examples: list[str] = [""] * len(table.headers)
        # An example per column from the first rows only: this runs on the GUI thread, and a
        # column empty in every row must not make it read a million-row file.
        for _line, cells in itertools.islice(table.rows(), EXAMPLE_ROWS):
            examples = [c or e for c, e in zip(cells, examples, strict=False)] + examples[
                len(cells) :
            ]
            if all(examples):
                break
        self.mapping_table.setRowCount(len(table.headers))
        self._combos = []
        for row, (header, example) in enumerate(zip(table.headers, examples, strict=True)):
            self.mapping_table.setItem(row, 0, _item(header))
            self.mapping_table.setItem(row, 1, _item(example[:60]))
            combo = QComboBox(self.mapping_table)
            combo.addItem(_("(ignore)"), "")
            for name in FIELDS:
                combo.addItem(_(FIELD_LABELS[name]), name)
            combo.setCurrentIndex(max(0, combo.findData(mapping[row])))
            # A cell of the table has no label of its own: its name and description say
            # which column of the file it maps (Linux names a combo box by its value).
            what = _("Field for the column “{column}”").format(column=header)
            combo.setAccessibleName(what)
            combo.setAccessibleDescription(what)
            combo.currentIndexChanged.connect(lambda _i: self._mapping_changed())
            self.mapping_table.setCellWidget(row, 2, combo)
            self._combos.append(combo)
        self.mapping_table.resizeColumnToContents(2)

    def mapping(self) -> Mapping:
        return [combo.currentData() or "" for combo in self._combos]

    def set_mapping(self, column: int, field: str) -> None:
        combo = self._combos[column]
        combo.setCurrentIndex(combo.findData(field))

    def _mapping_changed(self) -> None:
        self._report = None
        self.problem_model.set_items([])
        self.summary.clear()
        self.refresh_preview()

    def refresh_preview(self) -> None:
        table, mapping = self._table, self.mapping()
        self._update_buttons()
        if table is None:
            return
        self._runner.run(
            lambda _db: preview(table, mapping),
            self._show_preview,
            self._load_failed,
            key="import-preview",
        )

    def _show_preview(self, rows: list[tuple[int, CustomerInput]]) -> None:
        self.preview_model.set_items(rows)
        self.preview_view.resizeColumnsToContents()

    def _update_buttons(self) -> None:
        busy = self._relay is not None
        try:
            check_mapping(self.mapping())
            mapped = self._table is not None
        except ValueError:
            mapped = False
        self.check_button.setEnabled(mapped and not busy)
        self.import_button.setEnabled(mapped and not busy)
        self.browse_button.setEnabled(not busy)
        self.mapping_table.setEnabled(not busy)
        if self._table is not None and not mapped:
            self.summary.setText(_("Choose which column holds the customers' names."))

    # running -----------------------------------------------------------------------------
    def run(self, *, dry_run: bool) -> None:
        table = self._table
        if table is None or self._relay is not None:
            return
        mapping, region, now, staff_id = self.mapping(), self._region, self._clock(), self._staff_id
        merge, skip = self.merge_check.isChecked(), self.skip_check.isChecked()
        relay = ProgressRelay(self)
        relay.progressed.connect(self._progressed)
        self._relay = relay
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.summary.setText(_("Checking the file…") if dry_run else _("Importing…"))
        self._update_buttons()
        self._runner.run(
            lambda db: import_customers(
                db,
                table,
                mapping,
                phone_region=region,
                now=now,
                merge=merge,
                skip_invalid=skip,
                dry_run=dry_run,
                staff_id=staff_id,
                progress=relay,
            ),
            self._finished,
            self._failed,
        )

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setValue(done * 100 // total if total else 0)

    def cancel(self) -> None:
        if self._relay is not None:
            self._relay.cancel()
            self.cancel_button.setEnabled(False)

    def _idle(self) -> None:
        if self._relay is not None:
            self._relay.deleteLater()
        self._relay = None
        self.progress.hide()
        self.cancel_button.hide()
        self._update_buttons()

    def _finished(self, report: ImportReport) -> None:
        self._idle()
        self.show_report(report)
        if report.committed:
            self.imported.emit(report)

    def _failed(self, error: BaseException) -> None:
        self._idle()
        self._report = None
        self.problem_model.set_items([])
        text = error_text(error)
        if not isinstance(error, Cancelled):
            text = _("Nothing was imported. {reason}").format(reason=text)
        self.summary.setText(text)

    def show_report(self, report: ImportReport) -> None:
        self._report = report
        tr = current()
        rows: list[ProblemRow] = [
            ProblemRow(
                e.line,
                "error",
                " ".join(fill(_(p.msgid), **p.params) for p in e.problems),
            )
            for e in report.errors
        ]
        for d in report.duplicates:
            text = _duplicate_text(d.matched_on, d.first_line)
            text += " " + (_("Merged.") if d.merged else _("Skipped."))
            rows.append(ProblemRow(d.line, "duplicate", text))
        rows.sort(key=lambda r: r.line)
        self.problem_model.set_items(rows)
        counts = _(
            "{rows} rows: {created} new, {merged} merged, {skipped} duplicates skipped, "
            "{errors} with problems."
        ).format(
            rows=tr.number(report.rows),
            created=tr.number(report.created),
            merged=tr.number(report.merged),
            skipped=tr.number(report.skipped),
            errors=tr.number(report.error_count),
        )
        if report.committed:
            outcome = _("Imported.")
        elif report.dry_run and not report.error_count:
            outcome = _("The file is ready to import; nothing has been written yet.")
        elif report.dry_run:
            outcome = _(
                "Fix the rows below in the file, or tick “Skip rows with problems”. "
                "Nothing has been written."
            )
        else:
            outcome = _(
                "Nothing was imported: fix the rows below in the file, or tick “Skip rows "
                "with problems”."
            )
        hidden = report.error_count - len(report.errors)
        more = _(" (the first {shown} are listed)").format(shown=len(report.errors))
        self.summary.setText(f"{outcome} {counts}{more if hidden > 0 else ''}")
        role = theme.SUCCESS if report.committed else (theme.DANGER if report.error_count else None)
        theme.colour_text(self.summary, role)


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


def _duplicate_text(field: str, first_line: int | None) -> str:
    """Whole sentences per field: a noun dropped into a sentence breaks grammatical gender."""
    if first_line:
        texts = {
            "phone": _("Same phone number as line {line}."),
            "email": _("Same e-mail address as line {line}."),
            "card": _("Same loyalty card as line {line}."),
        }
    else:
        texts = {
            "phone": _("Same phone number as a customer already in Counter."),
            "email": _("Same e-mail address as a customer already in Counter."),
            "card": _("Same loyalty card as a customer already in Counter."),
        }
    return fill(texts.get(field, texts["phone"]), line=first_line)
