"""Sync running while the bench measures a counter's own work (issue #14: search per keystroke,
opening a customer and keystroke → painted keep their targets with sync on).

Two threads, each with connections of its own, as in the app:

- the measured counter syncs the way ``ui.sync_status.HubSync`` does it: ``run_once`` on its
  own SQLite and PostgreSQL connections, then a wait for the hub's NOTIFY (or a few seconds),
  then again, so every change another counter uploads is downloaded and applied to the very
  file being searched, while it is searched;
- another counter of the same store keeps the hub busy: it checks a walk-in in, serves them,
  sets an outcome and ends the visit every ``every_s`` seconds, and uploads it at once (only
  uploads: it never downloads the bench's data).

``SyncLoad.stop()`` ends both and says what the measured counter downloaded meanwhile, so a
row measured "with sync running" can show that sync really ran.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from counter.hub import hub_sql
from counter.hub.connection import connect
from counter.storage import open_database
from counter.sync import run_once, status
from counter.visits import check_in, end_visit, serve, set_outcome

WAIT_SLICE_S = 0.25  # how often a waiting thread looks whether it should stop


@dataclass
class SyncActivity:
    syncs: int = 0  # sync rounds the measured counter finished
    applied: int = 0  # rows they changed there
    visits_ended: int = 0  # visits the other counter ended and uploaded


class SyncLoad:
    """Start with ``SyncLoad(...)``; ``stop()`` ends the threads and returns the activity."""

    def __init__(
        self,
        url: str,
        store_id: int,
        *,
        measured: Path,
        other: Path,
        now: int,
        every_s: float = 0.5,
        sync_every_s: float = 5.0,
    ):
        self._url, self._store_id, self._now = url, store_id, now
        self._every_s, self._sync_every_s = every_s, sync_every_s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.activity = SyncActivity()
        self._failure: BaseException | None = None
        self._threads = [
            threading.Thread(target=self._guarded, args=(self._sync, measured), daemon=True),
            threading.Thread(target=self._guarded, args=(self._traffic, other), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> SyncActivity:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        if self._failure is not None:
            raise RuntimeError(f"sync load failed: {self._failure}") from self._failure
        return self.activity

    def _guarded(self, work: Callable[[Path], None], path: Path) -> None:
        try:
            work(path)
        except BaseException as error:  # reported by stop(), on the measuring thread
            self._failure = error
            self._stop.set()

    def _sync(self, path: Path) -> None:
        db = open_database(path, migrate=False)
        try:
            with connect(self._url) as conn, connect(self._url) as listener:
                hub_sql.listen(listener)
                step = 0
                while not self._stop.is_set():
                    step += 1
                    result = run_once(db, conn, now=self._now + step)
                    with self._lock:
                        self.activity.syncs += 1
                        self.activity.applied += result.applied
                    waited = 0.0
                    while not self._stop.is_set() and waited < self._sync_every_s:
                        if hub_sql.wait_for_changes(listener, self._store_id, WAIT_SLICE_S):
                            break
                        waited += WAIT_SLICE_S
        finally:
            db.close()

    def _traffic(self, path: Path) -> None:
        db = open_database(path, migrate=False)
        try:
            with connect(self._url) as conn:
                i = 0
                while not self._stop.wait(self._every_s):
                    i += 1
                    now = self._now + 10 * i
                    visit = check_in(db, now=now, walk_in_name=f"Background {i}").visit
                    serve(db, visit.id, staff_id=None, now=now + 1, language="en")
                    set_outcome(db, visit.id, "bought", now=now + 2)
                    end_visit(db, visit.id, now=now + 3)
                    # Upload only: a stop asked once the outbox is empty ends the sync before
                    # its download (this counter never took the bench's data from the hub, and
                    # fetching it change by change would be the load, not the visits).
                    run_once(db, conn, now=now + 3, should_stop=lambda: status(db).waiting == 0)
                    with self._lock:
                        self.activity.visits_ended += 1
        finally:
            db.close()
