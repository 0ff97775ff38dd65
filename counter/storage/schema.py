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
