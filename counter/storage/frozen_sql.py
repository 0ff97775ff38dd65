"""The SQL of two shipped migrations, frozen as the literal text they ran when they shipped.

m003 and m004 were first written with helpers that runtime code also used: editing a helper
would have changed what the migration creates on a new database but not on an old one. Their
SQL now lives here as text, byte for byte what they ran (tests/storage/test_frozen_migrations.py
compares it with a verbatim copy of those helpers). Never edit this file: a shipped migration
creates the same schema forever; change the schema with a new migration at the end of
``schema.py``. What the tables and triggers are for is described there, next to the migrations.
"""

# ruff: noqa: E501
# (the statements are kept exactly as generated, long lines included)

# m003_search_by_recency: the recency-ordered search index and the triggers that keep it.
M003_SEARCH_BY_RECENCY = [
    """
            CREATE VIRTUAL TABLE customers_recent_fts USING fts5(
                search_key, phone_rev, phone_digits, card, content='', tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'", prefix='1 2 3'
            )
            """,
    """CREATE TRIGGER customers_recent_fts_insert AFTER INSERT ON customers BEGIN INSERT INTO customers_recent_fts (rowid, search_key, phone_rev, phone_digits, card)
        SELECT (coalesce(new.last_visit_at, 0) * 1073741824 + new.id), new.search_key, new.phone_rev, new.phone_digits, new.card WHERE new.erased_at IS NULL; END""",
    """CREATE TRIGGER customers_recent_fts_delete AFTER DELETE ON customers BEGIN INSERT INTO customers_recent_fts (customers_recent_fts, rowid, search_key, phone_rev, phone_digits, card)
        SELECT 'delete', (coalesce(old.last_visit_at, 0) * 1073741824 + old.id), old.search_key, old.phone_rev, old.phone_digits, old.card
        WHERE old.erased_at IS NULL; END""",
    """
            CREATE TRIGGER customers_recent_fts_update
            AFTER UPDATE OF id, search_key, phone_rev, phone_digits, card, last_visit_at, erased_at ON customers
            BEGIN INSERT INTO customers_recent_fts (customers_recent_fts, rowid, search_key, phone_rev, phone_digits, card)
        SELECT 'delete', (coalesce(old.last_visit_at, 0) * 1073741824 + old.id), old.search_key, old.phone_rev, old.phone_digits, old.card
        WHERE old.erased_at IS NULL; INSERT INTO customers_recent_fts (rowid, search_key, phone_rev, phone_digits, card)
        SELECT (coalesce(new.last_visit_at, 0) * 1073741824 + new.id), new.search_key, new.phone_rev, new.phone_digits, new.card WHERE new.erased_at IS NULL; END
            """,
]

# m003's backfill, run with the parameters ``[0, 1 << 30]`` (every customer).
M003_FILL = """
    INSERT INTO customers_recent_fts (rowid, search_key, phone_rev, phone_digits, card)
    SELECT (coalesce(c.last_visit_at, 0) * 1073741824 + c.id) AS k, c.search_key, c.phone_rev, c.phone_digits, c.card FROM customers c
    WHERE c.erased_at IS NULL AND c.id BETWEEN ? AND ? ORDER BY k
"""

# m004_dashboard_summary, in the order it runs.
M004_DASHBOARD_SUMMARY = [
    # The returning flag, then every visit's flag set in one pass.
    "ALTER TABLE visits ADD COLUMN is_returning INTEGER NOT NULL DEFAULT 0",
    """
    UPDATE visits SET is_returning = 1 FROM (
        SELECT customer_id, min(arrived_at) AS first FROM visits
        WHERE status != 'discarded' AND customer_id IS NOT NULL GROUP BY customer_id
    ) f
    WHERE f.customer_id = visits.customer_id AND visits.arrived_at > f.first
""",
    # The summary tables and the two expression indexes for the exact seconds.
    """
    CREATE TABLE dash_counts (
        width       INTEGER NOT NULL,  -- 604800: 7 UTC days, 86400: a UTC day, 900: 15 min
        bucket      INTEGER NOT NULL,  -- arrived_at / width
        staff       INTEGER NOT NULL,  -- staff_id, 0 for none
        visits      INTEGER NOT NULL,
        known       INTEGER NOT NULL,  -- of a customer on file (not a walk-in)
        complaints  INTEGER NOT NULL,
        returning_visits INTEGER NOT NULL,
        steps_done  INTEGER NOT NULL,
        steps_total INTEGER NOT NULL,
        PRIMARY KEY (width, bucket, staff)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE dash_outcomes (
        width     INTEGER NOT NULL,
        bucket    INTEGER NOT NULL,
        staff     INTEGER NOT NULL,
        outcome   TEXT NOT NULL,
        complaint INTEGER NOT NULL,
        visits    INTEGER NOT NULL,
        PRIMARY KEY (width, bucket, staff, outcome, complaint)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE dash_durations (
        width  INTEGER NOT NULL,
        bucket INTEGER NOT NULL,
        staff  INTEGER NOT NULL,
        kind   TEXT NOT NULL CHECK (kind IN ('wait', 'service')),
        minute INTEGER NOT NULL,
        visits INTEGER NOT NULL,
        PRIMARY KEY (width, bucket, staff, kind, minute)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE dash_steps (
        width    INTEGER NOT NULL,
        bucket   INTEGER NOT NULL,
        staff    INTEGER NOT NULL,
        step_key TEXT NOT NULL,
        position INTEGER NOT NULL,
        label    TEXT NOT NULL,
        done     INTEGER NOT NULL,
        total    INTEGER NOT NULL,
        PRIMARY KEY (width, bucket, staff, step_key, position, label)
    ) WITHOUT ROWID
    """,
    """CREATE INDEX visits_wait_seconds
        ON visits ((started_at - arrived_at), arrived_at, staff_id, started_at, status)
        WHERE status = 'ended' AND started_at IS NOT NULL""",
    """CREATE INDEX visits_service_seconds
        ON visits ((ended_at - started_at), arrived_at, staff_id, started_at, ended_at, status)
        WHERE status = 'ended' AND started_at IS NOT NULL AND ended_at IS NOT NULL""",
    # The backfill from the visits as they are, one statement per table and width (widest first).
    """INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                returning_visits, steps_done, steps_total)
            SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), count(*), sum(v.customer_id IS NOT NULL), sum(v.complaint != 0),
                sum(v.is_returning), coalesce(sum(x.done), 0), coalesce(sum(x.total), 0)
            FROM visits v LEFT JOIN (
                SELECT visit_id, sum(status = 'done') AS done, count(*) AS total
                FROM visit_steps GROUP BY visit_id
            ) x ON x.visit_id = v.id
            WHERE v.status = 'ended' GROUP BY 1, 2, 3""",
    """INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
            SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), v.outcome, v.complaint != 0, count(*) FROM visits v
            WHERE v.status = 'ended' GROUP BY 1, 2, 3, 4, 5""",
    """INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
            SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), 'wait', (CASE WHEN (v.started_at - v.arrived_at) > 0 THEN ((v.started_at - v.arrived_at) + 59) / 60 ELSE (v.started_at - v.arrived_at) END), count(*)
            FROM visits v WHERE v.status = 'ended' AND v.started_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
            UNION ALL
            SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), 'service', (CASE WHEN (v.ended_at - v.started_at) > 0 THEN ((v.ended_at - v.started_at) + 59) / 60 ELSE (v.ended_at - v.started_at) END), count(*)
            FROM visits v WHERE v.status = 'ended' AND v.started_at IS NOT NULL
              AND v.ended_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5""",
    """INSERT INTO dash_steps (width, bucket, staff, step_key, position, label, done, total)
            SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), x.step_key, x.position, x.label, sum(x.status = 'done'), count(*)
            FROM visits v JOIN visit_steps x ON x.visit_id = v.id
            WHERE v.status = 'ended' GROUP BY 1, 2, 3, 4, 5, 6""",
    """INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                returning_visits, steps_done, steps_total)
            SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), count(*), sum(v.customer_id IS NOT NULL), sum(v.complaint != 0),
                sum(v.is_returning), coalesce(sum(x.done), 0), coalesce(sum(x.total), 0)
            FROM visits v LEFT JOIN (
                SELECT visit_id, sum(status = 'done') AS done, count(*) AS total
                FROM visit_steps GROUP BY visit_id
            ) x ON x.visit_id = v.id
            WHERE v.status = 'ended' GROUP BY 1, 2, 3""",
    """INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
            SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), v.outcome, v.complaint != 0, count(*) FROM visits v
            WHERE v.status = 'ended' GROUP BY 1, 2, 3, 4, 5""",
    """INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
            SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), 'wait', (CASE WHEN (v.started_at - v.arrived_at) > 0 THEN ((v.started_at - v.arrived_at) + 59) / 60 ELSE (v.started_at - v.arrived_at) END), count(*)
            FROM visits v WHERE v.status = 'ended' AND v.started_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
            UNION ALL
            SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), 'service', (CASE WHEN (v.ended_at - v.started_at) > 0 THEN ((v.ended_at - v.started_at) + 59) / 60 ELSE (v.ended_at - v.started_at) END), count(*)
            FROM visits v WHERE v.status = 'ended' AND v.started_at IS NOT NULL
              AND v.ended_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5""",
    """INSERT INTO dash_steps (width, bucket, staff, step_key, position, label, done, total)
            SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), x.step_key, x.position, x.label, sum(x.status = 'done'), count(*)
            FROM visits v JOIN visit_steps x ON x.visit_id = v.id
            WHERE v.status = 'ended' GROUP BY 1, 2, 3, 4, 5, 6""",
    """INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                returning_visits, steps_done, steps_total)
            SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), count(*), sum(v.customer_id IS NOT NULL), sum(v.complaint != 0),
                sum(v.is_returning), coalesce(sum(x.done), 0), coalesce(sum(x.total), 0)
            FROM visits v LEFT JOIN (
                SELECT visit_id, sum(status = 'done') AS done, count(*) AS total
                FROM visit_steps GROUP BY visit_id
            ) x ON x.visit_id = v.id
            WHERE v.status = 'ended' GROUP BY 1, 2, 3""",
    """INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
            SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), v.outcome, v.complaint != 0, count(*) FROM visits v
            WHERE v.status = 'ended' GROUP BY 1, 2, 3, 4, 5""",
    """INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
            SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), 'wait', (CASE WHEN (v.started_at - v.arrived_at) > 0 THEN ((v.started_at - v.arrived_at) + 59) / 60 ELSE (v.started_at - v.arrived_at) END), count(*)
            FROM visits v WHERE v.status = 'ended' AND v.started_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
            UNION ALL
            SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), 'service', (CASE WHEN (v.ended_at - v.started_at) > 0 THEN ((v.ended_at - v.started_at) + 59) / 60 ELSE (v.ended_at - v.started_at) END), count(*)
            FROM visits v WHERE v.status = 'ended' AND v.started_at IS NOT NULL
              AND v.ended_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5""",
    """INSERT INTO dash_steps (width, bucket, staff, step_key, position, label, done, total)
            SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), x.step_key, x.position, x.label, sum(x.status = 'done'), count(*)
            FROM visits v JOIN visit_steps x ON x.visit_id = v.id
            WHERE v.status = 'ended' GROUP BY 1, 2, 3, 4, 5, 6""",
    # The triggers that keep the flag and the summary from then on.
    """CREATE TRIGGER visits_returning_insert AFTER INSERT ON visits WHEN new.customer_id IS NOT NULL BEGIN UPDATE visits SET is_returning = EXISTS (SELECT 1 FROM visits p WHERE p.customer_id = visits.customer_id
    AND p.arrived_at < visits.arrived_at AND p.status != 'discarded')
        WHERE customer_id = new.customer_id AND arrived_at >= new.arrived_at
          AND is_returning != EXISTS (SELECT 1 FROM visits p WHERE p.customer_id = visits.customer_id
    AND p.arrived_at < visits.arrived_at AND p.status != 'discarded'); END""",
    """CREATE TRIGGER visits_returning_update AFTER UPDATE OF customer_id, arrived_at, status ON visits
        WHEN old.customer_id IS NOT new.customer_id OR old.arrived_at != new.arrived_at
          OR (old.status = 'discarded') != (new.status = 'discarded') BEGIN UPDATE visits SET is_returning = EXISTS (SELECT 1 FROM visits p WHERE p.customer_id = visits.customer_id
    AND p.arrived_at < visits.arrived_at AND p.status != 'discarded')
        WHERE customer_id = old.customer_id AND arrived_at >= min(old.arrived_at, new.arrived_at)
          AND is_returning != EXISTS (SELECT 1 FROM visits p WHERE p.customer_id = visits.customer_id
    AND p.arrived_at < visits.arrived_at AND p.status != 'discarded'); UPDATE visits SET is_returning = EXISTS (SELECT 1 FROM visits p WHERE p.customer_id = visits.customer_id
    AND p.arrived_at < visits.arrived_at AND p.status != 'discarded')
        WHERE customer_id = new.customer_id AND arrived_at >= min(old.arrived_at, new.arrived_at)
          AND is_returning != EXISTS (SELECT 1 FROM visits p WHERE p.customer_id = visits.customer_id
    AND p.arrived_at < visits.arrived_at AND p.status != 'discarded'); UPDATE visits SET is_returning = 0
               WHERE id = new.id AND customer_id IS NULL AND is_returning != 0; END""",
    """CREATE TRIGGER visits_returning_delete AFTER DELETE ON visits WHEN old.customer_id IS NOT NULL BEGIN UPDATE visits SET is_returning = EXISTS (SELECT 1 FROM visits p WHERE p.customer_id = visits.customer_id
    AND p.arrived_at < visits.arrived_at AND p.status != 'discarded')
        WHERE customer_id = old.customer_id AND arrived_at >= old.arrived_at
          AND is_returning != EXISTS (SELECT 1 FROM visits p WHERE p.customer_id = visits.customer_id
    AND p.arrived_at < visits.arrived_at AND p.status != 'discarded'); END""",
    """CREATE TRIGGER dash_visit_insert AFTER INSERT ON visits WHEN new.status = 'ended' BEGIN INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 604800, new.arrived_at / 604800, coalesce(new.staff_id, 0), 1, 1 * (new.customer_id IS NOT NULL),
                    1 * (new.complaint != 0), 1 * (new.is_returning != 0),
                    1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = new.id AND x.status = 'done'),
                    1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = new.id)
                WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 604800, new.arrived_at / 604800, coalesce(new.staff_id, 0), new.outcome, new.complaint != 0, 1 WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 604800, new.arrived_at / 604800, coalesce(new.staff_id, 0), 'wait', (CASE WHEN (new.started_at - new.arrived_at) > 0 THEN ((new.started_at - new.arrived_at) + 59) / 60 ELSE (new.started_at - new.arrived_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 604800, new.arrived_at / 604800, coalesce(new.staff_id, 0), 'service', (CASE WHEN (new.ended_at - new.started_at) > 0 THEN ((new.ended_at - new.started_at) + 59) / 60 ELSE (new.ended_at - new.started_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL AND new.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 604800, new.arrived_at / 604800, coalesce(new.staff_id, 0), x.step_key, x.position, x.label, 1 * (x.status = 'done'), 1
                FROM visit_steps x WHERE x.visit_id = new.id AND new.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 86400, new.arrived_at / 86400, coalesce(new.staff_id, 0), 1, 1 * (new.customer_id IS NOT NULL),
                    1 * (new.complaint != 0), 1 * (new.is_returning != 0),
                    1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = new.id AND x.status = 'done'),
                    1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = new.id)
                WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 86400, new.arrived_at / 86400, coalesce(new.staff_id, 0), new.outcome, new.complaint != 0, 1 WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 86400, new.arrived_at / 86400, coalesce(new.staff_id, 0), 'wait', (CASE WHEN (new.started_at - new.arrived_at) > 0 THEN ((new.started_at - new.arrived_at) + 59) / 60 ELSE (new.started_at - new.arrived_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 86400, new.arrived_at / 86400, coalesce(new.staff_id, 0), 'service', (CASE WHEN (new.ended_at - new.started_at) > 0 THEN ((new.ended_at - new.started_at) + 59) / 60 ELSE (new.ended_at - new.started_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL AND new.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 86400, new.arrived_at / 86400, coalesce(new.staff_id, 0), x.step_key, x.position, x.label, 1 * (x.status = 'done'), 1
                FROM visit_steps x WHERE x.visit_id = new.id AND new.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 900, new.arrived_at / 900, coalesce(new.staff_id, 0), 1, 1 * (new.customer_id IS NOT NULL),
                    1 * (new.complaint != 0), 1 * (new.is_returning != 0),
                    1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = new.id AND x.status = 'done'),
                    1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = new.id)
                WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 900, new.arrived_at / 900, coalesce(new.staff_id, 0), new.outcome, new.complaint != 0, 1 WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 900, new.arrived_at / 900, coalesce(new.staff_id, 0), 'wait', (CASE WHEN (new.started_at - new.arrived_at) > 0 THEN ((new.started_at - new.arrived_at) + 59) / 60 ELSE (new.started_at - new.arrived_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 900, new.arrived_at / 900, coalesce(new.staff_id, 0), 'service', (CASE WHEN (new.ended_at - new.started_at) > 0 THEN ((new.ended_at - new.started_at) + 59) / 60 ELSE (new.ended_at - new.started_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL AND new.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 900, new.arrived_at / 900, coalesce(new.staff_id, 0), x.step_key, x.position, x.label, 1 * (x.status = 'done'), 1
                FROM visit_steps x WHERE x.visit_id = new.id AND new.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; END""",
    """CREATE TRIGGER dash_visit_update AFTER UPDATE OF status, arrived_at, staff_id, started_at, ended_at, outcome, complaint, customer_id, is_returning ON visits
        WHEN old.status = 'ended' OR new.status = 'ended' BEGIN INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 604800, old.arrived_at / 604800, coalesce(old.staff_id, 0), -1, -1 * (old.customer_id IS NOT NULL),
                    -1 * (old.complaint != 0), -1 * (old.is_returning != 0),
                    -1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = old.id AND x.status = 'done'),
                    -1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = old.id)
                WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 604800, old.arrived_at / 604800, coalesce(old.staff_id, 0), old.outcome, old.complaint != 0, -1 WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 604800, old.arrived_at / 604800, coalesce(old.staff_id, 0), 'wait', (CASE WHEN (old.started_at - old.arrived_at) > 0 THEN ((old.started_at - old.arrived_at) + 59) / 60 ELSE (old.started_at - old.arrived_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 604800, old.arrived_at / 604800, coalesce(old.staff_id, 0), 'service', (CASE WHEN (old.ended_at - old.started_at) > 0 THEN ((old.ended_at - old.started_at) + 59) / 60 ELSE (old.ended_at - old.started_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL AND old.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 604800, old.arrived_at / 604800, coalesce(old.staff_id, 0), x.step_key, x.position, x.label, -1 * (x.status = 'done'), -1
                FROM visit_steps x WHERE x.visit_id = old.id AND old.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 86400, old.arrived_at / 86400, coalesce(old.staff_id, 0), -1, -1 * (old.customer_id IS NOT NULL),
                    -1 * (old.complaint != 0), -1 * (old.is_returning != 0),
                    -1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = old.id AND x.status = 'done'),
                    -1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = old.id)
                WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 86400, old.arrived_at / 86400, coalesce(old.staff_id, 0), old.outcome, old.complaint != 0, -1 WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 86400, old.arrived_at / 86400, coalesce(old.staff_id, 0), 'wait', (CASE WHEN (old.started_at - old.arrived_at) > 0 THEN ((old.started_at - old.arrived_at) + 59) / 60 ELSE (old.started_at - old.arrived_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 86400, old.arrived_at / 86400, coalesce(old.staff_id, 0), 'service', (CASE WHEN (old.ended_at - old.started_at) > 0 THEN ((old.ended_at - old.started_at) + 59) / 60 ELSE (old.ended_at - old.started_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL AND old.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 86400, old.arrived_at / 86400, coalesce(old.staff_id, 0), x.step_key, x.position, x.label, -1 * (x.status = 'done'), -1
                FROM visit_steps x WHERE x.visit_id = old.id AND old.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 900, old.arrived_at / 900, coalesce(old.staff_id, 0), -1, -1 * (old.customer_id IS NOT NULL),
                    -1 * (old.complaint != 0), -1 * (old.is_returning != 0),
                    -1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = old.id AND x.status = 'done'),
                    -1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = old.id)
                WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 900, old.arrived_at / 900, coalesce(old.staff_id, 0), old.outcome, old.complaint != 0, -1 WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 900, old.arrived_at / 900, coalesce(old.staff_id, 0), 'wait', (CASE WHEN (old.started_at - old.arrived_at) > 0 THEN ((old.started_at - old.arrived_at) + 59) / 60 ELSE (old.started_at - old.arrived_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 900, old.arrived_at / 900, coalesce(old.staff_id, 0), 'service', (CASE WHEN (old.ended_at - old.started_at) > 0 THEN ((old.ended_at - old.started_at) + 59) / 60 ELSE (old.ended_at - old.started_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL AND old.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 900, old.arrived_at / 900, coalesce(old.staff_id, 0), x.step_key, x.position, x.label, -1 * (x.status = 'done'), -1
                FROM visit_steps x WHERE x.visit_id = old.id AND old.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 604800, new.arrived_at / 604800, coalesce(new.staff_id, 0), 1, 1 * (new.customer_id IS NOT NULL),
                    1 * (new.complaint != 0), 1 * (new.is_returning != 0),
                    1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = new.id AND x.status = 'done'),
                    1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = new.id)
                WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 604800, new.arrived_at / 604800, coalesce(new.staff_id, 0), new.outcome, new.complaint != 0, 1 WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 604800, new.arrived_at / 604800, coalesce(new.staff_id, 0), 'wait', (CASE WHEN (new.started_at - new.arrived_at) > 0 THEN ((new.started_at - new.arrived_at) + 59) / 60 ELSE (new.started_at - new.arrived_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 604800, new.arrived_at / 604800, coalesce(new.staff_id, 0), 'service', (CASE WHEN (new.ended_at - new.started_at) > 0 THEN ((new.ended_at - new.started_at) + 59) / 60 ELSE (new.ended_at - new.started_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL AND new.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 604800, new.arrived_at / 604800, coalesce(new.staff_id, 0), x.step_key, x.position, x.label, 1 * (x.status = 'done'), 1
                FROM visit_steps x WHERE x.visit_id = new.id AND new.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 86400, new.arrived_at / 86400, coalesce(new.staff_id, 0), 1, 1 * (new.customer_id IS NOT NULL),
                    1 * (new.complaint != 0), 1 * (new.is_returning != 0),
                    1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = new.id AND x.status = 'done'),
                    1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = new.id)
                WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 86400, new.arrived_at / 86400, coalesce(new.staff_id, 0), new.outcome, new.complaint != 0, 1 WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 86400, new.arrived_at / 86400, coalesce(new.staff_id, 0), 'wait', (CASE WHEN (new.started_at - new.arrived_at) > 0 THEN ((new.started_at - new.arrived_at) + 59) / 60 ELSE (new.started_at - new.arrived_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 86400, new.arrived_at / 86400, coalesce(new.staff_id, 0), 'service', (CASE WHEN (new.ended_at - new.started_at) > 0 THEN ((new.ended_at - new.started_at) + 59) / 60 ELSE (new.ended_at - new.started_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL AND new.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 86400, new.arrived_at / 86400, coalesce(new.staff_id, 0), x.step_key, x.position, x.label, 1 * (x.status = 'done'), 1
                FROM visit_steps x WHERE x.visit_id = new.id AND new.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 900, new.arrived_at / 900, coalesce(new.staff_id, 0), 1, 1 * (new.customer_id IS NOT NULL),
                    1 * (new.complaint != 0), 1 * (new.is_returning != 0),
                    1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = new.id AND x.status = 'done'),
                    1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = new.id)
                WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 900, new.arrived_at / 900, coalesce(new.staff_id, 0), new.outcome, new.complaint != 0, 1 WHERE new.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 900, new.arrived_at / 900, coalesce(new.staff_id, 0), 'wait', (CASE WHEN (new.started_at - new.arrived_at) > 0 THEN ((new.started_at - new.arrived_at) + 59) / 60 ELSE (new.started_at - new.arrived_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 900, new.arrived_at / 900, coalesce(new.staff_id, 0), 'service', (CASE WHEN (new.ended_at - new.started_at) > 0 THEN ((new.ended_at - new.started_at) + 59) / 60 ELSE (new.ended_at - new.started_at) END), 1
                WHERE new.status = 'ended' AND new.started_at IS NOT NULL AND new.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 900, new.arrived_at / 900, coalesce(new.staff_id, 0), x.step_key, x.position, x.label, 1 * (x.status = 'done'), 1
                FROM visit_steps x WHERE x.visit_id = new.id AND new.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; END""",
    """CREATE TRIGGER dash_visit_delete BEFORE DELETE ON visits WHEN old.status = 'ended' BEGIN INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 604800, old.arrived_at / 604800, coalesce(old.staff_id, 0), -1, -1 * (old.customer_id IS NOT NULL),
                    -1 * (old.complaint != 0), -1 * (old.is_returning != 0),
                    -1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = old.id AND x.status = 'done'),
                    -1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = old.id)
                WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 604800, old.arrived_at / 604800, coalesce(old.staff_id, 0), old.outcome, old.complaint != 0, -1 WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 604800, old.arrived_at / 604800, coalesce(old.staff_id, 0), 'wait', (CASE WHEN (old.started_at - old.arrived_at) > 0 THEN ((old.started_at - old.arrived_at) + 59) / 60 ELSE (old.started_at - old.arrived_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 604800, old.arrived_at / 604800, coalesce(old.staff_id, 0), 'service', (CASE WHEN (old.ended_at - old.started_at) > 0 THEN ((old.ended_at - old.started_at) + 59) / 60 ELSE (old.ended_at - old.started_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL AND old.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 604800, old.arrived_at / 604800, coalesce(old.staff_id, 0), x.step_key, x.position, x.label, -1 * (x.status = 'done'), -1
                FROM visit_steps x WHERE x.visit_id = old.id AND old.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 86400, old.arrived_at / 86400, coalesce(old.staff_id, 0), -1, -1 * (old.customer_id IS NOT NULL),
                    -1 * (old.complaint != 0), -1 * (old.is_returning != 0),
                    -1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = old.id AND x.status = 'done'),
                    -1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = old.id)
                WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 86400, old.arrived_at / 86400, coalesce(old.staff_id, 0), old.outcome, old.complaint != 0, -1 WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 86400, old.arrived_at / 86400, coalesce(old.staff_id, 0), 'wait', (CASE WHEN (old.started_at - old.arrived_at) > 0 THEN ((old.started_at - old.arrived_at) + 59) / 60 ELSE (old.started_at - old.arrived_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 86400, old.arrived_at / 86400, coalesce(old.staff_id, 0), 'service', (CASE WHEN (old.ended_at - old.started_at) > 0 THEN ((old.ended_at - old.started_at) + 59) / 60 ELSE (old.ended_at - old.started_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL AND old.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 86400, old.arrived_at / 86400, coalesce(old.staff_id, 0), x.step_key, x.position, x.label, -1 * (x.status = 'done'), -1
                FROM visit_steps x WHERE x.visit_id = old.id AND old.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 900, old.arrived_at / 900, coalesce(old.staff_id, 0), -1, -1 * (old.customer_id IS NOT NULL),
                    -1 * (old.complaint != 0), -1 * (old.is_returning != 0),
                    -1 * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = old.id AND x.status = 'done'),
                    -1 * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = old.id)
                WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT 900, old.arrived_at / 900, coalesce(old.staff_id, 0), old.outcome, old.complaint != 0, -1 WHERE old.status = 'ended'
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 900, old.arrived_at / 900, coalesce(old.staff_id, 0), 'wait', (CASE WHEN (old.started_at - old.arrived_at) > 0 THEN ((old.started_at - old.arrived_at) + 59) / 60 ELSE (old.started_at - old.arrived_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT 900, old.arrived_at / 900, coalesce(old.staff_id, 0), 'service', (CASE WHEN (old.ended_at - old.started_at) > 0 THEN ((old.ended_at - old.started_at) + 59) / 60 ELSE (old.ended_at - old.started_at) END), -1
                WHERE old.status = 'ended' AND old.started_at IS NOT NULL AND old.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 900, old.arrived_at / 900, coalesce(old.staff_id, 0), x.step_key, x.position, x.label, -1 * (x.status = 'done'), -1
                FROM visit_steps x WHERE x.visit_id = old.id AND old.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; END""",
    """CREATE TRIGGER dash_step_insert AFTER INSERT ON visit_steps BEGIN INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), 0, 0, 0, 0, 1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), new.step_key, new.position, new.label,
                    1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), 0, 0, 0, 0, 1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), new.step_key, new.position, new.label,
                    1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), 0, 0, 0, 0, 1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), new.step_key, new.position, new.label,
                    1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; END""",
    """CREATE TRIGGER dash_step_delete AFTER DELETE ON visit_steps BEGIN INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), 0, 0, 0, 0, -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), old.step_key, old.position, old.label,
                    -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), 0, 0, 0, 0, -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), old.step_key, old.position, old.label,
                    -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), 0, 0, 0, 0, -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), old.step_key, old.position, old.label,
                    -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; END""",
    """CREATE TRIGGER dash_step_update AFTER UPDATE OF visit_id, step_key, position, label, status ON visit_steps BEGIN INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), 0, 0, 0, 0, -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), old.step_key, old.position, old.label,
                    -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), 0, 0, 0, 0, -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), old.step_key, old.position, old.label,
                    -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), 0, 0, 0, 0, -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), old.step_key, old.position, old.label,
                    -1 * (old.status = 'done'), -1 FROM visits v WHERE v.id = old.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), 0, 0, 0, 0, 1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 604800, v.arrived_at / 604800, coalesce(v.staff_id, 0), new.step_key, new.position, new.label,
                    1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), 0, 0, 0, 0, 1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 86400, v.arrived_at / 86400, coalesce(v.staff_id, 0), new.step_key, new.position, new.label,
                    1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), 0, 0, 0, 0, 1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total; INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT 900, v.arrived_at / 900, coalesce(v.staff_id, 0), new.step_key, new.position, new.label,
                    1 * (new.status = 'done'), 1 FROM visits v WHERE v.id = new.visit_id AND v.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total; END""",
]
