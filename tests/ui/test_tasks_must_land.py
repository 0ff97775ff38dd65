"""TaskRunner writes that must land (issue 12, item 5): another connection's write lock makes
them wait and retry in order while reads go on; any other error is reported at once; at
shutdown a waiting write gets a last try. A real SQLite file and a real second connection."""

from __future__ import annotations

import sqlite3

import pytest

from counter.storage import open_database, write_transaction
from ui.error_text import error_text as shown
from ui.tasks import TaskRunner

WAIT_MS = 10_000


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "counter.db"
    db = open_database(path)
    db.execute("CREATE TABLE log (n INTEGER)")
    db.close()
    return path


def add(n: int):
    def write(db):
        with write_transaction(db):
            db.execute("INSERT INTO log VALUES (?)", [n])
        return n

    return write


def logged(path) -> list[int]:
    with sqlite3.connect(path) as db:
        return [r[0] for r in db.execute("SELECT n FROM log ORDER BY rowid")]


def test_writes_wait_in_order_while_reads_go_on(qtbot, path):
    runner = TaskRunner(lambda: open_database(path, migrate=False))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    done, waiting = [], []
    runner.waiting_changed.connect(waiting.append)
    try:
        runner.run(add(1), done.append, must_land=True)
        qtbot.waitUntil(lambda: runner.waiting == 1, timeout=WAIT_MS)
        runner.run(add(2), done.append, must_land=True)  # behind the first
        read = []
        runner.run(lambda db: db.execute("SELECT count(*) FROM log").fetchone()[0], read.append)
        qtbot.waitUntil(lambda: read == [0], timeout=WAIT_MS)  # a read is not held up
        qtbot.waitUntil(lambda: runner.waiting == 2, timeout=WAIT_MS)
        assert done == []
        other.execute("ROLLBACK")
        qtbot.waitUntil(lambda: done == [1, 2], timeout=WAIT_MS)
        assert logged(path) == [1, 2]
        qtbot.waitUntil(lambda: runner.waiting == 0, timeout=WAIT_MS)
        assert waiting[-1] == 0 and max(waiting) == 2
    finally:
        other.close()
        runner.shutdown()


def test_another_error_is_reported_at_once_and_busy_reads_plainly(qtbot, path):
    runner = TaskRunner(lambda: open_database(path, migrate=False))
    errors = []

    def broken(db):
        with write_transaction(db):
            db.execute("INSERT INTO no_such_table VALUES (1)")

    try:
        runner.run(broken, None, errors.append, must_land=True)
        qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
        assert "no_such_table" in str(errors[0]) and runner.waiting == 0
    finally:
        runner.shutdown()
    busy = sqlite3.OperationalError("database is locked")
    assert "database is locked" not in shown(busy) and "Nothing was changed" in shown(busy)


def test_a_write_still_waiting_at_shutdown_gets_a_last_try(qtbot, path):
    runner = TaskRunner(lambda: open_database(path, migrate=False))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        runner.run(add(7), must_land=True)
        qtbot.waitUntil(lambda: runner.waiting == 1, timeout=WAIT_MS)
        runner.shutdown(wait=False)  # closing while it waits: a last try, with the full timeout
    finally:
        other.execute("ROLLBACK")  # freed while that last try waits
        other.close()
    runner._thread.join(WAIT_MS / 1000)
    assert logged(path) == [7]
