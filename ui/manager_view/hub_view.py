"""Manage ▸ Store setup ▸ Hub: where the store's PostgreSQL hub is, a test of the connection,
joining this counter to a store, and how the sync goes once joined.

The password is typed here and handed to the sync thread only: it is kept in the OS keyring or
a file only this user can read (``PasswordStore``), never in the database, a log, an export or
the audit log, and the field shows dots. Test, Join and Sync now run on the sync thread
(``ui.sync_status.HubSync``), never on the counter screen's database worker; Join shows a
progress bar whose Cancel stops between batches, so nothing is lost or half-written."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter import sync
from counter.hub.connection import SSL_MODES, HubAddress, connect, describe
from counter.settings import MAX_STORE_NAME
from ui.accessible import name_by_label
from ui.error_text import error_label
from ui.i18n import _, current, ngettext
from ui.progress import ProgressRelay, run_with_progress
from ui.sync_status import HubSync, SyncState, hub_problem


def _join_work(
    url: str, password: str | None, store: str, name: str, now: int, passwords
) -> Callable[[Any, ProgressRelay], tuple[sync.SyncResult | None, bool, str]]:
    """The join, on the sync thread: connect, keep the password the hub took, join and sync
    once with a progress bar (totals from ``sync.backlog`` once the upload is queued)."""

    def work(db, relay: ProgressRelay):
        with connect(url, password or passwords.get(url)) as conn:  # typed, else kept
            kept = passwords.set(url, password) if password else ""  # only one the hub took
            totals: list[int] = []

            def progress(result: sync.SyncResult) -> None:
                if not totals:
                    up, down = sync.backlog(db, conn)
                    totals.extend([up, down + up])  # its own uploads come back once
                done = result.uploaded + result.resent + result.downloaded
                relay(done, max(sum(totals), done, 1))  # its answer: relay.cancelled

            result = sync.join(
                db,
                conn,
                hub=url,
                store=store,
                now=now,
                name=name,
                should_stop=lambda: relay.cancelled,
                progress=progress,
            )
        return result, relay.cancelled, kept

    return work


class HubView(QGroupBox):
    joined = Signal()  # this counter joined a hub: the background sync starts

    def __init__(
        self,
        hub_sync: HubSync,
        clock: Callable[[], int] = lambda: int(time.time()),
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("hubSettings")
        self._sync = hub_sync
        self._clock = clock
        self._status: sync.SyncStatus | None = None
        self.progress_dialog: QProgressDialog | None = None

        self.host = QLineEdit(self)
        self.host.setObjectName("hubHost")
        self.port = QLineEdit(self)
        self.port.setObjectName("hubPort")
        self.port.setText("5432")
        self.port.setMaxLength(5)
        self.dbname = QLineEdit(self)
        self.dbname.setObjectName("hubDatabase")
        self.user = QLineEdit(self)
        self.user.setObjectName("hubUser")
        self.password = QLineEdit(self)
        self.password.setObjectName("hubPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.tls = QComboBox(self)
        self.tls.setObjectName("hubTls")
        for mode in SSL_MODES:
            self.tls.addItem(mode, mode)
        self.tls.setCurrentIndex(self.tls.findData("require"))
        self.tls.currentIndexChanged.connect(lambda _i: self._show_ca())
        self.ca_file = QLineEdit(self)
        self.ca_file.setObjectName("hubCaFile")
        self.choose_ca = QPushButton(self)
        self.choose_ca.setObjectName("hubChooseCa")
        self.choose_ca.clicked.connect(self.choose_ca_file)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.choose_ca)
        self.store = QLineEdit(self)
        self.store.setObjectName("hubStore")
        self.store.setMaxLength(MAX_STORE_NAME)
        self.counter_name = QLineEdit(self)
        self.counter_name.setObjectName("hubCounterName")
        self.counter_name.setMaxLength(80)

        self.labels = [QLabel(self) for _i in range(9)]
        fields: list[Any] = [
            self.host,
            self.port,
            self.dbname,
            self.user,
            self.password,
            self.tls,
            ca_row,
            self.store,
            self.counter_name,
        ]
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, field in zip(self.labels, fields, strict=True):
            label.setBuddy(field if isinstance(field, QWidget) else self.ca_file)
            form.addRow(label, field)
        self._ca_label = self.labels[6]

        self.test_button = QPushButton(self)
        self.test_button.setObjectName("hubTest")
        self.test_button.clicked.connect(self.test)
        self.join_button = QPushButton(self)
        self.join_button.setObjectName("hubJoin")
        self.join_button.clicked.connect(self.join)
        self.password_button = QPushButton(self)
        self.password_button.setObjectName("hubSavePassword")
        self.password_button.clicked.connect(self.save_password)
        self.sync_button = QPushButton(self)
        self.sync_button.setObjectName("hubSyncNow")
        self.sync_button.clicked.connect(self.sync_now)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.join_button)
        buttons.addWidget(self.password_button)
        buttons.addWidget(self.sync_button)
        buttons.addStretch(1)

        self.message = QLabel(self)
        self.message.setObjectName("hubMessage")
        self.message.setWordWrap(True)
        self.errors = error_label(self)
        self.errors.setObjectName("hubErrors")
        self.state = QLabel(self)
        self.state.setObjectName("hubState")
        self.state.setWordWrap(True)
        self.state_box = QGroupBox(self)
        self.state_box.setObjectName("hubJoined")
        state_layout = QVBoxLayout(self.state_box)
        state_layout.addWidget(self.state)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.errors)
        layout.addWidget(self.message)
        layout.addWidget(self.state_box)
        layout.addStretch(1)
        # A bound method: Qt drops it when the manager's window (and this tab) is closed.
        hub_sync.state_changed.connect(self._state_changed)
        self.retranslate()
        self._show_ca()
        self._show_joined(None)
        self.reload()

    # state -------------------------------------------------------------------------------
    def reload(self) -> None:
        self._sync.run(
            lambda db: (sync.status(db), sync.joined_url(db)), self._loaded, self._failed
        )

    def _loaded(self, loaded: tuple[sync.SyncStatus, str]) -> None:
        status, url = loaded
        if status.joined and url:
            address = HubAddress.from_url(url)
            self.host.setText(address.host)
            self.port.setText(str(address.port))
            self.dbname.setText(address.dbname)
            self.user.setText(address.user)
            self.tls.setCurrentIndex(max(0, self.tls.findData(address.sslmode)))
            self.ca_file.setText(address.ca_file)
            self.store.setText(status.store)
        self._show_joined(status)

    def _show_joined(self, status: sync.SyncStatus | None) -> None:
        self._status = status
        joined = bool(status and status.joined)
        for widget in (
            self.host,
            self.port,
            self.dbname,
            self.user,
            self.tls,
            self.ca_file,
            self.choose_ca,
            self.store,
            self.counter_name,
        ):
            widget.setEnabled(not joined)
        self.join_button.setVisible(not joined)
        self.password_button.setVisible(joined)
        self.sync_button.setVisible(joined)
        self.state_box.setVisible(joined)
        self._show_state()

    def _state_changed(self, _state: SyncState) -> None:
        self._show_state()

    def _show_state(self) -> None:
        status = self._status
        if not (status and status.joined):
            return
        live: SyncState = self._sync.state
        last = live.last_sync_at if live.last_sync_at is not None else status.last_sync_at
        waiting = live.waiting if live.joined else status.waiting
        tr = current()
        lines = [
            _("Hub: {hub}").format(hub=status.hub),
            _("Store: {store}").format(store=status.store),
            _("This counter: {counter}").format(counter=status.counter[:8]),
            _("Last sync: {when}").format(
                when=tr.datetime(last) if last is not None else _("not yet")
            ),
            ngettext(
                "{count} change waiting to go up",
                "{count} changes waiting to go up",
                waiting,
            ).format(count=waiting),
        ]
        if live.problem:
            lines.append(hub_problem_for_state(live))
        self.state.setText("\n".join(lines))

    # the fields --------------------------------------------------------------------------
    def address(self) -> HubAddress:
        return HubAddress(
            host=self.host.text(),
            port=self.port.text(),
            dbname=self.dbname.text(),
            user=self.user.text(),
            sslmode=self.tls.currentData() or "require",
            ca_file=self.ca_file.text(),
        )

    def _url(self) -> str | None:
        try:
            return self.address().url()
        except Exception as error:
            self._failed(error)
            return None

    def _show_ca(self) -> None:
        verify = self.tls.currentData() == "verify-full"
        for widget in (self._ca_label, self.ca_file, self.choose_ca):
            widget.setVisible(verify)

    def choose_ca_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("The hub's certificate authority"), self.ca_file.text()
        )
        if chosen:
            self.ca_file.setText(chosen)

    # buttons -----------------------------------------------------------------------------
    def test(self) -> None:
        url = self._url()
        if url is None:
            return
        self._busy(_("Connecting to {hub}…").format(hub=describe(url)))
        self._sync.run(
            self._sync.test(url, self.password.text() or None),
            lambda _version: self._said(
                _("The hub answered: {hub} is a Counter hub this counter can join.").format(
                    hub=describe(url)
                )
            ),
            self._failed,
        )

    def join(self) -> None:
        url = self._url()
        if url is None:
            return
        store = self.store.text().strip()
        if not store:
            self._failed_text(_("Enter the store's name: the store is created when new."))
            return
        password = self.password.text() or None
        self._busy(_("Joining {store}…").format(store=store))
        self.progress_dialog = run_with_progress(
            self,
            self._sync.runner,
            _("Joining the hub: uploading this counter's data, downloading the others'…"),
            _join_work(
                url,
                password,
                store,
                self.counter_name.text().strip(),
                self._clock(),
                self._sync.passwords,
            ),
            self._join_done,
            self._failed,
        )

    def _join_done(self, outcome: tuple[sync.SyncResult, bool, str]) -> None:
        self.progress_dialog = None
        result, cancelled, _kept = outcome
        self._sync.announce(result)  # what the first sync brought: rows, the store's targets
        self.password.clear()
        moved = _("{up} changes uploaded, {down} downloaded.").format(
            up=result.uploaded + result.resent, down=result.downloaded
        )
        if cancelled:
            self._said(
                _(
                    "Stopped. Nothing is lost: this counter has joined, and the rest syncs "
                    "in the background."
                )
                + " "
                + moved
            )
        else:
            self._said(_("Joined. This counter now syncs with the hub.") + " " + moved)
        self.joined.emit()
        self._sync.joined()
        self.reload()

    def save_password(self) -> None:
        url = self._url()
        password = self.password.text()
        if url is None:
            return
        if not password:
            self._failed_text(_("Type the hub's new password first."))
            return

        def kept(_where: str) -> None:
            self.password.clear()
            self._said(_("The password is kept. Syncing again…"))
            self._sync.joined()

        test, keep = self._sync.test(url, password), self._sync.keep_password(url, password)

        def test_and_keep(db) -> str:
            test(db)  # only a password the hub takes is kept
            return keep(db)

        self._sync.run(test_and_keep, kept, self._failed)

    def sync_now(self) -> None:
        self._said(_("Syncing…"))
        self._sync.sync_now()

    # messages ----------------------------------------------------------------------------
    def _busy(self, text: str) -> None:
        self.errors.hide()
        self.message.setText(text)

    def _said(self, text: str) -> None:
        self.errors.hide()
        self.message.setText(text)

    def _failed(self, error: BaseException) -> None:
        self.progress_dialog = None
        self._failed_text(hub_problem(error))
        self.errors.setToolTip(getattr(error, "message", ""))

    def _failed_text(self, text: str) -> None:
        self.message.clear()
        self.errors.setText(text)
        self.errors.show()

    def retranslate(self) -> None:
        self.setTitle(_("Hub: several counters, one store"))
        texts = (
            _("&Host:"),
            _("&Port:"),
            _("&Database:"),
            _("&Login:"),
            _("Pass&word:"),
            _("&Encryption:"),
            _("&Certificate authority:"),
            _("&Store:"),
            _("This counter's &name:"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        name_by_label(self.tls, self.labels[5])  # not by the mode chosen
        self.host.setPlaceholderText(_("backoffice.example or 192.168.1.10"))
        self.password.setPlaceholderText(
            _("Kept in the keyring or a file only you can read, never in the database")
        )
        self.counter_name.setPlaceholderText(_("e.g. Till 2 (optional)"))
        names = {
            "disable": _("Not encrypted (this network only)"),
            "require": _("Encrypted"),
            "verify-full": _("Encrypted, the hub's certificate checked"),
        }
        for index in range(self.tls.count()):
            self.tls.setItemText(index, names[self.tls.itemData(index)])
        self.choose_ca.setText(_("Choose…"))
        self.test_button.setText(_("&Test connection"))
        self.join_button.setText(_("&Join as a counter of this store"))
        self.password_button.setText(_("Keep the new &password"))
        self.sync_button.setText(_("S&ync now"))
        self.state_box.setTitle(_("Joined"))
        self._show_state()


def hub_problem_for_state(state: SyncState) -> str:
    if state.problem == "password":
        return _("The hub refused the password.")
    if state.problem == "unreachable":
        return _("The hub cannot be reached. Check its address and the network.")
    return _("Not synced: {reason}").format(reason=state.detail)
