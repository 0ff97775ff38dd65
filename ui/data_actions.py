"""The File menu's data-safety commands (back up now, restore, import and export customers),
the customer's privacy commands (export their data, erase them) and the daily backup on start.

Restoring, importing, exporting and erasing are a manager's job: they go through
``as_manager`` (``SessionActions.with_manager``: a manager's PIN when someone else is signed
in). Backing up is anyone's. In read-only mode every command that writes is refused with a
message. What a command changed is announced on the change signal (``ui.changes``); the window
that owns these actions puts them in its menus.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QToolBar, QWidget

from counter.roles import Session
from counter.settings import StoreSettings
from ui import theme
from ui.changes import ChangeBus, Changes
from ui.error_text import error_text
from ui.i18n import _, current
from ui.progress import run_with_progress
from ui.tasks import Runner

if TYPE_CHECKING:
    from counter.backup import BackupFile
    from counter.customers import Customer
    from ui.import_dialog import ImportDialog
    from ui.restore_dialog import RestoreDialog

# The dialogs and the domain behind each command are imported when the command is first used:
# the counter screen opens without them (issue #7, start-up).


class DataActions(QObject):
    daily_backup_done = Signal(object)  # BackupFile, or an exception; from the backup thread
    integrity_checked = Signal(object)  # IntegrityFacts, from the quick-check thread

    def __init__(
        self,
        runner: Runner,
        clock: Callable[[], int],
        *,
        changes: ChangeBus,
        settings: Callable[[], StoreSettings],  # the store's settings as the screen has them
        as_manager: Callable[[Callable[[Session], None]], object],
        current_customer: Callable[[], Customer | None],  # the customer on screen
        say: Callable[[str, int], None],  # a message in the status bar, for so many ms
        db_path: Path | None,
        parent: QWidget,  # the dialogs' parent; it also owns the actions
    ):
        super().__init__(parent)
        self.runner = runner
        self.clock = clock
        self.changes = changes
        self._settings = settings
        self._as_manager = as_manager
        self._current_customer = current_customer
        self._say = say
        self._parent = parent
        self.db_path = db_path
        self.read_only = False
        self._daily_backup: threading.Thread | None = None
        self._daily_backup_stop = threading.Event()
        self.backup_action = QAction(parent)
        self.backup_action.setObjectName("backupNow")
        self.backup_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction(parent)
        self.restore_action.setObjectName("restoreBackup")
        self.restore_action.triggered.connect(self.restore)
        self.import_action = QAction(parent)
        self.import_action.setObjectName("importCustomers")
        self.import_action.triggered.connect(self.import_customers)
        self.export_action = QAction(parent)
        self.export_action.setObjectName("exportCustomers")
        self.export_action.triggered.connect(self.export_customers)
        self.customer_data_action = QAction(parent)
        self.customer_data_action.setObjectName("exportCustomerData")
        self.customer_data_action.triggered.connect(self.export_customer_data)
        self.erase_action = QAction(parent)
        self.erase_action.setObjectName("eraseCustomer")
        self.erase_action.triggered.connect(self.erase_customer)

        self.daily_backup_done.connect(self._daily_backup_done)
        self.integrity_checked.connect(self._integrity_checked)

        self.banner = QToolBar(parent)  # for the window's top: "Read-only: ..."
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setMovable(False)
        self.banner.setFloatable(False)
        theme.style_sheet(self.banner, theme.note_css("QToolBar", "border: 0;"))
        self.banner_label = QLabel(self.banner)
        self.banner_label.setObjectName("readOnlyText")
        theme.style_sheet(
            self.banner_label,
            lambda: f"color: {theme.colours().note_text.name()}; padding: 4px;",
        )
        self.banner.addWidget(self.banner_label)
        self.banner.hide()

    def retranslate(self) -> None:
        self.backup_action.setText(_("&Back up now"))
        self.restore_action.setText(_("&Restore a backup…"))
        self.import_action.setText(_("&Import customers…"))
        self.export_action.setText(_("E&xport customers…"))
        self.customer_data_action.setText(_("Export this customer's &data…"))
        self.erase_action.setText(_("E&rase this customer…"))
        self.banner_label.setText(
            _("Read-only: this database can be looked at but not changed. Nothing you do is saved.")
        )

    def set_read_only(self, read_only: bool) -> None:
        """Read-only mode: a banner says so, and every command that writes is refused."""
        self.read_only = read_only
        for action in (self.restore_action, self.import_action, self.erase_action):
            action.setEnabled(not read_only)
        self.banner.setVisible(read_only)

    # helpers -----------------------------------------------------------------------------
    def _status(self, text: str, ms: int = 6000) -> None:
        self._say(text, ms)

    def refuse_if_read_only(self) -> bool:
        from PySide6.QtWidgets import QMessageBox

        if self.read_only:
            QMessageBox.information(
                self._parent,
                _("Read-only mode"),
                _("Counter opened this database read-only: nothing can be changed."),
            )
        return self.read_only

    def folder(self) -> Path | None:
        from counter.backup import backup_folder

        setting = self._settings().backup_folder
        if setting:
            return Path(setting).expanduser()
        return backup_folder(self.db_path) if self.db_path is not None else None

    def _failed(self, title: str):
        from PySide6.QtWidgets import QMessageBox

        def show(error: BaseException) -> None:
            QMessageBox.warning(self._parent, title, error_text(error))

        return show

    # backups -----------------------------------------------------------------------------
    def back_up_now(self) -> None:
        from counter.backup import make_backup

        folder, now = self.folder(), self.clock()
        if folder is None:
            self._status(_("There is no backup folder for this database."))
            return
        run_with_progress(
            self._parent,
            self.runner,
            _("Backing up…"),
            lambda db, progress: make_backup(db, folder, now=now, progress=progress),
            lambda made: self._status(_("Backed up to {path}.").format(path=made.path), 10000),
            self._failed(_("The backup failed")),
        )

    def start_daily_backup(self, open_db) -> threading.Thread | None:
        """The day's first start takes a backup on its own thread and connection, so the
        counter is usable at once (the online backup API copies while others read and write).
        """
        folder, now = self.folder(), self.clock()
        if folder is None or self.read_only:
            return None
        stop = self._daily_backup_stop = threading.Event()

        def work() -> None:
            from counter.backup import run_daily_backup
            from counter.progress import Cancelled

            db: Any = None
            try:
                db = open_db()
                made = run_daily_backup(db, folder, now=now, progress=lambda *_: not stop.is_set())
                self.daily_backup_done.emit(made)
            except Cancelled:  # the app is quitting: the half-written copy is already gone
                pass
            except Exception as error:  # reported in the status bar, never fatal
                self.daily_backup_done.emit(error)
            finally:
                if db is not None:
                    db.close()

        thread = self._daily_backup = threading.Thread(
            target=work, name="counter-daily-backup", daemon=True
        )
        thread.start()
        return thread

    def stop_daily_backup(self, timeout: float = 10.0) -> None:
        """On quit: stop a daily backup still copying, so it removes its half-written file
        instead of dying with the process (and try again on the next start)."""
        thread = self._daily_backup
        if thread is not None and thread.is_alive():
            self._daily_backup_stop.set()
            thread.join(timeout)

    def _daily_backup_done(self, result: BackupFile | BaseException | None) -> None:
        if isinstance(result, BaseException):
            self._status(
                _("Today's backup failed: {reason}").format(reason=error_text(result)), 15000
            )
        elif result is not None:
            self._status(_("Today's backup is in {path}.").format(path=result.path))

    def check_integrity_later(self, path: Path) -> threading.Thread:
        """``PRAGMA quick_check`` for a database too big to check before the window opened.
        It reads the whole file, so it runs on its own thread and connection: on the database
        worker it held up the first search for seconds."""
        self._checked_path = path

        def work() -> None:
            from counter import integrity

            try:
                self.integrity_checked.emit(integrity.inspect_file(path))
            except Exception:  # a check that cannot run reports nothing
                return

        thread = threading.Thread(target=work, name="counter-quick-check", daemon=True)
        thread.start()
        return thread

    def _integrity_checked(self, facts) -> None:
        from PySide6.QtWidgets import QMessageBox

        from counter import integrity

        if facts.problem is None:
            return
        problem = integrity.problem(facts.problem, self._checked_path, facts.detail)
        QMessageBox.warning(
            self._parent,
            _(problem.title),
            _(problem.message).format(**problem.params)
            + "\n\n"
            + _("Use File › Restore a backup to go back to a sound copy."),
        )

    def restore(self) -> RestoreDialog | None:
        if self.refuse_if_read_only():
            return None
        folder = self.folder()
        if folder is None:
            self._status(_("There is no backup folder for this database."))
            return None
        opened: list[RestoreDialog] = []

        def show(session: Session) -> None:
            from counter.backup import database_tag
            from ui.restore_dialog import RestoreDialog

            dialog = RestoreDialog(
                self.runner,
                folder,
                clock=self.clock,
                staff_id=session.staff_id if session else None,
                database=database_tag(self.db_path) if self.db_path is not None else None,
                parent=self._parent,
            )
            dialog.restored.connect(self._restored)
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()
            opened.append(dialog)

        self._as_manager(show)
        return opened[0] if opened else None

    def _restored(self, result) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.changes.notify(Changes.everything())
        QMessageBox.information(
            self._parent,
            _("Backup restored"),
            _(
                "Counter now shows the data of {taken}. The state before the restore was "
                "saved as {path}."
            ).format(
                taken=current().datetime(result.restored.backup.taken_at),
                path=result.safety_copy.path,
            ),
        )

    # import and export -------------------------------------------------------------------
    def import_customers(self) -> ImportDialog | None:
        if self.refuse_if_read_only():
            return None
        opened: list[ImportDialog] = []

        def show(session: Session) -> None:
            from ui.import_dialog import ImportDialog

            dialog = ImportDialog(
                self.runner,
                phone_region=self._settings().phone_region,
                clock=self.clock,
                staff_id=session.staff_id if session else None,
                parent=self._parent,
            )
            dialog.imported.connect(lambda _report: self.changes.notify(Changes(customers=True)))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()
            opened.append(dialog)

        self._as_manager(show)
        return opened[0] if opened else None

    def export_customers(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from counter.customer_export import export_customers

        def chosen(session: Session) -> None:
            name, _filter = QFileDialog.getSaveFileName(
                self._parent, _("Export customers"), "customers.csv", _("CSV files (*.csv)")
            )
            if not name:
                return
            out, now = Path(name), self.clock()
            staff_id = session.staff_id if session else None
            run_with_progress(
                self._parent,
                self.runner,
                _("Exporting customers…"),
                lambda db, progress: export_customers(
                    db, out, now=now, staff_id=staff_id, progress=progress
                ),
                lambda count: self._status(
                    _("{count} customers written to {path}.").format(count=count, path=out)
                ),
                self._failed(_("The export failed")),
            )

        self._as_manager(chosen)

    # one customer's data -----------------------------------------------------------------
    def export_customer_data(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        customer = self._current_customer()
        if customer is None:
            self._status(_("Open a customer first."), 4000)
            return

        def chosen(session: Session) -> None:
            folder = QFileDialog.getExistingDirectory(
                self._parent, _("Where to save this customer's data")
            )
            if not folder:
                return
            now, cid = self.clock(), customer.id
            base = Path(folder) / f"customer-{cid}"

            def work(db):
                from counter.privacy import customer_data

                data = customer_data(db, session, cid, now=now)
                base.with_suffix(".json").write_text(data.to_json(), encoding="utf-8")
                base.with_suffix(".csv").write_text(data.to_csv(), encoding="utf-8-sig")
                return base

            self.runner.run(
                work,
                lambda path: self._status(
                    _("Saved {json} and {csv}.").format(
                        json=path.with_suffix(".json"), csv=path.with_suffix(".csv")
                    ),
                    10000,
                ),
                self._failed(_("The export failed")),
            )

        self._as_manager(chosen)

    def erase_customer(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        customer = self._current_customer()
        if customer is None:
            self._status(_("Open a customer first."), 4000)
            return
        if self.refuse_if_read_only():
            return
        name = customer.full_name()

        def chosen(session: Session) -> None:
            answer = QMessageBox.warning(
                self._parent,
                _("Erase {name}?").format(name=name),
                _(
                    "{name}'s name, phone, e-mail, card and notes will be erased for good, "
                    "and the notes of their visits. The visits stay, anonymous, so the "
                    "statistics do not change. This cannot be undone."
                ).format(name=name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            from counter.privacy import erase_customer

            now, cid = self.clock(), customer.id
            self.runner.run(
                lambda db: erase_customer(db, session, cid, now=now),
                lambda _none: self._erased(cid, name),
                self._failed(_("The customer was not erased")),
            )

        self._as_manager(chosen)

    def _erased(self, customer_id: int, name: str) -> None:
        self.changes.notify(Changes.of_customer(customer_id, customers=True))
        self._status(_("{name} was erased.").format(name=name))
