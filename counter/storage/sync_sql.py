"""SQL for sync on the counter's side: the one-row sync state, the outbox the m009 triggers
fill, the field clocks, and reading and writing synced rows by global id.

Table and field names come from counter/sync/tables.py, never from input. Rows travel as
dicts of their synced fields with foreign keys as global ids (``gid``); visit steps, which have
no id of their own, are ``<visit gid>/<step key>``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from counter.sync.tables import BY_NAME, ERASED_TEXT, TABLES
from counter.sync.tables import Table as TableSpec

if TYPE_CHECKING:
    from sqlite_utils import Database

Row = dict[str, Any]
# The same expression as migration m009's triggers: tick the hybrid logical clock.
_TICK = """UPDATE sync_state SET hlc = max(hlc + 1,
    (CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + clock_offset_ms) << 16)"""


def state(db: Database) -> Row:
    return next(iter(db.query("SELECT * FROM sync_state WHERE id = 1")))


def join(
    db: Database,
    *,
    hub: str,
    store: str,
    store_id: int,
    counter_gid: str,
    now: int,
    counter_name: str = "",
) -> None:
    """Record the hub, the store and this counter; the visits made here before joining are
    this counter's (m011: a visit records its store and counter)."""
    db.execute(
        """UPDATE sync_state SET joined = 1, hub = ?, store = ?, store_id = ?, counter_gid = ?,
               counter_name = ?, joined_at = ?, cursor_txid = '0', cursor_seq = 0,
               last_error = ''""",
        [hub, store, store_id, counter_gid, counter_name, now],
    )
    db.execute(
        """UPDATE visits SET store_id = ?, store_name = ?, counter_gid = ?, counter_name = ?
           WHERE store_id IS NULL""",
        [store_id, store, counter_gid, counter_name],
    )


# --- where each visit was made (m011) ----------------------------------------------------------


def mark_places_pending(db: Database) -> None:
    """Visits may arrive without their place (a bulk first download): fill_visit_places."""
    db.execute("UPDATE sync_state SET places_pending = 1")


def places_pending(db: Database) -> bool:
    return bool(db.execute("SELECT places_pending FROM sync_state").fetchone()[0])


def fill_visit_places(db: Database) -> int:
    """When marked: every visit without a place gets this counter's store and the counter
    whose clock wrote its arrival (the one that made it), its name asked of the hub later."""
    if not places_pending(db):
        return 0
    cursor = db.execute(
        """UPDATE visits SET store_id = s.store_id, store_name = s.store,
               counter_gid = coalesce(
                   (SELECT coalesce(json_extract(c.clocks, '$."*"[1]'),
                                    json_extract(c.clocks, '$.arrived_at[1]'))
                    FROM sync_clock c WHERE c.tbl = 'visits' AND c.gid = visits.gid),
                   s.counter_gid)
           FROM sync_state s WHERE s.joined = 1 AND visits.store_id IS NULL"""
    )
    db.execute("UPDATE sync_state SET places_pending = 0")
    return int(cursor.rowcount)


def unnamed_counters(db: Database) -> list[str]:
    """Counters some visits name without a name yet (and this counter when its own name is
    not known: a file joined before m011)."""
    found = [
        r[0]
        for r in db.execute(
            """SELECT DISTINCT counter_gid FROM visits
               WHERE counter_name IS NULL AND counter_gid IS NOT NULL"""
        )
    ]
    me = db.execute(
        "SELECT counter_gid FROM sync_state WHERE joined = 1 AND counter_name IS NULL"
    ).fetchone()
    if me and me[0] not in found:
        found.append(me[0])
    return found


def name_counters(db: Database, names: Mapping[str, str]) -> None:
    """The hub's names for these counters onto the visits that had none yet."""
    db.conn.executemany(
        "UPDATE visits SET counter_name = ? WHERE counter_gid = ? AND counter_name IS NULL",
        [(name, gid) for gid, name in names.items()],
    )
    db.conn.executemany(
        "UPDATE sync_state SET counter_name = ? WHERE counter_gid = ? AND counter_name IS NULL",
        [(name, gid) for gid, name in names.items()],
    )


def visit_place(db: Database, store_id: int, counter_gid: str) -> Row:
    """The place columns of a visit downloaded from the hub (a store's visits stay in it: the
    store is this counter's; the counter's name comes with unnamed_counters/name_counters)."""
    row = db.execute("SELECT store_id, store FROM sync_state").fetchone()
    return {
        "store_id": store_id,
        "store_name": row[1] if row[0] == store_id else None,
        "counter_gid": counter_gid,
        "counter_name": None,
    }


def set_applying(db: Database, applying: bool) -> None:
    db.execute("UPDATE sync_state SET applying = ?", [int(applying)])


def receive_clock(db: Database, seen: int) -> None:
    db.execute("UPDATE sync_state SET hlc = max(hlc, ?)", [seen])


def set_cursor(db: Database, txid: str, seq: int) -> None:
    db.execute("UPDATE sync_state SET cursor_txid = ?, cursor_seq = ?", [txid, seq])


def record_attempt(db: Database, *, now: int | None, error: str) -> None:
    """After a sync: when it last succeeded (``now``; None leaves it) and what went wrong."""
    if now is None:
        db.execute("UPDATE sync_state SET last_error = ?", [error])
    else:
        db.execute("UPDATE sync_state SET last_sync_at = ?, last_error = ?", [now, error])


def set_clock_offset(db: Database, offset_ms: int) -> None:
    db.execute("UPDATE sync_state SET clock_offset_ms = ?", [offset_ms])


# --- the outbox --------------------------------------------------------------------------------


def _ref(field: str, table: str, alias: str) -> str:
    return f"(SELECT gid FROM {table} WHERE id = {alias}.{field})"


def _subject(alias: str) -> str:
    """As migration m009's triggers send it: "customer:42" as "customer@<gid>"."""
    cases = " ".join(
        f"""WHEN {alias}.subject GLOB '{kind}:[0-9]*' THEN coalesce('{kind}@' || (SELECT gid
            FROM {table} WHERE id = CAST(substr({alias}.subject, {len(kind) + 2}) AS INTEGER)),
            {alias}.subject)"""
        for kind, table in SUBJECT_KINDS.items()
    )
    return f"(CASE {cases} ELSE {alias}.subject END)"


SUBJECT_KINDS = {"customer": "customers", "staff": "staff"}


def _value(spec: TableSpec, field: str, alias: str) -> str:
    if field in spec.refs:
        return _ref(field, spec.refs[field], alias)
    if spec.name == "audit_log" and field == "subject":
        return _subject(alias)
    return f"{alias}.{field}"


def _select_fields(table: str, alias: str) -> str:
    spec = BY_NAME[table]
    return ", ".join(f"'{f}', {_value(spec, f, alias)}" for f in spec.fields)


def _key(table: str, alias: str) -> str:
    if table == "visit_steps":
        return f"(SELECT gid FROM visits WHERE id = {alias}.visit_id) || '/' || {alias}.step_key"
    return f"{alias}.gid"


def enqueue_everything(db: Database) -> int:
    """Every existing synced row into the outbox as an insert (joining a hub: the first sync
    uploads what this counter already holds). Returns how many."""
    for spec in TABLES:  # rows loaded with the triggers set aside (the bench's bulk load)
        if spec.name != "visit_steps":
            db.execute(f"UPDATE {spec.name} SET gid = lower(hex(randomblob(16))) WHERE gid IS NULL")
    db.execute(_TICK)
    total = 0
    for spec in TABLES:
        order = "t.visit_id, t.position" if spec.name == "visit_steps" else "t.id"
        cursor = db.execute(
            f"""INSERT INTO sync_outbox (tbl, gid, op, fields, hlc)
                SELECT '{spec.name}', {_key(spec.name, "t")}, 'insert',
                       json_object({_select_fields(spec.name, "t")}),
                       (SELECT hlc FROM sync_state)
                FROM {spec.name} t ORDER BY {order}"""
        )
        total += cursor.rowcount
    return total


def outbox_batch(db: Database, limit: int) -> list[Row]:
    rows = list(db.query("SELECT * FROM sync_outbox ORDER BY seq LIMIT ?", [limit]))
    for row in rows:
        row["fields"] = json.loads(row["fields"])
    return rows


def outbox_count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM sync_outbox").fetchone()[0])


def outbox_done(db: Database, upto_seq: int) -> None:
    db.execute("DELETE FROM sync_outbox WHERE seq <= ?", [upto_seq])


def pending_changes(db: Database, table: str, gids: Sequence[str]) -> list[Row]:
    """Changes of these rows still waiting to go up (their clocks count when merging)."""
    out: list[Row] = []
    for chunk in _chunks(gids):
        out += db.query(
            f"""SELECT gid, fields, hlc FROM sync_outbox
                WHERE tbl = ? AND gid IN ({",".join("?" * len(chunk))}) ORDER BY seq""",
            [table, *chunk],
        )
    for row in out:
        row["fields"] = json.loads(row["fields"])
    return out


# --- field clocks ------------------------------------------------------------------------------


# A row whose fields all carry one clock (made once, never edited: most of them) is stored
# as {"*": clock}: a million downloaded customers take a tenth of the room.
_ALL = "*"


def clocks(db: Database, table: str, gids: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    fields = BY_NAME[table].fields
    for chunk in _chunks(gids):
        for gid, text in db.execute(
            f"""SELECT gid, clocks FROM sync_clock
                WHERE tbl = ? AND gid IN ({",".join("?" * len(chunk))})""",
            [table, *chunk],
        ):
            stored = json.loads(text)
            if _ALL in stored:
                stored = dict.fromkeys(fields, stored[_ALL])
            out[gid] = stored
    return out


def _compact(table: str, clocks_: Mapping[str, Any]) -> str:
    values = list(clocks_.values())
    if len(clocks_) == len(BY_NAME[table].fields) and all(v == values[0] for v in values):
        clocks_ = {_ALL: values[0]}
    return json.dumps(clocks_, separators=(",", ":"))


def put_clocks(db: Database, table: str, items: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
    db.conn.executemany(
        "INSERT INTO sync_clock (tbl, gid, clocks) VALUES (?, ?, ?) "
        "ON CONFLICT (tbl, gid) DO UPDATE SET clocks = excluded.clocks",
        [(table, gid, _compact(table, c)) for gid, c in items],
    )


# --- synced rows by global id ------------------------------------------------------------------


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def local_rows(db: Database, table: str, gids: Sequence[str]) -> dict[str, tuple[Any, Row]]:
    """gid -> (local key, synced fields with foreign keys as gids) for the rows held here.
    The local key is the id, or (visit id, step key) for a visit step."""
    out: dict[str, tuple[Any, Row]] = {}
    spec = BY_NAME[table]
    names = ", ".join(f"{_value(spec, f, 't')} AS {f}" for f in spec.fields)
    for chunk in _chunks(gids):
        marks = ",".join("?" * len(chunk))
        if table == "visit_steps":
            visit_gids = sorted({g.rsplit("/", 1)[0] for g in chunk})
            sql = f"""SELECT v.gid || '/' || t.step_key AS _gid, t.visit_id AS _vid, {names}
                FROM visit_steps t JOIN visits v ON v.id = t.visit_id
                WHERE v.gid IN ({",".join("?" * len(visit_gids))})"""
            params: list[Any] = visit_gids
        else:
            sql = f"""SELECT t.gid AS _gid, t.id AS _id, {names} FROM {table} t
                WHERE t.gid IN ({marks})"""
            params = list(chunk)
        wanted = set(chunk)
        for row in db.query(sql, params):
            gid = row.pop("_gid")
            if gid not in wanted:
                continue
            key = (row.pop("_vid"), row["step_key"]) if table == "visit_steps" else row.pop("_id")
            out[gid] = (key, row)
    return out


def ids_of(db: Database, table: str, gids: Iterable[str]) -> dict[str, int]:
    gids = [g for g in set(gids) if g]
    out: dict[str, int] = {}
    for chunk in _chunks(gids):
        out.update(
            db.execute(
                f"SELECT gid, id FROM {table} WHERE gid IN ({','.join('?' * len(chunk))})",
                list(chunk),
            ).fetchall()
        )
    return out


def customers_of_visits(db: Database, visit_gids: Iterable[str]) -> set[str]:
    """The global ids of these visits' customers (walk-ins have none)."""
    gids = [g for g in set(visit_gids) if g]
    out: set[str] = set()
    for chunk in _chunks(gids):
        out.update(
            r[0]
            for r in db.execute(
                f"""SELECT c.gid FROM visits v JOIN customers c ON c.id = v.customer_id
                    WHERE v.gid IN ({",".join("?" * len(chunk))})""",
                list(chunk),
            )
        )
    return out


def erased_customers(db: Database, gids: Iterable[str]) -> set[str]:
    gids = [g for g in set(gids) if g]
    out: set[str] = set()
    for chunk in _chunks(gids):
        out.update(
            r[0]
            for r in db.execute(
                f"""SELECT gid FROM customers WHERE erased_at IS NOT NULL
                    AND gid IN ({",".join("?" * len(chunk))})""",
                list(chunk),
            )
        )
    return out


def insert_row(db: Database, table: str, gid: str, values: Mapping[str, Any]) -> None:
    """A row first seen in a download (``values``: local column values, ids not gids)."""
    cols = dict(values)
    if table != "visit_steps":
        cols["gid"] = gid
    names = list(cols)
    db.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [cols[n] for n in names],
    )


def update_row(db: Database, table: str, key: Any, changed: Mapping[str, Any]) -> None:
    """Write the columns that changed (local values, ids not gids)."""
    cols = dict(changed)
    names = list(cols)
    sets = ", ".join(f"{n} = ?" for n in names)
    if table == "visit_steps":
        db.execute(
            f"UPDATE visit_steps SET {sets} WHERE visit_id = ? AND step_key = ?",
            [*(cols[n] for n in names), key[0], key[1]],
        )
    else:
        db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*(cols[n] for n in names), key])


def blank_erased_text(db: Database, customer_id: int) -> None:
    """An erasure that arrived from the hub: the free text of this customer's visits and
    follow-ups, as counter.privacy blanks it (times, steps and outcomes stay)."""
    for table, blanks in ERASED_TEXT.items():
        sets = ", ".join(f"{f} = ?" for f in blanks)
        db.execute(
            f"UPDATE {table} SET {sets} WHERE customer_id = ?", [*blanks.values(), customer_id]
        )


def snapshot(db: Database) -> dict[str, dict[str, Row]]:
    """Every synced row, by table and gid, foreign keys as gids (tests compare replicas)."""
    out: dict[str, dict[str, Row]] = {}
    for spec in TABLES:
        if spec.name == "visit_steps":
            keys = [
                r[0]
                for r in db.execute(
                    "SELECT v.gid || '/' || s.step_key FROM visit_steps s "
                    "JOIN visits v ON v.id = s.visit_id"
                )
            ]
        else:
            keys = [r[0] for r in db.execute(f"SELECT gid FROM {spec.name}")]
        out[spec.name] = {g: row for g, (_, row) in local_rows(db, spec.name, keys).items()}
    return out


# --- the sync benchmark ------------------------------------------------------------------------


def bench_rows(db: Database, table: str) -> Iterable[tuple[str, str]]:
    """(gid, fields as JSON) of every customer or visit of a bench file, streamed, with
    stand-in global ids made from the local ids ("c42", "v7"; the bench file's rows were bulk
    loaded without gids): for seeding a hub with the bench data, never for a real counter."""
    spec = BY_NAME[table]
    prefix = {"customers": "c", "visits": "v"}[table]

    def value(f: str) -> str:
        if f == "customer_id":
            return "CASE WHEN t.customer_id IS NULL THEN NULL ELSE 'c' || t.customer_id END"
        if f in spec.refs:
            return "NULL"  # staff: per store, not part of the download measured
        return f"t.{f}"

    fields = ", ".join(f"'{f}', {value(f)}" for f in spec.fields)
    yield from db.conn.execute(
        f"SELECT '{prefix}' || t.id, json_object({fields}) FROM {table} t ORDER BY t.id"
    )


# --- a new counter's first download in bulk ----------------------------------------------------

# The triggers that keep derived data (the search indexes, the customer's last visit, the
# returning flag, the dashboard summary) row by row as a download inserts rows. A bulk first
# download sets them aside inside its one transaction and rebuilds that data once at the end
# (finish_bulk). m010's stale-key note stays (a WHEN test on the row, nearly free).
BULK_DERIVED_TRIGGERS = (
    "customers_fts_insert",
    "customers_recent_fts_insert",
    "customers_recent_fts_update",
    "visits_last_seen",
    "visits_returning_insert",
    "visits_returning_update",
    "dash_visit_insert",
    "dash_visit_update",
    "dash_step_insert",
)
# Per-row triggers with nothing to do for a downloaded row, set aside as well (each costs a
# trigger program per inserted row): the outbox's (``applying`` already silences them, but
# their WHEN reads sync_state for every row), the gid stamps (every row comes with its gid)
# and m011's place stamp of a visit made here (every downloaded visit comes with its place:
# 12% of a visit's insert).
_BULK_QUIET_TRIGGERS = (
    *(
        f"{spec.name}_{kind}"
        for spec in TABLES
        for kind in ("sync_insert", "gid")
        if not (spec.name == "visit_steps" and kind == "gid")
    ),
    "visits_place",
)
# Lookup indexes rebuilt in one sort each when a bulk load brings at least as many rows as the
# table holds (the global-id indexes stay: the load looks parents up by them).
_BULK_INDEX_TABLES = ("customers", "visits")
_BULK_CACHE_MIN_KIB = 1024 * 1024  # a floor while millions of rows land (as the importer)
_BULK_ROW_KIB = 1  # what a downloaded row takes in the file, its indexes and clock included,
# rounded up (1,000,000 customers + 5,000,000 visits: a file of about 4 GB)


def bulk_cache_kib(rows: int, memory_kib: int | None) -> int:
    """The page cache while ``rows`` land in one transaction: room for the file they make, so
    that no page is spilled to the WAL and read back by every pass of the rebuild (a 1 GB
    cache at full size: a third of the file); at least 1 GB, at most half of ``memory_kib``
    (this computer's memory; None when unknown: the floor)."""
    if memory_kib is None:
        return _BULK_CACHE_MIN_KIB
    return max(_BULK_CACHE_MIN_KIB, min(rows * _BULK_ROW_KIB, memory_kib // 2))


@contextlib.contextmanager
def foreign_keys_aside(db: Database) -> Iterator[None]:
    """Foreign-key checks off around a bulk first download's transaction (SQLite only switches
    them between transactions), back as they were afterwards, also after a rollback. What
    the download writes cannot break a key: every foreign key of a synced table is a ``refs``
    column, written as the id that a lookup by global id finds (NULL when there is none:
    bulk_insert_sql, ids_of), and it deletes nothing. The checks cost a lookup of every parent
    per row (a fifth of a visit's insert)."""
    conn = db.conn
    before = int(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA foreign_keys = {before}")


def local_keys(db: Database, table: str) -> set[str]:
    """The global ids (steps: ``<visit gid>/<step key>``) of every row this counter holds."""
    if table == "visit_steps":
        sql = (
            "SELECT v.gid || '/' || s.step_key FROM visit_steps s "
            "JOIN visits v ON v.id = s.visit_id"
        )
    else:
        sql = f"SELECT gid FROM {table} WHERE gid IS NOT NULL"
    return {r[0] for r in db.conn.execute(sql)}


def begin_bulk(
    db: Database, expected: Mapping[str, int], *, cache_kib: int = _BULK_CACHE_MIN_KIB
) -> list[str]:
    """Inside the caller's write transaction: set the derived-data and per-row triggers aside
    and, for a table that will at least double, its lookup indexes, and let the page cache
    grow to ``cache_kib`` (bulk_cache_kib). Returns what finish_bulk puts back: the page
    cache's size first, then the indexes' and triggers' SQL (a rollback undoes the drops)."""
    conn = db.conn
    saved: list[str] = [
        f"PRAGMA cache_size = {int(conn.execute('PRAGMA cache_size').fetchone()[0])}"
    ]
    for table in _BULK_INDEX_TABLES:
        held = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if expected.get(table, 0) < max(held, 1):
            continue
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL AND name != ?",
            [table, f"{table}_gid"],
        ).fetchall():
            saved.append(sql)
            conn.execute(f'DROP INDEX "{name}"')
    for name in BULK_DERIVED_TRIGGERS + _BULK_QUIET_TRIGGERS:
        row = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]
        ).fetchone()
        if row:
            saved.append(row[0])
            conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute(f"PRAGMA cache_size = {-int(cache_kib)}")
    return saved


def _placeholder(spec: Any, field: str) -> str:
    if field in spec.refs:
        return f"(SELECT id FROM {spec.refs[field]} WHERE gid = ?)"
    return "?"


def bulk_insert_sql(table: str, extra: Sequence[str] = ()) -> str:
    """INSERT of a downloaded row: its gid (not for steps), its synced fields (foreign keys
    given as global ids, looked up here) and ``extra`` local columns, in that order."""
    spec = BY_NAME[table]
    names = ([] if table == "visit_steps" else ["gid"]) + list(spec.fields) + list(extra)
    marks = (
        ([] if table == "visit_steps" else ["?"])
        + [_placeholder(spec, f) for f in spec.fields]
        + ["?" for _ in extra]
    )
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(marks)})"


def bulk_insert(db: Database, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    db.conn.executemany(sql, rows)


def bulk_put_clocks(db: Database, table: str, items: Sequence[tuple[str, str]]) -> None:
    """(gid, clocks JSON text) -> sync_clock, as put_clocks stores them: compact JSON (the
    hub hands them already in the ``{"*": clock}`` form where it applies)."""
    db.conn.executemany(
        f"""INSERT INTO sync_clock (tbl, gid, clocks) VALUES ('{table}', ?, json(?))
            ON CONFLICT (tbl, gid) DO UPDATE SET clocks = excluded.clocks""",
        items,
    )


def finish_bulk(db: Database, saved: Sequence[str]) -> None:
    """Put back what begin_bulk set aside and rebuild the derived data once, from every row
    (the rows that were here before included): the lookup indexes, each customer's last visit,
    the returning flags, the dashboard summary and both search indexes. Inside the caller's
    transaction: a failure or a kill rolls all of it back with the rows."""
    from counter.storage import customer_sql, dashboard_sql

    conn = db.conn
    cache, rest = saved[0], saved[1:]
    triggers = [s for s in rest if s.lstrip().upper().startswith("CREATE TRIGGER")]
    for sql in rest:  # the indexes
        if sql not in triggers:
            conn.execute(sql)
    # Each customer's first arrival (of the visits not discarded) and last, from one pass
    # over the visits in the table's order, kept by customer id for the two updates below:
    # what visits_last_seen does per insert and the returning flags (as
    # dashboard_sql.FILL_RETURNING sets them), for every visit at once. Both updates then read
    # the visits in order too; FILL_RETURNING's join walks them customer by customer, at
    # random through the table (at full size 29 s of CPU instead of 13).
    conn.execute("DROP TABLE IF EXISTS temp.bulk_customer_visits")
    temp_cache = int(conn.execute("PRAGMA temp.cache_size").fetchone()[0])
    conn.execute("PRAGMA temp.cache_size = -262144")  # its million rows stay in memory
    conn.execute(
        """CREATE TEMP TABLE bulk_customer_visits (
               customer_id INTEGER PRIMARY KEY, first INTEGER, last INTEGER NOT NULL)"""
    )
    conn.execute(
        """INSERT INTO temp.bulk_customer_visits
           SELECT customer_id, min(CASE WHEN status != 'discarded' THEN arrived_at END),
                  max(arrived_at)
           FROM visits NOT INDEXED WHERE customer_id IS NOT NULL GROUP BY customer_id"""
    )
    conn.execute(
        """UPDATE customers SET last_visit_at = v.last FROM temp.bulk_customer_visits v
           WHERE v.customer_id = customers.id
             AND (customers.last_visit_at IS NULL OR customers.last_visit_at < v.last)"""
    )
    conn.execute("UPDATE visits SET is_returning = 0 WHERE is_returning != 0")
    conn.execute(
        """UPDATE visits SET is_returning = 1 WHERE arrived_at > (
               SELECT v.first FROM temp.bulk_customer_visits v
               WHERE v.customer_id = visits.customer_id)"""
    )
    conn.execute("DROP TABLE temp.bulk_customer_visits")
    conn.execute(f"PRAGMA temp.cache_size = {temp_cache}")
    for table in dashboard_sql.DASH_TABLES:
        conn.execute(f"DELETE FROM {table}")
    for sql in dashboard_sql.FILL_DASHBOARD:
        conn.execute(sql)
    customer_sql.rebuild_search_indexes(db)
    for sql in triggers:
        conn.execute(sql)
    # The page cache back to its size last: the rebuild's passes over millions of rows need
    # the room (with the usual 2 MB the returning flags alone took 141 of 575 s at full size).
    conn.execute(cache)


def blank_erased_customers_text(db: Database) -> None:
    """The free text of every erased customer's visits and follow-ups blanked (what applying
    an erasure row by row does; a bulk download inserts the rows first)."""
    for table, blanks in ERASED_TEXT.items():
        sets = ", ".join(f"{f} = ?" for f in blanks)
        differs = " OR ".join(f"{f} != ?" for f in blanks)
        db.execute(
            f"""UPDATE {table} SET {sets} WHERE ({differs}) AND customer_id IN
                (SELECT id FROM customers WHERE erased_at IS NOT NULL)""",
            [*blanks.values(), *blanks.values()],
        )
