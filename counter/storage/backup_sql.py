"""Copying whole databases with SQLite's online backup API, and reading a backup's vital signs.

A copy is written to ``<name>.part`` and renamed into place only when complete, so a backup
folder never holds a half-written file under a real name (a power cut, a full USB stick, a
cancel). The copy is switched to rollback-journal mode so that it is one self-contained file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

# (pages copied, pages in total); may raise to cancel: the copy is then discarded.
PageProgress = Callable[[int, int], None]

# Steps of about 1% each: progress and cancel stay responsive, and a write by another
# connection between two steps (which restarts the copy) seldom has a window to land in.
_STEPS = 100
_MIN_PAGES_PER_STEP = 64


def _pages_per_step(conn: sqlite3.Connection) -> int:
    total = int(conn.execute("PRAGMA page_count").fetchone()[0])
    return max(_MIN_PAGES_PER_STEP, total // _STEPS + 1)


def _copy(
    source: sqlite3.Connection, target: sqlite3.Connection, progress: PageProgress | None
) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    source.backup(target, pages=_pages_per_step(source), progress=step)


def copy_to_file(
    source: sqlite3.Connection, dest: Path, progress: PageProgress | None = None
) -> None:
    """Copy the database behind ``source`` (a file or ``:memory:``) to a new file ``dest``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    target = sqlite3.connect(str(part), isolation_level=None)
    try:
        _copy(source, target, progress)
        target.execute("PRAGMA journal_mode = DELETE")
        target.close()
        _fsync(part)
        os.replace(part, dest)
    except BaseException:
        target.close()
        with contextlib.suppress(OSError):
            part.unlink()
        raise


def copy_into(
    source_file: Path, target: sqlite3.Connection, progress: PageProgress | None = None
) -> None:
    """Replace the whole content of the database behind ``target`` with ``source_file``.

    The backup API holds the target's write lock until the last page is in, and rolls the
    target back if the copy stops half-way: a cancelled or failed restore changes nothing."""
    source = connect_read_only(source_file)
    try:
        _copy(source, target, progress)
    finally:
        source.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def connect_read_only(path: Path, *, timeout: float = 5.0) -> sqlite3.Connection:
    """Open a file for reading only; never creates it, never writes to it.

    A WAL database in a folder we may not write to cannot get its shared-memory file; only
    then is it opened ``immutable`` (nobody can be writing to it there either). Never for any
    other error: an immutable connection ignores the write-ahead log and the locks, so beside
    a running Counter it reads pages half-way through a checkpoint ("database disk image is
    malformed") or an old state. A busy or locked file raises, to be tried again."""
    path = Path(path)
    base = f"file:{quote(str(path.resolve()))}"
    conn = sqlite3.connect(f"{base}?mode=ro", uri=True, isolation_level=None, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except UnicodeDecodeError:
        # A damaged schema quoted in SQLite's error message (not UTF-8): the caller's check
        # reports the file as damaged.
        conn.close()
        raise
    except sqlite3.OperationalError as error:
        conn.close()
        if not _no_shared_memory(error, path):
            raise
        conn = sqlite3.connect(
            f"{base}?mode=ro&immutable=1", uri=True, isolation_level=None, timeout=timeout
        )
    return conn


def _no_shared_memory(error: sqlite3.OperationalError, path: Path) -> bool:
    """The error of a WAL file whose -shm cannot be made: cannot open / read-only, in a folder
    this process cannot write to."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code not in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY):
        return False
    return not os.access(path.resolve().parent, os.W_OK)


# Backup files name their database and when they were taken (UTC), e.g.
# shop-1a2b3c4d-20261124-093000-daily.db: the database file's stem (cleaned so that any file
# system takes it) and a short hash of its full path, so that two databases sharing a folder
# never count, or rotate away, each other's backups. The path, not an id stored inside the
# file: a copied file (a test copy, a restored backup) is a different database, and a damaged
# file that cannot be opened still knows its backups. Files from before this naming,
# counter-20261124-093000-daily.db, belong to no known database (``database`` None).
BACKUP_PREFIX = "counter-"
BACKUP_SUFFIX = ".db"
_STEM_CHARS = 32


class BackupName(NamedTuple):
    taken_at: int
    kind: str
    database: str | None  # the database's tag; None for an old-style name


def database_tag(db_path: str | Path) -> str:
    """``<stem>-<hash>``: which database a backup is of, from the database file's path."""
    import hashlib  # here: OpenSSL's bindings cost start-up time, and nothing before the
    # window is painted needs them

    full = os.path.normcase(os.path.realpath(os.fspath(db_path)))
    digest = hashlib.sha256(os.fsencode(full)).hexdigest()[:8]
    stem = "".join(c if c.isalnum() or c in "._" else "_" for c in Path(full).stem)
    return f"{stem[:_STEM_CHARS] or 'db'}-{digest}"


def connection_tag(conn: sqlite3.Connection) -> str | None:
    """The tag of the file behind ``conn``; None for an in-memory or temporary database."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return database_tag(file) if file else None
    return None


def backup_name(now: int, kind: str, database: str | None = None) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
    prefix = f"{database}-" if database else BACKUP_PREFIX
    return f"{prefix}{stamp}-{kind}{BACKUP_SUFFIX}"


def _is_tag_hash(text: str) -> bool:
    return len(text) == 8 and all(c in "0123456789abcdef" for c in text)


def _is_stamp(day: str, clock: str) -> bool:
    digits = day + clock
    return len(day) == 8 and len(clock) == 6 and digits.isascii() and digits.isdigit()


def parse_backup_name(name: str) -> BackupName | None:
    """(taken at, kind, database) from a backup's file name, or None for any other file."""
    if not name.endswith(BACKUP_SUFFIX):
        return None
    parts = name[: -len(BACKUP_SUFFIX)].split("-")
    if len(parts) >= 5 and _is_tag_hash(parts[1]) and _is_stamp(parts[2], parts[3]) and parts[0]:
        database: str | None = f"{parts[0]}-{parts[1]}"
        day, clock, rest = parts[2], parts[3], parts[4:]
    elif len(parts) >= 4 and parts[0] == BACKUP_PREFIX[:-1] and _is_stamp(parts[1], parts[2]):
        database = None
        day, clock, rest = parts[1], parts[2], parts[3:]
    else:
        return None
    # The stamp backup_name writes, read without time.strptime: its first call imports and
    # sets up _strptime (some 9 ms), on the daily backup's thread while the window paints.
    digits = day + clock
    fields = [int(digits[i:j]) for i, j in ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))]
    try:
        year, month, mday, hour, minute, second = fields
        moment = datetime(year, month, mday, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None
    kind = "-".join(rest).rstrip("0123456789")  # daily2: the second in the same second
    if not kind:
        return None
    return BackupName(int(moment.timestamp()), kind, database)


def default_backup_folder(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def configured_backup_folder(conn: sqlite3.Connection, db_path: Path) -> Path:
    """The ``backup_folder`` setting stored in the database, or ``backups/`` beside it."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'backup_folder'").fetchone()
    except sqlite3.OperationalError:  # no settings table yet
        row = None
    return Path(row[0]).expanduser() if row and row[0] else default_backup_folder(db_path)


def free_backup_path(folder: Path, now: int, kind: str, database: str | None = None) -> Path:
    """A new file name in ``folder``; a second backup in the same second gets a suffix."""
    path = folder / backup_name(now, kind, database)
    n = 2
    while path.exists():
        path = folder / backup_name(now, f"{kind}{n}", database)
        n += 1
    return path


def backup_before_migration(conn: sqlite3.Connection, db_path: Path, *, now: int) -> Path:
    folder = configured_backup_folder(conn, db_path)
    dest = free_backup_path(folder, now, "before-migration", database_tag(db_path))
    copy_to_file(conn, dest)
    return dest


def vital_signs(conn: sqlite3.Connection) -> dict[str, Any]:
    """What a restore preview shows: counts and the newest activity in a database."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    signs: dict[str, Any] = {"tables": sorted(tables)}
    if "customers" in tables:
        signs["customers"] = conn.execute(
            "SELECT count(*) FROM customers WHERE erased_at IS NULL"
        ).fetchone()[0]
    if "visits" in tables:
        count, last = conn.execute("SELECT count(*), max(arrived_at) FROM visits").fetchone()
        signs["visits"] = count
        signs["last_visit_at"] = last
    if "_sqlite_migrations" in tables:
        signs["migrations"] = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'counter' ORDER BY rowid"
            )
        ]
    return signs


def dump(conn: sqlite3.Connection) -> list[str]:
    """The database as SQL statements, for comparing two databases."""
    return list(conn.iterdump())
