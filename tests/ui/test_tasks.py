"""TaskRunner / SyncTaskRunner: threading, ordering, latest-wins keys, errors, shutdown."""

import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from sqlite_utils import Database

from ui.tasks import Runner, SyncTaskRunner, TaskRunner

TIMEOUT_S = 5.0
TIMEOUT_MS = 5000
MAIN = threading.get_ident()


class FakeDb:
    """Records which thread created and closed it."""

    def __init__(self) -> None:
        self.created_on = threading.get_ident()
        self.closed_on: int | None = None

    def close(self) -> None:
        self.closed_on = threading.get_ident()


class Opener:
    def __init__(self) -> None:
        self.dbs: list[FakeDb] = []

    def __call__(self) -> FakeDb:
        db = FakeDb()
        self.dbs.append(db)
        return db


@pytest.fixture
def opener() -> Opener:
    return Opener()


@pytest.fixture
def threaded(qtbot, opener: Opener) -> Iterator[TaskRunner]:
    r = TaskRunner(opener)
    yield r
    r.shutdown()


def gated(started: threading.Event, gate: threading.Event, value: Any = None):
    """A task that signals it has started, then blocks until the test opens the gate."""

    def fn(db: Any) -> Any:
        started.set()
        assert gate.wait(TIMEOUT_S)
        return value

    return fn


def test_both_runners_satisfy_protocol(qtbot, threaded: TaskRunner) -> None:
    assert isinstance(threaded, Runner)
    assert isinstance(SyncTaskRunner(FakeDb()), Runner)


def test_fn_on_worker_thread_and_on_done_on_gui_thread(qtbot, threaded: TaskRunner) -> None:
    fn_threads: list[int] = []
    done: list[tuple[int, Any]] = []

    def fn(db: Any) -> str:
        fn_threads.append(threading.get_ident())
        return "result"

    threaded.run(fn, lambda r: done.append((threading.get_ident(), r)))
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT_MS)

    assert done == [(MAIN, "result")]
    assert fn_threads[0] != MAIN


def test_db_opened_once_on_worker_and_passed_to_every_task(
    qtbot, threaded: TaskRunner, opener: Opener
) -> None:
    seen: list[tuple[Any, int]] = []
    for _ in range(3):
        threaded.run(lambda db: seen.append((db, threading.get_ident())))
    threaded.run(lambda db: None, seen.append)
    qtbot.waitUntil(lambda: len(seen) == 4, timeout=TIMEOUT_MS)

    assert len(opener.dbs) == 1
    db = opener.dbs[0]
    assert db.created_on != MAIN
    assert seen[:3] == [(db, db.created_on)] * 3


def test_real_sqlite_connection_is_usable_from_tasks(qtbot) -> None:
    # Database(memory=True) uses the default check_same_thread=True: any use from a thread other
    # than the one that opened it would raise.
    threaded = TaskRunner(lambda: Database(memory=True))
    results: list[Any] = []
    errors: list[BaseException] = []
    try:
        threaded.run(lambda db: db["t"].insert({"n": 1}) and None, on_error=errors.append)
        threaded.run(lambda db: db.execute("select n from t").fetchall(), results.append)
        qtbot.waitUntil(lambda: bool(results or errors), timeout=TIMEOUT_MS)
    finally:
        threaded.shutdown()
    assert errors == []
    assert results == [[(1,)]]


def test_the_worker_opens_and_owns_counters_own_connection(qtbot, tmp_path) -> None:
    """open_database keeps SQLite's same-thread check: the runner's connection is opened on
    its worker thread, used there for every task, and closed there."""
    from counter import visits
    from counter.storage import open_database

    path = tmp_path / "counter.db"
    open_database(path).close()
    threaded = TaskRunner(lambda: open_database(path, migrate=False))
    results: list[Any] = []
    errors: list[BaseException] = []
    try:
        threaded.run(lambda db: visits.check_in(db, walk_in_name="Ann", now=1), None, errors.append)
        threaded.run(lambda db: [v.customer_name for v in visits.list_queue(db)], results.append)
        qtbot.waitUntil(lambda: bool(results or errors), timeout=TIMEOUT_MS)
    finally:
        threaded.shutdown()
    assert errors == [] and results == [["Ann"]]


def test_unkeyed_tasks_run_and_complete_in_order(qtbot, threaded: TaskRunner) -> None:
    ran: list[int] = []
    done: list[int] = []
    for i in range(50):
        threaded.run(lambda db, i=i: ran.append(i) or i, done.append)
    qtbot.waitUntil(lambda: len(done) == 50, timeout=TIMEOUT_MS)

    assert ran == list(range(50))
    assert done == list(range(50))


def test_keyed_latest_wins(qtbot, threaded: TaskRunner) -> None:
    started, gate = threading.Event(), threading.Event()
    ran: list[int] = []
    done: list[int] = []

    def first(db: Any) -> int:
        ran.append(0)
        return gated(started, gate, 0)(db)

    threaded.run(first, done.append, key="search")
    assert started.wait(TIMEOUT_S)  # task 0 is running; the rest pile up behind it
    for i in range(1, 20):
        threaded.run(lambda db, i=i: ran.append(i) or i, done.append, key="search")
    gate.set()
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT_MS)

    # Delivery is FIFO, so the stale task 0 was delivered (and suppressed) before task 19.
    assert done == [19]
    assert ran == [0, 19]


def test_keys_are_independent_of_each_other_and_of_unkeyed_tasks(
    qtbot, threaded: TaskRunner
) -> None:
    started, gate = threading.Event(), threading.Event()
    done: list[str] = []
    threaded.run(gated(started, gate), key="other")
    assert started.wait(TIMEOUT_S)
    threaded.run(lambda db: "a1", done.append, key="a")
    threaded.run(lambda db: "plain", done.append)
    threaded.run(lambda db: "b", done.append, key="b")
    threaded.run(lambda db: "a2", done.append, key="a")
    gate.set()
    qtbot.waitUntil(lambda: len(done) == 3, timeout=TIMEOUT_MS)

    assert done == ["plain", "b", "a2"]


def test_stale_failure_is_not_reported(qtbot, threaded: TaskRunner) -> None:
    started, gate = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    done: list[str] = []
    failed: list[object] = []
    threaded.failed.connect(failed.append)

    def first(db: Any) -> None:
        gated(started, gate)(db)
        raise ValueError("stale")

    threaded.run(first, done.append, errors.append, key="search")
    assert started.wait(TIMEOUT_S)
    threaded.run(lambda db: "fresh", done.append, errors.append, key="search")
    gate.set()
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT_MS)

    assert done == ["fresh"]
    assert errors == []
    assert failed == []


def test_exception_goes_to_on_error_and_worker_survives(qtbot, threaded: TaskRunner) -> None:
    errors: list[tuple[int, BaseException]] = []
    done: list[Any] = []

    def boom(db: Any) -> None:
        raise ValueError("boom")

    threaded.run(boom, done.append, lambda e: errors.append((threading.get_ident(), e)))
    threaded.run(lambda db: "after", done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT_MS)

    assert done == ["after"]
    assert len(errors) == 1
    thread, exc = errors[0]
    assert thread == MAIN
    assert isinstance(exc, ValueError)
    assert str(exc) == "boom"


def test_exception_without_on_error_emits_failed_and_logs(
    qtbot, threaded: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(db: Any) -> None:
        raise KeyError("missing")

    with (
        caplog.at_level(logging.ERROR, logger="ui.tasks"),
        qtbot.waitSignal(threaded.failed, timeout=TIMEOUT_MS) as blocker,
    ):
        threaded.run(boom)

    (exc,) = blocker.args
    assert isinstance(exc, KeyError)
    records = [r for r in caplog.records if r.name == "ui.tasks"]
    assert len(records) == 1
    assert records[0].exc_info is not None
    assert records[0].exc_info[1] is exc


def test_open_db_failure_fails_each_task(qtbot, caplog: pytest.LogCaptureFixture) -> None:
    def open_db() -> Any:
        raise OSError("disk gone")

    with caplog.at_level(logging.CRITICAL, logger="ui.tasks"):
        threaded = TaskRunner(open_db)
    errors: list[BaseException] = []
    try:
        threaded.run(lambda db: None, on_error=errors.append)
        threaded.run(lambda db: None, on_error=errors.append)
        qtbot.waitUntil(lambda: len(errors) == 2, timeout=TIMEOUT_MS)
    finally:
        threaded.shutdown()
    assert all(isinstance(e, OSError) for e in errors)


def test_busy_changed_true_then_false_once_for_a_batch(qtbot, threaded: TaskRunner) -> None:
    busy: list[bool] = []
    threaded.busy_changed.connect(busy.append)
    started, gate = threading.Event(), threading.Event()

    threaded.run(gated(started, gate))
    threaded.run(lambda db: None)
    threaded.run(lambda db: None, key="search")
    threaded.run(lambda db: None, key="search")  # replaces the queued one
    assert busy == [True]
    gate.set()
    qtbot.waitUntil(lambda: busy == [True, False], timeout=TIMEOUT_MS)

    with qtbot.waitSignals([threaded.busy_changed] * 2, timeout=TIMEOUT_MS):
        threaded.run(lambda db: None)
    assert busy == [True, False, True, False]


def test_callback_queueing_follow_up_work_keeps_runner_busy(qtbot, threaded: TaskRunner) -> None:
    busy: list[bool] = []
    done: list[str] = []
    threaded.busy_changed.connect(busy.append)

    threaded.run(lambda db: "first", lambda r: threaded.run(lambda db: "second", done.append))
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT_MS)

    assert done == ["second"]
    assert busy == [True, False]


def test_shutdown_finishes_running_task_drops_queued_and_closes_db(
    qtbot, threaded: TaskRunner, opener: Opener
) -> None:
    started, gate = threading.Event(), threading.Event()
    ran: list[int] = []
    done: list[Any] = []
    busy: list[bool] = []
    threaded.busy_changed.connect(busy.append)

    def first(db: Any) -> int:
        gated(started, gate)(db)
        ran.append(0)
        return 0

    threaded.run(first, done.append)
    threaded.run(lambda db: ran.append(1), done.append)
    threaded.run(lambda db: ran.append(2), done.append, key="search")
    assert started.wait(TIMEOUT_S)

    threaded.shutdown(wait=False)
    gate.set()
    threaded.shutdown()  # idempotent; this one waits for the worker
    threaded.shutdown()

    assert ran == [0]
    assert opener.dbs[0].closed_on == opener.dbs[0].created_on
    assert busy == [True, False]
    QCoreApplication.processEvents()  # the worker posted task 0's result before it exited
    assert done == []
    with pytest.raises(RuntimeError):
        threaded.run(lambda db: None)


def test_shutdown_when_idle(qtbot, opener: Opener) -> None:
    threaded = TaskRunner(opener)
    busy: list[bool] = []
    threaded.busy_changed.connect(busy.append)
    threaded.shutdown()
    threaded.shutdown()
    assert busy == []
    assert opener.dbs[0].closed_on == opener.dbs[0].created_on


def test_run_from_another_thread_is_refused(qtbot, threaded: TaskRunner) -> None:
    raised: list[BaseException] = []

    def submit() -> None:
        try:
            threaded.run(lambda db: None)
        except RuntimeError as exc:
            raised.append(exc)

    t = threading.Thread(target=submit)
    t.start()
    t.join(TIMEOUT_S)
    assert len(raised) == 1


# --- SyncTaskRunner ---------------------------------------------------------------------------


def test_sync_runner_calls_back_before_run_returns(qtbot) -> None:
    db = FakeDb()
    sync = SyncTaskRunner(db)
    calls: list[tuple[str, Any, int]] = []

    sync.run(
        lambda d: calls.append(("fn", d, threading.get_ident())) or 42,
        lambda r: calls.append(("done", r, threading.get_ident())),
    )

    assert calls == [("fn", db, MAIN), ("done", 42, MAIN)]


def test_sync_runner_keyed_tasks_are_all_latest(qtbot) -> None:
    sync = SyncTaskRunner(FakeDb())
    done: list[int] = []
    for i in range(3):
        sync.run(lambda db, i=i: i, done.append, key="search")
    assert done == [0, 1, 2]


def test_sync_runner_errors(qtbot, caplog: pytest.LogCaptureFixture) -> None:
    sync = SyncTaskRunner(FakeDb())
    errors: list[BaseException] = []
    done: list[Any] = []

    def boom(db: Any) -> None:
        raise ValueError("boom")

    sync.run(boom, done.append, errors.append)
    assert done == []
    assert len(errors) == 1
    assert isinstance(errors[0], ValueError)

    with (
        caplog.at_level(logging.ERROR, logger="ui.tasks"),
        qtbot.waitSignal(sync.failed, timeout=TIMEOUT_MS) as blocker,
    ):
        sync.run(boom)
    assert isinstance(blocker.args[0], ValueError)
    assert any(r.exc_info and r.exc_info[1] is blocker.args[0] for r in caplog.records)


def test_sync_runner_busy_and_shutdown(qtbot) -> None:
    db = FakeDb()
    sync = SyncTaskRunner(db)
    busy: list[bool] = []
    sync.busy_changed.connect(busy.append)

    sync.run(lambda d: None, lambda r: sync.run(lambda d: None))
    assert busy == [True, False]

    sync.shutdown()
    sync.shutdown()
    assert db.closed_on is None  # the caller owns the db
    with pytest.raises(RuntimeError):
        sync.run(lambda d: None)
