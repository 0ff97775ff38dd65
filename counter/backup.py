"""Backups: a daily copy on start, one before every migration, one on request, rotated (7 daily,
4 weekly) in a folder a manager can move (a USB stick); restore with a preview and a copy of
the current state taken first.

Copies use SQLite's online backup API (``counter.storage.backup_sql``), so the app keeps
working while a copy is made. Files are named ``<database>-YYYYMMDD-HHMMSS-<kind>.db`` (UTC);
they are plain SQLite files any tool can open.

Each database has its own backups, even in a shared folder: a file's name carries its
database's tag (``backup_sql.database_tag``: the file's stem and a hash of its path), and the
daily backup, rotation and the restore list look only at that database's files. Old-style
names (``counter-YYYYMMDD-HHMMSS-<kind>.db``, from before the tag) cannot say whose they are:
they are listed for restore with every database's, but never count as anyone's daily backup
and are never rotated away.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from counter import audit
from counter.errors import Problem, ValidationError
from counter.i18n import N_
from counter.integrity import Trouble, inspect_file
from counter.progress import Progress, tick
from counter.storage import backup_sql

if TYPE_CHECKING:
    from sqlite_utils import Database

DAILY = "daily"
MANUAL = "manual"
BEFORE_MIGRATION = "before-migration"
BEFORE_RESTORE = "before-restore"
KINDS = (DAILY, MANUAL, BEFORE_MIGRATION, BEFORE_RESTORE)

KEEP_DAILY = 7
KEEP_WEEKLY = 4
# Safety copies (before a migration or a restore) are kept a while but not forever; manual
# backups are the manager's own and are never deleted by Counter.
KEEP_SAFETY = 3
# A copy still being written is touched every few pages; one untouched this long belongs to
# a process that died or quit mid-copy (another counter's copy in progress is left alone).
ABANDONED_COPY_SECONDS = 15 * 60
_PARTIAL_SUFFIXES = (".part", ".part-journal")

default_backup_folder = backup_sql.default_backup_folder
database_tag = backup_sql.database_tag
parse_backup_name = backup_sql.parse_backup_name


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: int
    kind: str
    size: int
    database: str | None = None  # the tag of the database it is a copy of; None: not known


@dataclass(frozen=True)
class BackupPreview:
    """What a person sees before restoring: when, how much, and whether it can be used."""

    backup: BackupFile
    customers: int
    visits: int
    last_visit_at: int | None
    problem: Problem | None = None  # set when this file cannot be restored


def backup_folder(db_path: Path, setting: str = "") -> Path:
    """The ``backup_folder`` setting, or ``backups/`` beside the database."""
    return Path(setting).expanduser() if setting else default_backup_folder(db_path)


def _writable(folder: Path) -> bool:
    # A real file, not os.access: that says yes on read-only media and network shares.
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def folder_problem(field: str, setting: str) -> Problem | None:
    """Why a ``backup_folder`` setting cannot be used, or None: '' (the default) always can; a
    folder must be a full path that exists or can be created, and Counter must be able to write
    there. Nothing is created here."""
    if not setting:
        return None
    folder = Path(setting).expanduser()
    if not folder.is_absolute():
        return Problem(field, N_("Enter the full path of a folder, or use the default."))
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return Problem(field, N_("{path} is a file, not a folder."), {"path": str(existing)})
    if not _writable(existing):
        if existing == folder:
            msgid = N_("Counter cannot write to the folder {path}.")
        else:
            msgid = N_("The folder {path} cannot be created: Counter cannot write there.")
        return Problem(field, msgid, {"path": str(folder)})
    return None


def _file(path: Path) -> BackupFile | None:
    parsed = backup_sql.parse_backup_name(path.name)
    if parsed is None:
        return None
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupFile(path, parsed.taken_at, parsed.kind, size, parsed.database)


def _all_backups(folder: Path) -> list[BackupFile]:
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return []
    found = [f for f in map(_file, entries) if f is not None]
    return sorted(found, key=lambda f: (f.taken_at, f.path.name), reverse=True)


def list_backups(folder: Path, database: str | None = None) -> list[BackupFile]:
    """Counter's backups in ``folder``, newest first (other files are ignored): those of
    ``database`` (a tag) and old-style ones whose database is not known; every backup when
    ``database`` is None."""
    found = _all_backups(folder)
    if database is None:
        return found
    return [b for b in found if b.database in (database, None)]


def _own_backups(folder: Path, database: str | None) -> list[BackupFile]:
    """Exactly ``database``'s backups (None: the old-style ones, which no tag claims)."""
    return [b for b in _all_backups(folder) if b.database == database]


def make_backup(
    db: Database, folder: Path, *, now: int, kind: str = MANUAL, progress: Progress | None = None
) -> BackupFile:
    """Copy the open database to a new file in ``folder``. A cancelled or failed copy leaves
    no file behind. The connection may be in use by nobody else or by other readers."""
    if kind not in KINDS:
        raise ValueError(kind)
    database = backup_sql.connection_tag(db.conn)
    dest = backup_sql.free_backup_path(Path(folder), now, kind, database)
    backup_sql.copy_to_file(db.conn, dest, _pages(progress))
    found = _file(dest)
    assert found is not None
    return found


def _pages(progress: Progress | None) -> backup_sql.PageProgress | None:
    """Pages copied, reported as progress; a "stop" answer cancels the copy (it then leaves
    nothing behind: a partial file is removed, a partial restore rolled back)."""
    if progress is None:
        return None

    def pages(done: int, total: int) -> None:
        if done < total:
            tick(progress, done, total)
        else:  # the copy is complete and committed: too late to stop it, so do not claim to
            progress(done, total)

    return pages


def _utc_day(t: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(t))


def _utc_week(t: int) -> str:
    return time.strftime("%G-W%V", time.gmtime(t))


def daily_backup_due(folder: Path, now: int, database: str | None) -> bool:
    """Whether ``database`` (a tag) has no daily backup dated today in ``folder``; another
    database's backups, and old-style ones, do not count."""
    today = _utc_day(now)
    return not any(
        b.kind == DAILY and _utc_day(b.taken_at) == today
        for b in _own_backups(Path(folder), database)
    )


def remove_abandoned_copies(folder: Path, now: float) -> list[Path]:
    """Delete half-written backups (``<backup name>.part`` and its journal) that a process
    left behind when it was stopped mid-copy, once untouched for a while. Returns them."""
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return []
    removed = []
    for path in entries:
        suffix = next((s for s in _PARTIAL_SUFFIXES if path.name.endswith(s)), None)
        if suffix is None or backup_sql.parse_backup_name(path.name[: -len(suffix)]) is None:
            continue
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime >= ABANDONED_COPY_SECONDS:
                path.unlink()
                removed.append(path)
    return removed


def rotate_backups(folder: Path, database: str | None) -> list[Path]:
    """Delete ``database``'s old automatic backups (a tag; other databases' backups are never
    touched, and old-style ones only when ``database`` is None): keep the newest daily backup
    of each of the last :data:`KEEP_DAILY` days that have one, the newest of each of the last
    :data:`KEEP_WEEKLY` weeks, and the last :data:`KEEP_SAFETY` safety copies of each kind.
    Returns what went."""
    backups = _own_backups(Path(folder), database)  # newest first
    keep: set[Path] = set()
    days: dict[str, Path] = {}
    weeks: dict[str, Path] = {}
    for b in (b for b in backups if b.kind == DAILY):
        if len(days) < KEEP_DAILY or _utc_day(b.taken_at) in days:
            days.setdefault(_utc_day(b.taken_at), b.path)
        if len(weeks) < KEEP_WEEKLY or _utc_week(b.taken_at) in weeks:
            weeks.setdefault(_utc_week(b.taken_at), b.path)
    keep.update(days.values(), weeks.values())
    for kind in (BEFORE_MIGRATION, BEFORE_RESTORE):
        keep.update(b.path for b in [b for b in backups if b.kind == kind][:KEEP_SAFETY])
    removed = []
    for b in backups:
        if b.kind == MANUAL or b.path in keep:
            continue
        with contextlib.suppress(OSError):
            b.path.unlink()
            removed.append(b.path)
    return removed


def run_daily_backup(
    db: Database, folder: Path, *, now: int, progress: Progress | None = None
) -> BackupFile | None:
    """The backup taken on start: one a day for this database, then its old ones rotated out.
    None if it already has today's."""
    remove_abandoned_copies(folder, time.time())  # file times are the clock's, not ``now``'s
    database = backup_sql.connection_tag(db.conn)
    if not daily_backup_due(folder, now, database):
        return None
    made = make_backup(db, folder, now=now, kind=DAILY, progress=progress)
    rotate_backups(folder, database)
    return made


_UNUSABLE = {
    Trouble.NOT_A_DATABASE: N_("This file is not a Counter backup."),
    Trouble.NOT_COUNTER: N_("This file is not a Counter backup."),
    Trouble.CORRUPT: N_("This backup is damaged and cannot be restored."),
    Trouble.NEWER_VERSION: N_("This backup was made by a newer version of Counter."),
}


def preview_backup(path: Path) -> BackupPreview:
    """Date, counts and usability of a backup file (or any file a person picked)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise ValidationError([Problem("file", N_("This file cannot be read."))]) from None
    parsed = backup_sql.parse_backup_name(path.name)
    if parsed is None:
        backup = BackupFile(path, int(stat.st_mtime), "", stat.st_size)
    else:
        backup = BackupFile(path, parsed.taken_at, parsed.kind, stat.st_size, parsed.database)
    facts = inspect_file(path)
    if facts.problem is not None:
        msgid = _UNUSABLE.get(facts.problem, N_("This file cannot be read."))
        return BackupPreview(backup, 0, 0, None, Problem("file", msgid))
    conn = backup_sql.connect_read_only(path)
    try:
        signs = backup_sql.vital_signs(conn)
    finally:
        conn.close()
    return BackupPreview(
        backup,
        customers=int(signs.get("customers", 0)),
        visits=int(signs.get("visits", 0)),
        last_visit_at=signs.get("last_visit_at"),
    )


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupPreview
    safety_copy: BackupFile  # the state just before the restore


def _halves(progress: Progress | None) -> tuple[Progress | None, Progress | None]:
    if progress is None:
        return None, None

    def first(done: int, total: int) -> bool | None:
        return progress(done, 2 * total)

    def second(done: int, total: int) -> bool | None:
        return progress(total + done, 2 * total)

    return first, second


def restore_backup(
    db: Database,
    backup: Path,
    folder: Path,
    *,
    now: int,
    staff_id: int | None = None,
    progress: Progress | None = None,
) -> RestoreResult:
    """Replace the open database's content with ``backup``: first a copy of the current state
    into ``folder``, then the restore, which is all or nothing (the backup API holds the
    write lock until the last page and rolls back if stopped). An older backup is brought up
    to the current schema afterwards."""
    preview = preview_backup(backup)
    if preview.problem is not None:
        raise ValidationError([preview.problem])
    first, second = _halves(progress)
    safety = make_backup(db, folder, now=now, kind=BEFORE_RESTORE, progress=first)
    backup_sql.copy_into(Path(backup), db.conn, _pages(second))
    from counter.storage.schema import MIGRATIONS  # sqlite-utils: not at start-up

    MIGRATIONS.apply(db)
    audit.record(
        db,
        at=now,
        staff_id=staff_id,
        action="restore_backup",
        subject=f"backup:{Path(backup).name}",
        detail=f"safety copy {safety.path.name}",
    )
    return RestoreResult(preview, safety)


def replace_file_with_backup(
    backup: Path, db_path: Path, *, now: int, progress: Progress | None = None
) -> Path | None:
    """Start-up restore for a file that cannot be opened at all (damaged, not a database):
    the bad file is moved aside, never deleted, and the backup copied into its place.
    Returns where the old file went (None if there was none)."""
    preview = preview_backup(backup)
    if preview.problem is not None:
        raise ValidationError([preview.problem])
    db_path = Path(db_path)
    aside = None
    if db_path.exists():
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
        aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm", "-journal"):
            old = Path(str(db_path) + suffix)
            if old.exists():
                os.replace(old, Path(str(aside) + suffix))
    part = db_path.with_name(db_path.name + ".restoring")
    source = backup_sql.connect_read_only(Path(backup))
    try:
        backup_sql.copy_to_file(source, part, _pages(progress))
    finally:
        source.close()
    os.replace(part, db_path)
    return aside
