"""SQL for customers: writes, look-ups, search and the customer's history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


# The customers table's columns, named here once; every other list of them is derived from
# these (the shipped migrations in schema.py and frozen_sql.py keep literal copies on purpose:
# a shipped migration never changes).
#
# What a write sets, in this order (bulk writers send tuples in it): a person's fields and
# the columns computed from them on every save (DERIVED_COLUMNS). Besides these the table has
# id, gid, created_at, updated_at, last_visit_at and erased_at.
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
DERIVED_COLUMNS = ("phone_digits", "phone_rev", "search_key")
# What a person types into the customer form or a file holds (counter.customers.CustomerInput),
# what is exported and what syncs between counters.
CUSTOMER_FIELDS = tuple(c for c in CUSTOMER_COLUMNS if c not in DERIVED_COLUMNS)
# What the search key and the phone digits are made from: a change to any of these (or a new
# key rule) makes them stale (counter.reindex).
SEARCH_KEY_SOURCES = ("given_name", "family_name", "native_name", "email", "phone")
# Erasing a customer blanks every column but the language (statistics by language); the form
# of address goes back to its default.
ERASED_VALUES = {
    c: "formal" if c == "formality" else "" for c in CUSTOMER_COLUMNS if c != "language"
}

Row = dict[str, Any]


def insert_customer(db: Database, values: Mapping[str, Any], now: int) -> int:
    cols = [c for c in CUSTOMER_COLUMNS if c in values]
    sql = (
        f"INSERT INTO customers ({', '.join(cols)}, created_at, updated_at) "
        f"VALUES ({', '.join('?' for _ in cols)}, ?, ?)"
    )
    cursor = db.execute(sql, [values[c] for c in cols] + [now, now])
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


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
    # "!= ''" lets SQLite use the partial indexes (a full scan of a million rows otherwise).
    if phone_digits:
        clauses.append("(phone_digits = ? AND phone_digits != '')")
        params.append(phone_digits)
    if card:
        clauses.append("(card = ? AND card != '')")
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


# ``customers_recent_fts`` (migration m003) files each customer under the rowid
# (last_visit_at or 0) * 2^30 + id, so that rowid order is recency order.
RECENT_KEY_BITS = 30
_RECENT_ID = f"(s.rowid & {(1 << RECENT_KEY_BITS) - 1})"  # the customer id in the rowid
_RECENT_COLUMNS = "search_key, phone_rev, phone_digits, card"

# Customers with ids in [?, ?] into the recency index, as m003's triggers would file them, in
# rowid order: FTS5 then appends instead of splitting its segments (5x faster than in id order).
FILL_RECENT_SEARCH = f"""
    INSERT INTO customers_recent_fts (rowid, {_RECENT_COLUMNS})
    SELECT (coalesce(c.last_visit_at, 0) * {1 << RECENT_KEY_BITS} + c.id) AS k,
        c.search_key, c.phone_rev, c.phone_digits, c.card
    FROM customers c
    WHERE c.erased_at IS NULL AND c.id BETWEEN ? AND ? ORDER BY k
"""


def search_customers(
    db: Database, *, card: str, name_queries: Sequence[str], digits: str, limit: int
) -> list[Row]:
    """Best matches first: exact card, then each of ``name_queries`` (ready-quoted FTS5
    expressions over the folded name, most exact first), then phone tails, phone prefixes and
    card prefixes; within each group the most recently seen customer first.

    Every group is one walk down ``customers_recent_fts`` from its most recent end that stops
    after ``limit`` matches (see migration m003): its cost does not grow with the number of
    customers a short prefix matches."""
    found: dict[int, Row] = {}

    def take(sql: str, params: list[Any]) -> None:
        if len(found) < limit:
            for row in db.query(sql, [*params, limit]):
                found.setdefault(row["id"], row)

    recent = f"""
        SELECT {_RESULT_COLUMNS} FROM customers_recent_fts s JOIN customers c ON c.id = {_RECENT_ID}
        WHERE customers_recent_fts MATCH ? AND c.erased_at IS NULL
        ORDER BY s.rowid DESC LIMIT ?
    """
    if card:
        # "card != ''" lets SQLite use the partial index customers_card.
        take(
            f"""SELECT {_RESULT_COLUMNS} FROM customers c
                WHERE c.card = ? AND c.card != '' AND c.erased_at IS NULL LIMIT ?""",
            [card],
        )
    for query in name_queries:
        take(recent, [f"search_key : ({query})"])
    if digits:
        for column, prefix in (
            ("phone_rev", digits[::-1]),
            ("phone_digits", digits),
            ("card", digits),
        ):
            take(recent, [f'{column} : "{prefix}"*'])  # digits only: nothing to escape
    return list(found.values())[:limit]


# The full-text indexes' insert triggers. A bulk insert may set them aside and then index the
# new rows in one statement per index (index_customer_range): several times faster.
SEARCH_INSERT_TRIGGERS = ("customers_fts_insert", "customers_recent_fts_insert")
SEARCH_INDEXES = ("customers_fts", "customers_recent_fts")


def index_customer_range(db: Database, first_id: int, last_id: int) -> None:
    """Add customers ``first_id``..``last_id``, inserted while the triggers were aside, to both
    search indexes."""
    db.execute(
        "INSERT INTO customers_fts (rowid, search_key) "
        "SELECT id, search_key FROM customers WHERE id BETWEEN ? AND ?",
        [first_id, last_id],
    )
    db.execute(FILL_RECENT_SEARCH, [first_id, last_id])


def rebuild_search_indexes(db: Database) -> None:
    """Both full-text indexes again from the customers table (after a bulk load that set all
    their triggers aside)."""
    db.execute("INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')")
    db.execute("INSERT INTO customers_recent_fts (customers_recent_fts) VALUES ('delete-all')")
    db.execute(FILL_RECENT_SEARCH, [0, 1 << RECENT_KEY_BITS])


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


def count_customers(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM customers WHERE erased_at IS NULL").fetchone()[0])
