"""The one place that owns the SQLite connection, the schema migrations and every SQL statement.

Submodules:
    connection   open a database file with the pragmas Counter relies on
    schema       the migrations (sqlite-utils ``Migrations``), applied on every open
    customer_sql customers, search and the customer's history
    visit_sql    visits, their steps, follow-ups
    settings_sql key/value settings and staff
    staff_sql    staff sign-in: PIN hashes, wrong-PIN counts, lockout
    audit_sql    the audit log
    report_sql   the manager's visit log, timelines and dashboard aggregates
    dashboard_sql the dashboard from its summary tables (m004)
"""

from counter.storage import customer_sql, settings_sql, visit_sql
from counter.storage.connection import (
    Database,
    open_database,
    open_memory_database,
    write_transaction,
)

__all__ = [
    "Database",
    "customer_sql",
    "open_database",
    "open_memory_database",
    "settings_sql",
    "visit_sql",
    "write_transaction",
]
