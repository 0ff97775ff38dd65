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
OFFICE_ROLE = "counter_office"

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


_H002 = """
-- The office: a login that reads every store (no writes to what counters sync), set up by
-- ``counter hub office-role NAME``. Store logins keep reading only their own store.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'counter_office') THEN
        CREATE ROLE counter_office NOLOGIN;
    END IF;
END $$;

-- Targets and settings per store; a column left NULL takes the hub's default (one row).
CREATE TABLE counter.settings_defaults (
    only_row               boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    language               text NOT NULL DEFAULT 'en',
    wait_amber_minutes     integer NOT NULL DEFAULT 3 CHECK (wait_amber_minutes >= 0),
    wait_red_minutes       integer NOT NULL DEFAULT 8 CHECK (wait_red_minutes >= 0),
    service_target_minutes integer NOT NULL DEFAULT 10 CHECK (service_target_minutes >= 0)
);
INSERT INTO counter.settings_defaults DEFAULT VALUES;

CREATE TABLE counter.store_settings (
    store_id               bigint PRIMARY KEY REFERENCES counter.stores,
    display_name           text,
    language               text,
    wait_amber_minutes     integer CHECK (wait_amber_minutes >= 0),
    wait_red_minutes       integer CHECK (wait_red_minutes >= 0),
    service_target_minutes integer CHECK (service_target_minutes >= 0)
);

-- Every store with its settings as they apply (its own, else the hub's defaults).
CREATE VIEW counter.store_targets WITH (security_barrier) AS
    SELECT s.id AS store_id, coalesce(ss.display_name, s.name) AS name, s.name AS hub_name,
           coalesce(ss.language, d.language) AS language,
           coalesce(ss.wait_amber_minutes, d.wait_amber_minutes) AS wait_amber_minutes,
           coalesce(ss.wait_red_minutes, d.wait_red_minutes) AS wait_red_minutes,
           coalesce(ss.service_target_minutes, d.service_target_minutes)
               AS service_target_minutes
    FROM counter.stores s CROSS JOIN counter.settings_defaults d
    LEFT JOIN counter.store_settings ss ON ss.store_id = s.id
    WHERE pg_has_role(current_user, 'counter_office', 'MEMBER') OR s.role = current_user;

-- Staff names for the office's views, never their PIN hashes: the office may not read staff
-- rows themselves (rows_office below). The view runs as its owner, so it filters itself.
CREATE VIEW counter.staff_names WITH (security_barrier) AS
    SELECT r.gid, r.store_id, r.data ->> 'name' AS name
    FROM counter.rows r JOIN counter.stores s ON s.id = r.store_id
    WHERE r.tbl = 'staff'
      AND (pg_has_role(current_user, 'counter_office', 'MEMBER') OR s.role = current_user);

-- One typed row per visit, kept by the hub in the transaction that merges the visit or one
-- of its steps (trigger below): what the office's dashboard and visit log read, indexed.
CREATE TABLE counter.visit_facts (
    gid           text PRIMARY KEY,
    store_id      bigint NOT NULL REFERENCES counter.stores,
    arrived_at    bigint NOT NULL,
    started_at    bigint,
    ended_at      bigint,
    status        text NOT NULL DEFAULT '',
    staff_gid     text,
    customer_gid  text,
    language      text NOT NULL DEFAULT '',
    outcome       text NOT NULL DEFAULT '',
    complaint     boolean NOT NULL DEFAULT false,
    feedback      text NOT NULL DEFAULT '',
    wait          bigint GENERATED ALWAYS AS (started_at - arrived_at) STORED,
    service       bigint GENERATED ALWAYS AS (ended_at - started_at) STORED,
    steps_total   integer NOT NULL DEFAULT 0,
    steps_done    integer NOT NULL DEFAULT 0,
    steps_skipped integer NOT NULL DEFAULT 0,
    returning_customer boolean NOT NULL DEFAULT false,  -- came to this store before
    -- Minutes as the dashboard's histograms count them: ceil(s / 60), s itself when s <= 0.
    wait_minute   bigint GENERATED ALWAYS AS (CASE WHEN started_at - arrived_at > 0
        THEN (started_at - arrived_at + 59) / 60 ELSE started_at - arrived_at END) STORED,
    service_minute bigint GENERATED ALWAYS AS (CASE WHEN ended_at - started_at > 0
        THEN (ended_at - started_at + 59) / 60 ELSE ended_at - started_at END) STORED
);
-- The dashboard: one index-only range scan of the period.
CREATE INDEX visit_facts_dashboard ON counter.visit_facts (arrived_at)
    INCLUDE (store_id, status, wait, service, complaint, returning_customer, steps_total,
             steps_done, customer_gid);
-- The visit log, newest first, by store and by each filter the log offers.
CREATE INDEX visit_facts_store ON counter.visit_facts (store_id, arrived_at);
CREATE INDEX visit_facts_staff ON counter.visit_facts (staff_gid, arrived_at);
CREATE INDEX visit_facts_outcome ON counter.visit_facts (outcome, arrived_at);
CREATE INDEX visit_facts_language ON counter.visit_facts (language, arrived_at);
CREATE INDEX visit_facts_status ON counter.visit_facts (status, arrived_at);
CREATE INDEX visit_facts_complaint ON counter.visit_facts (arrived_at) WHERE complaint;
CREATE INDEX visit_facts_skipped ON counter.visit_facts (arrived_at) WHERE steps_skipped > 0;
CREATE INDEX visit_facts_customer ON counter.visit_facts (customer_gid, store_id, arrived_at);
CREATE INDEX visit_facts_wait ON counter.visit_facts (wait, arrived_at);
CREATE INDEX visit_facts_service ON counter.visit_facts (service, arrived_at);
-- The exact seconds of the few minutes that decide a median, a percentile or a target.
CREATE INDEX visit_facts_wait_minute ON counter.visit_facts (store_id, wait_minute, arrived_at)
    INCLUDE (wait) WHERE status = 'ended';
CREATE INDEX visit_facts_service_minute
    ON counter.visit_facts (store_id, service_minute, arrived_at)
    INCLUDE (service) WHERE status = 'ended';

-- Ended visits per store and UTC day (by arrival), and their waits and service times per
-- minute: the chain's dashboard reads 30 days x stores rows, not every visit. Kept by a
-- trigger on visit_facts (old contribution out, new in), in the same transaction.
CREATE TABLE counter.visit_days (
    store_id    bigint NOT NULL,
    day         integer NOT NULL,  -- arrived_at / 86400
    visits      integer NOT NULL DEFAULT 0,
    complaints  integer NOT NULL DEFAULT 0,
    returning_visits integer NOT NULL DEFAULT 0,
    known       integer NOT NULL DEFAULT 0,
    steps_done  bigint NOT NULL DEFAULT 0,
    steps_total bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, day)
);
CREATE TABLE counter.visit_minutes (
    store_id bigint NOT NULL,
    day      integer NOT NULL,
    kind     text NOT NULL,  -- wait, service
    minute   bigint NOT NULL,
    visits   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, day, kind, minute)
);

CREATE FUNCTION counter.count_visit_fact(f counter.visit_facts, sign integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE the_day integer := f.arrived_at / 86400;
BEGIN
    IF f.status <> 'ended' THEN RETURN; END IF;
    INSERT INTO counter.visit_days AS d (store_id, day, visits, complaints, returning_visits,
                                         known, steps_done, steps_total)
    VALUES (f.store_id, the_day, sign, sign * f.complaint::int, sign * f.returning_customer::int,
            sign * (f.customer_gid IS NOT NULL)::int, sign * f.steps_done, sign * f.steps_total)
    ON CONFLICT ON CONSTRAINT visit_days_pkey DO UPDATE SET
        visits = d.visits + EXCLUDED.visits, complaints = d.complaints + EXCLUDED.complaints,
        returning_visits = d.returning_visits + EXCLUDED.returning_visits,
        known = d.known + EXCLUDED.known, steps_done = d.steps_done + EXCLUDED.steps_done,
        steps_total = d.steps_total + EXCLUDED.steps_total;
    IF f.wait_minute IS NOT NULL THEN
        INSERT INTO counter.visit_minutes AS m
        VALUES (f.store_id, the_day, 'wait', f.wait_minute, sign)
        ON CONFLICT ON CONSTRAINT visit_minutes_pkey DO UPDATE SET visits = m.visits + sign;
    END IF;
    IF f.service_minute IS NOT NULL THEN
        INSERT INTO counter.visit_minutes AS m
        VALUES (f.store_id, the_day, 'service', f.service_minute, sign)
        ON CONFLICT ON CONSTRAINT visit_minutes_pkey DO UPDATE SET visits = m.visits + sign;
    END IF;
END $f$;
REVOKE ALL ON FUNCTION counter.count_visit_fact(counter.visit_facts, integer) FROM PUBLIC;

CREATE FUNCTION counter.keep_visit_days() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM counter.count_visit_fact(OLD, -1); END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM counter.count_visit_fact(NEW, 1); END IF;
    RETURN NULL;
END $f$;
REVOKE ALL ON FUNCTION counter.keep_visit_days() FROM PUBLIC;
CREATE TRIGGER keep_visit_days AFTER INSERT OR UPDATE OR DELETE ON counter.visit_facts
    FOR EACH ROW EXECUTE FUNCTION counter.keep_visit_days();

CREATE INDEX rows_steps_of_visit ON counter.rows ((data ->> 'visit_id'))
    WHERE tbl = 'visit_steps';

CREATE FUNCTION counter.returning_of(store bigint, customer text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE first_at bigint;
BEGIN
    IF customer IS NULL THEN RETURN; END IF;
    SELECT min(arrived_at) INTO first_at FROM counter.visit_facts
    WHERE customer_gid = customer AND store_id = store AND status <> 'discarded';
    UPDATE counter.visit_facts SET returning_customer = coalesce(arrived_at > first_at, false)
    WHERE customer_gid = customer AND store_id = store
      AND returning_customer <> coalesce(arrived_at > first_at, false);
END $f$;

CREATE FUNCTION counter.keep_visit_facts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    d jsonb := NEW.data;
    visit text;
    old_customer text;
BEGIN
    IF NEW.tbl = 'visits' THEN
        IF d ->> 'arrived_at' IS NULL THEN RETURN NULL; END IF;
        SELECT customer_gid INTO old_customer FROM counter.visit_facts WHERE gid = NEW.gid;
        INSERT INTO counter.visit_facts AS f
            (gid, store_id, arrived_at, started_at, ended_at, status, staff_gid, customer_gid,
             language, outcome, complaint, feedback)
        VALUES (NEW.gid, NEW.store_id, (d ->> 'arrived_at')::bigint,
                (d ->> 'started_at')::bigint, (d ->> 'ended_at')::bigint,
                coalesce(d ->> 'status', ''), nullif(d ->> 'staff_id', ''),
                nullif(d ->> 'customer_id', ''), coalesce(d ->> 'language', ''),
                coalesce(d ->> 'outcome', ''),
                coalesce(d ->> 'complaint', '0') NOT IN ('0', 'false', ''),
                coalesce(d ->> 'feedback', ''))
        ON CONFLICT (gid) DO UPDATE SET
            arrived_at = EXCLUDED.arrived_at, started_at = EXCLUDED.started_at,
            ended_at = EXCLUDED.ended_at, status = EXCLUDED.status,
            staff_gid = EXCLUDED.staff_gid, customer_gid = EXCLUDED.customer_gid,
            language = EXCLUDED.language, outcome = EXCLUDED.outcome,
            complaint = EXCLUDED.complaint, feedback = EXCLUDED.feedback;
        IF TG_OP = 'INSERT' THEN  -- steps that came first (a bulk load)
            UPDATE counter.visit_facts f
            SET steps_total = s.total, steps_done = s.done, steps_skipped = s.skipped
            FROM (SELECT count(*) AS total,
                         count(*) FILTER (WHERE data ->> 'status' = 'done') AS done,
                         count(*) FILTER (WHERE data ->> 'status' = 'skipped') AS skipped
                  FROM counter.rows
                  WHERE tbl = 'visit_steps' AND data ->> 'visit_id' = NEW.gid) s
            WHERE f.gid = NEW.gid AND s.total > 0;
        END IF;
        PERFORM counter.returning_of(NEW.store_id, nullif(d ->> 'customer_id', ''));
        IF old_customer IS DISTINCT FROM nullif(d ->> 'customer_id', '') THEN
            PERFORM counter.returning_of(NEW.store_id, old_customer);
        END IF;
    ELSIF NEW.tbl = 'visit_steps' THEN
        visit := d ->> 'visit_id';
        UPDATE counter.visit_facts f
        SET steps_total = s.total, steps_done = s.done, steps_skipped = s.skipped
        FROM (SELECT count(*) AS total,
                     count(*) FILTER (WHERE data ->> 'status' = 'done') AS done,
                     count(*) FILTER (WHERE data ->> 'status' = 'skipped') AS skipped
              FROM counter.rows WHERE tbl = 'visit_steps' AND data ->> 'visit_id' = visit) s
        WHERE f.gid = visit;
    END IF;
    RETURN NULL;
END $f$;
REVOKE ALL ON FUNCTION counter.keep_visit_facts() FROM PUBLIC;
REVOKE ALL ON FUNCTION counter.returning_of(bigint, text) FROM PUBLIC;

CREATE TRIGGER keep_visit_facts AFTER INSERT OR UPDATE ON counter.rows
    FOR EACH ROW WHEN (NEW.tbl IN ('visits', 'visit_steps'))
    EXECUTE FUNCTION counter.keep_visit_facts();

-- What the hub already held.
UPDATE counter.rows SET tbl = tbl WHERE tbl = 'visits';
UPDATE counter.rows SET tbl = tbl WHERE tbl = 'visit_steps';

ALTER TABLE counter.visit_facts ENABLE ROW LEVEL SECURITY;
ALTER TABLE counter.visit_days ENABLE ROW LEVEL SECURITY;
ALTER TABLE counter.visit_minutes ENABLE ROW LEVEL SECURITY;
ALTER TABLE counter.store_settings ENABLE ROW LEVEL SECURITY;

GRANT USAGE ON SCHEMA counter TO counter_office;
GRANT SELECT ON counter.hub_migrations, counter.stores, counter.counters, counter.rows,
    counter.visit_facts, counter.visit_days, counter.visit_minutes, counter.store_targets,
    counter.staff_names TO counter_office;
GRANT SELECT, INSERT, UPDATE ON counter.store_settings, counter.settings_defaults
    TO counter_office;
GRANT SELECT ON counter.visit_facts, counter.visit_days, counter.visit_minutes,
    counter.store_targets, counter.staff_names, counter.settings_defaults TO counter_sync;
GRANT SELECT, INSERT, UPDATE ON counter.store_settings TO counter_sync;

-- The office reads every store's visits, steps, follow-ups and customers; never the staff
-- rows (PIN hashes): counter.staff_names has their names. Store logins: their own store.
CREATE POLICY rows_office ON counter.rows FOR SELECT TO counter_office USING (tbl <> 'staff');
CREATE POLICY facts_office ON counter.visit_facts FOR SELECT TO counter_office USING (true);
CREATE POLICY facts_own ON counter.visit_facts FOR SELECT TO counter_sync
    USING (store_id IN (SELECT id FROM counter.stores WHERE role = current_user));
CREATE POLICY days_office ON counter.visit_days FOR SELECT TO counter_office USING (true);
CREATE POLICY days_own ON counter.visit_days FOR SELECT TO counter_sync
    USING (store_id IN (SELECT id FROM counter.stores WHERE role = current_user));
CREATE POLICY minutes_office ON counter.visit_minutes FOR SELECT TO counter_office
    USING (true);
CREATE POLICY minutes_own ON counter.visit_minutes FOR SELECT TO counter_sync
    USING (store_id IN (SELECT id FROM counter.stores WHERE role = current_user));
CREATE POLICY settings_office ON counter.store_settings FOR ALL TO counter_office
    USING (true) WITH CHECK (true);
CREATE POLICY settings_own ON counter.store_settings FOR ALL TO counter_sync
    USING (store_id IN (SELECT id FROM counter.stores WHERE role = current_user))
    WITH CHECK (store_id IN (SELECT id FROM counter.stores WHERE role = current_user));
"""

_H003 = """
-- A download page reads two ordered runs of the change log and merges them: the customers
-- (every store's) and its own store's other rows, each from the cursor on in (txid, seq)
-- order (counter.hub.hub_sql.page). Without these it walked changes_order through every
-- store's visits and steps to find its own.
CREATE INDEX changes_customers ON counter.changes (txid, seq) WHERE tbl = 'customers';
CREATE INDEX changes_of_store ON counter.changes (store_id, txid, seq) WHERE tbl <> 'customers';
-- From this version on, every upload transaction announces itself with advisory locks
-- (hub_sql.begin_upload) and downloads hold back only for running uploads (hub_sql.watermark),
-- no longer for every transaction of the cluster. Older Counters, which do not take the
-- locks, refuse a hub of this version (newer than they understand), so none uploads unseen.
"""

_H004 = """
-- The chain's dashboard without reading visits (h004). Three levels, all kept by the trigger
-- on visit_facts in the transaction that merges a visit or a step, exact (a visit ended,
-- edited or discarded later moves its counts):
-- * visit_days (store, UTC day) and the new visit_hours (store, hour) count a period's
--   visits and, in wait_minutes / service_minutes, how many waited or were served each
--   minute (slot minute + 2 for minutes 0..1440, slot 1 every minute below 0, slot 1443 every
--   minute above a day; NULL: none). A 30-day period reads 30 day rows and up to 46 hour rows
--   a store, and only the part hours at either end from the visits themselves.
-- * visit_minutes.seconds: each minute's visits by second (seconds[1] = the minute's first
--   second ... seconds[60] its last; a minute <= 0 holds the one second it is named after, in
--   seconds[1]), so the few minutes that decide a median or a 90th percentile are summed from
--   60 counts a day, however many visits they hold.
ALTER TABLE counter.visit_days
    ADD COLUMN wait_minutes integer[] NOT NULL DEFAULT '{0}',
    ADD COLUMN service_minutes integer[] NOT NULL DEFAULT '{0}';
CREATE TABLE counter.visit_hours (
    store_id    bigint NOT NULL,
    hour        integer NOT NULL,  -- arrived_at / 3600
    visits      integer NOT NULL DEFAULT 0,
    complaints  integer NOT NULL DEFAULT 0,
    returning_visits integer NOT NULL DEFAULT 0,
    known       integer NOT NULL DEFAULT 0,
    steps_done  bigint NOT NULL DEFAULT 0,
    steps_total bigint NOT NULL DEFAULT 0,
    wait_minutes integer[] NOT NULL DEFAULT '{0}',
    service_minutes integer[] NOT NULL DEFAULT '{0}',
    PRIMARY KEY (store_id, hour)
);
ALTER TABLE counter.visit_minutes
    ADD COLUMN seconds integer[] NOT NULL DEFAULT array_fill(0, ARRAY[60]);
-- Index-only: a deciding minute's 30 days are 30 neighbouring index entries, not 30 heap rows.
CREATE INDEX visit_minutes_by_minute ON counter.visit_minutes (store_id, kind, minute, day)
    INCLUDE (seconds);

-- A minute's slot in wait_minutes / service_minutes (NULL for no duration).
CREATE FUNCTION counter.minute_slot(minute bigint) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $f$
    SELECT CASE WHEN minute < 0 THEN 1 WHEN minute > 1440 THEN 1443
                ELSE (minute + 2)::integer END
$f$;

-- Where a duration falls in its minute's 60 counts: 1..60 (a duration <= 0: 1).
CREATE FUNCTION counter.second_of_minute(seconds bigint) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $f$
    SELECT CASE WHEN seconds > 0 THEN ((seconds - 1) % 60 + 1)::integer ELSE 1 END
$f$;

-- counts with visits[k] added at slots[k] (a NULL slot adds nothing; the array grows).
CREATE FUNCTION counter.add_counts(counts integer[], slots integer[], visits integer[])
RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    FOR k IN 1 .. coalesce(array_length(slots, 1), 0) LOOP
        IF slots[k] IS NOT NULL THEN
            counts[slots[k]] := coalesce(counts[slots[k]], 0) + visits[k];
        END IF;
    END LOOP;
    RETURN counts;
END $f$;

CREATE OR REPLACE FUNCTION counter.count_visit_fact(f counter.visit_facts, sign integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    the_day integer := f.arrived_at / 86400;
    slots integer[] := ARRAY[counter.minute_slot(f.wait_minute),
                             counter.minute_slot(f.service_minute)];
    signs integer[] := ARRAY[sign, sign];
    at integer;
    one integer[];
BEGIN
    IF f.status <> 'ended' THEN RETURN; END IF;
    INSERT INTO counter.visit_days AS d (store_id, day, visits, complaints, returning_visits,
                                         known, steps_done, steps_total, wait_minutes,
                                         service_minutes)
    VALUES (f.store_id, the_day, sign, sign * f.complaint::int, sign * f.returning_customer::int,
            sign * (f.customer_gid IS NOT NULL)::int, sign * f.steps_done, sign * f.steps_total,
            counter.add_counts('{0}', slots[1:1], signs[1:1]),
            counter.add_counts('{0}', slots[2:2], signs[2:2]))
    ON CONFLICT ON CONSTRAINT visit_days_pkey DO UPDATE SET
        visits = d.visits + EXCLUDED.visits, complaints = d.complaints + EXCLUDED.complaints,
        returning_visits = d.returning_visits + EXCLUDED.returning_visits,
        known = d.known + EXCLUDED.known, steps_done = d.steps_done + EXCLUDED.steps_done,
        steps_total = d.steps_total + EXCLUDED.steps_total,
        wait_minutes = counter.add_counts(d.wait_minutes, slots[1:1], signs[1:1]),
        service_minutes = counter.add_counts(d.service_minutes, slots[2:2], signs[2:2]);
    INSERT INTO counter.visit_hours AS h (store_id, hour, visits, complaints, returning_visits,
                                          known, steps_done, steps_total, wait_minutes,
                                          service_minutes)
    VALUES (f.store_id, f.arrived_at / 3600, sign, sign * f.complaint::int,
            sign * f.returning_customer::int, sign * (f.customer_gid IS NOT NULL)::int,
            sign * f.steps_done, sign * f.steps_total,
            counter.add_counts('{0}', slots[1:1], signs[1:1]),
            counter.add_counts('{0}', slots[2:2], signs[2:2]))
    ON CONFLICT ON CONSTRAINT visit_hours_pkey DO UPDATE SET
        visits = h.visits + EXCLUDED.visits, complaints = h.complaints + EXCLUDED.complaints,
        returning_visits = h.returning_visits + EXCLUDED.returning_visits,
        known = h.known + EXCLUDED.known, steps_done = h.steps_done + EXCLUDED.steps_done,
        steps_total = h.steps_total + EXCLUDED.steps_total,
        wait_minutes = counter.add_counts(h.wait_minutes, slots[1:1], signs[1:1]),
        service_minutes = counter.add_counts(h.service_minutes, slots[2:2], signs[2:2]);
    IF f.wait_minute IS NOT NULL THEN
        at := counter.second_of_minute(f.wait);
        one := array_fill(0, ARRAY[60]);
        one[at] := sign;
        INSERT INTO counter.visit_minutes AS m (store_id, day, kind, minute, visits, seconds)
        VALUES (f.store_id, the_day, 'wait', f.wait_minute, sign, one)
        ON CONFLICT ON CONSTRAINT visit_minutes_pkey DO UPDATE
        SET visits = m.visits + sign, seconds[at] = m.seconds[at] + sign;
    END IF;
    IF f.service_minute IS NOT NULL THEN
        at := counter.second_of_minute(f.service);
        one := array_fill(0, ARRAY[60]);
        one[at] := sign;
        INSERT INTO counter.visit_minutes AS m (store_id, day, kind, minute, visits, seconds)
        VALUES (f.store_id, the_day, 'service', f.service_minute, sign, one)
        ON CONFLICT ON CONSTRAINT visit_minutes_pkey DO UPDATE
        SET visits = m.visits + sign, seconds[at] = m.seconds[at] + sign;
    END IF;
END $f$;

-- A merge that changes nothing the summary counts (a note, an erasure's blanked text, a
-- step of a visit still open) leaves it alone instead of taking the visit out and back in.
CREATE OR REPLACE FUNCTION counter.keep_visit_days() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (OLD.status <> 'ended' AND NEW.status <> 'ended'
            OR (OLD.store_id, OLD.arrived_at, OLD.status, OLD.wait, OLD.service, OLD.complaint,
                OLD.returning_customer, OLD.customer_gid IS NULL, OLD.steps_done,
                OLD.steps_total)
               IS NOT DISTINCT FROM
               (NEW.store_id, NEW.arrived_at, NEW.status, NEW.wait, NEW.service, NEW.complaint,
                NEW.returning_customer, NEW.customer_gid IS NULL, NEW.steps_done,
                NEW.steps_total)) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM counter.count_visit_fact(OLD, -1); END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM counter.count_visit_fact(NEW, 1); END IF;
    RETURN NULL;
END $f$;

-- A visit whose customer was taken off it is no longer a returning customer's (h002 kept
-- the flag: returning_of recounts the customer's other visits, not this one).
CREATE FUNCTION counter.no_customer_not_returning() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    NEW.returning_customer := false;
    RETURN NEW;
END $f$;
CREATE TRIGGER no_customer_not_returning BEFORE INSERT OR UPDATE ON counter.visit_facts
    FOR EACH ROW WHEN (NEW.customer_gid IS NULL AND NEW.returning_customer)
    EXECUTE FUNCTION counter.no_customer_not_returning();
UPDATE counter.visit_facts SET returning_customer = false
WHERE customer_gid IS NULL AND returning_customer;

-- What the hub already held, from the visits.
CREATE FUNCTION counter.rebuild_office_summary() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    tbl text;
    unit integer;
BEGIN
    DELETE FROM counter.visit_days;
    DELETE FROM counter.visit_hours;
    DELETE FROM counter.visit_minutes;
    DELETE FROM counter.follow_ups_due;
    DELETE FROM counter.follow_ups_due_at;
    INSERT INTO counter.follow_ups_due_at
    SELECT r.store_id, counter.open_due_at(r.data), count(*) FROM counter.rows r
    WHERE r.tbl = 'follow_ups' AND counter.open_due_at(r.data) IS NOT NULL GROUP BY 1, 2;
    INSERT INTO counter.follow_ups_due
    SELECT a.store_id, a.due_at / 86400, sum(a.open) FROM counter.follow_ups_due_at a
    GROUP BY 1, 2;
    FOR tbl, unit IN VALUES ('visit_days', 86400), ('visit_hours', 3600) LOOP
        EXECUTE format($q$
            INSERT INTO counter.%I
            SELECT c.store_id, c.at, c.visits, c.complaints, c.returning_visits, c.known,
                   c.steps_done, c.steps_total, coalesce(w.counts, '{0}'),
                   coalesce(s.counts, '{0}')
            FROM (SELECT store_id, arrived_at / %s AS at, count(*) AS visits,
                         count(*) FILTER (WHERE complaint) AS complaints,
                         count(*) FILTER (WHERE returning_customer) AS returning_visits,
                         count(customer_gid) AS known, sum(steps_done) AS steps_done,
                         sum(steps_total) AS steps_total
                  FROM counter.visit_facts WHERE status = 'ended' GROUP BY 1, 2) c
            LEFT JOIN (SELECT store_id, at, counter.add_counts('{0}', array_agg(slot),
                                                               array_agg(n)) AS counts
                       FROM (SELECT store_id, arrived_at / %s AS at,
                                    counter.minute_slot(wait_minute) AS slot,
                                    count(*)::integer AS n
                             FROM counter.visit_facts
                             WHERE status = 'ended' AND wait_minute IS NOT NULL
                             GROUP BY 1, 2, 3) x
                       GROUP BY 1, 2) w USING (store_id, at)
            LEFT JOIN (SELECT store_id, at, counter.add_counts('{0}', array_agg(slot),
                                                               array_agg(n)) AS counts
                       FROM (SELECT store_id, arrived_at / %s AS at,
                                    counter.minute_slot(service_minute) AS slot,
                                    count(*)::integer AS n
                             FROM counter.visit_facts
                             WHERE status = 'ended' AND service_minute IS NOT NULL
                             GROUP BY 1, 2, 3) x
                       GROUP BY 1, 2) s USING (store_id, at)
        $q$, tbl, unit, unit, unit);
    END LOOP;
    INSERT INTO counter.visit_minutes (store_id, day, kind, minute, visits, seconds)
    SELECT store_id, day, kind, minute, sum(n),
           counter.add_counts(array_fill(0, ARRAY[60]), array_agg(at), array_agg(n))
    FROM (SELECT f.store_id, f.arrived_at / 86400 AS day, k.kind,
                 CASE k.kind WHEN 'wait' THEN f.wait_minute ELSE f.service_minute END AS minute,
                 counter.second_of_minute(CASE k.kind WHEN 'wait' THEN f.wait
                                                      ELSE f.service END) AS at,
                 count(*)::integer AS n
          FROM counter.visit_facts f CROSS JOIN (VALUES ('wait'), ('service')) k(kind)
          WHERE f.status = 'ended'
            AND (CASE k.kind WHEN 'wait' THEN f.wait ELSE f.service END) IS NOT NULL
          GROUP BY 1, 2, 3, 4, 5) s
    GROUP BY 1, 2, 3, 4;
END $f$;
REVOKE ALL ON FUNCTION counter.rebuild_office_summary() FROM PUBLIC;

ALTER TABLE counter.visit_hours ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON counter.visit_hours TO counter_office, counter_sync;
CREATE POLICY hours_office ON counter.visit_hours FOR SELECT TO counter_office USING (true);
CREATE POLICY hours_own ON counter.visit_hours FOR SELECT TO counter_sync
    USING (store_id IN (SELECT id FROM counter.stores WHERE role = current_user));

-- The chain's visit log, newest first, with any of its filters: two indexes that hold every
-- filter's column, read without the visits (the log finds a page's ids first, then reads those
-- 200 visits), one for every store and one per store; the part hours of the dashboard read
-- them too. They replace the index per low-selectivity filter (status, outcome, language,
-- complaint, skipped step: a fifth to a sixtieth of the visits each), whose heap reads made
-- rare combinations slow; staff, customer, wait and service keep theirs.
CREATE INDEX visit_facts_log ON counter.visit_facts (arrived_at)
    INCLUDE (gid, store_id, status, staff_gid, outcome, language, complaint, steps_skipped,
             wait, service, customer_gid, returning_customer, steps_total, steps_done,
             wait_minute, service_minute);
CREATE INDEX visit_facts_store_log ON counter.visit_facts (store_id, arrived_at)
    INCLUDE (gid, status, staff_gid, outcome, language, complaint, steps_skipped, wait,
             service, customer_gid, returning_customer, steps_total, steps_done, wait_minute,
             service_minute);
DROP INDEX counter.visit_facts_dashboard;
DROP INDEX counter.visit_facts_store;
DROP INDEX counter.visit_facts_status;
DROP INDEX counter.visit_facts_outcome;
DROP INDEX counter.visit_facts_language;
DROP INDEX counter.visit_facts_complaint;
DROP INDEX counter.visit_facts_skipped;

-- The office's overdue follow-ups per store, kept by a trigger on follow-up merges: open ones
-- per store and due day (UTC), and per store and due second for the day that is not over. A
-- count past due reads a row a day and today's seconds. (Read from counter.rows, the due date
-- is an expression of the jsonb, which row-level security will not let an index range select
-- before the row is read: every open follow-up of the store was read.)
CREATE TABLE counter.follow_ups_due (
    store_id bigint NOT NULL,
    day      integer NOT NULL,  -- due_at / 86400
    open     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, day)
);
CREATE TABLE counter.follow_ups_due_at (
    store_id bigint NOT NULL,
    due_at   bigint NOT NULL,
    open     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, due_at)
);
-- An open follow-up's due second (NULL: closed, or no due date a number).
CREATE FUNCTION counter.open_due_at(data jsonb) RETURNS bigint
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $f$
    SELECT CASE WHEN data ->> 'closed_at' IS NULL AND data ->> 'due_at' ~ '^[0-9]{1,15}$'
                THEN (data ->> 'due_at')::bigint END
$f$;
CREATE FUNCTION counter.count_follow_up_due(store bigint, due bigint, sign integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    IF due IS NULL THEN RETURN; END IF;
    INSERT INTO counter.follow_ups_due AS d VALUES (store, (due / 86400)::integer, sign)
    ON CONFLICT ON CONSTRAINT follow_ups_due_pkey DO UPDATE SET open = d.open + sign;
    INSERT INTO counter.follow_ups_due_at AS d VALUES (store, due, sign)
    ON CONFLICT ON CONSTRAINT follow_ups_due_at_pkey DO UPDATE SET open = d.open + sign;
END $f$;
REVOKE ALL ON FUNCTION counter.count_follow_up_due(bigint, bigint, integer) FROM PUBLIC;
CREATE FUNCTION counter.keep_follow_ups_due() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    old_due bigint := CASE WHEN TG_OP = 'UPDATE' THEN counter.open_due_at(OLD.data) END;
    new_due bigint := counter.open_due_at(NEW.data);
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.store_id = NEW.store_id
       AND old_due IS NOT DISTINCT FROM new_due THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN PERFORM counter.count_follow_up_due(OLD.store_id, old_due, -1);
    END IF;
    PERFORM counter.count_follow_up_due(NEW.store_id, new_due, 1);
    RETURN NULL;
END $f$;
REVOKE ALL ON FUNCTION counter.keep_follow_ups_due() FROM PUBLIC;
CREATE TRIGGER keep_follow_ups_due AFTER INSERT OR UPDATE ON counter.rows
    FOR EACH ROW WHEN (NEW.tbl = 'follow_ups') EXECUTE FUNCTION counter.keep_follow_ups_due();
ALTER TABLE counter.follow_ups_due ENABLE ROW LEVEL SECURITY;
ALTER TABLE counter.follow_ups_due_at ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON counter.follow_ups_due, counter.follow_ups_due_at TO counter_office, counter_sync;
CREATE POLICY due_office ON counter.follow_ups_due FOR SELECT TO counter_office USING (true);
CREATE POLICY due_own ON counter.follow_ups_due FOR SELECT TO counter_sync
    USING (store_id IN (SELECT id FROM counter.stores WHERE role = current_user));
CREATE POLICY due_at_office ON counter.follow_ups_due_at FOR SELECT TO counter_office
    USING (true);
CREATE POLICY due_at_own ON counter.follow_ups_due_at FOR SELECT TO counter_sync
    USING (store_id IN (SELECT id FROM counter.stores WHERE role = current_user));

-- What the hub already held, from its rows.
SELECT counter.rebuild_office_summary();
"""

_H005 = """
-- The customers' answers per store without reading visits (h005): per store and UTC day
-- (answer_days) and per store and hour (answer_hours), how many ended visits had each answer,
-- faces[k] for the face k - 1 (0: asked, no answer in time; 1-5 the faces). Kept by a trigger
-- on visit_facts in the merge's transaction, exact as h004's summary is; the chain's
-- comparison adds up whole days and hours and reads only the part hours from the visits.
CREATE TABLE counter.answer_days (
    store_id bigint NOT NULL,
    day      integer NOT NULL,  -- arrived_at / 86400
    faces    integer[] NOT NULL DEFAULT '{0}',
    PRIMARY KEY (store_id, day)
);
CREATE TABLE counter.answer_hours (
    store_id bigint NOT NULL,
    hour     integer NOT NULL,  -- arrived_at / 3600
    faces    integer[] NOT NULL DEFAULT '{0}',
    PRIMARY KEY (store_id, hour)
);

CREATE FUNCTION counter.count_answer(store bigint, arrived bigint, answer text, sign integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    slots integer[] := ARRAY[answer::integer + 1];
    signs integer[] := ARRAY[sign];
BEGIN
    INSERT INTO counter.answer_days AS d (store_id, day, faces)
    VALUES (store, (arrived / 86400)::integer, counter.add_counts('{0}', slots, signs))
    ON CONFLICT ON CONSTRAINT answer_days_pkey DO UPDATE
    SET faces = counter.add_counts(d.faces, slots, signs);
    INSERT INTO counter.answer_hours AS h (store_id, hour, faces)
    VALUES (store, (arrived / 3600)::integer, counter.add_counts('{0}', slots, signs))
    ON CONFLICT ON CONSTRAINT answer_hours_pkey DO UPDATE
    SET faces = counter.add_counts(h.faces, slots, signs);
END $f$;
REVOKE ALL ON FUNCTION counter.count_answer(bigint, bigint, text, integer) FROM PUBLIC;

CREATE FUNCTION counter.keep_answers() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    was boolean := TG_OP <> 'INSERT' AND OLD.status = 'ended' AND OLD.feedback ~ '^[0-5]$';
    is_now boolean := TG_OP <> 'DELETE' AND NEW.status = 'ended' AND NEW.feedback ~ '^[0-5]$';
BEGIN
    IF was AND is_now AND (OLD.store_id, OLD.arrived_at, OLD.feedback)
                          IS NOT DISTINCT FROM (NEW.store_id, NEW.arrived_at, NEW.feedback) THEN
        RETURN NULL;
    END IF;
    IF was THEN PERFORM counter.count_answer(OLD.store_id, OLD.arrived_at, OLD.feedback, -1);
    END IF;
    IF is_now THEN PERFORM counter.count_answer(NEW.store_id, NEW.arrived_at, NEW.feedback, 1);
    END IF;
    RETURN NULL;
END $f$;
REVOKE ALL ON FUNCTION counter.keep_answers() FROM PUBLIC;
CREATE TRIGGER keep_answers AFTER INSERT OR UPDATE OR DELETE ON counter.visit_facts
    FOR EACH ROW EXECUTE FUNCTION counter.keep_answers();

-- What the hub already held, from the visits (also after a bulk load with triggers off).
CREATE FUNCTION counter.rebuild_answers() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    DELETE FROM counter.answer_days;
    DELETE FROM counter.answer_hours;
    INSERT INTO counter.answer_days (store_id, day, faces)
    SELECT store_id, day, counter.add_counts('{0}', array_agg(slot), array_agg(n))
    FROM (SELECT store_id, (arrived_at / 86400)::integer AS day,
                 feedback::integer + 1 AS slot, count(*)::integer AS n
          FROM counter.visit_facts WHERE status = 'ended' AND feedback ~ '^[0-5]$'
          GROUP BY 1, 2, 3) x
    GROUP BY 1, 2;
    INSERT INTO counter.answer_hours (store_id, hour, faces)
    SELECT store_id, hour, counter.add_counts('{0}', array_agg(slot), array_agg(n))
    FROM (SELECT store_id, (arrived_at / 3600)::integer AS hour,
                 feedback::integer + 1 AS slot, count(*)::integer AS n
          FROM counter.visit_facts WHERE status = 'ended' AND feedback ~ '^[0-5]$'
          GROUP BY 1, 2, 3) x
    GROUP BY 1, 2;
END $f$;
REVOKE ALL ON FUNCTION counter.rebuild_answers() FROM PUBLIC;

ALTER TABLE counter.answer_days ENABLE ROW LEVEL SECURITY;
ALTER TABLE counter.answer_hours ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON counter.answer_days, counter.answer_hours TO counter_office, counter_sync;
CREATE POLICY answer_days_office ON counter.answer_days FOR SELECT TO counter_office
    USING (true);
CREATE POLICY answer_days_own ON counter.answer_days FOR SELECT TO counter_sync
    USING (store_id IN (SELECT id FROM counter.stores WHERE role = current_user));
CREATE POLICY answer_hours_office ON counter.answer_hours FOR SELECT TO counter_office
    USING (true);
CREATE POLICY answer_hours_own ON counter.answer_hours FOR SELECT TO counter_sync
    USING (store_id IN (SELECT id FROM counter.stores WHERE role = current_user));

SELECT counter.rebuild_answers();
"""

# (version, name, SQL). Append only.
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "h001_initial", _H001),
    (2, "h002_office", _H002),
    (3, "h003_sync_paging", _H003),
    (4, "h004_office_summary", _H004),
    (5, "h005_office_answers", _H005),
]
# The first version whose uploads announce themselves (h003): below it, downloads keep the
# cluster-wide watermark.
TRACKED_UPLOADS = 3
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
    exists = (
        conn.execute(
            "SELECT pg_has_role(%s, 'counter_office', 'MEMBER') FROM pg_roles WHERE rolname = %s"
            " AND EXISTS (SELECT FROM pg_roles WHERE rolname = 'counter_office')",
            [role, role],
        ).fetchone()
        or conn.execute("SELECT false FROM pg_roles WHERE rolname = %s", [role]).fetchone()
    )
    if exists and exists[0]:
        raise HubError(
            "refused",
            f"The hub login {role} is the office's (it reads every store); a store needs a "
            f"login of its own.",
        )
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


def create_office_login(conn: psycopg.Connection, role: str, password: str) -> bool:
    """A login for the chain's office: member of counter_office (reads every store's visits,
    never a PIN hash; writes nothing counters sync). False when the role already existed.
    A store's login cannot be made an office login: it would read every store."""
    row = conn.execute(
        "SELECT pg_has_role(%s, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
        [role, SYNC_ROLE, role],
    ).fetchone()
    if row and row[0]:
        raise HubError(
            "refused",
            f"The hub login {role} is a store's login (it syncs counters); the office needs a "
            f"login of its own.",
        )
    with conn.transaction():
        if not row:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(password)
                )
            )
        conn.execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(OFFICE_ROLE), sql.Identifier(role))
        )
    return not row
