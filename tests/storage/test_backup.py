"""Backups with the online backup API: identical copies, all-or-nothing restores, rotation,
the daily backup and the backup taken before a migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from counter import backup
from counter.backup import (
    BEFORE_MIGRATION,
    BEFORE_RESTORE,
    DAILY,
    MANUAL,
    list_backups,
    make_backup,
    preview_backup,
    replace_file_with_backup,
    restore_backup,
    rotate_backups,
    run_daily_backup,
)
from counter.customers import CustomerInput, create_customer
from counter.errors import ValidationError
from counter.progress import Cancelled
from counter.storage import backup_sql, open_database, open_memory_database
from counter.storage.backup_sql import backup_name, database_tag, dump, parse_backup_name
from tests.storage.conftest import NEWER_INDEX, NEWER_MIGRATION, NOW, fill

DAY = 86_400


def _without_restore_audit(lines: list[str]) -> list[str]:
    return [line for line in lines if "restore_backup" not in line]


def test_backup_then_restore_gives_an_identical_database(db_file, tmp_path):
    db = open_database(db_file)
    before = dump(db.conn)
    made = make_backup(db, tmp_path / "backups", now=NOW)
    assert made.kind == MANUAL and made.path.exists()
    # Change everything a restore must undo: a new customer, an edit, a deletion.
    create_customer(db, CustomerInput("Anna", "Kovács"), now=NOW, phone_region="HU")
    db.execute("UPDATE customers SET rapport_notes = 'changed' WHERE id = 1")
    db.execute("DELETE FROM visits WHERE id = 2")
    assert dump(db.conn) != before

    result = restore_backup(db, made.path, tmp_path / "backups", now=NOW + 60)

    assert _without_restore_audit(dump(db.conn)) == before
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    # The search index came back with the rows: "anna" is gone, "sukru0" is found.
    match = "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH ?"
    assert db.execute(match, ['"anna"']).fetchone()[0] == 0
    assert db.execute(match, ['"sukru0"']).fetchone()[0] == 1
    # The state before the restore was kept, and it still has Anna.
    assert result.safety_copy.kind == BEFORE_RESTORE
    safety = sqlite3.connect(result.safety_copy.path)
    assert safety.execute("SELECT count(*) FROM customers WHERE given_name = 'Anna'").fetchone()
    assert result.restored.customers == 30 and result.restored.visits == 30
    db.close()
    # Another connection (the app's worker) sees the restored data too.
    other = open_database(db_file)
    assert _without_restore_audit(dump(other.conn)) == before
    other.close()


def test_backup_file_is_a_self_contained_sqlite_file(db_file, tmp_path):
    db = open_database(db_file)
    made = make_backup(db, tmp_path / "b", now=NOW)
    db.close()
    conn = sqlite3.connect(made.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 30
    assert not Path(str(made.path) + "-wal").exists()


def test_a_memory_database_backs_up_and_restores(tmp_path):
    db = open_memory_database()
    fill(db, 3)
    before = dump(db.conn)
    made = make_backup(db, tmp_path, now=NOW)
    db.execute("DELETE FROM visits")
    restore_backup(db, made.path, tmp_path, now=NOW)
    assert _without_restore_audit(dump(db.conn)) == before


def test_progress_is_reported_and_cancel_leaves_no_file(db_file, tmp_path, monkeypatch):
    monkeypatch.setattr("counter.storage.backup_sql._MIN_PAGES_PER_STEP", 1)  # many steps
    db = open_database(db_file)
    seen = []
    make_backup(db, tmp_path / "ok", now=NOW, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]

    with pytest.raises(Cancelled):
        make_backup(db, tmp_path / "cancelled", now=NOW, progress=lambda d, t: False)
    assert list((tmp_path / "cancelled").iterdir()) == []
    db.close()


def test_a_cancelled_restore_changes_nothing(db_file, tmp_path, monkeypatch):
    monkeypatch.setattr("counter.storage.backup_sql._MIN_PAGES_PER_STEP", 1)  # many steps
    db = open_database(db_file)
    made = make_backup(db, tmp_path, now=NOW)
    create_customer(db, CustomerInput("Anna", "Kovács"), now=NOW, phone_region="HU")
    before = dump(db.conn)
    calls = []

    def stop_in_the_restore_half(done, total):
        calls.append(done)
        return done <= total // 2  # the safety copy is the first half

    with pytest.raises(Cancelled):
        restore_backup(db, made.path, tmp_path, now=NOW, progress=stop_in_the_restore_half)
    assert dump(db.conn) == before
    assert len(calls) > 2
    db.close()


def test_a_cancel_after_the_last_page_is_too_late_to_claim_nothing_changed(db_file, tmp_path):
    db = open_database(db_file)
    made = make_backup(db, tmp_path, now=NOW, progress=lambda done, total: done < total)
    assert made.path.exists()
    db.close()


def test_restore_refuses_files_that_are_not_counter_backups(db, tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("hello")
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    for path in (text, foreign):
        preview = preview_backup(path)
        assert preview.problem is not None
        with pytest.raises(ValidationError):
            restore_backup(db, path, tmp_path, now=NOW)


def test_restore_refuses_a_backup_from_a_newer_counter(db_file, tmp_path):
    db = open_database(db_file)
    made = make_backup(db, tmp_path, now=NOW)
    conn = sqlite3.connect(made.path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('counter', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    assert preview_backup(made.path).problem.msgid.startswith("This backup was made by a newer")
    with pytest.raises(ValidationError):
        restore_backup(db, made.path, tmp_path, now=NOW)
    db.close()


def test_preview_shows_date_and_counts(db_file, tmp_path):
    db = open_database(db_file)
    made = make_backup(db, tmp_path, now=NOW)
    db.close()
    preview = preview_backup(made.path)
    assert preview.backup.taken_at == NOW
    assert (preview.customers, preview.visits) == (30, 30)
    assert preview.last_visit_at == NOW - 3600
    assert preview.problem is None


def test_names_round_trip():
    tag = database_tag("/data/shop-2.db")
    assert tag.startswith("shop_2-") and len(tag) == len("shop_2-") + 8
    for database in (None, tag):
        for kind in (BEFORE_MIGRATION, DAILY, MANUAL, BEFORE_RESTORE):
            assert parse_backup_name(backup_name(NOW, kind, database)) == (NOW, kind, database)
        assert parse_backup_name(backup_name(NOW, "daily2", database)) == (NOW, DAILY, database)
        assert parse_backup_name(backup_name(NOW, "before-migration3", database)) == (
            NOW,
            BEFORE_MIGRATION,
            database,
        )
    assert parse_backup_name("counter.db") is None
    assert parse_backup_name("counter-2026xx-093000-daily.db") is None
    # Old-style names (no database) keep working.
    assert parse_backup_name("counter-20261124-093000-daily.db") == (1795512600, DAILY, None)
    assert parse_backup_name("counter-20000229-235959-daily.db") == (951868799, DAILY, None)
    assert parse_backup_name("counter-20261124-093000-.db") is None
    assert parse_backup_name("shop-1a2b3c4g-20261124-093000-daily.db") is None  # not hex
    assert parse_backup_name("-1a2b3c4d-20261124-093000-daily.db") is None
    for stamp in ("20261301-000000", "20261131-000000", "20261124-246000", "2026112-4093000"):
        assert parse_backup_name(f"counter-{stamp}-daily.db") is None, stamp
    assert parse_backup_name("counter-２０２６1124-093000-daily.db") is None  # full-width digits
    assert parse_backup_name("counter-+2026112-093000-daily.db") is None


def _touch(folder: Path, when: int, kind: str) -> Path:
    path = folder / backup_name(when, kind)
    path.write_bytes(b"x")
    return path


def test_rotation_keeps_seven_days_and_four_weeks(tmp_path):
    days = [_touch(tmp_path, NOW - d * DAY, DAILY) for d in range(60)]
    extra_today = _touch(tmp_path, NOW - 3600, DAILY)
    manual = _touch(tmp_path, NOW - 90 * DAY, MANUAL)
    safety = [_touch(tmp_path, NOW - d * DAY - 7, BEFORE_MIGRATION) for d in range(5)]

    removed = rotate_backups(tmp_path, None)

    kept = {b.path for b in list_backups(tmp_path)}
    assert set(days[:7]) <= kept  # the last 7 days
    assert extra_today not in kept  # one per day: the newest
    weekly = kept & set(days[7:])
    assert 1 <= len(weekly) <= 3  # with the 7 days, 4 weeks in all
    assert len({backup._utc_week(b.taken_at) for b in list_backups(tmp_path) if b.kind == DAILY})
    assert manual in kept  # a manager's own backups are never deleted
    assert set(safety[:3]) <= kept and not set(safety[3:]) & kept
    assert set(removed) | kept == set(days) | {extra_today, manual} | set(safety)


def test_daily_backup_once_a_day(db_file, tmp_path):
    db = open_database(db_file)
    folder = tmp_path / "b"
    first = run_daily_backup(db, folder, now=NOW)
    assert first is not None and first.kind == DAILY
    assert run_daily_backup(db, folder, now=NOW + 3600) is None
    assert run_daily_backup(db, folder, now=NOW + DAY) is not None
    db.close()


def test_a_migration_is_preceded_by_a_backup(older_db_file):
    db = open_database(older_db_file)  # m006 is pending: a backup first, then the migration
    assert NEWER_INDEX in {i.name for i in db["follow_ups"].indexes}
    db.close()
    backups = list_backups(older_db_file.parent / "backups")
    assert [b.kind for b in backups] == [BEFORE_MIGRATION]
    conn = sqlite3.connect(backups[0].path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert NEWER_INDEX not in names and "customers" in names
    assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 30


def test_a_new_database_needs_no_backup(tmp_path):
    open_database(tmp_path / "new.db").close()
    assert not (tmp_path / "backups").exists()


def test_no_migration_without_its_backup(older_db_file, monkeypatch):
    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("counter.storage.backup_sql.copy_to_file", full)
    with pytest.raises(sqlite3.OperationalError):
        open_database(older_db_file)
    conn = sqlite3.connect(older_db_file)
    names = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    assert NEWER_MIGRATION not in names and "m005_overdue_follow_ups" in names


def test_the_backup_folder_setting_is_used_before_a_migration(older_db_file, tmp_path):
    elsewhere = tmp_path / "usb"
    conn = sqlite3.connect(older_db_file)
    conn.execute("INSERT INTO settings (key, value) VALUES ('backup_folder', ?)", [str(elsewhere)])
    conn.commit()
    conn.close()
    open_database(older_db_file).close()
    assert [b.kind for b in list_backups(elsewhere)] == [BEFORE_MIGRATION]


def test_replace_a_broken_file_keeps_it_aside(db_file, tmp_path):
    db = open_database(db_file)
    made = make_backup(db, tmp_path / "b", now=NOW)
    expected = dump(db.conn)
    db.close()
    db_file.write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        Path(str(db_file) + suffix).unlink(missing_ok=True)

    aside = replace_file_with_backup(made.path, db_file, now=NOW)

    assert aside is not None and aside.read_bytes().startswith(b"garbage")
    db = open_database(db_file)
    assert dump(db.conn) == expected
    db.close()


def test_copies_abandoned_mid_way_are_cleaned_up_but_not_one_in_progress(db_file, tmp_path):
    import os
    import time

    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / (backup_name(NOW - 86_400, backup.DAILY) + ".part")
    old_journal = old.with_name(old.name + "-journal")
    fresh = folder / (backup_name(NOW, backup.MANUAL) + ".part")  # another counter's, now
    mine = folder / "notes.part"  # not Counter's: never touched
    for path in (old, old_journal, fresh, mine):
        path.write_bytes(b"half a copy")
    long_ago = time.time() - backup.ABANDONED_COPY_SECONDS - 60
    for path in (old, old_journal, mine):
        os.utime(path, (long_ago, long_ago))
    db = open_database(db_file)
    try:
        backup.run_daily_backup(db, folder, now=NOW)
    finally:
        db.close()
    left = {p.name for p in folder.iterdir()}
    assert old.name not in left and old_journal.name not in left
    assert {fresh.name, mine.name} <= left
    assert [b.kind for b in backup.list_backups(folder)] == [backup.DAILY]


# one folder, several databases ---------------------------------------------------------------
def _two_databases(tmp_path):
    """Two Counter files side by side, so they share the default backups/ folder."""
    first, second = tmp_path / "data" / "shop.db", tmp_path / "data" / "café.db"
    for path, customers in ((first, 3), (second, 5)):
        db = open_database(path)
        fill(db, customers)
        db.close()
    return first, second, tmp_path / "data" / "backups"


def test_each_database_gets_its_own_daily_backup_in_a_shared_folder(tmp_path):
    first, second, folder = _two_databases(tmp_path)
    a, b = open_database(first), open_database(second)
    try:
        made_a = run_daily_backup(a, folder, now=NOW)
        # Today's backup of the other file does not count for this one.
        made_b = run_daily_backup(b, folder, now=NOW + 60)
        assert made_a is not None and made_b is not None
        assert made_a.database == database_tag(first) != made_b.database == database_tag(second)
        assert run_daily_backup(a, folder, now=NOW + 120) is None
        assert run_daily_backup(b, folder, now=NOW + 180) is None
        # Each file is a copy of its own database.
        for made, customers in ((made_a, 3), (made_b, 5)):
            copy = sqlite3.connect(made.path)
            assert copy.execute("SELECT count(*) FROM customers").fetchone()[0] == customers
            copy.close()
        assert made_b.path.name.startswith("café-")
    finally:
        a.close()
        b.close()


def test_rotation_never_removes_another_databases_backups(tmp_path):
    first, second, folder = _two_databases(tmp_path)
    folder.mkdir()
    tag_a, tag_b = database_tag(first), database_tag(second)

    def touch(when: int, kind: str, database: str | None) -> Path:
        path = folder / backup_name(when, kind, database)
        path.write_bytes(b"x")
        return path

    theirs = {touch(NOW - d * DAY, DAILY, tag_b) for d in range(1, 40)}
    theirs |= {touch(NOW - d * DAY, BEFORE_MIGRATION, tag_b) for d in range(6)}
    old_style = {touch(NOW - d * DAY - 30, DAILY, None) for d in range(1, 40)}
    mine = [touch(NOW - d * DAY, DAILY, tag_a) for d in range(1, 40)]

    a = open_database(first)
    try:
        made = run_daily_backup(a, folder, now=NOW)
    finally:
        a.close()

    left = set(folder.iterdir())
    assert theirs <= left and old_style <= left  # only this database's files rotate
    own = {b.path for b in list_backups(folder) if b.database == tag_a}
    assert made.path in own and set(mine[:6]) <= own and len(own) <= 7 + 4
    assert rotate_backups(folder, tag_b)  # the other database's turn: only its own go
    assert {b.path for b in list_backups(folder) if b.database == tag_a} == own
    assert old_style <= set(folder.iterdir())


def test_a_database_lists_its_own_backups_and_old_style_ones(tmp_path):
    first, second, folder = _two_databases(tmp_path)
    a, b = open_database(first), open_database(second)
    try:
        mine = make_backup(a, folder, now=NOW)
        theirs = make_backup(b, folder, now=NOW + 1)
    finally:
        a.close()
        b.close()
    old_style = folder / "counter-20261124-093000-daily.db"
    old_style.write_bytes(b"x")
    listed = {f.path for f in list_backups(folder, database_tag(first))}
    assert listed == {mine.path, old_style}
    assert theirs.path not in listed
    assert len(list_backups(folder)) == 3  # no database given: everything
    # An old-style daily backup does not stand in for a database's own.
    assert backup.daily_backup_due(folder, NOW, database_tag(first))


def test_the_tag_follows_the_file_not_the_way_it_was_named(tmp_path, monkeypatch):
    first, _second, _folder = _two_databases(tmp_path)
    link = tmp_path / "link.db"
    link.symlink_to(first)
    monkeypatch.chdir(first.parent)
    assert database_tag("shop.db") == database_tag(first) == database_tag(link)
    db = open_database(link)
    try:
        assert backup_sql.connection_tag(db.conn) == database_tag(first)
    finally:
        db.close()
    assert backup_sql.connection_tag(open_memory_database().conn) is None
    # A file elsewhere with the same name is another database.
    assert database_tag(tmp_path / "shop.db") != database_tag(first)


def test_a_migration_backup_names_its_database(older_db_file):
    open_database(older_db_file).close()
    (made,) = list_backups(older_db_file.parent / "backups")
    assert made.kind == BEFORE_MIGRATION and made.database == database_tag(older_db_file)
