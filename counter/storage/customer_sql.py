"""SQL for customers: writes, look-ups, search and the customer's history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

CUSTOMER_COLUMNS = (
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
)

Row = dict[str, Any]


def insert_customer(db: Database, values: Mapping[str, Any], now: int) -> int:
    cols = [c for c in CUSTOMER_COLUMNS if c in values]
    sql = (
        f"INSERT INTO customers ({', '.join(cols)}, created_at, updated_at) "
        f"VALUES ({', '.join('?' for _ in cols)}, ?, ?)"
    )
    cursor = db.execute(sql, [values[c] for c in cols] + [now, now])
    return int(cursor.lastrowid)


def update_customer(db: Database, customer_id: int, values: Mapping[str, Any], now: int) -> bool:
    cols = [c for c in CUSTOMER_COLUMNS if c in values]
    assignments = ", ".join(f"{c} = ?" for c in cols)
    cursor = db.execute(
        f"UPDATE customers SET {assignments}, updated_at = ? WHERE id = ? AND erased_at IS NULL",
        [values[c] for c in cols] + [now, customer_id],
    )
    return cursor.rowcount == 1


def get_customer(db: Database, customer_id: int) -> Row | None:
    rows = list(db.query("SELECT * FROM customers WHERE id = ?", [customer_id]))
    return rows[0] if rows else None


def find_by_phone_or_card(db: Database, phone_digits: str, card: str, email: str) -> list[Row]:
    """Customers that already hold this phone, card or e-mail (duplicate warnings)."""
    clauses, params = [], []
    if phone_digits:
        clauses.append("phone_digits = ?")
        params.append(phone_digits)
    if card:
        clauses.append("card = ?")
        params.append(card)
    if email:
        clauses.append("email = ? COLLATE NOCASE")
        params.append(email)
    if not clauses:
        return []
    sql = f"SELECT * FROM customers WHERE erased_at IS NULL AND ({' OR '.join(clauses)})"
    return list(db.query(sql, params))


_RESULT_COLUMNS = """
    c.id, c.given_name, c.family_name, c.native_name, c.language, c.phone, c.card,
    c.last_visit_at
"""


def search_customers(
    db: Database, *, card: str, fts_exact: str, fts_prefix: str, digits: str, limit: int
) -> list[Row]:
    """Best matches first: exact card, exact words, word prefixes, phone tails; within each
    group the most recently seen customer first. ``fts_*`` are ready-quoted FTS5 queries."""
    found: dict[int, Row] = {}

    def take(sql: str, params: list[Any]) -> None:
        if len(found) >= limit:
            return
        for row in db.query(sql, [*params, limit]):
            found.setdefault(row["id"], row)

    recent = "ORDER BY c.last_visit_at IS NULL, c.last_visit_at DESC LIMIT ?"
    live = "c.erased_at IS NULL"
    if card:
        take(
            f"SELECT {_RESULT_COLUMNS} FROM customers c WHERE c.card = ? AND {live} {recent}",
            [card],
        )
    if fts_exact:
        fts = f"""
            SELECT {_RESULT_COLUMNS} FROM customers_fts f JOIN customers c ON c.id = f.rowid
            WHERE customers_fts MATCH ? AND {live} {recent}
        """
        take(fts, [fts_exact])
        take(fts, [fts_prefix])
    if digits:
        low, high = _prefix_range(digits[::-1])
        take(
            f"""SELECT {_RESULT_COLUMNS} FROM customers c
                 WHERE c.phone_rev >= ? AND c.phone_rev < ? AND {live} {recent}""",
            [low, high],
        )
        low, high = _prefix_range(digits)
        take(
            f"""SELECT {_RESULT_COLUMNS} FROM customers c
                 WHERE c.phone_digits >= ? AND c.phone_digits < ? AND {live} {recent}""",
            [low, high],
        )
        take(
            f"""SELECT {_RESULT_COLUMNS} FROM customers c
                 WHERE c.card >= ? AND c.card < ? AND {live} {recent}""",
            [*_prefix_range(digits)],
        )
    return list(found.values())[:limit]


def _prefix_range(prefix: str) -> tuple[str, str]:
    """Bounds such that ``low <= s < high`` exactly when ``s`` starts with ``prefix``: an index
    range scan, unlike LIKE, which SQLite will not use on these columns."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def recent_visits(db: Database, customer_id: int, limit: int) -> list[Row]:
    return list(
        db.query(
            """
            SELECT v.id, v.arrived_at, v.started_at, v.ended_at, v.status, v.need, v.solution,
                   v.outcome, v.complaint, s.name AS staff_name
            FROM visits v LEFT JOIN staff s ON s.id = v.staff_id
            WHERE v.customer_id = ?
            ORDER BY v.arrived_at DESC LIMIT ?
            """,
            [customer_id, limit],
        )
    )


def open_follow_ups(db: Database, customer_id: int) -> list[Row]:
    return list(
        db.query(
            """
            SELECT f.id, f.description, f.due_at, f.created_at, s.name AS owner_name
            FROM follow_ups f LEFT JOIN staff s ON s.id = f.owner_id
            WHERE f.customer_id = ? AND f.closed_at IS NULL
            ORDER BY f.due_at
            """,
            [customer_id],
        )
    )


def count_customers(db: Database) -> int:
    return db.execute("SELECT count(*) FROM customers WHERE erased_at IS NULL").fetchone()[0]
