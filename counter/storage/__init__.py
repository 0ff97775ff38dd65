"""The one place that owns the SQLite connection, the schema migrations and every SQL statement.

Submodules:
    connection    open a database file with the pragmas Counter relies on
    schema        the migrations (sqlite-utils ``Migrations``), applied on every open
    frozen_sql    the literal SQL of shipped migrations m003 and m004 (never edited)
    customer_sql  customers, search and the customer's history
    visit_sql     visits, their checklist steps, follow-ups
    settings_sql  the store's key/value settings
    staff_sql     staff members, sign-in: PIN hashes, wrong-PIN counts, lockout
    phrase_sql    the manager's phrase overrides
    audit_sql     the audit log
    report_sql    the manager's visit log, timelines and dashboard aggregates
    dashboard_sql the dashboard from its summary tables (m004)
    privacy_sql   everything held about one customer, and erasing it
    transfer_sql  importing and exporting many customers
    backup_sql    backups with SQLite's online backup API
    health_sql    looking at a file without changing it (integrity, migrations)
    bench_sql     ``counter bench``: the synthetic database and its baselines
"""

from typing import TYPE_CHECKING

from counter.storage import customer_sql, settings_sql, visit_sql
from counter.storage.connection import (
    open_database,
    open_memory_database,
    write_transaction,
)

if TYPE_CHECKING:  # sqlite-utils loads on the first open (see connection.py)
    from sqlite_utils import Database

__all__ = [
    "Database",
    "customer_sql",
    "open_database",
    "open_memory_database",
    "settings_sql",
    "visit_sql",
    "write_transaction",
]


def __getattr__(name: str) -> object:
    # ``from counter.storage import Database`` still works, loading sqlite-utils then.
    if name == "Database":
        from sqlite_utils import Database

        return Database
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
