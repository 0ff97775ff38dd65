"""Looking at a database file without changing it: integrity check, what it holds, and which
migrations wrote it."""

from __future__ import annotations

import sqlite3

# The migrations this build knows, in the order they apply, written out so that start-up can
# tell whether a file needs migrating with plain sqlite3, without importing sqlite-utils
# (schema.py builds them with it). A new migration in schema.py is added here too;
# tests/storage/test_migrations.py fails until it is.
MIGRATION_SET = "counter"
MIGRATION_NAMES = (
    "m001_initial",
    "m002_auth_lockout",
    "m003_search_by_recency",
    "m004_dashboard_summary",
    "m005_overdue_follow_ups",
    "m006_overdue_by_owner",
    "m007_step_servers",
    "m008_feedback",
    "m009_sync",
    "m010_stale_search_keys",
    "m011_visit_place",
)


def quick_check(conn: sqlite3.Connection, max_errors: int = 10) -> list[str]:
    """``PRAGMA quick_check``: ``[]`` when the file is sound, else the first problems found."""
    rows = [r[0] for r in conn.execute(f"PRAGMA quick_check({int(max_errors)})")]
    return [] if rows == ["ok"] else rows


def table_names(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def counter_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the Counter migrations recorded in the file, oldest first."""
    if "_sqlite_migrations" not in table_names(conn):
        return []
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET],
        )
    ]


def known_migrations() -> list[str]:
    return list(MIGRATION_NAMES)


def all_applied(conn: sqlite3.Connection) -> bool:
    """Whether the file holds every migration this build knows and nothing pends: opening
    it needs no migration (and no backup before one)."""
    return tuple(counter_migrations(conn)) == MIGRATION_NAMES


def settings(conn: sqlite3.Connection) -> dict[str, str]:
    """The store settings as stored (``settings_sql.all_settings`` over plain sqlite3)."""
    return {key: value for key, value in conn.execute("SELECT key, value FROM settings")}
