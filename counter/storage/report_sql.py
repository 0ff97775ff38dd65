"""SQL for the manager's review: the filtered visit log (count, sorted pages, a streaming
cursor for exports), one visit's timeline, and the dashboard's aggregates.

Every query takes the same WHERE clause built by :func:`visit_where` from a filter
(``counter.visit_filter.VisitFilter``), so the log, the dashboard and an export always agree on
which visits they mean. Times are integer epochs; the local-time expression turns them into
local days and hours with the UTC offsets of the period (see ``counter.dashboard``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from counter.visit_filter import VisitFilter

if TYPE_CHECKING:
    from sqlite_utils import Database

Row = dict[str, Any]

# A step counts as skipped when it was skipped, or still pending when the visit ended.
_SKIPPED = "(s.status = 'skipped' OR (s.status = 'pending' AND v.status = 'ended'))"

# Sort keys the log offers -> SQL expressions (never user text in ORDER BY).
SORT_EXPRESSIONS: dict[str, tuple[str, ...]] = {
    "arrived": ("v.arrived_at",),
    "customer": (
        "coalesce(c.family_name, v.walk_in_name) COLLATE NOCASE",
        "c.given_name COLLATE NOCASE",
    ),
    "staff": ("st.name COLLATE NOCASE",),
    "language": ("v.language",),
    "need": ("v.need COLLATE NOCASE",),
    "outcome": ("v.outcome",),
    "complaint": ("v.complaint",),
    "steps": ("steps_skipped",),
    "wait": ("wait",),
    "service": ("service",),
    # Not asked first, then no answer, then the faces from very unhappy up.
    "feedback": ("coalesce(v.feedback, -1)", "v.feedback_reason COLLATE NOCASE"),
}

_LOG_COLUMNS = f"""
    v.id, v.arrived_at, v.started_at, v.ended_at, v.status, v.customer_id, v.walk_in_name,
    coalesce(c.given_name, '') AS given_name, coalesce(c.family_name, '') AS family_name,
    coalesce(c.native_name, '') AS native_name, coalesce(c.title, '') AS title,
    coalesce(c.formality, 'formal') AS formality,
    coalesce(c.language, '') AS customer_language, c.erased_at AS customer_erased_at,
    v.staff_id, coalesce(st.name, '') AS staff_name, v.language, v.need, v.solution,
    v.outcome, v.complaint,
    (SELECT count(*) FROM visit_steps s WHERE s.visit_id = v.id) AS steps_total,
    (SELECT count(*) FROM visit_steps s WHERE s.visit_id = v.id AND {_SKIPPED}) AS steps_skipped,
    v.started_at - v.arrived_at AS wait,
    v.ended_at - v.started_at AS service,
    v.feedback, v.feedback_reason
"""

_FROM = """
    FROM visits v
    LEFT JOIN customers c ON c.id = v.customer_id
    LEFT JOIN staff st ON st.id = v.staff_id
"""


_FEEDBACK_WHERE = {
    "answered": "v.feedback > 0",
    "unhappy": "v.feedback IN (1, 2)",
    "no_answer": "v.feedback = 0",
    "not_asked": "v.feedback IS NULL",
}


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def visit_where(
    f: VisitFilter, *, customer_fts: str = "", customer_digits: str = ""
) -> tuple[str, list[Any]]:
    """The WHERE clause (alias ``v`` for visits) and its parameters for a filter.
    ``customer_fts`` is a ready-quoted FTS5 query; ``customer_digits`` a phone number's tail."""
    clauses: list[str] = []
    params: list[Any] = []

    def add(sql: str, values: Sequence[Any] = ()) -> None:
        clauses.append(sql)
        params.extend(values)

    if f.statuses:
        add(*_in("v.status", f.statuses))
    if f.start is not None:
        add("v.arrived_at >= ?", [f.start])
    if f.end is not None:
        add("v.arrived_at < ?", [f.end])
    if f.staff_ids:
        add(*_in("v.staff_id", f.staff_ids))
    if f.outcomes:
        add(*_in("v.outcome", f.outcomes))
    if f.languages:
        add(*_in("v.language", f.languages))
    if f.customer_id is not None:
        add("v.customer_id = ?", [f.customer_id])
    if customer_fts:
        add(
            "v.customer_id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)",
            [customer_fts],
        )
    if customer_digits:
        rev = customer_digits[::-1]
        add(
            # `phone_rev != ''` states the partial index's condition, or SQLite scans.
            "v.customer_id IN (SELECT id FROM customers "
            "WHERE phone_rev != '' AND phone_rev >= ? AND phone_rev < ?)",
            [rev, rev[:-1] + chr(ord(rev[-1]) + 1)],
        )
    if f.complaint is not None:
        add("v.complaint = ?", [int(f.complaint)])
    if f.steps_skipped is not None:
        exists = f"EXISTS (SELECT 1 FROM visit_steps s WHERE s.visit_id = v.id AND {_SKIPPED}"
        if f.skipped_step:
            add(exists + " AND s.step_key = ?)", [f.skipped_step])
        else:
            add(exists + ")")
        if not f.steps_skipped:
            clauses[-1] = "NOT " + clauses[-1]
    if f.feedback:
        add(_FEEDBACK_WHERE[f.feedback])
    if f.feedback_reason:
        add("v.feedback_reason = ?", [f.feedback_reason])
    if f.wait_over is not None:
        add("v.started_at - v.arrived_at > ?", [f.wait_over])
    if f.service_over is not None:
        add("v.ended_at - v.started_at > ?", [f.service_over])
    return (" AND ".join(clauses) or "1"), params


def count_visits(db: Database, where: str, params: list[Any]) -> int:
    sql = f"SELECT count(*) FROM visits v WHERE {where}"
    return int(db.execute(sql, params).fetchone()[0])


def _order(sort: str, descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    return ", ".join(f"{e} {direction}" for e in [*SORT_EXPRESSIONS[sort], "v.id"])


def visit_page(
    db: Database,
    where: str,
    params: list[Any],
    *,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> list[Row]:
    sql = (
        f"SELECT {_LOG_COLUMNS} {_FROM} WHERE {where} "
        f"ORDER BY {_order(sort, descending)} LIMIT ? OFFSET ?"
    )
    return list(db.query(sql, [*params, limit, offset]))


# Who ticked or skipped a visit's steps, each name once, in the order they first did.
_STEP_STAFF = """
    (SELECT group_concat(name, ', ') FROM (
        SELECT sf.name FROM visit_steps s JOIN staff sf ON sf.id = s.staff_id
        WHERE s.visit_id = v.id GROUP BY sf.id ORDER BY min(s.at), sf.id
    )) AS step_staff
"""


def iter_visits(
    db: Database, where: str, params: list[Any], *, sort: str, descending: bool, chunk: int
) -> Iterator[list[Row]]:
    """The whole filtered log in chunks from one cursor: constant memory for any size."""
    sql = (
        f"SELECT {_LOG_COLUMNS}, {_STEP_STAFF} {_FROM} WHERE {where} "
        f"ORDER BY {_order(sort, descending)}"
    )
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    try:
        while rows := cursor.fetchmany(chunk):
            yield [dict(zip(names, row, strict=True)) for row in rows]
    finally:
        cursor.close()


# one visit ------------------------------------------------------------------------------------
def visit(db: Database, visit_id: int) -> Row | None:
    sql = f"SELECT {_LOG_COLUMNS}, v.discard_reason {_FROM} WHERE v.id = ?"
    rows = list(db.query(sql, [visit_id]))
    return rows[0] if rows else None


def visit_follow_ups(db: Database, visit_id: int) -> list[Row]:
    return list(
        db.query(
            """
            SELECT f.id, f.description, f.due_at, f.created_at, f.closed_at, f.close_note,
                   coalesce(o.name, '') AS owner_name, coalesce(cb.name, '') AS closed_by_name
            FROM follow_ups f
            LEFT JOIN staff o ON o.id = f.owner_id
            LEFT JOIN staff cb ON cb.id = f.closed_by
            WHERE f.visit_id = ? ORDER BY f.due_at, f.id
            """,
            [visit_id],
        )
    )


# dashboard ------------------------------------------------------------------------------------
def local_time_sql(segments: Sequence[tuple[int, int]]) -> tuple[str, list[Any]]:
    """``v.arrived_at`` shifted to local time: ``segments`` are (from_epoch, utc_offset) pairs,
    ascending; the first one's offset also applies before its start."""
    if len(segments) == 1:
        return "(v.arrived_at + ?)", [segments[0][1]]
    whens, params = [], []
    for (_start, offset), (next_start, _next) in itertools.pairwise(segments):
        whens.append("WHEN v.arrived_at < ? THEN ?")
        params += [next_start, offset]
    return f"(v.arrived_at + CASE {' '.join(whens)} ELSE ? END)", [*params, segments[-1][1]]


def visits_by_day_and_hour(
    db: Database, where: str, params: list[Any], local: tuple[str, list[Any]]
) -> list[Row]:
    expr, local_params = local
    sql = f"""
        SELECT t / 86400 AS day, (t % 86400) / 3600 AS hour, count(*) AS visits
        FROM (SELECT {expr} AS t FROM visits v WHERE {where})
        GROUP BY day, hour
    """
    return list(db.query(sql, [*local_params, *params]))


def counts_by_staff(db: Database, where: str, params: list[Any]) -> list[Row]:
    """Visits per staff member, outcome, complaint flag and whether the customer is known."""
    sql = f"""
        SELECT v.staff_id, v.outcome, v.complaint, v.customer_id IS NOT NULL AS known,
               count(*) AS visits
        FROM visits v WHERE {where}
        GROUP BY v.staff_id, v.outcome, v.complaint, known
    """
    return list(db.query(sql, params))


def duration_histogram(db: Database, where: str, params: list[Any], kind: str) -> list[Row]:
    """(staff_id, seconds, visits) for waits (``kind="wait"``) or service times, by value:
    exact percentiles from a few thousand rows instead of every visit."""
    expr, known = {
        "wait": ("v.started_at - v.arrived_at", "v.started_at IS NOT NULL"),
        "service": (
            "v.ended_at - v.started_at",
            "v.started_at IS NOT NULL AND v.ended_at IS NOT NULL",
        ),
    }[kind]
    sql = f"""
        SELECT v.staff_id, {expr} AS seconds, count(*) AS visits
        FROM visits v WHERE {where} AND {known}
        GROUP BY v.staff_id, seconds ORDER BY seconds
    """
    return list(db.query(sql, params))


def step_counts(db: Database, where: str, params: list[Any]) -> list[Row]:
    sql = f"""
        SELECT v.staff_id, s.step_key, min(s.position) AS position, max(s.label) AS label,
               sum(s.status = 'done') AS done, count(*) AS total
        FROM visits v JOIN visit_steps s ON s.visit_id = v.id
        WHERE {where}
        GROUP BY v.staff_id, s.step_key
    """
    return list(db.query(sql, params))


def returning_by_staff(db: Database, where: str, params: list[Any]) -> list[Row]:
    """Visits by a customer who had come before (an earlier visit that was not discarded)."""
    sql = f"""
        SELECT v.staff_id, count(*) AS visits FROM visits v
        WHERE {where} AND v.customer_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM visits p
            WHERE p.customer_id = v.customer_id AND p.arrived_at < v.arrived_at
              AND p.status != 'discarded'
        )
        GROUP BY v.staff_id
    """
    return list(db.query(sql, params))


def overdue_follow_ups(db: Database, now: int, owner_ids: Sequence[int]) -> list[Row]:
    """Open follow-ups past their due time, counted per owner."""
    where, params = "closed_at IS NULL AND due_at < ?", [now]
    if owner_ids:
        clause, values = _in("owner_id", owner_ids)
        where += f" AND {clause}"
        params += values
    sql = f"SELECT owner_id, count(*) AS overdue FROM follow_ups WHERE {where} GROUP BY owner_id"
    return list(db.query(sql, params))


def staff_names(db: Database) -> dict[int, str]:
    return {row["id"]: row["name"] for row in db.query("SELECT id, name FROM staff")}
