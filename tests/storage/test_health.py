"""Start-up checks: every way a database file can be unusable is detected, classified, and
comes with a message and ways forward; nothing is changed by looking."""

from __future__ import annotations

import os
import random
import sqlite3

import pytest

from counter import integrity
from counter.i18n import Translator
from counter.integrity import Trouble, Way, check_database, classify_error, inspect_file
from counter.storage import open_database, write_transaction
from counter.storage.connection import open_read_only
from tests.storage.conftest import NEWER_INDEX, NEWER_MIGRATION


def _trouble(path, **kwargs):
    health = check_database(path, **kwargs)
    assert not health.ok
    return health.problem


def test_a_sound_database_passes(db_file):
    assert check_database(db_file).ok


def test_a_missing_file_is_created(tmp_path):
    path = tmp_path / "new" / "counter.db"
    assert check_database(path).ok
    assert path.exists()


def _corrupt(path):
    """Scribble over the middle of the file, where the customers' pages are."""
    db = open_database(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    scribble = random.Random(1)  # the same damage every run: a test that cannot flake
    with open(path, "r+b") as f:
        for page in range(2, pages):
            f.seek(page * size + 100)
            f.write(scribble.randbytes(200))


def test_a_record_too_big_to_read_is_corruption():
    # What scribbled-over pages can give instead of "malformed" (seen in CI): a record whose
    # header claims a length past SQLite's limit.
    conn = sqlite3.connect(":memory:")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 100)
    with pytest.raises(sqlite3.Error) as raised:
        conn.execute("SELECT zeroblob(1000)").fetchone()
    assert classify_error(raised.value) is Trouble.CORRUPT


def test_a_damaged_file_is_corrupt(db_file):
    _corrupt(db_file)
    problem = _trouble(db_file)
    assert problem.trouble is Trouble.CORRUPT
    assert problem.ways[0] is Way.RESTORE
    assert {Way.OPEN_OTHER, Way.READ_ONLY, Way.QUIT} <= set(problem.ways)
    assert problem.detail  # what quick_check said, for a technician


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "counter.db"
    path.write_text("Name;Phone\nAyşe;0532\n" * 100, encoding="utf-8")
    problem = _trouble(path)
    assert problem.trouble is Trouble.NOT_A_DATABASE
    assert Way.RESTORE in problem.ways and Way.OPEN_OTHER in problem.ways
    assert path.read_text(encoding="utf-8").startswith("Name;Phone")  # untouched


def test_another_programs_database_is_left_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    problem = _trouble(path)
    assert problem.trouble is Trouble.NOT_COUNTER
    conn = sqlite3.connect(path)
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master")} == {"recipes"}


def test_a_database_from_a_newer_counter(db_file):
    db = open_database(db_file)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('counter', 'm999_from_the_future', '2030-01-01')"
    )
    db.close()
    problem = _trouble(db_file)
    assert problem.trouble is Trouble.NEWER_VERSION
    assert problem.ways[0] is Way.READ_ONLY
    assert "m999_from_the_future" in problem.detail


def test_a_read_only_file_or_folder(db_file):
    problem = _trouble(db_file, writable=lambda p: p != db_file)
    assert problem.trouble is Trouble.READ_ONLY
    assert problem.ways[0] is Way.READ_ONLY
    problem = _trouble(db_file, writable=lambda p: p != db_file.parent)
    assert problem.trouble is Trouble.READ_ONLY


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to read-only files")
def test_a_really_read_only_file(db_file):
    db_file.chmod(0o444)
    try:
        assert _trouble(db_file).trouble is Trouble.READ_ONLY
    finally:
        db_file.chmod(0o644)


def test_read_only_mode_reads_and_refuses_writes(db_file):
    db = open_read_only(db_file)
    assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == 30
    with pytest.raises(sqlite3.OperationalError) as caught, write_transaction(db):
        db.execute("DELETE FROM customers")
    assert classify_error(caught.value) is Trouble.READ_ONLY
    db.close()
    assert open_database(db_file).execute("SELECT count(*) FROM customers").fetchone()[0] == 30


def test_read_only_mode_opens_a_wal_file_without_its_shared_memory(db_file):
    """A WAL database on a read-only medium has no -shm file and cannot create one."""
    for suffix in ("-wal", "-shm"):
        (db_file.parent / (db_file.name + suffix)).unlink(missing_ok=True)
    db = open_read_only(db_file)
    assert db.execute("SELECT count(*) FROM visits").fetchone()[0] == 30
    db.close()


def test_too_little_free_space(db_file):
    problem = _trouble(db_file, free_bytes=lambda folder: 1024)
    assert problem.trouble is Trouble.DISK_FULL
    assert problem.ways[0] is Way.RETRY and Way.READ_ONLY in problem.ways


def test_a_full_disk_while_migrating(older_db_file, monkeypatch):
    """The disk fills up during start-up (simulated with PRAGMA max_page_count): a clear
    problem, and the file is as it was."""
    from counter.storage import connection

    configure = connection._configure

    def tiny_disk(conn, *, wal):
        configure(conn, wal=wal)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(connection, "_configure", tiny_disk)
    monkeypatch.setattr(  # the pre-migration backup is another disk: let it succeed
        "counter.storage.backup_sql.backup_before_migration", lambda *a, **k: None
    )
    problem = _trouble(older_db_file)
    assert problem.trouble is Trouble.DISK_FULL
    monkeypatch.undo()
    conn = sqlite3.connect(older_db_file)
    names = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    assert NEWER_MIGRATION not in names
    assert NEWER_INDEX not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 30


def test_a_real_full_disk_error_is_classified(db):
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as caught, write_transaction(db):
        db.execute("INSERT INTO settings (key, value) VALUES ('x', ?)", ["y" * 100_000])
    assert classify_error(caught.value) is Trouble.DISK_FULL
    assert classify_error(OSError(28, "No space left on device")) is Trouble.DISK_FULL
    assert classify_error(OSError(30, "Read-only file system")) is Trouble.READ_ONLY
    assert classify_error(sqlite3.DatabaseError("file is not a database")) is (
        Trouble.NOT_A_DATABASE
    )
    assert classify_error(RuntimeError("?")) is Trouble.CANNOT_OPEN


def test_inspecting_changes_nothing(db_file):
    before = db_file.read_bytes()
    assert inspect_file(db_file).problem is None
    assert db_file.read_bytes() == before


@pytest.mark.parametrize("trouble", list(Trouble))
def test_every_problem_has_a_message_in_every_language(trouble, tmp_path):
    problem = integrity.problem(trouble, tmp_path / "counter.db", "detail")
    assert problem.ways and problem.ways[-1] is Way.QUIT
    for language in ("en", "tr", "sk", "hu", "hi"):
        tr = Translator(language)
        assert tr.gettext(problem.title)
        assert str(tmp_path) in tr.gettext(problem.message).format(**problem.params)
