"""Start-up checks: is the database file sound, ours, not from a newer Counter, writable, with
room to grow? Each way it can fail becomes a :class:`StartupProblem` with a message a person
understands and the ways forward that make sense for it (restore, open another file,
read-only mode, try again, quit). Never a traceback, never a silently empty app."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from counter.i18n import N_
from counter.storage import backup_sql, health_sql, open_database
from counter.storage.connection import is_busy

# Below this much free space next to the file, Counter opens nothing for writing: a visit
# that cannot be saved mid-way is worse than a clear message before the first customer.
MIN_FREE_BYTES = 20 * 1024 * 1024


class Trouble(StrEnum):
    CORRUPT = "corrupt"
    NOT_A_DATABASE = "not_a_database"
    NOT_COUNTER = "not_counter"
    NEWER_VERSION = "newer_version"
    READ_ONLY = "read_only"
    DISK_FULL = "disk_full"
    CANNOT_OPEN = "cannot_open"


class Way(StrEnum):
    RESTORE = "restore"
    OPEN_OTHER = "open_other"
    READ_ONLY = "read_only"
    RETRY = "retry"
    QUIT = "quit"


@dataclass(frozen=True)
class StartupProblem:
    trouble: Trouble
    title: str  # msgid
    message: str  # msgid with {named} params
    params: dict[str, str | int] = field(default_factory=dict)
    ways: tuple[Way, ...] = (Way.OPEN_OTHER, Way.QUIT)
    detail: str = ""  # what SQLite or the OS said, for a technician; not translated


_TEXTS: dict[Trouble, tuple[str, str, tuple[Way, ...]]] = {
    Trouble.CORRUPT: (
        N_("The database file is damaged"),
        N_(
            "Counter found errors inside {path}. Restore the latest backup (the damaged file "
            "is kept beside it), open another file, or look at what can still be read in "
            "read-only mode."
        ),
        (Way.RESTORE, Way.OPEN_OTHER, Way.READ_ONLY, Way.QUIT),
    ),
    Trouble.NOT_A_DATABASE: (
        N_("This is not a Counter database"),
        N_(
            "{path} is not a database file: perhaps another program overwrote it, or a "
            "different file was chosen. Restore a backup (the file is kept beside it) or "
            "open another file."
        ),
        (Way.RESTORE, Way.OPEN_OTHER, Way.QUIT),
    ),
    Trouble.NOT_COUNTER: (
        N_("This is not a Counter database"),
        N_(
            "{path} is a database of another program. Counter leaves it untouched; open "
            "Counter's own file instead."
        ),
        (Way.OPEN_OTHER, Way.QUIT),
    ),
    Trouble.NEWER_VERSION: (
        N_("This database is from a newer Counter"),
        N_(
            "{path} was last used by a newer version of Counter. Update Counter on this "
            "computer to keep working with it. Until then you can look things up in "
            "read-only mode; changing it could damage what the newer version wrote."
        ),
        (Way.READ_ONLY, Way.OPEN_OTHER, Way.QUIT),
    ),
    Trouble.READ_ONLY: (
        N_("Counter cannot save to this file"),
        N_(
            "{path} or its folder is read-only (a locked USB stick, a shared folder or "
            "missing permissions). Open it read-only to look things up, or open another file."
        ),
        (Way.READ_ONLY, Way.OPEN_OTHER, Way.QUIT),
    ),
    Trouble.DISK_FULL: (
        N_("The disk is full"),
        N_(
            "There is not enough free space next to {path} to save visits safely. Free some "
            "space and try again, or open the database read-only."
        ),
        (Way.RETRY, Way.READ_ONLY, Way.OPEN_OTHER, Way.QUIT),
    ),
    Trouble.CANNOT_OPEN: (
        N_("Counter cannot open its database"),
        N_("The file {path} could not be opened. Open another file, or try again."),
        (Way.RETRY, Way.OPEN_OTHER, Way.QUIT),
    ),
}


def problem(trouble: Trouble, path: Path, detail: str = "") -> StartupProblem:
    title, message, ways = _TEXTS[trouble]
    return StartupProblem(trouble, title, message, {"path": str(path)}, ways, detail)


def classify_error(error: BaseException) -> Trouble:
    """Which trouble an error from SQLite or the file system means."""
    text = str(error).lower()
    if isinstance(error, sqlite3.Error):
        if "disk is full" in text or getattr(error, "sqlite_errorcode", 0) == 13:  # SQLITE_FULL
            return Trouble.DISK_FULL
        if "not a database" in text:
            return Trouble.NOT_A_DATABASE
        if "malformed" in text or "corrupt" in text:
            return Trouble.CORRUPT
        # A damaged record can claim a length past SQLite's limit: reading it fails with
        # SQLITE_TOOBIG ("string or blob too big"), which Counter never writes.
        if "too big" in text or getattr(error, "sqlite_errorcode", 0) in (11, 18):
            return Trouble.CORRUPT
        if "readonly" in text or "read-only" in text:
            return Trouble.READ_ONLY
    if isinstance(error, OSError):
        if error.errno == 28:  # ENOSPC
            return Trouble.DISK_FULL
        if error.errno in (13, 30):  # EACCES, EROFS
            return Trouble.READ_ONLY
    return Trouble.CANNOT_OPEN


@dataclass(frozen=True)
class FileFacts:
    """What a read-only look at a database file found."""

    problem: Trouble | None
    detail: str = ""
    migrations: tuple[str, ...] = ()


def inspect_file(path: Path, *, full_check: bool = True) -> FileFacts:
    """Look at ``path`` without changing it: sound, ours, and not from a newer Counter?"""
    try:
        conn = backup_sql.connect_read_only(path)
    except UnicodeDecodeError as error:  # see below
        return FileFacts(Trouble.CORRUPT, str(error))
    except sqlite3.Error as error:
        return FileFacts(classify_error(error), str(error))
    try:
        tables = health_sql.table_names(conn)
        errors = health_sql.quick_check(conn) if full_check else []
        if errors:
            return FileFacts(Trouble.CORRUPT, "; ".join(errors[:3]))
        applied = health_sql.counter_migrations(conn)
    except UnicodeDecodeError as error:
        # A scribbled-over schema page: SQLite's "malformed database schema (...)" message
        # quotes the damaged bytes and Python cannot decode it into an sqlite3.Error.
        return FileFacts(Trouble.CORRUPT, str(error))
    except sqlite3.Error as error:
        trouble = classify_error(error)
        if trouble is Trouble.CANNOT_OPEN and not is_busy(error):
            trouble = Trouble.CORRUPT  # it opened, then failed to read: damaged
        # Busy (another counter recovering or checkpointing the file): try again, never
        # "damaged", whose way forward is to move the file aside and restore a backup.
        return FileFacts(trouble, str(error))
    finally:
        conn.close()
    if tables and (not applied or "customers" not in tables):
        return FileFacts(Trouble.NOT_COUNTER, ", ".join(sorted(tables))[:200])
    unknown = [name for name in applied if name not in health_sql.known_migrations()]
    if unknown:
        return FileFacts(Trouble.NEWER_VERSION, ", ".join(unknown), tuple(applied))
    return FileFacts(None, migrations=tuple(applied))


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


@dataclass(frozen=True)
class Health:
    path: Path
    problem: StartupProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_database(
    path: Path,
    *,
    full_check: bool = True,
    writable: Callable[[Path], bool] = _writable,
    free_bytes: Callable[[Path], int] = _free_bytes,
) -> Health:
    """Everything start-up needs to know before showing the window. On success the file
    exists and is migrated (a backup was taken first if the schema had to change).

    ``full_check=False`` skips ``PRAGMA quick_check`` (it reads the whole file; a caller
    with a very large database may run it later with :func:`inspect_file`)."""
    path = Path(path)
    folder = path.parent
    current = False
    if path.exists():
        facts = inspect_file(path, full_check=full_check)
        if facts.problem is not None:
            return Health(path, problem(facts.problem, path, facts.detail))
        if not (writable(path) and writable(folder)):
            return Health(path, problem(Trouble.READ_ONLY, path))
        current = facts.migrations == health_sql.MIGRATION_NAMES
    else:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return Health(path, problem(classify_error(error), path, str(error)))
        if not writable(folder):
            return Health(path, problem(Trouble.READ_ONLY, path))
    try:
        free = free_bytes(folder)
    except OSError:
        free = MIN_FREE_BYTES
    if free < MIN_FREE_BYTES:
        return Health(path, problem(Trouble.DISK_FULL, path, f"{free} bytes free"))
    if current:
        # Nothing to migrate: the usual start. Opening it through sqlite-utils here would
        # load sqlite-utils before the first paint for nothing (the worker opens it later).
        return Health(path)
    try:
        db = open_database(path)  # migrates, after a backup when the schema changes
        db.close()
    except (sqlite3.Error, OSError) as error:
        return Health(path, problem(classify_error(error), path, str(error)))
    return Health(path)
