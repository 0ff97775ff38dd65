"""Schema migrations: applied on open, idempotent, the documented tables, columns and triggers."""

import sqlite3

import pytest

from counter.storage import open_database, open_memory_database, write_transaction
from counter.storage.schema import MIGRATIONS, apply_migrations, unknown_migrations


def columns(db, table):
    return {c.name for c in db[table].columns}


def test_initial_schema_tables(db):
    assert {
        "settings",
        "staff",
        "customers",
        "customers_fts",
        "checklist_steps",
        "checklist_step_labels",
        "visits",
        "visit_steps",
        "follow_ups",
        "phrase_overrides",
        "audit_log",
    } <= set(db.table_names())


def test_customer_columns(db):
    assert {
        "given_name",
        "family_name",
        "native_name",
        "language",
        "formality",
        "title",
        "phone",
        "phone_digits",
        "phone_rev",
        "email",
        "card",
        "rapport_notes",
        "search_key",
        "created_at",
        "updated_at",
        "last_visit_at",
        "erased_at",
    } <= columns(db, "customers")


def test_visit_columns_are_integer_epochs(db):
    types = {c.name: c.type for c in db["visits"].columns}
    for name in ("arrived_at", "started_at", "ended_at", "updated_at"):
        assert types[name] == "INTEGER"
    assert {c.name: c.type for c in db["visit_steps"].columns}["at"] == "INTEGER"


def test_triggers_exist(db):
    names = {t.name for t in db.triggers}
    assert {
        "customers_fts_insert",
        "customers_fts_delete",
        "customers_fts_update",
        "visits_last_seen",
    } <= names


def test_builtin_checklist_steps_seeded(db):
    keys = [
        r["step_key"] for r in db.query("SELECT step_key FROM checklist_steps ORDER BY position")
    ]
    assert keys == ["greet", "rapport", "needs", "solution", "thank"]


def test_migrations_apply_once(db):
    applied = [m.name for m in MIGRATIONS.applied(db)]
    MIGRATIONS.apply(db)
    assert [m.name for m in MIGRATIONS.applied(db)] == applied
    assert MIGRATIONS.pending(db) == []


def test_file_database_pragmas(tmp_path):
    db = open_database(tmp_path / "sub" / "counter.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    db.close()
    again = open_database(tmp_path / "sub" / "counter.db")
    assert MIGRATIONS.pending(again) == []
    again.close()


def test_newer_schema_detected(db):
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('counter', 'm999_from_the_future', '2030-01-01')"
    )
    assert unknown_migrations(db) == ["m999_from_the_future"]


def test_foreign_keys_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO visits (customer_id, arrived_at, updated_at) VALUES (12345, 1, 1)")


def test_write_transaction_rolls_back_everything(db):
    with pytest.raises(RuntimeError), write_transaction(db):
        db.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        raise RuntimeError
    assert db.execute("SELECT count(*) FROM settings WHERE key = 'a'").fetchone()[0] == 0


def test_memory_database_is_independent():
    a, b = open_memory_database(), open_memory_database()
    a.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    assert b.execute("SELECT count(*) FROM settings WHERE key = 'x'").fetchone()[0] == 0


def test_dashboard_summary_is_backfilled_from_visits_written_before_it():
    from datetime import UTC

    from sqlite_utils import Database

    from counter.dashboard import load_dashboard
    from counter.visit_filter import VisitFilter
    from tests.core.report_fixtures import DAY, NOW, START, add_visit, build_store
    from tests.core.test_dashboard_summary import (
        MINUTE_TARGETS,
        assert_summary_matches_a_fresh_fill,
        summary_rows,
    )

    db = Database(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    apply_migrations(db, stop_before="m004_dashboard_summary")
    store = build_store(db)  # visits, steps, a discarded visit, one still open
    add_visit(db, staff=None, customer=store.customers["Emma"], arrived=START - 30 * DAY,
              wait=20, service=200, outcome="bought")  # fmt: skip
    assert "is_returning" not in {c.name for c in db["visits"].columns}

    MIGRATIONS.apply(db)
    assert MIGRATIONS.pending(db) == []
    rows = summary_rows(db)
    assert sum(r[3] for r in rows["dash_counts"] if r[0] == 86_400) == 8  # every ended visit
    assert_summary_matches_a_fresh_fill(db)  # the backfill is what the triggers keep
    for f in (
        VisitFilter(start=START, end=START + 3 * DAY),
        VisitFilter(start=START - 40 * DAY, end=NOW, staff_ids=(store.sam,)),
    ):
        summary = load_dashboard(db, store.manager, f, targets=MINUTE_TARGETS, now=NOW, tz=UTC)
        raw = load_dashboard(
            db, store.manager, f, targets=MINUTE_TARGETS, now=NOW, tz=UTC, use_summary=False
        )
        assert summary == raw and summary.visits > 0
    # And the triggers carry on from the backfill.
    add_visit(db, staff=store.ana, customer=store.customers["Emma"], arrived=START + 3600,
              wait=10, service=100, outcome="bought")  # fmt: skip
    assert_summary_matches_a_fresh_fill(db)


def test_a_connection_is_used_only_on_the_thread_that_opened_it(tmp_path):
    """SQLite's same-thread check is on: a connection shared across threads is a bug to be
    told about (the task runner opens its own on its worker thread)."""
    import threading

    db = open_database(tmp_path / "counter.db")
    raised: list[BaseException] = []

    def elsewhere():
        try:
            db.execute("SELECT count(*) FROM customers")
        except sqlite3.ProgrammingError as error:
            raised.append(error)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert len(raised) == 1 and "thread" in str(raised[0])
    db.close()


def test_the_plain_list_of_migrations_is_the_schemas():
    # Start-up decides "nothing to migrate" from health_sql's written-out list (no sqlite-utils
    # before the first paint): it must be schema.py's, in the same order.
    from counter.storage import health_sql
    from counter.storage.schema import migration_names

    assert list(health_sql.MIGRATION_NAMES) == migration_names()
    assert MIGRATIONS.name == health_sql.MIGRATION_SET


def test_a_file_one_migration_behind_is_seen_as_pending(tmp_path):
    from counter.storage import health_sql

    path = tmp_path / "old.db"
    db = open_database(path, migrate=False)
    apply_migrations(db, stop_before=health_sql.MIGRATION_NAMES[-1])
    assert not health_sql.all_applied(db.conn)
    db.close()
    open_database(path).close()
    conn = sqlite3.connect(path)
    try:
        assert health_sql.all_applied(conn)
    finally:
        conn.close()
