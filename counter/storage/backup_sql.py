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
from urllib.parse import quote

# (pages copied, pages in total); may raise to cancel: the copy is then discarded.
PageProgress = Callable[[int, int], None]

# Steps of about 1% each: progress and cancel stay responsive, and a write by another
# connection between two steps (which restarts the copy) seldom has a window to land in.
_STEPS = 100
_MIN_PAGES_PER_STEP = 64


def _pages_per_step(conn: sqlite3.Connection) -> int:
    total = conn.execute("PRAGMA page_count").fetchone()[0]
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


def connect_read_only(path: Path) -> sqlite3.Connection:
    """Open a file for reading only; never creates it, never writes to it.

    A WAL database in a folder we may not write to cannot get its shared-memory file; it is
    then opened ``immutable`` (nobody else can be writing to it there either)."""
    base = f"file:{quote(str(Path(path).resolve()))}"
    conn = sqlite3.connect(f"{base}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (sqlite3.OperationalError, UnicodeDecodeError):
        # UnicodeDecodeError: a damaged schema quoted in the error message (not UTF-8).
        conn.close()
        conn = sqlite3.connect(f"{base}?mode=ro&immutable=1", uri=True, isolation_level=None)
    return conn


# Backup files: counter-20261124-093000-daily.db (UTC), sorted by name = sorted by time.
BACKUP_PREFIX = "counter-"
BACKUP_SUFFIX = ".db"


def backup_name(now: int, kind: str) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
    return f"{BACKUP_PREFIX}{stamp}-{kind}{BACKUP_SUFFIX}"


def parse_backup_name(name: str) -> tuple[int, str] | None:
    """(taken at, kind) from a backup's file name, or None for any other file."""
    if not (name.startswith(BACKUP_PREFIX) and name.endswith(BACKUP_SUFFIX)):
        return None
    parts = name[len(BACKUP_PREFIX) : -len(BACKUP_SUFFIX)].split("-", 2)
    if len(parts) != 3:
        return None
    day, clock = parts[0], parts[1]
    # The stamp backup_name writes, read without time.strptime: its first call imports and
    # sets up _strptime (some 9 ms), on the daily backup's thread while the window paints.
    digits = day + clock
    if len(day) != 8 or len(clock) != 6 or not (digits.isascii() and digits.isdigit()):
        return None
    fields = [int(digits[i:j]) for i, j in ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))]
    try:
        moment = datetime(*fields, tzinfo=UTC)
    except ValueError:
        return None
    kind = parts[2].rstrip("0123456789")  # daily2: the second in the same second
    return int(moment.timestamp()), kind


def default_backup_folder(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def configured_backup_folder(conn: sqlite3.Connection, db_path: Path) -> Path:
    """The ``backup_folder`` setting stored in the database, or ``backups/`` beside it."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'backup_folder'").fetchone()
    except sqlite3.OperationalError:  # no settings table yet
        row = None
    return Path(row[0]).expanduser() if row and row[0] else default_backup_folder(db_path)


def free_backup_path(folder: Path, now: int, kind: str) -> Path:
    """A new file name in ``folder``; a second backup in the same second gets a suffix."""
    path = folder / backup_name(now, kind)
    n = 2
    while path.exists():
        path = folder / backup_name(now, f"{kind}{n}")
        n += 1
    return path


def backup_before_migration(conn: sqlite3.Connection, db_path: Path, *, now: int) -> Path:
    dest = free_backup_path(configured_backup_folder(conn, db_path), now, "before-migration")
    copy_to_file(conn, dest)
    return dest


def vital_signs(conn: sqlite3.Connection) -> dict[str, object]:
    """What a restore preview shows: counts and the newest activity in a database."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    signs: dict[str, object] = {"tables": sorted(tables)}
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
