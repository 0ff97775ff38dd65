"""The SQL sync runs against the hub. Merging is not here: counter.sync.merge decides, these
functions read and write what it decided, inside the caller's transaction where it matters."""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from counter.hub.connection import HubError


@dataclass(frozen=True)
class HubRow:
    tbl: str
    gid: str
    data: dict[str, Any]
    clocks: dict[str, Any]
    store_id: int
    counter_gid: str


def current_user(conn: psycopg.Connection) -> tuple[str, bool]:
    row = conn.execute(
        "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert row is not None  # current_user is always a role
    return str(row[0]), bool(row[1])


def store_for(conn: psycopg.Connection, name: str) -> int:
    """The id of store ``name``, creating it for this login when new. A login belongs to one
    store; a store's counters use its login (row-level security keeps its staff to it)."""
    user, superuser = current_user(conn)
    with conn.transaction():
        row = conn.execute("SELECT id, role FROM counter.stores WHERE name = %s", [name]).fetchone()
        if row:
            if row[1] != user and not superuser:
                raise HubError(
                    "store",
                    f"The store {name!r} belongs to another hub login ({row[1]}); "
                    f"join it with that login.",
                )
            return int(row[0])
        other = conn.execute("SELECT name FROM counter.stores WHERE role = current_user").fetchone()
        if other:
            raise HubError(
                "store",
                f"This hub login ({user}) already belongs to the store {other[0]!r}: every "
                f"store needs a login of its own.",
            )
        created = conn.execute(
            "INSERT INTO counter.stores (name) VALUES (%s) RETURNING id", [name]
        ).fetchone()
        assert created is not None  # RETURNING gives the row it inserted
        return int(created[0])


def add_counter(conn: psycopg.Connection, gid: str, store_id: int, name: str) -> None:
    conn.execute(
        "INSERT INTO counter.counters (gid, store_id, name) VALUES (%s, %s, %s) "
        "ON CONFLICT (gid) DO NOTHING",
        [gid, store_id, name],
    )


def record_changes(
    conn: psycopg.Connection,
    counter_gid: str,
    store_id: int,
    changes: Sequence[tuple[str, int, str, str, int]],
) -> set[str]:
    """Log (change uid, local seq, table, gid, hlc) changes; returns the uids that were new.
    Those already logged (an upload repeated after a crash) are left alone: ON CONFLICT DO
    NOTHING."""
    if not changes:
        return set()
    uids, seqs, tbls, gids, hlcs = (list(c) for c in zip(*changes, strict=True))
    rows = conn.execute(
        """INSERT INTO counter.changes
               (counter_gid, change_uid, local_seq, store_id, tbl, gid, hlc)
           SELECT %s, u, s, %s, t, g, h
           FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::text[], %s::bigint[])
                AS x(u, s, t, g, h)
           ON CONFLICT (counter_gid, change_uid) DO NOTHING
           RETURNING change_uid""",
        [counter_gid, store_id, uids, seqs, tbls, gids, hlcs],
    ).fetchall()
    return {str(r[0]) for r in rows}


_ROW_COLUMNS = "tbl, gid, data, clocks, store_id, counter_gid"


def rows(
    conn: psycopg.Connection, keys: Iterable[tuple[str, str]], *, lock: bool = False
) -> dict[tuple[str, str], HubRow]:
    """The hub's merged rows for these (table, gid) keys that this login may see."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    tbls, gids = [k[0] for k in keys], [k[1] for k in keys]
    found = conn.execute(
        f"""SELECT {_ROW_COLUMNS} FROM counter.rows
            WHERE (tbl, gid) IN (SELECT * FROM unnest(%s::text[], %s::text[]))
            {"ORDER BY tbl, gid FOR UPDATE" if lock else ""}""",
        [tbls, gids],
    ).fetchall()
    return {(r[0], r[1]): HubRow(*r) for r in found}


def erased_customers(conn: psycopg.Connection, gids: Iterable[str]) -> set[str]:
    gids = [g for g in set(gids) if g]
    if not gids:
        return set()
    found = conn.execute(
        """SELECT gid FROM counter.rows WHERE tbl = 'customers' AND gid = ANY(%s)
           AND data ->> 'erased_at' IS NOT NULL""",
        [gids],
    ).fetchall()
    return {r[0] for r in found}


def insert_rows(conn: psycopg.Connection, new: Sequence[HubRow]) -> set[tuple[str, str]]:
    """Insert rows the hub did not have; returns the keys that another upload inserted first
    (the caller merges into those instead)."""
    lost: set[tuple[str, str]] = set()
    for row in new:
        done = conn.execute(
            f"""INSERT INTO counter.rows ({_ROW_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)
                ON CONFLICT (tbl, gid) DO NOTHING RETURNING 1""",
            [row.tbl, row.gid, Jsonb(row.data), Jsonb(row.clocks), row.store_id, row.counter_gid],
        ).fetchone()
        if not done:
            lost.add((row.tbl, row.gid))
    return lost


def update_rows(conn: psycopg.Connection, changed: Sequence[HubRow]) -> None:
    if changed:
        with conn.cursor() as cur:
            cur.executemany(
                "UPDATE counter.rows SET data = %s, clocks = %s WHERE tbl = %s AND gid = %s",
                [(Jsonb(r.data), Jsonb(r.clocks), r.tbl, r.gid) for r in changed],
            )


def blank_erased_text(conn: psycopg.Connection, customer_gids: Sequence[str]) -> None:
    """The free text of these erased customers' visits and follow-ups, in every store."""
    if customer_gids:
        conn.execute("SELECT counter.erase_customer_text(%s)", [list(customer_gids)])


def notify(conn: psycopg.Connection, store_id: int) -> None:
    """Wake the counters listening on ``counter_changes`` (payload: the store's id)."""
    conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(store_id)])


def counter_names(conn: psycopg.Connection, gids: Sequence[str]) -> dict[str, str]:
    """The names counters joined with (their visits say where they were made)."""
    if not gids:
        return {}
    return {
        str(r[0]): str(r[1])
        for r in conn.execute(
            "SELECT gid, name FROM counter.counters WHERE gid = ANY(%s)", [list(gids)]
        )
    }


def touch_counter(conn: psycopg.Connection, gid: str) -> None:
    conn.execute("UPDATE counter.counters SET last_seen_at = now() WHERE gid = %s", [gid])


# The download watermark (see ``watermark``). Every upload transaction takes, first, a shared
# advisory lock on UPLOAD_LOCK (it holds no transaction id yet), then one on its own
# transaction id plus TXID_LOCK_BASE (keys from 2**62 up: never one of our fixed keys).
# Shared locks never wait for each other; both go with the transaction.
UPLOAD_LOCK = 74_736_802
TXID_LOCK_BASE = 2**62


def begin_upload(conn: psycopg.Connection) -> None:
    """The first statements of an upload transaction (inside the caller's
    ``conn.transaction()``): say to every reader that an upload is under way, and which
    transaction it is. Two statements, in this order: see ``watermark``."""
    conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", [UPLOAD_LOCK])
    conn.execute(
        "SELECT pg_advisory_xact_lock_shared(%s + pg_current_xact_id()::text::bigint)",
        [TXID_LOCK_BASE],
    )


_WATERMARK = """
WITH held AS MATERIALIZED (
    SELECT virtualtransaction AS vx, (classid::bigint << 32) | objid::bigint AS k
    FROM pg_locks
    WHERE locktype = 'advisory' AND objsubid = 1
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
), uploads AS (
    SELECT vx FROM held WHERE k = %(upload)s
), txids AS (
    SELECT vx, k - %(base)s AS txid FROM held WHERE k >= %(base)s
)
SELECT least(
    pg_snapshot_xmax(pg_current_snapshot()),
    (SELECT min(txid)::text::xid8 FROM txids),
    CASE WHEN EXISTS (SELECT FROM uploads u WHERE NOT EXISTS
                      (SELECT FROM txids t WHERE t.vx = u.vx))
         THEN pg_snapshot_xmin(pg_current_snapshot()) END
)::text"""


def watermark(conn: psycopg.Connection, *, tracked: bool = True) -> str:
    """The transaction id below which every upload transaction has finished: a download may
    hand out the changes of transactions older than it, and never needs to look back. Run it
    as a statement of its own, BEFORE the query that reads the changes (autocommit: that
    query then has a later snapshot, which sees every transaction that finished by now).

    Why it is safe (U an upload transaction with txid u below the watermark W): the snapshot
    of this statement was taken before pg_locks is read, and its xmax is the next txid then.
    If U did not hold UPLOAD_LOCK when pg_locks was read, either it had finished (its changes
    are visible to the later query) or it had not started, and then u, given after it took the
    lock, is at least that xmax >= W. If it held both locks, W <= u. If it held UPLOAD_LOCK but
    not yet its txid's lock (between two statements), W is at most this snapshot's xmin, the
    oldest transaction then running anywhere, so u >= W or U had finished.

    Only upload transactions hold changes back: an unrelated long transaction (an ANALYZE, a
    session idle in a transaction, another database on the cluster) no longer does, as it did
    with ``pg_snapshot_xmin`` alone. ``tracked`` False (a hub whose schema predates this
    scheme: counters that do not take the locks may still upload to it) gives that old,
    cluster-wide watermark."""
    if not tracked:
        row = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()
    else:
        row = conn.execute(_WATERMARK, {"upload": UPLOAD_LOCK, "base": TXID_LOCK_BASE}).fetchone()
    assert row is not None  # one row, always
    return str(row[0])


# ORDER BY names the table's columns: a bare "txid" would be the output column txid::text,
# sorted as text ('1000' before '999': a page could then end past changes it never handed
# out), and no index could give that order.
PAGE_SQL = """SELECT c.txid::text, c.seq, c.tbl, c.gid FROM (
    (SELECT txid, seq, tbl, gid FROM counter.changes
     WHERE tbl = 'customers'
       AND (txid, seq) > (%(txid)s::text::xid8, %(seq)s)
       AND txid < %(below)s::text::xid8
     ORDER BY txid, seq LIMIT %(limit)s)
    UNION ALL
    (SELECT txid, seq, tbl, gid FROM counter.changes
     WHERE store_id = %(store)s AND tbl <> 'customers'
       AND (store_id, txid, seq) > (%(store)s, %(txid)s::text::xid8, %(seq)s)
       AND txid < %(below)s::text::xid8
     ORDER BY store_id, txid, seq LIMIT %(limit)s)
) c
ORDER BY c.txid, c.seq LIMIT %(limit)s"""


def page(
    conn: psycopg.Connection,
    after: tuple[str, int],
    store_id: int,
    limit: int,
    *,
    tracked: bool = True,
) -> list[tuple[str, int, str, str]]:
    """The next changes for a counter of ``store_id`` after the cursor ``(txid, seq)``, in
    (txid, seq) order: customers from every store, everything else from its own.

    Only changes of transactions below the watermark are handed out (``watermark``: no upload
    still running has a smaller transaction id), so a change numbered 101 whose transaction
    commits after 102's is never skipped: nothing at or above a running upload's transaction
    is delivered until it has finished. Every later change has a larger txid than the cursor,
    so the cursor never has to look back.

    Two index scans merged in (txid, seq) order (h003's partial indexes): the customers of
    every store, and this store's other rows; another store's visits are never read."""
    below = watermark(conn, tracked=tracked)
    return [
        (str(r[0]), int(r[1]), r[2], r[3])
        for r in conn.execute(
            PAGE_SQL,
            {
                "txid": after[0],
                "seq": after[1],
                "below": below,
                "store": store_id,
                "limit": limit,
            },
        ).fetchall()
    ]


def count_after(conn: psycopg.Connection, after: tuple[str, int], store_id: int) -> int:
    """How many changes ``page`` would hand out after the cursor (a progress bar's total)."""
    row = conn.execute(
        """SELECT count(*) FROM counter.changes
           WHERE (txid, seq) > (%s::text::xid8, %s)
             AND (tbl = 'customers' OR store_id = %s)""",
        [after[0], after[1], store_id],
    ).fetchone()
    return int(row[0]) if row else 0


def counts(conn: psycopg.Connection) -> dict[str, int]:
    """Rows the hub holds per table that this login may see (status, tests)."""
    return dict(conn.execute("SELECT tbl, count(*) FROM counter.rows GROUP BY tbl").fetchall())


def all_rows(conn: psycopg.Connection) -> list[HubRow]:
    return [HubRow(*r) for r in conn.execute(f"SELECT {_ROW_COLUMNS} FROM counter.rows")]


CHANNEL = "counter_changes"


def listen(conn: psycopg.Connection) -> None:
    """Ask to be woken when any counter uploads (use a connection of its own: see wait)."""
    conn.execute(f"LISTEN {CHANNEL}")


def wait_for_changes(conn: psycopg.Connection, store_id: int, timeout: float) -> bool:
    """Block up to ``timeout`` seconds for an upload of ``store_id`` (or of a customer, which
    every store shares: any upload wakes a waiter, the payload only says whose). True when
    woken: then sync. A connection that LISTENs should do nothing else meanwhile."""
    for _note in conn.notifies(timeout=timeout, stop_after=1):
        return True
    return False


def bench_seed(
    conn: psycopg.Connection,
    *,
    table: str,
    fields: Sequence[str],
    rows: Iterable[tuple[str, str]],
    store_id: int,
    counter_gid: str,
    hlc: int,
) -> int:
    """Bulk-load (gid, JSON fields) rows and their change-log entries with COPY, as if one
    counter had uploaded them at clock ``hlc`` (``counter bench --only sync`` only: a real
    upload merges row by row, and the office's visit facts are not kept for these rows).
    Returns how many."""
    clocks = json.dumps({f: [hlc, counter_gid] for f in fields})
    count = 0
    with conn.transaction(), conn.cursor() as cur:
        # The office's per-row visit-facts trigger is not what this bench measures, and would
        # take the full-size seed to hours (as office_sql.bench_seed, superuser only).
        conn.execute("SET LOCAL session_replication_role = replica")
        add_counter(conn, counter_gid, store_id, "bench seed")
        gids: list[str] = []
        with cur.copy(
            "COPY counter.rows (tbl, gid, store_id, counter_gid, data, clocks) FROM STDIN"
        ) as copy:
            for gid, data in rows:
                copy.write_row((table, gid, store_id, counter_gid, data, clocks))
                gids.append(gid)
        with cur.copy(
            "COPY counter.changes (counter_gid, change_uid, local_seq, store_id, tbl, gid, hlc) "
            "FROM STDIN"
        ) as copy:
            for gid in gids:
                count += 1
                copy.write_row((counter_gid, f"seed-{table}-{gid}", 0, store_id, table, gid, hlc))
    return count


def create_database(admin: psycopg.Connection, name: str) -> None:
    """A database on a throw-away cluster (the bench's hub); ``admin`` in autocommit."""
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- a new counter's first download ------------------------------------------------------------


def begin_snapshot(conn: psycopg.Connection) -> str:
    """Start a REPEATABLE READ transaction (the caller's ``conn.transaction()``, this the first
    statement in it) and return its snapshot's xmin: every change of a transaction older than
    it is visible to this snapshot, and a cursor of ``(xmin, 0)`` afterwards hands out every
    later one (some already seen here again: applying the hub's merged row twice is a no-op)."""
    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    row = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()
    assert row is not None  # one row, always
    return str(row[0])


def snapshot_max_hlc(conn: psycopg.Connection, store_id: int) -> int:
    """The latest clock among the changes this snapshot hands a counter of ``store_id``."""
    row = conn.execute(
        """SELECT max(hlc) FROM counter.changes
           WHERE tbl = 'customers' OR store_id = %s""",
        [store_id],
    ).fetchone()
    return int(row[0] or 0) if row else 0


def stream_rows(
    conn: psycopg.Connection,
    table: str,
    fields: Sequence[str],
    store_id: int | None,
    batch: int,
    *,
    place: bool = False,
) -> Generator[list[tuple[Any, ...]], None, None]:
    """Every row of ``table`` in the caller's snapshot (``store_id`` None: from every store),
    in global id order, as batches of ``(gid, field..., clocks)``: field values as text
    (``data ->> field``; the counter's column types take them back) and the clocks as JSON
    text, ``{"*": clock}`` when every one of the ``fields`` carries the same clock (the form a
    counter keeps them in, decided here where the JSON is already parsed). Nothing is decoded
    in Python. A server-side cursor inside the caller's transaction: one query, streamed.

    ``place`` (visits): two more columns before the clocks, the counter whose clock wrote the
    arrival (the maker, what sync_sql.fill_visit_places reads from the clocks) and that
    counter's name (NULL when the hub does not know it: asked again later), so a bulk
    download writes each visit's place with the row instead of updating every visit after."""
    columns = sql.SQL(", ").join(sql.SQL("data ->> {}").format(sql.Literal(f)) for f in fields)
    if place:
        columns = sql.SQL(
            """{}, clocks -> 'arrived_at' ->> 1,
               (SELECT k.name FROM counter.counters k
                WHERE k.gid = counter.rows.clocks -> 'arrived_at' ->> 1)"""
        ).format(columns)
    # Compact when the clocks are an object of every field at the first field's clock and
    # nothing else: every other field's clock equal to the first's (a missing one is NULL, not
    # equal) and no key left once the fields are taken out. Cheaper than comparing with the
    # object built per row (jsonb_build_object of every field: 40% less of the backend's CPU
    # on the bench's visits) and than jsonb_each with an aggregate (four times as much).
    first = sql.SQL("clocks -> {}").format(sql.Literal(fields[0]))
    same = sql.SQL(" AND ").join(
        [sql.SQL("clocks -> {} = {}").format(sql.Literal(f), first) for f in fields[1:]]
        + [sql.SQL("(clocks - {}::text[]) = '{{}}'::jsonb").format(sql.Literal(list(fields)))]
    )
    query = sql.SQL(
        """SELECT gid, {columns},
                  (CASE WHEN {same} THEN jsonb_build_object('*', {first})
                        ELSE clocks END)::text
           FROM counter.rows WHERE tbl = %s {store} ORDER BY tbl, gid"""
    ).format(
        columns=columns,
        same=same,
        first=first,
        store=sql.SQL("AND store_id = %s" if store_id is not None else ""),
    )
    params: list[Any] = [table] + ([store_id] if store_id is not None else [])
    with conn.cursor(name=f"first_download_{table}") as cur:
        cur.itersize = batch
        cur.execute(query, params)
        while rows := cur.fetchmany(batch):
            yield rows


def snapshot_counts(conn: psycopg.Connection, store_id: int) -> dict[str, int]:
    """Rows per table a counter of ``store_id`` downloads (customers: every store's)."""
    return dict(
        conn.execute(
            """SELECT tbl, count(*) FROM counter.rows
               WHERE tbl = 'customers' OR store_id = %s GROUP BY tbl""",
            [store_id],
        ).fetchall()
    )
