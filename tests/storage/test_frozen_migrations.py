"""Shipped migrations are frozen: they run literal SQL, the same text they ran when they shipped,
and a file upgraded one migration at a time ends with the schema of a new file."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from counter.storage import frozen_sql, open_memory_database, write_transaction
from counter.storage.schema import MIGRATIONS, apply_migrations, migration_names
from tests.core.test_dashboard_summary import assert_summary_matches_a_fresh_fill
from tests.storage import shipped_helpers

NOW = 1_795_512_600


def test_frozen_sql_is_what_the_shipped_helpers_built():
    m003 = [*frozen_sql.M003_SEARCH_BY_RECENCY, frozen_sql.M003_FILL]
    assert m003 == shipped_helpers.m003_statements()
    m004 = frozen_sql.M004_DASHBOARD_SUMMARY
    assert m004 == shipped_helpers.m004_statements()


def _schema(db: Database) -> list[tuple]:
    return db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


def _add_rows(db: Database, step: int) -> None:
    """A few rows of every kind, with only the columns m001 created (any later migration may
    follow): a customer with two ended visits and their steps, a walk-in, a follow-up."""
    base = step * 10
    with write_transaction(db):
        db.execute(
            "INSERT INTO staff (id, name, created_at) VALUES (?, ?, ?)", [base + 1, "Ana", NOW]
        )
        db.execute(
            "INSERT INTO customers (id, given_name, family_name, phone_digits, phone_rev,"
            " search_key, created_at, updated_at) VALUES (?, ?, 'Kovács', ?, ?, ?, ?, ?)",
            [base + 1, f"Anna{step}", f"3620{base:04d}", f"{base:04d}0263",
             f"anna{step} kovacs", NOW, NOW],
        )  # fmt: skip
        for visit, arrived in ((base + 1, NOW - 86_400 * step), (base + 2, NOW - 600 * step)):
            db.execute(
                "INSERT INTO visits (id, customer_id, staff_id, status, arrived_at, started_at,"
                " ended_at, outcome, complaint, updated_at)"
                " VALUES (?, ?, ?, 'ended', ?, ?, ?, 'bought', ?, ?)",
                [visit, base + 1, base + 1, arrived, arrived + 90, arrived + 400, step % 2, NOW],
            )
            for position, key in enumerate(("greet", "needs", "thank"), start=1):
                db.execute(
                    "INSERT INTO visit_steps (visit_id, position, step_key, label, status, at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [visit, position, key, key.title(),
                     "done" if position != 2 else "skipped", arrived + 100],
                )  # fmt: skip
        db.execute(
            "INSERT INTO visits (id, status, arrived_at, updated_at, walk_in_name)"
            " VALUES (?, 'waiting', ?, ?, 'Walk-in')",
            [base + 3, NOW, NOW],
        )
        db.execute(
            "INSERT INTO follow_ups (customer_id, visit_id, owner_id, description, due_at,"
            " created_at) VALUES (?, ?, ?, 'Call back', ?, ?)",
            [base + 1, base + 1, base + 1, NOW - 86_400, NOW],
        )


def test_a_file_upgraded_step_by_step_has_the_schema_of_a_new_one():
    fresh = open_memory_database()
    old = Database(memory=True)
    old.execute("PRAGMA foreign_keys = ON")
    names = migration_names()
    for step, name in enumerate(names[1:], start=1):
        apply_migrations(old, stop_before=name)
        assert MIGRATIONS.pending(old)[0].name == name
        _add_rows(old, step)
    apply_migrations(old)
    _add_rows(old, len(names))

    assert MIGRATIONS.pending(old) == []
    assert _schema(old) == _schema(fresh)
    # What the migrations backfilled and what their triggers kept since agree.
    assert_summary_matches_a_fresh_fill(old)
    for step in range(1, len(names) + 1):
        found = old.execute(
            "SELECT rowid & ((1 << 30) - 1) FROM customers_recent_fts"
            " WHERE customers_recent_fts MATCH ?",
            [f'search_key : "anna{step}"'],
        ).fetchall()
        assert found == [(step * 10 + 1,)]


def test_stopping_before_a_migration_that_does_not_exist_is_refused():
    db = Database(memory=True)
    with pytest.raises(ValueError, match="m999_typo"):
        apply_migrations(db, stop_before="m999_typo")
    assert "_sqlite_migrations" not in db.table_names()
