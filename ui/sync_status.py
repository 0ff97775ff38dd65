"""Background sync with the hub, and the status-bar words for it.

``HubSync`` owns a task runner of its own: one thread with its own SQLite connection (WAL lets
it read while the counter screen's worker reads and writes; a write waits its turn through
the busy timeout) and its own PostgreSQL connections. So a sync never queues in front of a
search or a tick. While this counter is joined it syncs every few seconds, sooner when another
counter's upload wakes it (PostgreSQL LISTEN/NOTIFY, ``counter.hub.hub_sql.wait_for_changes``)
or when something was written here, and less often while the hub cannot be reached. A
download that changed something is announced on the change bus with ``from_hub=True`` and
what it changed (``Changes.of_download``: the kinds of rows, the customers concerned), so each
view reloads only for its own data; while joined, the queue's same-file poll is off.

The Hub tab (ui/manager_view/hub_view.py) runs its Test and Join on the same thread
(``HubSync.run``), so they never share a connection with a running sync.

``SyncStatusLabel`` says the state in words: "Synced 8 s ago", "Syncing…", "Offline — 12
changes waiting, nothing is lost", "The hub refused the password".
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStatusBar

from counter import sync
from counter.hub import hub_sql
from counter.hub.connection import HubError, PasswordStore, connect
from ui.error_text import error_text
from ui.i18n import UiLanguage, _, ngettext
from ui.tasks import TaskRunner

_log = logging.getLogger(__name__)

EVERY_S = 5.0  # between syncs while online (a notify or a write here wakes it sooner)
OFFLINE_MAX_S = 60.0  # the longest wait between tries while the hub cannot be reached
REFUSED_S = 60.0  # the hub said no (password, schema): try again now and then, not in a loop
SOON_MS = 300  # a write here is uploaded this soon after (several writes: one sync)
SYNCING_AFTER_MS = 700  # "Syncing…" only for a sync that takes this long
WAIT_SLICE_S = 0.25  # how often a wait for the hub's notice looks whether it was woken


def hub_problem(error: BaseException) -> str:
    """What a person reads when the hub did not work: plain words for each kind of trouble."""
    if isinstance(error, HubError):
        if error.kind == "password":
            return _("The hub refused the password.")
        if error.kind == "unreachable":
            return _("The hub cannot be reached. Check its address and the network.")
        if error.kind == "certificate":
            return _(
                "The hub's TLS certificate was not accepted (wrong host name or CA file?): {reason}"
            ).format(reason=error.message)
        if error.kind == "not_a_hub":
            return _("That database is not a Counter hub yet: run “counter hub init” on it first.")
        if error.kind == "newer":
            return _(
                "The hub is newer than this Counter. Update Counter on this computer first; "
                "nothing was changed."
            )
        if error.kind == "store":
            return _("The hub would not let this counter join that store: {reason}").format(
                reason=error.message
            )
        if error.kind == "not_joined":
            return _("This counter has not joined a hub.")
        if error.kind == "store_password":
            return _("The password could not be kept safely: {reason}").format(reason=error.message)
        return _("The hub refused: {reason}").format(reason=error.message)
    return error_text(error)


@dataclass(frozen=True)
class SyncState:
    """What the status bar shows."""

    joined: bool = False
    syncing: bool = False
    last_sync_at: int | None = None
    waiting: int = 0  # changes here not on the hub yet
    problem: str = ""  # the HubError's kind when the last try failed, else ""
    detail: str = ""  # its message (technical, English), for a tooltip
    hub: str = ""  # user@host:port/db
    store: str = ""


class _Link:
    """The PostgreSQL connections of the sync thread (touched on that thread only, and by
    ``close`` once it has stopped)."""

    def __init__(self, passwords: PasswordStore):
        self.passwords = passwords
        self.url = ""
        self.conn: Any = None
        self.listener: Any = None

    def connection(self, url: str):
        if self.conn is not None and (self.url != url or self.conn.closed):
            self.close()
        if self.conn is None:
            self.url = url
            self.conn = connect(url, self.passwords.get(url))
        return self.conn

    def listen(self) -> None:
        """A second connection that only waits for other counters' notices (best effort:
        without it, the sync comes every few seconds anyway)."""
        if self.listener is not None and not self.listener.closed:
            return
        try:
            self.listener = connect(self.url, self.passwords.get(self.url))
            hub_sql.listen(self.listener)
        except Exception:
            self._close_listener()

    def wait(self, timeout: float, woken: threading.Event) -> None:
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0 or woken.is_set():
                return
            if self.listener is None:
                woken.wait(min(left, WAIT_SLICE_S))
                continue
            try:
                if hub_sql.wait_for_changes(self.listener, 0, min(left, WAIT_SLICE_S)):
                    return
            except Exception:  # the hub went away: the next sync says so
                self._close_listener()

    def _close_listener(self) -> None:
        with contextlib.suppress(Exception):
            if self.listener is not None:
                self.listener.close()
        self.listener = None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.conn is not None:
                self.conn.close()
        self.conn = None
        self._close_listener()


class HubSync(QObject):
    """Keeps this counter in sync with its hub, off the GUI thread (see the module)."""

    state_changed = Signal(object)  # SyncState
    downloaded = Signal(object)  # a SyncResult that changed rows here

    def __init__(
        self,
        open_db: Callable[[], Any],
        passwords: PasswordStore,
        clock: Callable[[], int] = lambda: int(time.time()),
        parent: QObject | None = None,
        *,
        every_s: float = EVERY_S,
    ):
        super().__init__(parent)
        self.passwords = passwords
        self.clock = clock
        self.every_s = every_s
        self.state = SyncState()
        self._runner = TaskRunner(open_db, self)
        self._link = _Link(passwords)
        self._woken = threading.Event()
        self._stopping = threading.Event()
        self._cycling = False
        self._closed = False
        self._failures = 0
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.sync_now)
        self._syncing_shown = QTimer(self)
        self._syncing_shown.setSingleShot(True)
        self._syncing_shown.setInterval(SYNCING_AFTER_MS)
        self._syncing_shown.timeout.connect(lambda: self._set(syncing=True))

    # for the Hub tab ---------------------------------------------------------------------
    def run(
        self,
        fn: Callable[[Any], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fn(db)`` on the sync thread (a sync waiting for the hub's notice gives way)."""
        self._woken.set()
        self._runner.run(fn, on_done, on_error)

    @property
    def runner(self) -> TaskRunner:
        """The sync thread's runner (for ui.progress.run_with_progress); wake it first."""
        self._woken.set()
        return self._runner

    def test(self, url: str, password: str | None) -> Callable[[Any], int]:
        """A job for ``run``: connect with this password and check it is a hub this Counter
        understands; returns the hub's schema version."""

        def job(_db) -> int:
            from counter.hub import schema

            # No password typed: the one kept (the keyring may be slow: asked here, not on
            # the GUI thread).
            with connect(url, password if password else self.passwords.get(url)) as conn:
                return schema.check_version(conn)

        return job

    def keep_password(self, url: str, password: str) -> Callable[[Any], str]:
        """A job: keep the hub password (keyring or a user-only file); returns where."""

        def job(_db) -> str:
            try:
                return self.passwords.set(url, password)
            except OSError as e:
                raise HubError("store_password", str(e)) from e

        return job

    # the cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Begin syncing if this counter has joined a hub (else wait for ``joined``)."""
        if self._closed or self._cycling:
            self.sync_now()
            return
        self._cycling = True
        self._next()

    def joined(self) -> None:
        """The Hub tab joined this counter to a hub: keep it in sync from now on."""
        self._failures = 0
        self.start()

    def announce(self, result: sync.SyncResult) -> None:
        """Tell the views when a sync (this one's, or the Hub tab's join) changed rows or the
        store's targets here."""
        if result.applied or result.settings:
            self.downloaded.emit(result)

    def sync_now(self) -> None:
        """Sync at once (a write here, "Sync now", a new password)."""
        self._woken.set()

    def soon(self) -> None:
        """Something was written here: upload it shortly (several writes make one sync).
        While the hub is unreachable the tries keep their slower pace."""
        if self.state.joined and self.state.problem == "":
            self._soon.start()

    def _next(self) -> None:
        if self._closed:
            return
        self._syncing_shown.start()
        self._runner.run(self._sync_job, self._synced, self._failed)

    def _sync_job(self, db) -> tuple[Any, sync.SyncStatus]:
        self._woken.clear()
        url = sync.joined_url(db)
        if not url:
            return None, sync.status(db)
        conn = self._link.connection(url)
        try:
            result = sync.run_once(db, conn, now=self.clock(), should_stop=self._stopping.is_set)
        except HubError:
            self._link.close()
            raise
        self._link.listen()
        return result, sync.status(db)

    def _synced(self, outcome: tuple[Any, sync.SyncStatus]) -> None:
        result, status = outcome
        self._syncing_shown.stop()
        self._failures = 0
        self._set(
            joined=status.joined,
            syncing=False,
            last_sync_at=status.last_sync_at,
            waiting=status.waiting,
            problem="",
            detail="",
            hub=status.hub,
            store=status.store,
        )
        if result is None:  # not joined (any more): nothing to do until the Hub tab joins
            self._cycling = False
            return
        self.announce(result)
        self._wait(self.every_s)

    def _failed(self, error: BaseException) -> None:
        self._syncing_shown.stop()
        self._failures += 1
        kind = error.kind if isinstance(error, HubError) else "error"
        if not isinstance(error, HubError):
            _log.warning("Sync failed: %s", error)
        self._set(syncing=False, problem=kind, detail=getattr(error, "message", str(error)))
        self._runner.run(lambda db: sync.status(db), self._counted, lambda _e: None)
        if kind == "not_joined":
            self._cycling = False
            return
        if kind == "unreachable":
            delay = min(self.every_s * 2 ** min(self._failures - 1, 6), OFFLINE_MAX_S)
        else:
            delay = max(self.every_s, REFUSED_S)
        self._wait(delay)

    def _counted(self, status: sync.SyncStatus) -> None:
        self._set(
            joined=status.joined,
            waiting=status.waiting,
            last_sync_at=status.last_sync_at,
            hub=status.hub,
            store=status.store,
        )

    def _wait(self, seconds: float) -> None:
        if self._closed:
            return
        self._runner.run(
            lambda _db: self._link.wait(seconds, self._woken), lambda _r: self._next(), None
        )

    def _set(self, **changes: Any) -> None:
        state = replace(self.state, **changes)
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def shutdown(self) -> None:
        """Stop: a sync running finishes its current batch (nothing is lost), then the
        connections close."""
        if self._closed:
            return
        self._closed = True
        self._soon.stop()
        self._syncing_shown.stop()
        self._stopping.set()
        self._woken.set()
        self._runner.shutdown(wait=True)
        self._link.close()


class SyncStatusLabel(QLabel):
    """A permanent status-bar label with the sync state in words; hidden when not joined."""

    def __init__(self, hub_sync: HubSync, language: UiLanguage, bar: QStatusBar, clock=None):
        super().__init__(bar)
        self.setObjectName("syncStatus")
        self._clock = clock or hub_sync.clock
        self._state = hub_sync.state
        bar.addPermanentWidget(self)
        hub_sync.state_changed.connect(self.show_state)
        # Bound methods, not lambdas: Qt drops them when this label is deleted.
        language.changed.connect(self._language_changed)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.retranslate)
        self.show_state(hub_sync.state)

    def _language_changed(self, _code: str) -> None:
        self.retranslate()

    def show_state(self, state: SyncState) -> None:
        self._state = state
        self.setVisible(state.joined)
        if state.joined and not state.problem and state.last_sync_at is not None:
            self._tick.start()  # "8 s ago" keeps counting
        else:
            self._tick.stop()
        self.retranslate()

    def text_for(self, state: SyncState) -> str:
        if state.syncing and not state.problem:
            return _("Syncing…")
        if state.problem == "unreachable":
            if state.waiting:
                return ngettext(
                    "Offline — {count} change waiting, nothing is lost",
                    "Offline — {count} changes waiting, nothing is lost",
                    state.waiting,
                ).format(count=state.waiting)
            return _("Offline — nothing is lost")
        if state.problem == "password":
            return _("The hub refused the password")
        if state.problem:
            return _("Not synced — the hub refused (see Manage ▸ Store setup ▸ Hub)")
        if state.last_sync_at is None:
            return _("Syncing…")
        ago = max(0, self._clock() - state.last_sync_at)
        if ago < 60:
            return ngettext("Synced {count} s ago", "Synced {count} s ago", ago).format(count=ago)
        if ago < 3600:
            minutes = ago // 60
            return ngettext("Synced {count} min ago", "Synced {count} min ago", minutes).format(
                count=minutes
            )
        hours = ago // 3600
        return ngettext("Synced {count} h ago", "Synced {count} h ago", hours).format(count=hours)

    def retranslate(self) -> None:
        state = self._state
        self.setText(self.text_for(state) if state.joined else "")
        trouble = bool(state.problem)
        self.setStyleSheet(
            "QLabel#syncStatus { color: #8a4b00; font-weight: bold; }" if trouble else ""
        )
        tip = [_("Hub: {hub}, store {store}").format(hub=state.hub, store=state.store)]
        if state.waiting:
            tip.append(
                ngettext(
                    "{count} change here is waiting to go to the hub.",
                    "{count} changes here are waiting to go to the hub.",
                    state.waiting,
                ).format(count=state.waiting)
            )
        if trouble:
            tip.append(state.detail)
            tip.append(_("Nothing is lost: changes wait here until the sync works."))
        self.setToolTip("\n".join(t for t in tip if t))
