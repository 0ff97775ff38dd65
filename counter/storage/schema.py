"""Schema migrations, applied in order on every open (sqlite-utils ``Migrations``).

Conventions, so that ``sqlite-utils``, Datasette or the ``sqlite3`` shell read the file plainly:
- every timestamp is an INTEGER of seconds since the Unix epoch, UTC (``*_at`` columns);
- text columns are NOT NULL with '' for "not given", except where NULL means "not happened";
- ``customers.search_key`` is the folded, transliterated text that ``customers_fts`` indexes;
  it is written by the domain (``counter.search.customer_search_key``), never typed by a person.

Never edit a migration that has shipped: add a new one at the end. A migration runs literal
SQL, never text built by helpers or constants that runtime code also uses (editing those would
change what the migration creates on a new file but not on an old one); m003 and m004, which
once did, run their shipped text frozen in ``frozen_sql``. Tests stop part-way with
``apply_migrations(db, stop_before=name)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlite_utils.migrations import Migrations

from counter.storage import frozen_sql

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATIONS = Migrations("counter")


def migration_names() -> list[str]:
    """Every migration this build knows, in the order they apply."""
    return [m.name for m in MIGRATIONS._migrations]


def apply_migrations(db: Database, *, stop_before: str | None = None) -> None:
    """Apply the pending migrations in order. With ``stop_before``, stop before that one: a
    test builds a file as an older Counter left it, then opens it with this one."""
    if stop_before is not None and stop_before not in migration_names():
        raise ValueError(f"No migration is named {stop_before!r}")
    MIGRATIONS.apply(db, stop_before=stop_before)


def unknown_migrations(db: Database) -> list[str]:
    """Migrations recorded in the file that this build does not know: a newer Counter wrote it."""
    known = set(migration_names())
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
# (``customer_sql.FILL_RECENT_SEARCH`` refills it after a bulk load.)
@MIGRATIONS(name="m003_search_by_recency")
def m003_search_by_recency(db: Database) -> None:
    _run(db, frozen_sql.M003_SEARCH_BY_RECENCY)
    db.execute(frozen_sql.M003_FILL, [0, 1 << 30])


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
# that moves it (the triggers): rows whose counts fall back to zero stay, the queries
# skip them.
# Durations are histograms by minute (``minute``: ceil(seconds / 60) for positive seconds,
# the seconds themselves otherwise); the exact seconds of the few minutes that hold a
# median or a 90th percentile come from the two expression indexes on visits
# (``visits_wait_seconds``, ``visits_service_seconds``: every column the query names is in the
# index, status too, so it never reads the visits themselves: 3x faster).
# The triggers on visit_steps add or subtract one step of an ended visit. ``dash_visit_delete``
# runs BEFORE the delete: the steps are still there to subtract (the cascade deletes them
# after). ``dashboard_sql.FILL_RETURNING`` and ``FILL_DASHBOARD`` refill it after a bulk load.
@MIGRATIONS(name="m004_dashboard_summary")
def m004_dashboard_summary(db: Database) -> None:
    _run(db, frozen_sql.M004_DASHBOARD_SUMMARY)


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


@MIGRATIONS(name="m007_step_servers")
def m007_step_servers(db: Database) -> None:
    # Who ticked or skipped each step: a visit resumed by someone else is served by two
    # people, and the visit's own staff_id names only the first. NULL: nobody (a step still
    # pending, or never ticked and recorded as skipped when the visit ended). Steps already
    # ticked before this migration were ticked by the visit's server as far as anyone knows.
    _run(
        db,
        [
            "ALTER TABLE visit_steps ADD COLUMN staff_id INTEGER REFERENCES staff (id)",
            """UPDATE visit_steps SET staff_id = (
                   SELECT v.staff_id FROM visits v WHERE v.id = visit_steps.visit_id)
               WHERE at IS NOT NULL AND status != 'pending'""",
        ],
    )


@MIGRATIONS(name="m008_feedback")
def m008_feedback(db: Database) -> None:
    # The customer's own answer to "How did we do today?", on the visit it is about:
    # feedback NULL = not asked; 0 = asked, no answer within the minute; 1-5 = the face tapped
    # (1 very unhappy ... 5 very happy). feedback_reason: a built-in reason key
    # (counter.feedback.REASON_LABELS) or a store's own reason as typed; '' = none given.
    _run(
        db,
        [
            """ALTER TABLE visits ADD COLUMN feedback INTEGER
               CHECK (feedback IS NULL OR feedback BETWEEN 0 AND 5)""",
            "ALTER TABLE visits ADD COLUMN feedback_reason TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE visits ADD COLUMN feedback_at INTEGER",
            # The dashboard reads the answers of a period without touching other visits.
            """CREATE INDEX visits_feedback ON visits (arrived_at, feedback, staff_id)
               WHERE feedback IS NOT NULL""",
        ],
    )


# Several counters (issue #14): a global id for every synced row, the outbox written by
# triggers in the same transaction as every write (import, erase, demo, the UI: all covered),
# the hub state and each synced row's field clocks. Frozen with the migration: what sync
# sends later is decided in counter/sync/tables.py, and a change here is a new migration.
#
# It comes after m007 (who ticked a step) and m008 (the customer's answer): their columns sync.
_M009_FIELDS = {
    "staff": ("name", "role", "pin_hash", "active", "created_at"),
    # A literal copy of the customer fields on purpose (not customer_sql.CUSTOMER_FIELDS): a
    # shipped migration never changes, whatever the runtime list becomes.
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
        "feedback",
        "feedback_reason",
        "feedback_at",
    ),
    "visit_steps": ("visit_id", "step_key", "position", "label", "status", "at", "staff_id"),
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
_M009_REFS = {
    "customer_id": "customers",
    "visit_id": "visits",
    "staff_id": "staff",
    "owner_id": "staff",
    "created_by": "staff",
    "closed_by": "staff",
}
_M009_WITH_GID = ("staff", "customers", "visits", "follow_ups", "audit_log")
# The hybrid logical clock: milliseconds << 16 | a counter, never going back (sync_state.hlc).
_M009_TICK = """UPDATE sync_state SET hlc = max(hlc + 1,
        (CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + clock_offset_ms) << 16)
    WHERE joined = 1 AND applying = 0;"""


def _m009_subject(row: str) -> str:
    """An audit entry's subject "customer:42" / "staff:3" names a local id: it travels as
    "customer@<gid>" / "staff@<gid>" (ids differ from counter to counter)."""
    cases = " ".join(
        f"""WHEN {row}.subject GLOB '{kind}:[0-9]*' THEN coalesce('{kind}@' || (SELECT gid
            FROM {table} WHERE id = CAST(substr({row}.subject, {len(kind) + 2}) AS INTEGER)),
            {row}.subject)"""
        for kind, table in (("customer", "customers"), ("staff", "staff"))
    )
    return f"(CASE {cases} ELSE {row}.subject END)"


def _m009_value(field: str) -> str:
    if field == "subject":
        return _m009_subject("new")
    ref = _M009_REFS.get(field)
    return f"(SELECT gid FROM {ref} WHERE id = new.{field})" if ref else f"new.{field}"


def _m009_key(table: str, inserted: bool) -> str:
    if table == "visit_steps":
        return "(SELECT gid FROM visits WHERE id = new.visit_id) || '/' || new.step_key"
    return f"(SELECT gid FROM {table} WHERE rowid = new.rowid)" if inserted else "new.gid"


def _m009_triggers(table: str) -> list[str]:
    fields = _M009_FIELDS[table]
    pairs = ", ".join(f"'{f}', {_m009_value(f)}" for f in fields)
    outbox = """INSERT INTO sync_outbox (tbl, gid, op, fields, hlc)
        SELECT '{table}', {key}, '{op}', {fields}, s.hlc FROM sync_state s
        WHERE s.joined = 1 AND s.applying = 0{extra};"""
    make_gid = (
        f"UPDATE {table} SET gid = lower(hex(randomblob(16))) "
        "WHERE rowid = new.rowid AND gid IS NULL;"
        if table in _M009_WITH_GID
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
        {_M009_TICK}
        {outbox.format(table=table, key=_m009_key(table, True), op="insert",
                       fields=f"json_object({pairs})", extra="")}
    END"""  # fmt: skip
    changed = " UNION ALL ".join(
        f"SELECT '{f}' AS k, {_m009_value(f)} AS v WHERE old.{f} IS NOT new.{f}" for f in fields
    )
    update = f"""CREATE TRIGGER {table}_sync_update AFTER UPDATE OF {", ".join(fields)}
        ON {table} WHEN {joined} BEGIN
        {_M009_TICK}
        {outbox.format(table=table, key=_m009_key(table, False), op="update",
                       fields=f"(SELECT json_group_object(k, v) FROM ({changed}))",
                       extra=f" AND EXISTS ({changed})")}
    END"""  # fmt: skip
    return [*gid, insert, update]


@MIGRATIONS(name="m009_sync")
def m009_sync(db: Database) -> None:
    statements = []
    for table in _M009_WITH_GID:
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
    for table in _M009_FIELDS:
        statements += _m009_triggers(table)
    _run(db, statements)


# Customers written outside Counter (sqlite-utils, Datasette, the sqlite3 shell) get no search
# key: Counter computes it in Python (``counter.search.customer_search_key``), as it does the
# phone's digit columns. Triggers note such rows in ``stale_search_keys`` — an insert with
# a name but no key, a change of a name or the e-mail that left the key as it was, a change
# of the phone that left its digits — using core SQL only, so every tool can still write. At
# start the app looks at that (normally empty) table and, if it is not, repairs the rows on
# the database worker (``counter.reindex``); ``counter reindex`` recomputes every key.
# Counter's own writes set the key with the names and are not noted (a rename that folds to
# the same key, "anna" -> "Anna", is noted and costs one harmless repair).
_STALE_WHEN_INSERTED = """
    (new.search_key = '' AND (new.given_name != '' OR new.family_name != ''
                              OR new.native_name != ''))
    OR (new.phone != '' AND new.phone_digits = '')
"""
_STALE_WHEN_UPDATED = """
    ((new.given_name IS NOT old.given_name OR new.family_name IS NOT old.family_name
      OR new.native_name IS NOT old.native_name OR new.email IS NOT old.email)
     AND new.search_key IS old.search_key)
    OR (new.phone IS NOT old.phone AND new.phone_digits IS old.phone_digits)
"""


@MIGRATIONS(name="m010_stale_search_keys")
def m010_stale_search_keys(db: Database) -> None:
    note = "INSERT OR IGNORE INTO stale_search_keys (customer_id) VALUES (new.id);"
    _run(
        db,
        [
            """CREATE TABLE stale_search_keys (
                customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE
            )""",
            f"""CREATE TRIGGER stale_search_key_insert AFTER INSERT ON customers
                WHEN {_STALE_WHEN_INSERTED} BEGIN {note} END""",
            f"""CREATE TRIGGER stale_search_key_update
                AFTER UPDATE OF given_name, family_name, native_name, email, phone ON customers
                WHEN {_STALE_WHEN_UPDATED} BEGIN {note} END""",
            # Rows an outside tool wrote before this version: those without a key at least.
            f"""INSERT INTO stale_search_keys (customer_id)
                SELECT id FROM customers AS new WHERE erased_at IS NULL
                AND ({_STALE_WHEN_INSERTED})""",
            # The rule that computes keys (counter.search.SEARCH_KEY_VERSION) is version 2 from
            # here: a new, empty file starts at it; a file with customers has version-1 keys,
            # which the app notes and rebuilds on its worker (counter.reindex).
            """INSERT INTO settings (key, value) SELECT 'search_key_version', '2'
                WHERE NOT EXISTS (SELECT 1 FROM customers)""",
        ],
    )
