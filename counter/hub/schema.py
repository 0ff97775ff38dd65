"""The hub's schema: numbered migrations as literal SQL, recorded in ``counter.hub_migrations``.

``counter hub init URL`` applies the missing ones (as the database owner); running it twice
changes nothing. A hub whose schema is newer than this Counter is refused in plain words, never
written to. Never edit a migration that has shipped: add the next number.

Everything lives in the schema ``counter``. Counters log in as roles that are members of
``counter_sync``, which may only read and append what sync needs: no DDL (no CREATE anywhere, no
temporary tables), no DROP, TRUNCATE or DELETE, and row-level security keeps every store's
staff (PIN hashes included), visits, steps, follow-ups and audit log to that store's login.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from counter.hub.connection import HubError

SYNC_ROLE = "counter_sync"

_H001 = """
CREATE SCHEMA counter;

CREATE TABLE counter.hub_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- A store is owned by the login its counters use: a login belongs to one store.
CREATE TABLE counter.stores (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    role       name NOT NULL UNIQUE DEFAULT current_user,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE counter.counters (
    gid          text PRIMARY KEY,           -- made by the counter when it joins
    store_id     bigint NOT NULL REFERENCES counter.stores,
    role         name NOT NULL DEFAULT current_user,
    name         text NOT NULL DEFAULT '',
    joined_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz
);

-- Every change the hub accepted, numbered. No personal data: the row's merged state is in
-- counter.rows, so an erasure leaves nothing behind in this log. (counter_gid, change_uid)
-- makes a repeated upload a no-op (the counter's random id of the change: its local_seq may
-- repeat after a backup is restored); txid is the accepting transaction, for the watermark.
CREATE TABLE counter.changes (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    counter_gid text NOT NULL REFERENCES counter.counters,
    change_uid  text NOT NULL,
    local_seq   bigint NOT NULL,
    store_id    bigint NOT NULL REFERENCES counter.stores,
    tbl         text NOT NULL,
    gid         text NOT NULL,
    hlc         bigint NOT NULL,
    UNIQUE (counter_gid, change_uid)
);
CREATE INDEX changes_order ON counter.changes (txid, seq);

-- The merged current state of every synced row: its fields (foreign keys as global ids) and
-- each field's clock [hlc, counter gid]. store_id/counter_gid: where the row was made.
CREATE TABLE counter.rows (
    tbl         text NOT NULL,
    gid         text NOT NULL,
    store_id    bigint NOT NULL REFERENCES counter.stores,
    counter_gid text NOT NULL,
    data        jsonb NOT NULL,
    clocks      jsonb NOT NULL,
    PRIMARY KEY (tbl, gid)
);
CREATE INDEX rows_of_customer ON counter.rows ((data ->> 'customer_id'))
    WHERE tbl IN ('visits', 'follow_ups');

-- An erasure blanks the free text of the customer's visits and follow-ups in every store,
-- which no store's login may otherwise touch: only for customers the hub holds as erased.
CREATE FUNCTION counter.erase_customer_text(customer_gids text[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
    UPDATE counter.rows r
    SET data = r.data || '{"need": "", "solution": "", "walk_in_name": "", "discard_reason": ""}'
    WHERE r.tbl = 'visits' AND r.data ->> 'customer_id' = ANY (customer_gids)
      AND EXISTS (SELECT FROM counter.rows c WHERE c.tbl = 'customers'
                  AND c.gid = r.data ->> 'customer_id' AND c.data ->> 'erased_at' IS NOT NULL);
    UPDATE counter.rows r
    SET data = r.data || '{"description": "", "close_note": ""}'
    WHERE r.tbl = 'follow_ups' AND r.data ->> 'customer_id' = ANY (customer_gids)
      AND EXISTS (SELECT FROM counter.rows c WHERE c.tbl = 'customers'
                  AND c.gid = r.data ->> 'customer_id' AND c.data ->> 'erased_at' IS NOT NULL);
$f$;
REVOKE ALL ON FUNCTION counter.erase_customer_text(text[]) FROM PUBLIC;

DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'counter_sync') THEN
        CREATE ROLE counter_sync NOLOGIN;
    END IF;
END $$;

-- Nothing for anyone by default: no objects in public, no temporary tables in this database.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $$ BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;

GRANT USAGE ON SCHEMA counter TO counter_sync;
GRANT SELECT ON counter.hub_migrations TO counter_sync;
GRANT SELECT, INSERT ON counter.stores, counter.counters, counter.changes TO counter_sync;
GRANT UPDATE (last_seen_at) ON counter.counters TO counter_sync;
GRANT SELECT, INSERT ON counter.rows TO counter_sync;
GRANT UPDATE (data, clocks) ON counter.rows TO counter_sync;
GRANT EXECUTE ON FUNCTION counter.erase_customer_text(text[]) TO counter_sync;

ALTER TABLE counter.stores ENABLE ROW LEVEL SECURITY;
ALTER TABLE counter.counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE counter.changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE counter.rows ENABLE ROW LEVEL SECURITY;

CREATE POLICY stores_read ON counter.stores FOR SELECT USING (true);
CREATE POLICY stores_own ON counter.stores FOR INSERT WITH CHECK (role = current_user);

CREATE POLICY counters_read ON counter.counters FOR SELECT USING (true);
CREATE POLICY counters_own ON counter.counters FOR INSERT
    WITH CHECK (role = current_user
                AND store_id IN (SELECT id FROM counter.stores WHERE role = current_user));
CREATE POLICY counters_seen ON counter.counters FOR UPDATE USING (role = current_user);

CREATE POLICY changes_read ON counter.changes FOR SELECT USING (true);
CREATE POLICY changes_own ON counter.changes FOR INSERT
    WITH CHECK (counter_gid IN (SELECT gid FROM counter.counters WHERE role = current_user));

-- Customers are shared by the whole hub; everything else belongs to its store.
CREATE POLICY rows_read ON counter.rows FOR SELECT
    USING (tbl = 'customers'
           OR store_id IN (SELECT id FROM counter.stores WHERE role = current_user));
CREATE POLICY rows_add ON counter.rows FOR INSERT
    WITH CHECK (store_id IN (SELECT id FROM counter.stores WHERE role = current_user));
CREATE POLICY rows_merge ON counter.rows FOR UPDATE
    USING (tbl = 'customers'
           OR store_id IN (SELECT id FROM counter.stores WHERE role = current_user));
"""

# (version, name, SQL). Append only.
MIGRATIONS: list[tuple[int, str, str]] = [(1, "h001_initial", _H001)]
LATEST = MIGRATIONS[-1][0]

_LOCK = 74_736_801  # pg_advisory_xact_lock key: two "hub init" at once take turns


def hub_version(conn: psycopg.Connection) -> int | None:
    """The hub schema's version; None when this database has no Counter hub yet."""
    exists = conn.execute("SELECT to_regclass('counter.hub_migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return None
    row = conn.execute("SELECT max(version) FROM counter.hub_migrations").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def check_version(conn: psycopg.Connection) -> int:
    """Refuse a database that is not a hub, or a hub newer than this Counter."""
    version = hub_version(conn)
    if version is None:
        raise HubError(
            "not_a_hub", "This database is not a Counter hub yet: run `counter hub init URL`."
        )
    if version > LATEST:
        raise HubError(
            "newer",
            f"The hub's schema (version {version}) is newer than this Counter understands "
            f"(version {LATEST}). Update Counter on this computer first; nothing was changed.",
        )
    return version


def apply(conn: psycopg.Connection) -> list[str]:
    """Create or upgrade the hub schema; returns the names applied (empty: it was current)."""
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        version = hub_version(conn)
        if version is not None and version > LATEST:
            check_version(conn)
        done = version or 0
        for number, name, text in MIGRATIONS:
            if number <= done:
                continue
            conn.execute(text)
            conn.execute(
                "INSERT INTO counter.hub_migrations (version, name) VALUES (%s, %s)",
                [number, name],
            )
            applied.append(name)
    return applied


def create_counter_login(conn: psycopg.Connection, role: str, password: str) -> bool:
    """A login for one store's counters (member of counter_sync, nothing else). False when the
    role already existed (then only its membership is made sure of)."""
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
    with conn.transaction():
        if not exists:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(password)
                )
            )
        conn.execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(SYNC_ROLE), sql.Identifier(role))
        )
    return not exists
