"""Looking at a database file without changing it: integrity check, what it holds, and which
migrations wrote it."""

from __future__ import annotations

import sqlite3

from counter.storage.schema import MIGRATIONS, migration_names


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
            [MIGRATIONS.name],
        )
    ]


def known_migrations() -> list[str]:
    return migration_names()
