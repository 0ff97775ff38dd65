"""SQL for repairing search keys written outside Counter (see m007 in ``schema``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from counter.storage.customer_sql import SEARCH_KEY_SOURCES

if TYPE_CHECKING:
    from sqlite_utils import Database


Row = dict[str, Any]

_SOURCE = ", ".join(("id", *SEARCH_KEY_SOURCES, "search_key", "phone_digits"))


def has_stale(db: Database) -> bool:
    """Whether any customer is noted as having a stale key: one look at a small table."""
    return bool(db.execute("SELECT EXISTS (SELECT 1 FROM stale_search_keys)").fetchone()[0])


def stale_rows(db: Database, limit: int) -> list[Row]:
    """Noted customers (ids in order) with what their keys are computed from."""
    return list(
        db.query(
            f"SELECT s.customer_id AS noted, {_SOURCE}, erased_at FROM stale_search_keys s "
            "LEFT JOIN customers c ON c.id = s.customer_id ORDER BY s.customer_id LIMIT ?",
            [limit],
        )
    )


def live_customers(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM customers WHERE erased_at IS NULL").fetchone()[0])


def customer_rows(db: Database, after_id: int, limit: int) -> list[Row]:
    """Live customers with ids above ``after_id``, in id order."""
    return list(
        db.query(
            f"SELECT {_SOURCE} FROM customers WHERE id > ? AND erased_at IS NULL "
            "ORDER BY id LIMIT ?",
            [after_id, limit],
        )
    )


def set_keys(db: Database, rows: Iterable[tuple[str, str, str, int]]) -> None:
    """(search_key, phone_digits, phone_rev, id) for each customer to correct."""
    db.conn.executemany(
        "UPDATE customers SET search_key = ?, phone_digits = ?, phone_rev = ? WHERE id = ?",
        list(rows),
    )


def forget_stale(db: Database, ids: Iterable[int]) -> None:
    db.conn.executemany("DELETE FROM stale_search_keys WHERE customer_id = ?", [(i,) for i in ids])


def forget_stale_up_to(db: Database, last_id: int) -> None:
    db.execute("DELETE FROM stale_search_keys WHERE customer_id <= ?", [last_id])


# The version of the rule that computed the stored search keys (counter.search.
# SEARCH_KEY_VERSION), kept in the settings table; missing means keys from before version 2.
KEY_VERSION_SETTING = "search_key_version"


def key_version(db: Database) -> int:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [KEY_VERSION_SETTING]).fetchone()
    try:
        return int(row[0]) if row else 1
    except ValueError:
        return 1


def note_every_customer(db: Database, version: int) -> None:
    """Keys computed by an older rule: every live customer is noted for repair (the worker
    rewrites them a few hundred at a time), and the new rule's version is recorded."""
    db.execute(
        "INSERT OR IGNORE INTO stale_search_keys (customer_id) "
        "SELECT id FROM customers WHERE erased_at IS NULL"
    )
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [KEY_VERSION_SETTING, str(version)],
    )
