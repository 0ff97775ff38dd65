"""Schema migrations, applied in order on every open (sqlite-utils ``Migrations``).

Conventions, so that ``sqlite-utils``, Datasette or the ``sqlite3`` shell read the file plainly:
- every timestamp is an INTEGER of seconds since the Unix epoch, UTC (``*_at`` columns);
- text columns are NOT NULL with '' for "not given", except where NULL means "not happened";
- ``customers.search_key`` is the folded, transliterated text that ``customers_fts`` indexes;
  it is written by the domain (``counter.search.customer_search_key``), never typed by a person.

Never edit a migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("counter")


def unknown_migrations(db: Database) -> list[str]:
    """Migrations recorded in the file that this build does not know: a newer Counter wrote it."""
    known = {m.name for m in MIGRATIONS._migrations}
    return [m.name for m in MIGRATIONS.applied(db) if m.name not in known]


def _run(db: Database, statements: list[str]) -> None:
    # One statement at a time: executescript() would COMMIT the migration's transaction.
    for sql in statements:
        db.execute(sql)


_FTS_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
# M* keeps Devanagari vowel signs and virama inside tokens; the default splits words at them.

_INITIAL = [
    """
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE staff (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        role       TEXT NOT NULL DEFAULT 'staff' CHECK (role IN ('staff', 'manager')),
        pin_hash   TEXT NOT NULL DEFAULT '',
        active     INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
    )
    """,
    """
    CREATE TABLE customers (
        id            INTEGER PRIMARY KEY,
        given_name    TEXT NOT NULL DEFAULT '',
        family_name   TEXT NOT NULL DEFAULT '',
        native_name   TEXT NOT NULL DEFAULT '',   -- the name in its own script, e.g. राहुल शर्मा
        language      TEXT NOT NULL DEFAULT '',   -- preferred language code; '' = the store's
        formality     TEXT NOT NULL DEFAULT 'formal' CHECK (formality IN ('formal', 'informal')),
        title         TEXT NOT NULL DEFAULT '' CHECK (title IN ('', 'ms', 'mr', 'mx')),
        phone         TEXT NOT NULL DEFAULT '',   -- E.164, e.g. +905321234567
        phone_digits  TEXT NOT NULL DEFAULT '',   -- the same, digits only
        phone_rev     TEXT NOT NULL DEFAULT '',   -- digits reversed: "last four digits" search
        email         TEXT NOT NULL DEFAULT '',
        card          TEXT NOT NULL DEFAULT '',   -- loyalty card, upper-case letters and digits
        rapport_notes TEXT NOT NULL DEFAULT '',
        search_key    TEXT NOT NULL DEFAULT '',
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        last_visit_at INTEGER,                    -- kept by a trigger on visits
        erased_at     INTEGER                     -- personal data erased on request
    )
    """,
    "CREATE INDEX customers_phone_rev ON customers (phone_rev) WHERE phone_rev != ''",
    "CREATE INDEX customers_phone_digits ON customers (phone_digits) WHERE phone_digits != ''",
    "CREATE INDEX customers_card ON customers (card) WHERE card != ''",
    "CREATE INDEX customers_last_visit ON customers (last_visit_at)",
    f"""
    CREATE VIRTUAL TABLE customers_fts USING fts5(
        search_key, content='customers', content_rowid='id',
        tokenize="{_FTS_TOKENIZER}", prefix='1 2 3'
    )
    """,
    """
    CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
        INSERT INTO customers_fts (rowid, search_key) VALUES (new.id, new.search_key);
    END
    """,
    """
    CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
        INSERT INTO customers_fts (customers_fts, rowid, search_key)
        VALUES ('delete', old.id, old.search_key);
    END
    """,
    """
    CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_key ON customers BEGIN
        INSERT INTO customers_fts (customers_fts, rowid, search_key)
        VALUES ('delete', old.id, old.search_key);
        INSERT INTO customers_fts (rowid, search_key) VALUES (new.id, new.search_key);
    END
    """,
    """
    CREATE TABLE checklist_steps (
        step_key TEXT PRIMARY KEY,  -- greet, rapport, needs, solution, thank, or a custom key
        position INTEGER NOT NULL,
        builtin  INTEGER NOT NULL DEFAULT 0,
        hidden   INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE checklist_step_labels (
        step_key TEXT NOT NULL REFERENCES checklist_steps (step_key) ON DELETE CASCADE,
        language TEXT NOT NULL,
        label    TEXT NOT NULL,
        hint     TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (step_key, language)
    )
    """,
    """
    INSERT INTO checklist_steps (step_key, position, builtin) VALUES
        ('greet', 1, 1), ('rapport', 2, 1), ('needs', 3, 1), ('solution', 4, 1), ('thank', 5, 1)
    """,
    """
    CREATE TABLE visits (
        id             INTEGER PRIMARY KEY,
        customer_id    INTEGER REFERENCES customers (id),  -- NULL: anonymous walk-in
        walk_in_name   TEXT NOT NULL DEFAULT '',
        staff_id       INTEGER REFERENCES staff (id),
        status         TEXT NOT NULL DEFAULT 'waiting'
                       CHECK (status IN ('waiting', 'in_progress', 'ended', 'discarded')),
        arrived_at     INTEGER NOT NULL,
        started_at     INTEGER,
        ended_at       INTEGER,
        language       TEXT NOT NULL DEFAULT '',
        need           TEXT NOT NULL DEFAULT '',
        solution       TEXT NOT NULL DEFAULT '',
        outcome        TEXT NOT NULL DEFAULT '',
        complaint      INTEGER NOT NULL DEFAULT 0,
        discard_reason TEXT NOT NULL DEFAULT '',
        updated_at     INTEGER NOT NULL
    )
    """,
    "CREATE INDEX visits_customer ON visits (customer_id, arrived_at)",
    "CREATE INDEX visits_arrived ON visits (arrived_at)",
    "CREATE INDEX visits_open ON visits (status) WHERE status IN ('waiting', 'in_progress')",
    """
    CREATE TRIGGER visits_last_seen AFTER INSERT ON visits WHEN new.customer_id IS NOT NULL
    BEGIN
        UPDATE customers SET last_visit_at = new.arrived_at
        WHERE id = new.customer_id
          AND (last_visit_at IS NULL OR last_visit_at < new.arrived_at);
    END
    """,
    """
    CREATE TABLE visit_steps (
        visit_id INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        step_key TEXT NOT NULL,
        label    TEXT NOT NULL,                    -- as shown when the visit ran
        status   TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped')),
        at       INTEGER,                          -- when it was done or skipped
        PRIMARY KEY (visit_id, step_key)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE follow_ups (
        id          INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers (id),
        visit_id    INTEGER REFERENCES visits (id),
        owner_id    INTEGER REFERENCES staff (id),
        description TEXT NOT NULL,
        due_at      INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        created_by  INTEGER REFERENCES staff (id),
        closed_at   INTEGER,
        closed_by   INTEGER REFERENCES staff (id),
        close_note  TEXT NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX follow_ups_open ON follow_ups (customer_id, due_at) WHERE closed_at IS NULL",
    "CREATE INDEX follow_ups_due ON follow_ups (due_at) WHERE closed_at IS NULL",
    """
    CREATE TABLE phrase_overrides (
        id         INTEGER PRIMARY KEY,
        language   TEXT NOT NULL,
        step_key   TEXT NOT NULL,
        msgid      TEXT NOT NULL DEFAULT '',  -- the catalog phrase this replaces; '' = a new phrase
        text       TEXT NOT NULL DEFAULT '',
        hidden     INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        updated_by INTEGER REFERENCES staff (id)
    )
    """,
    "CREATE INDEX phrase_overrides_lookup ON phrase_overrides (language, step_key)",
    """
    CREATE TABLE audit_log (
        id       INTEGER PRIMARY KEY,
        at       INTEGER NOT NULL,
        staff_id INTEGER REFERENCES staff (id),
        action   TEXT NOT NULL,                -- e.g. export_visits, view_customer, erase_customer
        subject  TEXT NOT NULL DEFAULT '',     -- e.g. customer:42
        detail   TEXT NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX audit_log_at ON audit_log (at)",
]


@MIGRATIONS(name="m001_initial")
def m001_initial(db: Database) -> None:
    _run(db, _INITIAL)


@MIGRATIONS(name="m002_auth_lockout")
def m002_auth_lockout(db: Database) -> None:
    # Sign-in lockout survives a restart: wrong PINs counted per staff member.
    _run(
        db,
        [
            "ALTER TABLE staff ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE staff ADD COLUMN locked_until INTEGER",  # NULL: not locked
        ],
    )


# Search in recency order. ``customers_recent_fts`` indexes the same search key as
# ``customers_fts`` plus the phone (reversed, for "last four digits", and forward) and the card,
# under a rowid that sorts like the customer's last visit: (last_visit_at or 0) * 2^30 + id.
# The most recently seen matches then come straight off the index (ORDER BY rowid DESC LIMIT n)
# however many customers "m" or "4" matches; no sort of 300,000 rows per keystroke.
# Contentless: the triggers hand it the old values to delete. Ids stay below 2^30.
RECENT_KEY_BITS = 30
_RECENT_COLUMNS = "search_key, phone_rev, phone_digits, card"


def _recent_key(row: str) -> str:
    return f"(coalesce({row}.last_visit_at, 0) * {1 << RECENT_KEY_BITS} + {row}.id)"


def _recent_values(row: str) -> str:
    return ", ".join(f"{row}.{c}" for c in _RECENT_COLUMNS.split(", "))


# Customers with ids in [?, ?], in rowid order: FTS5 then appends instead of splitting its
# segments (5x faster than in id order).
FILL_RECENT_SEARCH = f"""
    INSERT INTO customers_recent_fts (rowid, {_RECENT_COLUMNS})
    SELECT {_recent_key("c")} AS k, {_recent_values("c")} FROM customers c
    WHERE c.erased_at IS NULL AND c.id BETWEEN ? AND ? ORDER BY k
"""


@MIGRATIONS(name="m003_search_by_recency")
def m003_search_by_recency(db: Database) -> None:
    delete = f"""INSERT INTO customers_recent_fts (customers_recent_fts, rowid, {_RECENT_COLUMNS})
        SELECT 'delete', {_recent_key("old")}, {_recent_values("old")}
        WHERE old.erased_at IS NULL;"""
    insert = f"""INSERT INTO customers_recent_fts (rowid, {_RECENT_COLUMNS})
        SELECT {_recent_key("new")}, {_recent_values("new")} WHERE new.erased_at IS NULL;"""
    name = "customers_recent_fts"
    _run(
        db,
        [
            f"""
            CREATE VIRTUAL TABLE customers_recent_fts USING fts5(
                {_RECENT_COLUMNS}, content='', tokenize="{_FTS_TOKENIZER}", prefix='1 2 3'
            )
            """,
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON customers BEGIN {insert} END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON customers BEGIN {delete} END",
            f"""
            CREATE TRIGGER {name}_update
            AFTER UPDATE OF id, {_RECENT_COLUMNS}, last_visit_at, erased_at ON customers
            BEGIN {delete} {insert} END
            """,
        ],
    )
    db.execute(FILL_RECENT_SEARCH, [0, 1 << RECENT_KEY_BITS])


# The manager's dashboard reads a summary instead of every visit of the period.
#
# ``visits.is_returning``: 1 when the customer had an earlier visit that was not discarded (the
# dashboard's "returning customer"), kept by triggers: a visit's flag depends on the
# customer's other visits, so an insert, a discard, a delete, or a change of customer or
# arrival time recomputes the flags of that customer's visits from that arrival on (in a
# store's normal order of events: the one visit itself).
#
# ``dash_*``: per staff member (0 = nobody recorded), the ended visits counted by when they
# arrived, at three widths: 7-day blocks of UTC days (604800, counted from the epoch),
# UTC days (86400) and quarter-hours (900). A period of local days in any time zone whose
# UTC offsets are whole quarter-hours reads its whole blocks from the 7-day rows, the whole
# UTC days around them from the day rows and its ends from the quarter-hour rows (a month
# reads 4 blocks, a few days and 2 partial days instead of 30 days); visits per local day
# and hour come from the quarter-hour rows. Every table gets each visit's contribution
# added when the visit ends (or is inserted ended) and subtracted/added again on any change
# that moves it (the triggers below): rows whose counts fall back to zero stay, the queries
# skip them.
# Durations are histograms by minute (``minute``: ceil(seconds / 60) for positive seconds,
# the seconds themselves otherwise); the exact seconds of the few minutes that hold a
# median or a 90th percentile come from the two expression indexes on visits.
DASH_WIDTHS = (604_800, 86_400, 900)  # widest first
DASH_NO_STAFF = 0  # staff_id NULL; staff ids start at 1

_RETURNING = """EXISTS (SELECT 1 FROM visits p WHERE p.customer_id = visits.customer_id
    AND p.arrived_at < visits.arrived_at AND p.status != 'discarded')"""


def _refresh_returning(customer: str, since: str) -> str:
    return f"""UPDATE visits SET is_returning = {_RETURNING}
        WHERE customer_id = {customer} AND arrived_at >= {since}
          AND is_returning != {_RETURNING};"""


def _minute(seconds: str) -> str:
    return f"(CASE WHEN {seconds} > 0 THEN ({seconds} + 59) / 60 ELSE {seconds} END)"


WAIT_SECONDS = "(started_at - arrived_at)"
SERVICE_SECONDS = "(ended_at - started_at)"


def _dash_key(width: int, visit: str) -> str:
    """The summary row a visit (the row alias ``visit``) counts in: width, bucket, staff."""
    return f"{width}, {visit}.arrived_at / {width}, coalesce({visit}.staff_id, {DASH_NO_STAFF})"


def _wait(visit: str) -> str:
    return f"({visit}.started_at - {visit}.arrived_at)"


def _service(visit: str) -> str:
    return f"({visit}.ended_at - {visit}.started_at)"


def _dash_visit(row: str, sign: int) -> list[str]:
    """Statements adding (sign 1) or subtracting (-1) one visit's contribution, when ended."""
    s = sign
    statements = []
    for width in DASH_WIDTHS:
        key = _dash_key(width, row)
        when = f"WHERE {row}.status = 'ended'"
        wait, service = _wait(row), _service(row)
        statements += [
            f"""INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT {key}, {s}, {s} * ({row}.customer_id IS NOT NULL),
                    {s} * ({row}.complaint != 0), {s} * ({row}.is_returning != 0),
                    {s} * (SELECT count(*) FROM visit_steps x
                           WHERE x.visit_id = {row}.id AND x.status = 'done'),
                    {s} * (SELECT count(*) FROM visit_steps x WHERE x.visit_id = {row}.id)
                {when}
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits,
                    known = known + excluded.known, complaints = complaints + excluded.complaints,
                    returning_visits = returning_visits + excluded.returning_visits,
                    steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total;""",
            f"""INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
                SELECT {key}, {row}.outcome, {row}.complaint != 0, {s} {when}
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits;""",
            f"""INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT {key}, 'wait', {_minute(wait)}, {s}
                {when} AND {row}.started_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits;""",
            f"""INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
                SELECT {key}, 'service', {_minute(service)}, {s}
                {when} AND {row}.started_at IS NOT NULL AND {row}.ended_at IS NOT NULL
                ON CONFLICT DO UPDATE SET visits = visits + excluded.visits;""",
            f"""INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT {key}, x.step_key, x.position, x.label, {s} * (x.status = 'done'), {s}
                FROM visit_steps x WHERE x.visit_id = {row}.id AND {row}.status = 'ended'
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total;""",
        ]
    return statements


def _dash_step(row: str, sign: int) -> list[str]:
    """One visit step's contribution, when its visit has ended."""
    s = sign
    statements = []
    for width in DASH_WIDTHS:
        key = _dash_key(width, "v")
        source = f"FROM visits v WHERE v.id = {row}.visit_id AND v.status = 'ended'"
        statements += [
            f"""INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                    returning_visits, steps_done, steps_total)
                SELECT {key}, 0, 0, 0, 0, {s} * ({row}.status = 'done'), {s} {source}
                ON CONFLICT DO UPDATE SET steps_done = steps_done + excluded.steps_done,
                    steps_total = steps_total + excluded.steps_total;""",
            f"""INSERT INTO dash_steps (width, bucket, staff, step_key, position, label,
                    done, total)
                SELECT {key}, {row}.step_key, {row}.position, {row}.label,
                    {s} * ({row}.status = 'done'), {s} {source}
                ON CONFLICT DO UPDATE SET done = done + excluded.done,
                    total = total + excluded.total;""",
        ]
    return statements


def _dash_fill(width: int) -> list[str]:
    """Backfill statements for one width, one per table, from the visits as they are."""
    key = _dash_key(width, "v")
    group = "GROUP BY 1, 2, 3"
    return [
        f"""INSERT INTO dash_counts (width, bucket, staff, visits, known, complaints,
                returning_visits, steps_done, steps_total)
            SELECT {key}, count(*), sum(v.customer_id IS NOT NULL), sum(v.complaint != 0),
                sum(v.is_returning), coalesce(sum(x.done), 0), coalesce(sum(x.total), 0)
            FROM visits v LEFT JOIN (
                SELECT visit_id, sum(status = 'done') AS done, count(*) AS total
                FROM visit_steps GROUP BY visit_id
            ) x ON x.visit_id = v.id
            WHERE v.status = 'ended' {group}""",
        f"""INSERT INTO dash_outcomes (width, bucket, staff, outcome, complaint, visits)
            SELECT {key}, v.outcome, v.complaint != 0, count(*) FROM visits v
            WHERE v.status = 'ended' {group}, 4, 5""",
        f"""INSERT INTO dash_durations (width, bucket, staff, kind, minute, visits)
            SELECT {key}, 'wait', {_minute(_wait("v"))}, count(*)
            FROM visits v WHERE v.status = 'ended' AND v.started_at IS NOT NULL {group}, 4, 5
            UNION ALL
            SELECT {key}, 'service', {_minute(_service("v"))}, count(*)
            FROM visits v WHERE v.status = 'ended' AND v.started_at IS NOT NULL
              AND v.ended_at IS NOT NULL {group}, 4, 5""",
        f"""INSERT INTO dash_steps (width, bucket, staff, step_key, position, label, done, total)
            SELECT {key}, x.step_key, x.position, x.label, sum(x.status = 'done'), count(*)
            FROM visits v JOIN visit_steps x ON x.visit_id = v.id
            WHERE v.status = 'ended' {group}, 4, 5, 6""",
    ]


# Set every visit's returning flag in one pass, then fill the summary (the migration's
# backfill; the bench builder runs the same after its bulk load).
FILL_RETURNING = """
    UPDATE visits SET is_returning = 1 FROM (
        SELECT customer_id, min(arrived_at) AS first FROM visits
        WHERE status != 'discarded' AND customer_id IS NOT NULL GROUP BY customer_id
    ) f
    WHERE f.customer_id = visits.customer_id AND visits.arrived_at > f.first
"""
FILL_DASHBOARD = [sql for width in DASH_WIDTHS for sql in _dash_fill(width)]
DASH_TABLES = ("dash_counts", "dash_outcomes", "dash_durations", "dash_steps")

_DASH_TABLES = [
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
    # The exact seconds inside one minute of the histogram, for the period: each IN-listed
    # value is one seek, then the period's range of arrivals. Every column the query names is
    # in the index (status too), so it never reads the visits themselves: 3x faster.
    f"""CREATE INDEX visits_wait_seconds
        ON visits ({WAIT_SECONDS}, arrived_at, staff_id, started_at, status)
        WHERE status = 'ended' AND started_at IS NOT NULL""",
    f"""CREATE INDEX visits_service_seconds
        ON visits ({SERVICE_SECONDS}, arrived_at, staff_id, started_at, ended_at, status)
        WHERE status = 'ended' AND started_at IS NOT NULL AND ended_at IS NOT NULL""",
]


def _trigger(name: str, event: str, statements: list[str]) -> str:
    return f"CREATE TRIGGER {name} {event} BEGIN {' '.join(statements)} END"


_VISIT_MOVES = "status, arrived_at, staff_id, started_at, ended_at, outcome, complaint, customer_id"
_DASH_TRIGGERS = [
    _trigger(
        "visits_returning_insert",
        "AFTER INSERT ON visits WHEN new.customer_id IS NOT NULL",
        [_refresh_returning("new.customer_id", "new.arrived_at")],
    ),
    _trigger(
        "visits_returning_update",
        """AFTER UPDATE OF customer_id, arrived_at, status ON visits
        WHEN old.customer_id IS NOT new.customer_id OR old.arrived_at != new.arrived_at
          OR (old.status = 'discarded') != (new.status = 'discarded')""",
        [
            _refresh_returning("old.customer_id", "min(old.arrived_at, new.arrived_at)"),
            _refresh_returning("new.customer_id", "min(old.arrived_at, new.arrived_at)"),
            """UPDATE visits SET is_returning = 0
               WHERE id = new.id AND customer_id IS NULL AND is_returning != 0;""",
        ],
    ),
    _trigger(
        "visits_returning_delete",
        "AFTER DELETE ON visits WHEN old.customer_id IS NOT NULL",
        [_refresh_returning("old.customer_id", "old.arrived_at")],
    ),
    _trigger(
        "dash_visit_insert",
        "AFTER INSERT ON visits WHEN new.status = 'ended'",
        _dash_visit("new", 1),
    ),
    _trigger(
        "dash_visit_update",
        f"""AFTER UPDATE OF {_VISIT_MOVES}, is_returning ON visits
        WHEN old.status = 'ended' OR new.status = 'ended'""",
        _dash_visit("old", -1) + _dash_visit("new", 1),
    ),
    # Before: the steps are still there to subtract (the cascade deletes them after).
    _trigger(
        "dash_visit_delete",
        "BEFORE DELETE ON visits WHEN old.status = 'ended'",
        _dash_visit("old", -1),
    ),
    _trigger("dash_step_insert", "AFTER INSERT ON visit_steps", _dash_step("new", 1)),
    _trigger("dash_step_delete", "AFTER DELETE ON visit_steps", _dash_step("old", -1)),
    _trigger(
        "dash_step_update",
        "AFTER UPDATE OF visit_id, step_key, position, label, status ON visit_steps",
        _dash_step("old", -1) + _dash_step("new", 1),
    ),
]


@MIGRATIONS(name="m004_dashboard_summary")
def m004_dashboard_summary(db: Database) -> None:
    _run(
        db,
        [
            "ALTER TABLE visits ADD COLUMN is_returning INTEGER NOT NULL DEFAULT 0",
            FILL_RETURNING,
            *_DASH_TABLES,
            *FILL_DASHBOARD,
            *_DASH_TRIGGERS,
        ],
    )


@MIGRATIONS(name="m005_overdue_follow_ups")
def m005_overdue_follow_ups(db: Database) -> None:
    # The dashboard counts open overdue follow-ups per owner: with the owner in the index it
    # never reads the follow-ups themselves (50 ms -> a few at 58,000 overdue; closed_at is
    # there for SQLite to see that it covers the query). It serves every query the due-date
    # index served, which the planner would otherwise still choose.
    _run(
        db,
        [
            """CREATE INDEX follow_ups_due_owner ON follow_ups (due_at, owner_id, closed_at)
               WHERE closed_at IS NULL""",
            "DROP INDEX follow_ups_due",
        ],
    )


@MIGRATIONS(name="m006_overdue_by_owner")
def m006_overdue_by_owner(db: Database) -> None:
    # The dashboard's overdue count is grouped by owner: in m005's due-date order SQLite
    # sorted the overdue rows first (17 ms of 20 at 58,000 overdue). In owner order it counts
    # each owner's range as it goes (3 ms). m005's index stays for the due-date lists.
    _run(
        db,
        [
            """CREATE INDEX follow_ups_owner_due ON follow_ups (owner_id, due_at, closed_at)
               WHERE closed_at IS NULL"""
        ],
    )


# Several counters (issue #14): a global id for every synced row, the outbox written by
# triggers in the same transaction as every write (import, erase, demo, the UI: all covered),
# the hub state and each synced row's field clocks. Frozen with the migration: what sync
# sends later is decided in counter/sync/tables.py, and a change here is a new migration.
#
# NOTE for whoever adds m007_step_servers: it goes ABOVE this migration (names apply in the
# order they are registered, and m008 was written expecting to come after it).
_M008_FIELDS = {
    "staff": ("name", "role", "pin_hash", "active", "created_at"),
    "customers": (
        "given_name",
        "family_name",
        "native_name",
        "language",
        "formality",
        "title",
        "phone",
        "email",
        "card",
        "rapport_notes",
        "created_at",
        "updated_at",
        "erased_at",
    ),
    "visits": (
        "customer_id",
        "walk_in_name",
        "staff_id",
        "status",
        "arrived_at",
        "started_at",
        "ended_at",
        "language",
        "need",
        "solution",
        "outcome",
        "complaint",
        "discard_reason",
        "updated_at",
    ),
    "visit_steps": ("visit_id", "step_key", "position", "label", "status", "at"),
    "follow_ups": (
        "customer_id",
        "visit_id",
        "owner_id",
        "description",
        "due_at",
        "created_at",
        "created_by",
        "closed_at",
        "closed_by",
        "close_note",
    ),
    "audit_log": ("at", "staff_id", "action", "subject", "detail"),
}
_M008_REFS = {
    "customer_id": "customers",
    "visit_id": "visits",
    "staff_id": "staff",
    "owner_id": "staff",
    "created_by": "staff",
    "closed_by": "staff",
}
_M008_WITH_GID = ("staff", "customers", "visits", "follow_ups", "audit_log")
# The hybrid logical clock: milliseconds << 16 | a counter, never going back (sync_state.hlc).
_M008_TICK = """UPDATE sync_state SET hlc = max(hlc + 1,
        (CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + clock_offset_ms) << 16)
    WHERE joined = 1 AND applying = 0;"""


def _m008_subject(row: str) -> str:
    """An audit entry's subject "customer:42" / "staff:3" names a local id: it travels as
    "customer@<gid>" / "staff@<gid>" (ids differ from counter to counter)."""
    cases = " ".join(
        f"""WHEN {row}.subject GLOB '{kind}:[0-9]*' THEN coalesce('{kind}@' || (SELECT gid
            FROM {table} WHERE id = CAST(substr({row}.subject, {len(kind) + 2}) AS INTEGER)),
            {row}.subject)"""
        for kind, table in (("customer", "customers"), ("staff", "staff"))
    )
    return f"(CASE {cases} ELSE {row}.subject END)"


def _m008_value(field: str) -> str:
    if field == "subject":
        return _m008_subject("new")
    ref = _M008_REFS.get(field)
    return f"(SELECT gid FROM {ref} WHERE id = new.{field})" if ref else f"new.{field}"


def _m008_key(table: str, inserted: bool) -> str:
    if table == "visit_steps":
        return "(SELECT gid FROM visits WHERE id = new.visit_id) || '/' || new.step_key"
    return f"(SELECT gid FROM {table} WHERE rowid = new.rowid)" if inserted else "new.gid"


def _m008_triggers(table: str) -> list[str]:
    fields = _M008_FIELDS[table]
    pairs = ", ".join(f"'{f}', {_m008_value(f)}" for f in fields)
    outbox = """INSERT INTO sync_outbox (tbl, gid, op, fields, hlc)
        SELECT '{table}', {key}, '{op}', {fields}, s.hlc FROM sync_state s
        WHERE s.joined = 1 AND s.applying = 0{extra};"""
    make_gid = (
        f"UPDATE {table} SET gid = lower(hex(randomblob(16))) "
        "WHERE rowid = new.rowid AND gid IS NULL;"
        if table in _M008_WITH_GID
        else ""
    )
    # A new row's global id: its own trigger, so a counter that never joins pays one UPDATE
    # per insert and nothing else (a bulk writer may also give the gid and skip even that).
    # The outbox trigger sets it too: the order two triggers fire in is not SQLite's promise.
    gid = (
        [
            f"""CREATE TRIGGER {table}_gid AFTER INSERT ON {table} WHEN new.gid IS NULL
                BEGIN {make_gid} END"""
        ]
        if make_gid
        else []
    )
    joined = "(SELECT joined = 1 AND applying = 0 FROM sync_state)"
    insert = f"""CREATE TRIGGER {table}_sync_insert AFTER INSERT ON {table} WHEN {joined} BEGIN
        {make_gid}
        {_M008_TICK}
        {outbox.format(table=table, key=_m008_key(table, True), op="insert",
                       fields=f"json_object({pairs})", extra="")}
    END"""  # fmt: skip
    changed = " UNION ALL ".join(
        f"SELECT '{f}' AS k, {_m008_value(f)} AS v WHERE old.{f} IS NOT new.{f}" for f in fields
    )
    update = f"""CREATE TRIGGER {table}_sync_update AFTER UPDATE OF {", ".join(fields)}
        ON {table} WHEN {joined} BEGIN
        {_M008_TICK}
        {outbox.format(table=table, key=_m008_key(table, False), op="update",
                       fields=f"(SELECT json_group_object(k, v) FROM ({changed}))",
                       extra=f" AND EXISTS ({changed})")}
    END"""  # fmt: skip
    return [*gid, insert, update]


@MIGRATIONS(name="m008_sync")
def m008_sync(db: Database) -> None:
    statements = []
    for table in _M008_WITH_GID:
        statements += [
            f"ALTER TABLE {table} ADD COLUMN gid TEXT",  # a random 128-bit id, hex
            f"UPDATE {table} SET gid = lower(hex(randomblob(16)))",
            f"CREATE UNIQUE INDEX {table}_gid ON {table} (gid)",
        ]
    statements += [
        """CREATE TABLE sync_state (
            id              INTEGER PRIMARY KEY CHECK (id = 1),
            joined          INTEGER NOT NULL DEFAULT 0,  -- 1: writes go to the outbox
            applying        INTEGER NOT NULL DEFAULT 0,  -- 1: a download is being applied
            hub             TEXT NOT NULL DEFAULT '',    -- the hub's URL, never a password
            store           TEXT NOT NULL DEFAULT '',
            store_id        INTEGER,
            counter_gid     TEXT NOT NULL DEFAULT '',
            hlc             INTEGER NOT NULL DEFAULT 0,  -- the hybrid logical clock
            clock_offset_ms INTEGER NOT NULL DEFAULT 0,  -- added to this PC's clock (tests)
            cursor_txid     TEXT NOT NULL DEFAULT '0',   -- downloaded up to (txid, seq)
            cursor_seq      INTEGER NOT NULL DEFAULT 0,
            joined_at       INTEGER,
            last_sync_at    INTEGER,
            last_error      TEXT NOT NULL DEFAULT ''
        )""",
        "INSERT INTO sync_state (id) VALUES (1)",
        # AUTOINCREMENT: a sequence number is not reused after its row is deleted. The hub's
        # idempotency key is (counter, uid) all the same: a restored backup takes the
        # sequence back, and a reused number must not make a new change look already sent.
        """CREATE TABLE sync_outbox (
            seq    INTEGER PRIMARY KEY AUTOINCREMENT,
            uid    TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),
            tbl    TEXT NOT NULL,
            gid    TEXT NOT NULL,
            op     TEXT NOT NULL,   -- insert, update
            fields TEXT NOT NULL,   -- JSON: the new values; foreign keys as global ids
            hlc    INTEGER NOT NULL
        )""",
        # Per synced row: every field's clock, JSON {"field": [hlc, "counter gid"]}.
        """CREATE TABLE sync_clock (
            tbl    TEXT NOT NULL,
            gid    TEXT NOT NULL,
            clocks TEXT NOT NULL,
            PRIMARY KEY (tbl, gid)
        ) WITHOUT ROWID""",
    ]
    for table in _M008_FIELDS:
        statements += _m008_triggers(table)
    _run(db, statements)
