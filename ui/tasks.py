"""Run domain calls off the GUI thread.

One serial worker thread owns the database connection and runs every task in submission order;
results come back to the GUI thread through a queued Qt signal (modelled on Anki's
``aqt/taskman.py``). ``SyncTaskRunner`` has the same interface but runs everything inline, for
tests.

A write a person made at the counter (``must_land=True``: a tick, an undo, a note, a check-in)
is never dropped because another program holds the database's write lock: it waits a moment,
then steps aside (``waiting_changed`` reports how many wait, for the status bar) and is tried
again, in the order it was made, for as long as the process lives, while reads go on.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance, Slot

from counter.storage.connection import WRITE_ATTEMPT_MS, busy_timeout, is_busy

_log = logging.getLogger(__name__)

RETRY_AFTER_S = 0.1  # between attempts of a write that waits: reads run in the gap

T = TypeVar("T")

OnDone = Callable[[Any], object]
OnError = Callable[[BaseException], object]


@runtime_checkable
class Runner(Protocol):
    """What widgets need from a task runner: either ``TaskRunner`` or ``SyncTaskRunner``."""

    busy_changed: SignalInstance
    failed: SignalInstance
    waiting_changed: SignalInstance

    def run(
        self,
        fn: Callable[[Any], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        *,
        key: str | None = None,
        must_land: bool = False,
    ) -> None: ...

    def shutdown(self, wait: bool = True) -> None: ...


@dataclass(eq=False)
class _Task:
    seq: int
    fn: Callable[[Any], Any]
    on_done: OnDone | None
    on_error: OnError | None
    key: str | None
    must_land: bool = False


@dataclass(eq=False)
class _Outcome:
    task: _Task
    ok: bool
    result: Any = None
    error: BaseException | None = None


def _task_name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


def _report_failure(
    failed: SignalInstance, fn: Callable[..., Any], exc: BaseException, on_error: OnError | None
) -> None:
    if on_error is not None:
        on_error(exc)
        return
    _log.exception("Background task %s failed", _task_name(fn), exc_info=exc)
    failed.emit(exc)


class TaskRunner(QObject):
    """Runs domain calls on one background thread that owns its own database connection.

    Create it, call ``run()`` and ``shutdown()`` on the GUI thread only; ``run()`` raises
    ``RuntimeError`` from any other thread or after ``shutdown()``. The owner must call
    ``shutdown()`` (e.g. from the main window's ``closeEvent``) so the connection is closed.

    ``key`` means "latest wins": submitting a task with key K drops a still-queued task with
    key K, and a task with key K that finishes after a newer K was submitted is stale: neither
    its ``on_done`` nor its ``on_error`` is called (a stale failure is only logged).

    ``must_land`` marks a write that must not be lost to another writer's lock: it waits up to
    ``WRITE_ATTEMPT_MS``; if the lock is still held it steps aside, ``waiting_changed(n)``
    says n writes wait, and it is tried again every ``RETRY_AFTER_S`` until it commits (or
    fails for another reason). Writes that must land keep their order: a later one waits
    behind an earlier one. Other tasks run in the gaps.
    """

    busy_changed = Signal(bool)
    failed = Signal(object)
    waiting_changed = Signal(int)  # how many writes wait for another writer's lock
    _finished = Signal(object)  # emitted on the worker, delivered on the GUI thread
    _waiting = Signal(int)  # emitted on the worker, re-emitted on the GUI thread

    def __init__(self, open_db: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_db = open_db
        self._gui_ident = threading.get_ident()
        self._cond = threading.Condition()
        self._queue: deque[_Task] = deque()  # guarded by _cond
        self._closed = False  # written on the GUI thread, read by the worker under _cond
        self._seq = itertools.count(1)
        self._latest: dict[str, int] = {}  # key -> seq of the newest task; GUI thread only
        self._pending = 0  # queued + running + awaiting delivery; GUI thread only
        self._parked: deque[_Task] = deque()  # writes waiting for the lock; worker only
        self._retry_at = 0.0  # monotonic time of the next try of _parked[0]; worker only
        self.waiting = 0  # len(_parked) as last reported; GUI thread only
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._waiting.connect(self._report_waiting, Qt.ConnectionType.QueuedConnection)
        # Daemon: a runner that was never shut down must not keep the process alive.
        self._thread = threading.Thread(target=self._work, name="counter-db-worker", daemon=True)
        self._thread.start()

    def run(
        self,
        fn: Callable[[Any], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        *,
        key: str | None = None,
        must_land: bool = False,
    ) -> None:
        """Queue ``fn(db)`` for the worker; ``on_done``/``on_error`` run later on the GUI thread.
        ``must_land``: a write that waits out another writer's lock (see the class); ``fn``
        must be one all-or-nothing transaction, so that trying it again never does anything
        twice, and must say what it sets ("done"), not flip what it finds ("toggle")."""
        if threading.get_ident() != self._gui_ident:
            raise RuntimeError("TaskRunner.run() must be called from the GUI thread")
        task = _Task(next(self._seq), fn, on_done, on_error, key, must_land)
        with self._cond:
            if self._closed:
                raise RuntimeError("TaskRunner has been shut down")
            replaced = False
            if key is not None:
                self._latest[key] = task.seq
                for queued in self._queue:
                    if queued.key == key:
                        self._queue.remove(queued)
                        replaced = True
                        break  # there is never more than one: each submission drops the last
            self._queue.append(task)
            self._cond.notify()
        if not replaced:
            self._pending += 1
            if self._pending == 1:
                self.busy_changed.emit(True)

    def shutdown(self, wait: bool = True) -> None:
        """Let the running task finish, drop queued ones, close the connection on the worker.

        Safe to call more than once. Callbacks of tasks that finish after this are not called.
        """
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify()
        if wait and threading.get_ident() != self._thread.ident:
            self._thread.join()
        self._latest.clear()
        if self._pending:
            self._pending = 0
            self.busy_changed.emit(False)

    def _work(self) -> None:
        db: Any = None
        open_error: BaseException | None = None
        try:
            db = self._open_db()
        except BaseException as exc:
            # Keep serving: every task then fails with this error, so the UI can show it.
            _log.exception("Opening the database on the worker thread failed")
            open_error = exc
        try:
            while True:
                task = self._next_task()
                if task is None:
                    self._last_tries(db)
                    return
                if open_error is not None:
                    outcome = _Outcome(task, ok=False, error=open_error)
                else:
                    attempted = self._attempt(task, db)
                    if attempted is None:
                        continue  # waits for the lock: tried again later
                    outcome = attempted
                try:
                    self._finished.emit(outcome)
                except RuntimeError:  # the C++ side of this QObject was deleted
                    return
        finally:
            close = getattr(db, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:
                    _log.exception("Closing the worker's database connection failed")

    def _next_task(self) -> _Task | None:
        """The next task to run (a waiting write when its time has come), or None on close."""
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    if not self._parked:
                        self._cond.wait()
                        continue
                    remaining = self._retry_at - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
                if self._closed:
                    return None
                if self._parked and time.monotonic() >= self._retry_at:
                    return self._parked[0]
                task = self._queue.popleft()
            if task.must_land and self._parked:
                self._parked.append(task)  # behind the writes that wait: their order holds
                self._waiting.emit(len(self._parked))
                continue
            return task

    def _attempt(self, task: _Task, db: Any) -> _Outcome | None:
        """Run a task; None if it is a write that must land and another writer holds the lock
        (it is parked, or stays first in line, for another try)."""
        retrying = bool(self._parked) and self._parked[0] is task
        try:
            if task.must_land:
                with busy_timeout(db, WRITE_ATTEMPT_MS):
                    result = task.fn(db)
            else:
                result = task.fn(db)
            outcome = _Outcome(task, ok=True, result=result)
        except BaseException as exc:  # nothing a task raises may kill the worker
            if task.must_land and is_busy(exc):
                if not retrying:
                    self._parked.append(task)
                    self._waiting.emit(len(self._parked))
                self._retry_at = time.monotonic() + RETRY_AFTER_S
                return None
            outcome = _Outcome(task, ok=False, error=exc)
        if retrying:
            self._parked.popleft()
            self._retry_at = 0.0  # the next one in line goes at once
            self._waiting.emit(len(self._parked))
        return outcome

    def _last_tries(self, db: Any) -> None:
        """On shutdown, writes still waiting get one last try with the full busy timeout."""
        while self._parked:
            task = self._parked.popleft()
            try:
                task.fn(db)
            except BaseException:
                _log.exception("A write waiting for the database was lost at shutdown")

    @Slot(int)
    def _report_waiting(self, count: int) -> None:
        if self._closed or count == self.waiting:
            return
        self.waiting = count
        self.waiting_changed.emit(count)

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        if self._closed:
            return
        task = outcome.task
        try:
            if task.key is not None:
                if self._latest.get(task.key) != task.seq:
                    if not outcome.ok:
                        _log.warning(
                            "Stale task %s failed",
                            _task_name(task.fn),
                            exc_info=outcome.error,
                        )
                    return
                del self._latest[task.key]
            if outcome.ok:
                if task.on_done is not None:
                    task.on_done(outcome.result)
            else:
                assert outcome.error is not None
                _report_failure(self.failed, task.fn, outcome.error, task.on_error)
        finally:
            # After the callbacks, so a callback that queues follow-up work keeps us busy.
            if not self._closed:
                self._pending -= 1
                if self._pending == 0:
                    self.busy_changed.emit(False)


class SyncTaskRunner(QObject):
    """Same interface as ``TaskRunner``, but runs everything immediately on the calling thread
    with the given ``db``; callbacks are called before ``run()`` returns. Tests swap it in.

    The caller owns ``db``: ``shutdown()`` does not close it.
    """

    busy_changed = Signal(bool)
    failed = Signal(object)
    waiting_changed = Signal(int)  # never emitted: inline writes wait out the busy timeout
    waiting = 0

    def __init__(self, db: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._closed = False
        self._depth = 0

    def run(
        self,
        fn: Callable[[Any], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        *,
        key: str | None = None,  # every task completes before the next starts: never stale
        must_land: bool = False,  # inline: a locked database fails after the busy timeout
    ) -> None:
        if self._closed:
            raise RuntimeError("SyncTaskRunner has been shut down")
        self._depth += 1
        if self._depth == 1:
            self.busy_changed.emit(True)
        try:
            try:
                result = fn(self._db)
            except Exception as exc:  # unlike the worker, let KeyboardInterrupt through
                _report_failure(self.failed, fn, exc, on_error)
            else:
                if on_done is not None:
                    on_done(result)
        finally:
            self._depth -= 1
            if self._depth == 0:
                self.busy_changed.emit(False)

    def shutdown(self, wait: bool = True) -> None:
        self._closed = True
