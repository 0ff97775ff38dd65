"""The counter's own customers as the chain's visit log on the hub names them: customers are
hub-wide, so every joined counter holds every one, indexed (m001's customers_fts, the phone
tails of m002); the office's log narrows to their global ids (``counter.office``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def customer_gids(db: Database, *, fts: str = "", digits: str = "", limit: int) -> list[str]:
    """Up to ``limit`` global ids of the customers an FTS5 query (ready-quoted) or a phone
    number's tail matches; customers not synced yet (no gid) are left out."""
    if fts:
        sql = """SELECT gid FROM customers WHERE gid IS NOT NULL
                 AND id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)
                 LIMIT ?"""
        params: list[object] = [fts, limit]
    elif digits:
        rev = digits[::-1]
        # `phone_rev != ''` states the partial index's condition, or SQLite scans.
        sql = """SELECT gid FROM customers WHERE gid IS NOT NULL
                 AND phone_rev != '' AND phone_rev >= ? AND phone_rev < ? LIMIT ?"""
        params = [rev, rev[:-1] + chr(ord(rev[-1]) + 1), limit]
    else:
        return []
    return [row[0] for row in db.execute(sql, params).fetchall()]


def customer_id_of(db: Database, gid: str) -> int | None:
    row = db.execute("SELECT id FROM customers WHERE gid = ?", [gid]).fetchone()
    return int(row[0]) if row else None
