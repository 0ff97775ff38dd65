"""SQL for ``counter bench``: bulk-loading a synthetic database and the naive baselines that the
real queries are measured against.

Only ever used on a bench file, never on a store's database: the bulk-load pragmas trade crash
safety for speed, and the baseline tables exist only there. A bench file is recognised by its
``bench_meta`` table; the builder refuses to replace a file that has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from counter.storage import customer_sql, dashboard_sql

if TYPE_CHECKING:
    from sqlite_utils import Database

Row = dict[str, Any]
BULK_TABLES = ("customers", "visits", "visit_steps", "follow_ups")

CUSTOMER_INSERT_COLUMNS = (
    "id",
    *customer_sql.CUSTOMER_COLUMNS,
    "created_at",
    "updated_at",
    "last_visit_at",
)
VISIT_INSERT_COLUMNS = (
    "id",
    "customer_id",
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
)
FOLLOW_UP_INSERT_COLUMNS = (
    "customer_id",
    "visit_id",
    "owner_id",
    "description",
    "due_at",
    "created_at",
    "created_by",
    "closed_at",
    "closed_by",
)


# the bench file's own bookkeeping ---------------------------------------------------------
def is_bench_file(db: Database) -> bool:
    return "bench_meta" in db.table_names()


def read_meta(db: Database) -> dict[str, str]:
    if not is_bench_file(db):
        return {}
    return {r["key"]: r["value"] for r in db.query("SELECT key, value FROM bench_meta")}


def write_meta(db: Database, values: dict[str, str]) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS bench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.conn.executemany(
        "INSERT INTO bench_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [(k, str(v)) for k, v in values.items()],
    )


# bulk load ---------------------------------------------------------------------------------
def fts_tables(db: Database) -> list[str]:
    return [
        r["name"]
        for r in db.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
        )
    ]


def begin_bulk_load(db: Database, *, keep_fts_triggers: bool) -> list[str]:
    """Fast and unsafe: no journal, no fsync, no foreign keys; drop the secondary indexes and
    the triggers of the bulk tables (all but the full-text ones when ``keep_fts_triggers``).
    Returns the dropped objects' SQL for :func:`end_bulk_load`, indexes first."""
    conn = db.conn
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -1000000")  # up to 1 GB while loading
    marks = ", ".join("?" for _ in BULK_TABLES)
    objects = list(
        db.query(
            f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({marks}) "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL "
            "ORDER BY type = 'trigger', name",
            list(BULK_TABLES),
        )
    )
    fts = fts_tables(db)
    saved = []
    for obj in objects:
        if obj["type"] == "trigger" and keep_fts_triggers and any(t in obj["sql"] for t in fts):
            continue
        conn.execute(f'DROP {obj["type"].upper()} "{obj["name"]}"')
        saved.append(obj["sql"])
    return saved


def end_bulk_load(db: Database, saved: Sequence[str], *, rebuild_search: bool) -> None:
    """Recreate what :func:`begin_bulk_load` dropped and, when their triggers were dropped
    too, rebuild the search indexes in one pass each; fill the dashboard's summary (inside the
    load's transaction)."""
    triggers = [sql for sql in saved if sql.lstrip().upper().startswith("CREATE TRIGGER")]
    for sql in saved:
        if sql not in triggers:
            db.execute(sql)
    fill_dashboard_summary(db)  # with the indexes, before the triggers would follow it
    for sql in triggers:
        db.execute(sql)
    if rebuild_search:
        customer_sql.rebuild_search_indexes(db)


def fill_dashboard_summary(db: Database) -> None:
    """The returning flags and the dashboard's summary tables (migration m004) for the visits
    loaded while their triggers were away: one pass each, as the migration's backfill."""
    db.execute("UPDATE visits SET is_returning = 0 WHERE is_returning != 0")
    db.execute(dashboard_sql.FILL_RETURNING)
    for table in dashboard_sql.DASH_TABLES:
        db.execute(f"DELETE FROM {table}")
    for sql in dashboard_sql.FILL_DASHBOARD:
        db.execute(sql)


def restore_pragmas(db: Database) -> None:
    """Back to the app's settings (outside any transaction): WAL, full sync, foreign keys."""
    conn = db.conn
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA cache_size = -2000")


def _insert_many(
    db: Database, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    db.conn.executemany(sql, rows)


def insert_customers(db: Database, rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows in :data:`CUSTOMER_INSERT_COLUMNS` order."""
    _insert_many(db, "customers", CUSTOMER_INSERT_COLUMNS, rows)


def insert_visits(db: Database, rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows in :data:`VISIT_INSERT_COLUMNS` order."""
    _insert_many(db, "visits", VISIT_INSERT_COLUMNS, rows)


def insert_follow_ups(db: Database, rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows in :data:`FOLLOW_UP_INSERT_COLUMNS` order."""
    _insert_many(db, "follow_ups", FOLLOW_UP_INSERT_COLUMNS, rows)


def insert_staff(db: Database, rows: Iterable[tuple[str, str, str, int]]) -> None:
    """Rows of (name, role, pin_hash, created_at)."""
    _insert_many(db, "staff", ("name", "role", "pin_hash", "created_at"), rows)


def staff_ids(db: Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM staff ORDER BY id")]


def fill_visit_steps(db: Database, plan: Sequence[tuple[int, str, str, int]]) -> None:
    """Checklist steps for every visit that was served, in one statement: ``plan`` rows are
    (position, step_key, label, skip_permille). Whether a step was skipped is a hash of the
    visit, the step and the staff member (some skip more than others), so reruns agree. Every
    ticked or skipped step was served by the visit's staff member."""
    plan = sorted(plan, key=lambda step: step[1])  # step_key order, as the primary key
    values = ", ".join("(?, ?, ?, ?)" for _ in plan)
    params = [x for step in plan for x in step]
    db.execute(
        f"""
        WITH plan (position, step_key, label, skip) AS (VALUES {values})
        INSERT INTO visit_steps (visit_id, position, step_key, label, status, at, staff_id)
        SELECT v.id, p.position, p.step_key, p.label,
               CASE WHEN v.status = 'in_progress' AND p.position > 2 THEN 'pending'
                    WHEN (v.id * 2654435761 + p.position * 40503) % 1000
                         < p.skip + (v.staff_id * 7919 + p.position * 31) % 61 - 30
                    THEN 'skipped' ELSE 'done' END,
               CASE WHEN v.status = 'in_progress' AND p.position > 2 THEN NULL
                    ELSE v.started_at
                         + p.position * (coalesce(v.ended_at, v.started_at + 600) - v.started_at)
                         / 6 END,
               -- Served by the visit's server (what m007 gives a file built before it).
               CASE WHEN v.status = 'in_progress' AND p.position > 2 THEN NULL
                    ELSE v.staff_id END
        FROM visits v CROSS JOIN plan p  -- visits outside: rows come in primary-key order
        WHERE v.status IN ('ended', 'in_progress')
        """,
        params,
    )


# samples the measurements draw from ------------------------------------------------------
def customers_by_ids(db: Database, ids: Sequence[int]) -> list[Row]:
    """Names, phones and cards of these customers (in id order), for typing and opening."""
    rows: list[Row] = []
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        marks = ", ".join("?" for _ in chunk)
        rows += db.query(
            f"""SELECT id, given_name, family_name, native_name, language, phone_digits, card,
                       last_visit_at
                FROM customers WHERE id IN ({marks}) ORDER BY id""",
            chunk,
        )
    return rows


def max_customer_id(db: Database) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) FROM customers").fetchone()[0])


# baselines ----------------------------------------------------------------------------------
def like_search(db: Database, text: str, limit: int) -> list[Row]:
    """The naive search: ``LIKE '%text%'`` over the raw name columns, most recent first."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(
        db.query(
            """
            SELECT id, given_name, family_name, native_name, language, phone, card,
                   last_visit_at
            FROM customers
            WHERE erased_at IS NULL AND (
                given_name LIKE :p ESCAPE '\\' OR family_name LIKE :p ESCAPE '\\'
                OR native_name LIKE :p ESCAPE '\\'
                OR (given_name || ' ' || family_name) LIKE :p ESCAPE '\\')
            ORDER BY last_visit_at IS NULL, last_visit_at DESC LIMIT :limit
            """,
            {"p": pattern, "limit": limit},
        )
    )


def build_text_date_visits(db: Database) -> None:
    """A copy of the visits with ISO text timestamps and no index: the baseline dashboard."""
    db.execute("DROP TABLE IF EXISTS bench_visits_text")
    db.execute(
        """
        CREATE TABLE bench_visits_text AS
        SELECT id, customer_id, staff_id, status, outcome, complaint,
               datetime(arrived_at, 'unixepoch') AS arrived,
               datetime(started_at, 'unixepoch') AS started,
               datetime(ended_at, 'unixepoch') AS ended
        FROM visits
        """
    )


def has_text_date_visits(db: Database) -> bool:
    return "bench_visits_text" in db.table_names()


def text_dashboard(db: Database, start: str, end: str, now: int) -> dict[str, list[Row]]:
    """The dashboard's KPIs the naive way: text dates compared and grouped as text, no index
    on the date, durations from ``julianday``; same numbers as ``counter.dashboard``."""
    period = "t.status = 'ended' AND t.arrived >= :start AND t.arrived < :end"
    p = {"start": start, "end": end, "now": now}
    seconds = "CAST(round((julianday({b}) - julianday({a})) * 86400) AS INTEGER)"
    wait = seconds.format(a="t.arrived", b="t.started")
    service = seconds.format(a="t.started", b="t.ended")

    def q(sql: str) -> list[Row]:
        return list(db.query(sql, p))

    return {
        "by_day_hour": q(
            f"""SELECT substr(t.arrived, 1, 10) AS day, substr(t.arrived, 12, 2) AS hour,
                       count(*) AS visits
                FROM bench_visits_text t WHERE {period} GROUP BY day, hour"""
        ),
        "by_staff": q(
            f"""SELECT t.staff_id, t.outcome, t.complaint, t.customer_id IS NOT NULL AS known,
                       count(*) AS visits
                FROM bench_visits_text t WHERE {period}
                GROUP BY t.staff_id, t.outcome, t.complaint, known"""
        ),
        "wait": q(
            f"""SELECT t.staff_id, {wait} AS seconds, count(*) AS visits
                FROM bench_visits_text t WHERE {period} AND t.started IS NOT NULL
                GROUP BY t.staff_id, seconds ORDER BY seconds"""
        ),
        "service": q(
            f"""SELECT t.staff_id, {service} AS seconds, count(*) AS visits
                FROM bench_visits_text t
                WHERE {period} AND t.started IS NOT NULL AND t.ended IS NOT NULL
                GROUP BY t.staff_id, seconds ORDER BY seconds"""
        ),
        "steps": q(
            f"""SELECT t.staff_id, s.step_key, sum(s.status = 'done') AS done,
                       count(*) AS total
                FROM bench_visits_text t JOIN visit_steps s ON s.visit_id = t.id
                WHERE {period} GROUP BY t.staff_id, s.step_key"""
        ),
        "returning": q(
            f"""SELECT t.staff_id, count(*) AS visits
                FROM bench_visits_text t
                JOIN (SELECT customer_id, min(arrived) AS first FROM bench_visits_text
                      WHERE status != 'discarded' AND customer_id IS NOT NULL
                      GROUP BY customer_id) f
                  ON f.customer_id = t.customer_id AND f.first < t.arrived
                WHERE {period} GROUP BY t.staff_id"""
        ),
        "overdue": q(
            """SELECT owner_id, count(*) AS overdue FROM follow_ups
               WHERE closed_at IS NULL AND datetime(due_at, 'unixepoch')
                     < datetime(:now, 'unixepoch')
               GROUP BY owner_id"""
        ),
    }


def bench_manager(db: Database) -> Row:
    return next(
        iter(
            db.query(
                "SELECT id, name FROM staff WHERE role = 'manager' AND active = 1 "
                "AND pin_hash != '' ORDER BY id LIMIT 1"
            )
        )
    )


def customers_of_visits(db: Database, visit_ids: Sequence[int]) -> list[int]:
    """The customers of these visits: a sample weighted like the people who walk in (regulars
    more often than once-a-year customers)."""
    ids: list[int] = []
    for i in range(0, len(visit_ids), 500):
        chunk = list(visit_ids[i : i + 500])
        marks = ", ".join("?" for _ in chunk)
        ids += [
            r[0]
            for r in db.execute(
                f"SELECT customer_id FROM visits WHERE id IN ({marks}) AND customer_id IS NOT NULL",
                chunk,
            )
        ]
    return ids


def max_visit_id(db: Database) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) FROM visits").fetchone()[0])


def ended_visits(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM visits WHERE status = 'ended'").fetchone()[0])
