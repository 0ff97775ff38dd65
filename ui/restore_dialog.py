"""Restore a backup: pick one from the backup folder (or any file), see its date and what it
holds, then restore. The current state is backed up first, so a restore can itself be undone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.backup import (
    BEFORE_MIGRATION,
    BEFORE_RESTORE,
    DAILY,
    MANUAL,
    BackupFile,
    BackupPreview,
    RestoreResult,
    list_backups,
    preview_backup,
    restore_backup,
)
from ui import theme
from ui.error_text import error_text
from ui.i18n import N_, _, current, fill
from ui.models.list_table_model import Column, ListTableModel
from ui.progress import run_with_progress
from ui.tasks import Runner

KIND_LABELS = {
    DAILY: N_("Daily"),
    MANUAL: N_("Manual"),
    BEFORE_MIGRATION: N_("Before an update"),
    BEFORE_RESTORE: N_("Before a restore"),
}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def size_text(size: int) -> str:
    tr = current()
    if size >= 1024 * 1024:
        return _("{size} MB").format(size=tr.number(round(size / (1024 * 1024), 1)))
    return _("{size} KB").format(size=tr.number(max(1, size // 1024)))


def when(epoch: int) -> str:
    return current().datetime(epoch, "short")


def backup_columns() -> list[Column]:
    return [
        Column(N_("Taken"), lambda b: when(b.taken_at)),
        Column(N_("Kind"), lambda b: kind_label(b.kind)),
        Column(N_("Size"), lambda b: size_text(b.size), numeric=True),
    ]


class RestoreDialog(QDialog):
    restored = Signal(object)  # RestoreResult

    def __init__(
        self,
        runner: Runner,
        folder: Path,
        *,
        clock: Callable[[], int],
        staff_id: int | None = None,
        database: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self._runner = runner
        self._folder = Path(folder)
        self._database = database  # a tag: only this database's backups are listed
        self._clock = clock
        self._staff_id = staff_id
        self._preview: BackupPreview | None = None

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.folder_label = QLabel(self)
        self.folder_label.setObjectName("backupFolder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = ListTableModel(backup_columns(), self)
        self.view = QTableView(self)
        self.view.setObjectName("backupList")
        self.view.setTabKeyNavigation(False)  # Tab leaves the table
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel(self)
        self.empty.setObjectName("noBackups")
        self.empty.setWordWrap(True)
        self.other_button = QPushButton(self)
        self.other_button.clicked.connect(self.choose_file)

        self.preview_box = QGroupBox(self)
        self.taken_value = QLabel(self.preview_box)
        self.customers_value = QLabel(self.preview_box)
        self.visits_value = QLabel(self.preview_box)
        self.last_visit_value = QLabel(self.preview_box)
        self.file_value = QLabel(self.preview_box)
        self.problem = QLabel(self.preview_box)
        self.problem.setObjectName("restoreProblem")
        self.problem.setWordWrap(True)
        theme.colour_text(self.problem, theme.DANGER)
        self.problem.hide()
        self.form = QFormLayout(self.preview_box)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._labels = [QLabel(self.preview_box) for _ in range(5)]
        for label, value in zip(
            self._labels,
            (
                self.taken_value,
                self.customers_value,
                self.visits_value,
                self.last_visit_value,
                self.file_value,
            ),
            strict=True,
        ):
            self.form.addRow(label, value)
        self.form.addRow(self.problem)

        self.note = QLabel(self)
        self.note.setObjectName("restoreNote")
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.restore)
        self.buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.folder_label, 1)
        row.addWidget(self.other_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.preview_box)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.resize(620, 560)

        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._chosen(self.model.item(current.row()))
        )
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Restore a backup"))
        self.intro.setText(
            _(
                "Choose the backup to go back to. Everything entered since it was taken will "
                "be replaced by its content."
            )
        )
        self.folder_label.setText(_("Backups in {folder}").format(folder=self._folder))
        self.empty.setText(_("There are no backups in this folder yet."))
        self.other_button.setText(_("Choose another &file…"))
        self.preview_box.setTitle(_("This backup"))
        for label, text in zip(
            self._labels,
            (_("Taken:"), _("Customers:"), _("Visits:"), _("Last visit:"), _("File:")),
            strict=True,
        ):
            label.setText(text)
        self.note.setText(
            _(
                "Before restoring, Counter backs up the current state, so you can go back to "
                "it if this was the wrong backup."
            )
        )
        self.restore_button.setText(_("&Restore"))
        self.model.refresh_texts()
        if self._preview is not None:
            self._show_preview(self._preview)

    # choosing ----------------------------------------------------------------------------
    def reload(self) -> None:
        backups = list_backups(self._folder, self._database)
        self.model.set_items(backups)
        self.empty.setVisible(not backups)
        if backups:
            self.view.selectRow(0)

    def _chosen(self, backup: BackupFile | None) -> None:
        if backup is not None:
            self.preview_file(backup.path)

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a backup"), str(self._folder), _("Counter backups (*.db);;All (*)")
        )
        if name:
            self.view.clearSelection()
            self.preview_file(Path(name))

    def preview_file(self, path: Path) -> None:
        self.restore_button.setEnabled(False)
        self._runner.run(
            lambda _db: preview_backup(path),
            self._show_preview,
            self._preview_failed,
            key="backup-preview",
        )

    def _show_preview(self, preview: BackupPreview) -> None:
        self._preview = preview
        tr = current()
        self.taken_value.setText(when(preview.backup.taken_at))
        self.customers_value.setText(tr.number(preview.customers))
        self.visits_value.setText(tr.number(preview.visits))
        self.last_visit_value.setText(
            when(preview.last_visit_at) if preview.last_visit_at else _("none")
        )
        self.file_value.setText(preview.backup.path.name)
        self.file_value.setToolTip(str(preview.backup.path))
        if preview.problem is not None:
            self.problem.setText(fill(_(preview.problem.msgid), **preview.problem.params))
            self.problem.show()
        else:
            self.problem.hide()
        self.restore_button.setEnabled(preview.problem is None)

    def _preview_failed(self, error: BaseException) -> None:
        self._preview = None
        self.problem.setText(error_text(error))
        self.problem.show()
        self.restore_button.setEnabled(False)

    # restoring ---------------------------------------------------------------------------
    def restore(self) -> None:
        if self._preview is None or self._preview.problem is not None:
            return
        path, folder, now, staff_id = (
            self._preview.backup.path,
            self._folder,
            self._clock(),
            self._staff_id,
        )
        self.restore_button.setEnabled(False)
        run_with_progress(
            self,
            self._runner,
            _("Restoring the backup…"),
            lambda db, progress: restore_backup(
                db, path, folder, now=now, staff_id=staff_id, progress=progress
            ),
            self._done,
            self._failed,
        )

    def _done(self, result: RestoreResult) -> None:
        self.restored.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.restore_button.setEnabled(True)
        self.problem.setText(error_text(error))
        self.problem.show()
