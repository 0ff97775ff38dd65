"""SQL for importing many customers inside one transaction, and for exporting them all.

Per-row FTS triggers make a million inserts three times slower than they need to be; during an
import the insert trigger is set aside, the new rows are added to ``customers_fts`` in bulk,
and the trigger is put back, all inside the import's transaction: a failed or cancelled import
rolls all of it back, trigger included. The customers' other insert triggers (global id, the
hub's outbox, stale search keys) are set aside the same way when they would do nothing for the
new rows or their work can be done for a range of rows at once. A big load into a smaller
table does the same with the table's lookup indexes (dropped, then built again in one sort
each).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from counter.storage import customer_sql
from counter.storage.customer_sql import CUSTOMER_COLUMNS

if TYPE_CHECKING:
    from sqlite_utils import Database

# A load of at least this many rows (and as many as the table holds) rebuilds the lookup
# indexes once at the end instead of inserting into them row by row (see BulkCustomerWriter).
BULK_INDEX_FROM_ROWS = 50_000
# Negative: KiB, i.e. 1 GiB. A ceiling, not an allocation: a million customers with both search
# indexes are ~400 MB of pages, all dirty until the import commits; a smaller cache spills them
# to the WAL mid-transaction and reads them back for the next rows and index steps.
IMPORT_CACHE_KIB = -1024 * 1024
# FTS5 keeps the terms of the rows being indexed in memory up to this many bytes (its
# 'hashsize', 1 MiB unless set) and writes a segment each time it fills: at 1 MiB one index
# step of 50,000 customers makes dozens of small segments that are then merged again. Set for
# the import only, inside its transaction; the file keeps no trace of it.
IMPORT_FTS_HASH_BYTES = 64 << 20
_FTS_DEFAULT_HASH_BYTES = 1 << 20
# The global id (m009) is made here, not by the customers_gid trigger: one UPDATE per row less.
_INSERT = (
    f"INSERT INTO customers (id, {', '.join(CUSTOMER_COLUMNS)}, created_at, updated_at, gid) "
    f"VALUES ({', '.join('?' for _ in range(len(CUSTOMER_COLUMNS) + 3))}, "
    "lower(hex(randomblob(16))))"
)


# A row-by-row insert trigger on customers: "CREATE TRIGGER name AFTER INSERT ON customers
# WHEN condition BEGIN body END" (how m009 and m010 write theirs).
_INSERT_TRIGGER = re.compile(
    r"\s*CREATE TRIGGER (?P<name>\w+) AFTER INSERT ON customers\s+WHEN\s+(?P<when>.*?)\s+"
    r"BEGIN\s+(?P<body>.*?)\s*END\s*",
    re.DOTALL | re.IGNORECASE,
)
# A body that notes the new row's id in a table of ids (m010's stale_search_keys).
_NOTE_ID = re.compile(
    r"INSERT OR IGNORE INTO (?P<table>\w+) \((?P<column>\w+)\) VALUES \(new\.id\);?",
    re.IGNORECASE,
)


def existing_keys(db: Database) -> Iterator[tuple[int, str, str, str]]:
    """(id, phone digits, lower-case e-mail, card) of every live customer: duplicate checks."""
    yield from db.conn.execute(
        "SELECT id, phone_digits, lower(email), card FROM customers WHERE erased_at IS NULL"
    )


def next_customer_id(db: Database) -> int:
    return int(db.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM customers").fetchone()[0])


class BulkCustomerWriter:
    """Use only inside a write transaction; call :meth:`finish` before it commits."""

    def __init__(self, db: Database, expected_rows: int = 0):
        self._conn = db.conn
        self._db = db
        # Loading at least as many rows as the table holds, its lookup indexes (phone, card,
        # last visit) are dropped and built again in finish(): sorting once is twice as fast as
        # a million inserts at random places in each (nothing reads them during the import).
        self._index_sql: list[str] = []
        if expected_rows >= BULK_INDEX_FROM_ROWS and expected_rows >= self._row_count():
            for name, sql in self._conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'customers' AND sql IS NOT NULL"
            ).fetchall():
                self._index_sql.append(sql)
                self._conn.execute(f"DROP INDEX {name}")
        # Every search index's insert trigger (customers_fts, customers_recent_fts) is set aside.
        self._trigger_sql: list[str] = []
        for name in customer_sql.SEARCH_INSERT_TRIGGERS:
            row = self._conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]
            ).fetchone()
            if row:
                self._trigger_sql.append(row[0])
                self._conn.execute(f"DROP TRIGGER {name}")
        # The other insert triggers do nothing for the rows this writer inserts, or something the
        # writer does for a range of rows at once; they are set aside too (see _bulk_triggers).
        self._note_sql: list[str] = []
        self._trigger_sql += self._bulk_triggers()
        # A big page cache while a million rows land in four indexes; put back in finish().
        self._cache_size = self._conn.execute("PRAGMA cache_size").fetchone()[0]
        self._conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        self._fts_hash_set: list[tuple[str, Any]] = []
        if expected_rows >= BULK_INDEX_FROM_ROWS:
            for table in customer_sql.SEARCH_INDEXES:
                self._fts_hash_set.append((table, self._fts_config(table, "hashsize")))
                self._set_fts_config(table, "hashsize", IMPORT_FTS_HASH_BYTES)
        self._indexed_below = next_customer_id(db)  # rows from here on are not in the FTS yet
        self._inserted_upto = self._indexed_below - 1

    def _bulk_triggers(self) -> list[str]:
        """Set aside the customers' insert triggers that need not fire row by row in a bulk
        load, and return their SQL (put back in :meth:`finish`). Each costs ~0.6 µs a row just
        to be looked at (a million rows: ~0.6 s each). Set aside, with the same outcome:

        - one that fires only when a new row has no global id (m009's ``customers_gid``):
          every row this writer inserts has one;
        - one whose condition looks at no new row (m009's ``customers_sync_insert``: the
          store is joined to a hub) and is not true now: nothing in the load makes it true;
        - one that notes the new row's id in a table (m010's ``stale_search_key_insert``): the
          same condition over each range of new rows, in :meth:`index_new_rows`, i.e. before
          any of them is updated and while they still hold the values they were inserted with.

        Any other insert trigger (a shape this does not know) keeps firing row by row."""
        aside = []
        for name, sql in self._conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'customers' ORDER BY name"
        ).fetchall():
            match = _INSERT_TRIGGER.fullmatch(sql or "")
            if match is None or match["name"] != name:
                continue
            when, body = match["when"], match["body"]
            if re.fullmatch(r"new\.gid\s+IS\s+NULL", when, re.IGNORECASE):
                pass
            elif "new." not in when.lower():
                if self._conn.execute(f"SELECT coalesce(({when}), 0)").fetchone()[0]:
                    continue
            elif note := _NOTE_ID.fullmatch(body):
                self._note_sql.append(
                    f"INSERT OR IGNORE INTO {note['table']} ({note['column']}) "
                    f"SELECT id FROM customers AS new WHERE id BETWEEN ? AND ? AND ({when})"
                )
            else:
                continue
            aside.append(sql)
            self._conn.execute(f"DROP TRIGGER {name}")
        return aside

    def _fts_config(self, table: str, key: str) -> Any:
        row = self._conn.execute(f"SELECT v FROM {table}_config WHERE k = ?", [key]).fetchone()
        return row[0] if row else None

    def _set_fts_config(self, table: str, key: str, value: Any) -> None:
        self._conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES (?, ?)", [key, value])

    def _restore_fts_hash(self) -> None:
        """Each search index's 'hashsize' as it was: the value it had, or none (the default
        in this connection, and no row in its config table, as before the import)."""
        for table, before in self._fts_hash_set:
            self._set_fts_config(table, "hashsize", before or _FTS_DEFAULT_HASH_BYTES)
            if before is None:
                self._conn.execute(f"DELETE FROM {table}_config WHERE k = 'hashsize'")
        self._fts_hash_set = []

    def _row_count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM customers").fetchone()[0])

    def insert_many(self, rows: Sequence[Sequence[Any]]) -> None:
        """Rows of (id, *CUSTOMER_COLUMNS, created_at, updated_at), ids ascending."""
        if rows:
            self._conn.executemany(_INSERT, rows)
            self._inserted_upto = max(self._inserted_upto, rows[-1][0])

    def unindexed_rows(self) -> int:
        """How many of the rows inserted so far are not in the search indexes yet."""
        return self._inserted_upto - self._indexed_below + 1

    def index_new_rows(self) -> None:
        """Add the rows inserted so far to the search index, and note those the set-aside
        insert triggers would have noted (before one of them is updated: the update trigger
        expects the row to be indexed already, and the notes are of the values inserted)."""
        if self._inserted_upto >= self._indexed_below:
            customer_sql.index_customer_range(self._db, self._indexed_below, self._inserted_upto)
            for sql in self._note_sql:
                self._conn.execute(sql, [self._indexed_below, self._inserted_upto])
            self._indexed_below = self._inserted_upto + 1

    def finish(self) -> None:
        self._conn.execute(f"PRAGMA cache_size = {int(self._cache_size)}")
        self.index_new_rows()
        self._restore_fts_hash()
        for sql in self._trigger_sql + self._index_sql:
            self._conn.execute(sql)
        self._trigger_sql, self._index_sql = [], []


EXPORT_COLUMNS = ("id", *CUSTOMER_COLUMNS, "created_at", "updated_at", "last_visit_at")


def iter_customers(db: Database) -> Iterator[tuple[Any, ...]]:
    """Every live customer in id order, as :data:`EXPORT_COLUMNS` tuples (streamed)."""
    yield from db.conn.execute(
        f"SELECT {', '.join(EXPORT_COLUMNS)} FROM customers WHERE erased_at IS NULL ORDER BY id"
    )
