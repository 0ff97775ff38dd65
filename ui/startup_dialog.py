"""The dialog start-up shows when the database cannot be used as it is: say what is wrong in
plain words and offer the ways forward that fit (restore a backup, open another file,
read-only mode, try again, quit). :func:`ui.startup_check.resolve_startup` asks it, and only
loads this module when something is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.integrity import StartupProblem, Way
from ui import theme
from ui.fit import FlowLayout, fit_height
from ui.i18n import _

if TYPE_CHECKING:  # a sound start never shows the dialog: its parts load with it
    from counter.backup import BackupFile


class StartupDialog(QDialog):
    def __init__(
        self,
        problem: StartupProblem,
        backups: list[BackupFile],
        backup_folder: Path,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("startupDialog")
        self.problem = problem
        self.choice: Way = Way.QUIT
        self.chosen_path: Path | None = None
        self._folder = backup_folder
        self.setWindowTitle(_("Counter"))

        icon = QLabel(self)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLabel(_(problem.title), self)
        self.title.setObjectName("startupTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.message = QLabel(_(problem.message).format(**problem.params), self)
        self.message.setObjectName("startupMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel(self)
        self.detail.setObjectName("startupDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theme.colour_text(self.detail, theme.MUTED)
        if problem.detail:
            self.detail.setText(_("Details: {detail}").format(detail=problem.detail[:300]))
        else:
            self.detail.hide()

        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.message)
        text.addWidget(self.detail)
        head = QHBoxLayout()
        head.addWidget(icon)
        head.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)

        from ui.models.list_table_model import ListTableModel
        from ui.restore_dialog import backup_columns

        self.backup_model = ListTableModel(backup_columns(), self)
        self.backup_model.set_items(backups)
        self.backup_view = QTableView(self)
        self.backup_view.setObjectName("startupBackups")
        self.backup_view.setTabKeyNavigation(False)  # Tab leaves the table
        self.backup_view.setModel(self.backup_model)
        self.backup_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_view.verticalHeader().hide()
        self.backup_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.backup_view.setMinimumHeight(110)
        self.backup_view.setMaximumHeight(180)
        self.no_backups = QLabel(
            _("No backups were found in {folder}.").format(folder=backup_folder), self
        )
        self.no_backups.setWordWrap(True)
        if Way.RESTORE in problem.ways:
            layout.addWidget(QLabel(_("Backups:"), self))
            layout.addWidget(self.backup_view)
            layout.addWidget(self.no_backups)
            self.backup_view.setVisible(bool(backups))
            self.no_backups.setVisible(not backups)
            if backups:
                self.backup_view.selectRow(0)
        else:
            self.backup_view.hide()
            self.no_backups.hide()

        labels = {
            Way.RESTORE: _("&Restore the selected backup"),
            Way.OPEN_OTHER: _("&Open another file…"),
            Way.READ_ONLY: _("Open read-on&ly"),
            Way.RETRY: _("&Try again"),
            Way.QUIT: _("&Quit"),
        }
        self.way_buttons: dict[Way, QPushButton] = {}
        row: list[QPushButton] = []
        for way in problem.ways:
            button = QPushButton(labels[way], self)
            button.setObjectName(f"way_{way.value}")
            button.clicked.connect(lambda _c=False, w=way: self.choose(w))
            row.append(button)
            self.way_buttons[way] = button
        if Way.RESTORE in self.way_buttons:
            self.way_buttons[Way.RESTORE].setEnabled(bool(backups))
            pick = QPushButton(_("Choose a &backup file…"), self)
            pick.setObjectName("way_restore_file")
            pick.clicked.connect(self.choose_backup_file)
            row.insert(0, pick)
        # Right-aligned, on two lines when five long Hungarian labels do not fit on one.
        buttons = FlowLayout()
        buttons.add_stretch()
        for button in row:
            buttons.addWidget(button)
        layout.addLayout(buttons)
        first = self.way_buttons[problem.ways[0]]
        first.setDefault(True)
        first.setFocus()
        # Wrapped labels only get their height right when the width is settled first.
        self.setMinimumWidth(720)
        for label in (self.title, self.message, self.detail, self.no_backups):
            label.setMinimumWidth(560)

    def selected_backup(self) -> BackupFile | None:
        rows = self.backup_view.selectionModel().selectedRows()
        return self.backup_model.item(rows[0].row()) if rows else None

    def showEvent(self, event) -> None:
        super().showEvent(event)
        fit_height(self)  # the message and the buttons wrap at the width it got

    def choose(self, way: Way, path: Path | None = None) -> None:
        if way is Way.RESTORE and path is None:
            backup = self.selected_backup()
            if backup is None:
                return
            path = backup.path
        if way is Way.OPEN_OTHER and path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self, _("Open a Counter database"), "", _("Counter databases (*.db);;All (*)")
            )
            if not name:
                return
            path = Path(name)
        self.choice, self.chosen_path = way, path
        self.accept()

    def choose_backup_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a backup"), str(self._folder), _("Counter backups (*.db);;All (*)")
        )
        if name:
            self.choose(Way.RESTORE, Path(name))

    def reject(self) -> None:  # Esc or closing the window: quit, as the Quit button does
        self.choice = Way.QUIT
        super().reject()


def ask_with_dialog(problem: StartupProblem, path: Path) -> tuple[Way, Path | None]:
    from counter.backup import database_tag, default_backup_folder, list_backups

    folder = default_backup_folder(path)
    dialog = StartupDialog(problem, list_backups(folder, database_tag(path)), folder)
    dialog.exec()
    return dialog.choice, dialog.chosen_path


def tell_with_box(text: str) -> None:
    QMessageBox.warning(None, _("Counter"), text)
