"""Start-up never reads the live file as if nobody could be writing to it (issue 12, item 9).

``connect_read_only`` used to fall back to ``immutable=1`` on any error: beside a running
Counter such a connection ignores the write-ahead log and the locks, and reads a checkpoint
half-way ("database disk image is malformed"). And the start-up check called a file that was
only busy "damaged", whose way forward moves the live file aside and restores a backup.
Real files, real second connections holding real locks."""

from __future__ import annotations

import sqlite3

import pytest

from counter import integrity
from counter.integrity import Trouble, inspect_file
from counter.storage import health_sql, open_database
from counter.storage.backup_sql import connect_read_only
from counter.storage.connection import is_busy
from counter.storage.schema import MIGRATIONS


@pytest.fixture
def rollback_file(tmp_path):
    """A Counter file in rollback-journal mode, where a second connection can lock readers
    out (in WAL mode nothing blocks a reader for long: the check's own timeout applies)."""
    path = tmp_path / "counter.db"
    db = open_database(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    return path


def lock_out_readers(path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    return other


def test_a_busy_file_is_not_opened_immutable(rollback_file):
    other = lock_out_readers(rollback_file)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            connect_read_only(rollback_file, timeout=0.05)
        assert is_busy(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    conn = connect_read_only(rollback_file, timeout=0.05)  # free again: it opens
    assert conn.execute("SELECT count(*) FROM customers").fetchone() == (0,)
    conn.close()


def test_a_busy_file_is_not_called_damaged(rollback_file, monkeypatch):
    other = None
    real = health_sql.table_names

    def locked_meanwhile(conn):
        nonlocal other
        other = lock_out_readers(rollback_file)  # another counter takes the file just now
        conn.execute("PRAGMA busy_timeout = 50")
        return real(conn)

    monkeypatch.setattr(health_sql, "table_names", locked_meanwhile)
    try:
        facts = inspect_file(rollback_file)
    finally:
        if other is not None:
            other.execute("ROLLBACK")
            other.close()
    assert facts.problem is Trouble.CANNOT_OPEN  # "try again", not "damaged: restore"
    monkeypatch.setattr(health_sql, "table_names", real)
    assert inspect_file(rollback_file).problem is None
    assert integrity.check_database(rollback_file).ok


@pytest.fixture
def failing_last_migration():
    """Two migrations this build pretends to have gained; the second one fails."""

    @MIGRATIONS(name="m910_test_adds")
    def m910_test_adds(db):
        db.execute("CREATE TABLE test_added (x INTEGER)")

    @MIGRATIONS(name="m911_test_fails")
    def m911_test_fails(db):
        db.execute("INSERT INTO no_such_table VALUES (1)")

    yield
    MIGRATIONS._migrations = [m for m in MIGRATIONS._migrations if not m.name.startswith("m91")]


def test_an_upgrade_is_all_or_nothing(tmp_path, failing_last_migration):
    """A reader (or a kill) never sees the schema between two migrations of one upgrade."""
    path = tmp_path / "counter.db"
    db = open_database(path, migrate=False)
    MIGRATIONS.apply(db, stop_before="m910_test_adds")  # the file as the older build left it
    db.close()
    with pytest.raises(sqlite3.OperationalError):
        open_database(path)
    reader = connect_read_only(path)
    try:
        tables = {r[0] for r in reader.execute("SELECT name FROM sqlite_master")}
        applied = [r[0] for r in reader.execute("SELECT name FROM _sqlite_migrations")]
    finally:
        reader.close()
    assert "test_added" not in tables and "m910_test_adds" not in applied
