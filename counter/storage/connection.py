"""Opening a Counter database: pragmas for crash safety and concurrency, then migrations."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from counter.storage import backup_sql

# sqlite-utils (and the migrations, built with it) load on the first open, not on import:
# start-up checks and reads the file with plain sqlite3 and opens it through sqlite-utils on
# the database worker once the window is painted (ui/app.py).
if TYPE_CHECKING:
    from sqlite_utils import Database

# Two counters on one machine share a file: wait for the other writer instead of failing.
BUSY_TIMEOUT_MS = 5000
# A write a person made at the counter (a tick, a note, a check-in) that finds another writer
# holding the file waits this long per attempt, then steps aside so that reads (search as you
# type) go on; the task runner tries it again, for as long as the other writer needs.
WRITE_ATTEMPT_MS = 250


def _configure(conn: sqlite3.Connection, *, wal: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a tick that was reported as saved survives a power cut, even in WAL mode.
    conn.execute("PRAGMA synchronous = FULL")


def _database(conn: sqlite3.Connection) -> Database:
    from sqlite_utils import Database

    # Counter uses no sqlite-utils plugins; looking for them scans every installed package
    # (about 25 ms of start-up).
    return Database(conn, execute_plugins=False)


def open_database(path: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: autocommit; every write goes through an explicit transaction.
    conn = sqlite3.connect(str(path), isolation_level=None)
    _configure(conn, wal=True)
    db = _database(conn)
    if migrate:
        _back_up_before_migrating(db, path)
        _migrate(db)
    return db


def _migrate(db: Database) -> None:
    """Every pending migration in one transaction: another program reading the file, or a
    kill half-way, sees the schema as it was or as it is now, never a mix of the two. With
    nothing pending, no write lock is taken (opening never waits for another writer)."""
    from counter.storage.schema import MIGRATIONS, apply_migrations

    if not MIGRATIONS.pending(db):
        apply_migrations(db)  # creates the bookkeeping table of a new, empty file
        return
    with write_transaction(db):  # each migration's own transaction becomes a savepoint
        apply_migrations(db)


def _back_up_before_migrating(db: Database, path: Path) -> None:
    """A schema upgrade is the riskiest write there is: copy the file first. A file with no
    tables yet (a new database) has nothing to lose. If the copy fails, nothing is migrated."""
    from counter.storage.schema import MIGRATIONS

    if MIGRATIONS.pending(db) and db.table_names():
        backup_sql.backup_before_migration(db.conn, path, now=int(time.time()))


def open_read_only(path: str | Path) -> Database:
    """Open an existing file for reading only (``mode=ro``): a read-only file or folder, or a
    database this build must not change. Never creates, never migrates, never writes."""
    conn = backup_sql.connect_read_only(Path(path))
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA query_only = ON")
    return _database(conn)


def open_memory_database() -> Database:
    """A fresh, fully migrated in-memory database (tests, previews)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    _configure(conn, wal=False)
    db = _database(conn)
    from counter.storage.schema import MIGRATIONS

    MIGRATIONS.apply(db)
    return db


def is_busy(error: BaseException) -> bool:
    """True when ``error`` says another connection holds the write lock (SQLITE_BUSY or
    SQLITE_LOCKED): nothing was written and the same write can simply be tried again."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "database is locked" in str(error) or "database table is locked" in str(error)


@contextmanager
def busy_timeout(db: object, ms: int) -> Iterator[None]:
    """Wait at most ``ms`` for another writer inside this block (then back to the default).
    Anything but a sqlite-utils database on a connection is left alone."""
    conn = getattr(db, "conn", None)
    if not isinstance(conn, sqlite3.Connection):
        yield
        return
    conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One all-or-nothing write. ``BEGIN IMMEDIATE`` takes the write lock up front, so a second
    counter on the same file waits (busy timeout) instead of failing half-way through."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():  # nested: a savepoint
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
