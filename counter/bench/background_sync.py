"""Sync running while the bench measures a counter's own work (issue #14: search per keystroke,
opening a customer and keystroke → painted keep their targets with sync on).

Two workers, each with connections of its own, as in the app:

- the measured counter syncs the way ``ui.sync_status.HubSync`` does it: ``run_once`` on its
  own SQLite and PostgreSQL connections, then a wait for the hub's NOTIFY (or a few seconds),
  then again, so every change another counter uploads is downloaded and applied to the very
  file being searched, while it is searched;
- another counter of the same store keeps the hub busy: it checks a walk-in in, serves them,
  sets an outcome and ends the visit every ``every_s`` seconds, and uploads it at once (only
  uploads: it never downloads the bench's data). It is a process of its own, as another
  counter is another computer: as a thread it would take the interpreter lock from the
  counter being measured, which no real counter does to another.

``SyncLoad.stop()`` ends both and says what the measured counter downloaded meanwhile, so a
row measured "with sync running" can show that sync really ran.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from counter.hub import hub_sql
from counter.hub.connection import connect
from counter.storage import open_database
from counter.sync import run_once, status
from counter.visits import check_in, end_visit, serve, set_outcome

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized
    from multiprocessing.synchronize import Event as MpEvent

WAIT_SLICE_S = 0.25  # how often a waiting thread looks whether it should stop


@dataclass
class SyncActivity:
    syncs: int = 0  # sync rounds the measured counter finished
    applied: int = 0  # rows they changed there
    visits_ended: int = 0  # visits the other counter ended and uploaded


class SyncLoad:
    """Start with ``SyncLoad(...)``; ``stop()`` ends both workers and returns the activity."""

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
        self._sync_every_s = sync_every_s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.activity = SyncActivity()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._guarded_sync, args=(measured,), daemon=True)
        self._thread.start()
        spawn = multiprocessing.get_context("spawn")  # no fork of a process with threads
        self._other_stop = spawn.Event()
        self._ended = spawn.Value("i", 0)
        self._errors: multiprocessing.Queue[str] = spawn.Queue()
        self._other = spawn.Process(
            target=_other_counter,
            args=(url, str(other), now, every_s, self._other_stop, self._ended, self._errors),
            name="counter-bench-other-counter",
            daemon=True,
        )
        self._other.start()

    def stop(self) -> SyncActivity:
        self._stop.set()
        self._other_stop.set()
        self._thread.join()
        self._other.join(30)
        if self._other.is_alive():
            self._other.terminate()
            self._other.join()
        self.activity.visits_ended = self._ended.value
        if self._failure is not None:
            raise RuntimeError(f"sync load failed: {self._failure}") from self._failure
        try:
            error = self._errors.get(timeout=1 if self._other.exitcode else 0.01)
        except queue.Empty:
            error = "" if self._other.exitcode == 0 else f"exit code {self._other.exitcode}"
        if error:
            raise RuntimeError(f"sync load failed: the other counter: {error}")
        return self.activity

    def _guarded_sync(self, path: Path) -> None:
        try:
            self._sync(path)
        except BaseException as error:  # reported by stop(), on the measuring thread
            self._failure = error

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


def _other_counter(
    url: str,
    path: str,
    now: int,
    every_s: float,
    stop: MpEvent,
    ended: Synchronized[int],
    errors: multiprocessing.Queue[str],
) -> None:
    """The other counter's process (spawned: module level). Its failure goes to ``errors``."""
    try:
        db = open_database(Path(path), migrate=False)
        try:
            with connect(url) as conn:
                i = 0
                while not stop.wait(every_s):
                    i += 1
                    at = now + 10 * i
                    visit = check_in(db, now=at, walk_in_name=f"Background {i}").visit
                    serve(db, visit.id, staff_id=None, now=at + 1, language="en")
                    set_outcome(db, visit.id, "bought", now=at + 2)
                    end_visit(db, visit.id, now=at + 3)
                    # Upload only: a stop asked once the outbox is empty ends the sync before
                    # its download (this counter never took the bench's data from the hub, and
                    # fetching it change by change would be the load, not the visits).
                    run_once(db, conn, now=at + 3, should_stop=lambda: status(db).waiting == 0)
                    with ended.get_lock():
                        ended.value += 1
        finally:
            db.close()
    except BaseException as error:
        errors.put(f"{type(error).__name__}: {error}")
        raise SystemExit(1) from error
