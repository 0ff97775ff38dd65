"""SQL for the dashboard's summary tables (``dash_*``, migration m004): the KPIs of a period
summed from its whole UTC days and its quarter-hours, and the exact seconds of a few minutes
of the wait and service histograms. ``counter.dashboard`` decides when a filter can use them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


# The summary's layout (migration m004): the widths its rows count visits at, widest first
# (7 UTC days, a UTC day, a quarter-hour); staff 0 stands for "nobody recorded" (staff ids
# start at 1).
DASH_WIDTHS = (604_800, 86_400, 900)
DASH_NO_STAFF = 0
DASH_TABLES = ("dash_counts", "dash_outcomes", "dash_durations", "dash_steps")

# The expressions m004's indexes visits_wait_seconds and visits_service_seconds are built on:
# a query uses those indexes only when it names them exactly so.
WAIT_SECONDS = "(started_at - arrived_at)"
SERVICE_SECONDS = "(ended_at - started_at)"


def _minute(seconds: str) -> str:
    """The histogram's minute: ceil(seconds / 60) for positive seconds, else the seconds."""
    return f"(CASE WHEN {seconds} > 0 THEN ({seconds} + 59) / 60 ELSE {seconds} END)"


def _dash_fill(width: int) -> list[str]:
    """Fill statements for one width, one per table, from the visits as they are (the same
    contributions m004's triggers add when a visit ends)."""
    key = f"{width}, v.arrived_at / {width}, coalesce(v.staff_id, {DASH_NO_STAFF})"
    group = "GROUP BY 1, 2, 3"
    wait, service = "(v.started_at - v.arrived_at)", "(v.ended_at - v.started_at)"
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
            SELECT {key}, 'wait', {_minute(wait)}, count(*)
            FROM visits v WHERE v.status = 'ended' AND v.started_at IS NOT NULL {group}, 4, 5
            UNION ALL
            SELECT {key}, 'service', {_minute(service)}, count(*)
            FROM visits v WHERE v.status = 'ended' AND v.started_at IS NOT NULL
              AND v.ended_at IS NOT NULL {group}, 4, 5""",
        f"""INSERT INTO dash_steps (width, bucket, staff, step_key, position, label, done, total)
            SELECT {key}, x.step_key, x.position, x.label, sum(x.status = 'done'), count(*)
            FROM visits v JOIN visit_steps x ON x.visit_id = v.id
            WHERE v.status = 'ended' {group}, 4, 5, 6""",
    ]


# After a bulk load with the triggers set aside (``bench_sql``): every visit's returning flag
# in one pass, then the summary tables (emptied first) from the visits.
FILL_RETURNING = """
    UPDATE visits SET is_returning = 1 FROM (
        SELECT customer_id, min(arrived_at) AS first FROM visits
        WHERE status != 'discarded' AND customer_id IS NOT NULL GROUP BY customer_id
    ) f
    WHERE f.customer_id = visits.customer_id AND visits.arrived_at > f.first
"""
FILL_DASHBOARD = [sql for width in DASH_WIDTHS for sql in _dash_fill(width)]

Row = dict[str, Any]
Range = tuple[int, int, int]  # (width, first bucket, bucket after the last)


def _rows(
    db: Database,
    table: str,
    columns: str,
    ranges: Sequence[Range],
    staff_ids: Sequence[int],
    select: str,
    tail: str,
    *,
    dicts: bool = True,
) -> list[Any]:
    """``SELECT {select} FROM`` the union of the ranges' rows (each a primary-key range)
    ``{tail}`` (WHERE, GROUP BY): as dicts, or as tuples (``dicts=False``) for the queries
    that return thousands of rows."""
    parts, params = [], []
    staff = ""
    if staff_ids:
        staff = f" AND staff IN ({', '.join('?' for _ in staff_ids)})"
    for width, low, high in ranges:
        parts.append(
            f"SELECT {columns} FROM {table} WHERE width = ? AND bucket >= ? AND bucket < ?{staff}"
        )
        params += [width, low, high, *staff_ids]
    if not parts:
        return []
    sql = f"SELECT {select} FROM ({' UNION ALL '.join(parts)}) {tail}"
    return list(db.query(sql, params)) if dicts else db.execute(sql, params).fetchall()


def visits_by_bucket(
    db: Database, width: int, low: int, high: int, staff_ids: Sequence[int]
) -> list[tuple[int, int]]:
    """(bucket, visits) of every bucket of one width in [low, high) with visits."""
    return _rows(
        db,
        "dash_counts",
        "bucket, visits",
        [(width, low, high)],
        staff_ids,
        "bucket, sum(visits) AS visits",
        "GROUP BY bucket HAVING sum(visits) != 0",
        dicts=False,
    )


def counts_by_staff(db: Database, ranges: Sequence[Range], staff_ids: Sequence[int]) -> list[Row]:
    return _rows(
        db,
        "dash_counts",
        "staff, visits, known, complaints, returning_visits, steps_done, steps_total",
        ranges,
        staff_ids,
        f"""nullif(staff, {DASH_NO_STAFF}) AS staff_id, sum(visits) AS visits,
            sum(known) AS known, sum(complaints) AS complaints,
            sum(returning_visits) AS returning_visits, sum(steps_done) AS steps_done,
            sum(steps_total) AS steps_total""",
        "GROUP BY staff HAVING sum(visits) != 0",
    )


def outcomes(
    db: Database, ranges: Sequence[Range], staff_ids: Sequence[int]
) -> list[tuple[str, int, int]]:
    """(outcome, complaint, visits)."""
    return _rows(
        db,
        "dash_outcomes",
        "outcome, complaint, visits",
        ranges,
        staff_ids,
        "outcome, complaint, sum(visits) AS visits",
        "GROUP BY outcome, complaint HAVING sum(visits) != 0",
        dicts=False,
    )


def step_counts(db: Database, ranges: Sequence[Range], staff_ids: Sequence[int]) -> list[Row]:
    """Like ``report_sql.step_counts``: per staff member and step, the first position and the
    greatest label its rows had, and how many were done."""
    return _rows(
        db,
        "dash_steps",
        "staff, step_key, position, label, done, total",
        ranges,
        staff_ids,
        f"""nullif(staff, {DASH_NO_STAFF}) AS staff_id, step_key, min(position) AS position,
            max(label) AS label, sum(done) AS done, sum(total) AS total""",
        "WHERE total != 0 GROUP BY staff, step_key",
    )


def duration_minutes(
    db: Database, ranges: Sequence[Range], staff_ids: Sequence[int]
) -> list[tuple[int | None, str, int, int]]:
    """(staff_id, kind, minute, visits): the wait and service histograms by minute."""
    return _rows(
        db,
        "dash_durations",
        "staff, kind, minute, visits",
        ranges,
        staff_ids,
        f"nullif(staff, {DASH_NO_STAFF}) AS staff_id, kind, minute, sum(visits) AS visits",
        "GROUP BY staff, kind, minute HAVING sum(visits) != 0",
        dicts=False,
    )


def duration_seconds(
    db: Database,
    kind: str,
    seconds: Sequence[int],
    start: int,
    end: int,
    staff_ids: Sequence[int],
) -> list[tuple[int | None, int, int]]:
    """(staff_id, seconds, visits) of the ended visits arrived in [start, end) whose wait or
    service took one of ``seconds``: one seek per value in visits_wait/service_seconds."""
    expr, known = {
        "wait": (WAIT_SECONDS, "started_at IS NOT NULL"),
        "service": (SERVICE_SECONDS, "started_at IS NOT NULL AND ended_at IS NOT NULL"),
    }[kind]
    if not seconds:
        return []
    where = (
        f"status = 'ended' AND {known} AND {expr} IN ({', '.join('?' for _ in seconds)}) "
        "AND arrived_at >= ? AND arrived_at < ?"
    )
    params = [*seconds, start, end]
    if staff_ids:
        where += f" AND staff_id IN ({', '.join('?' for _ in staff_ids)})"
        params += list(staff_ids)
    # Grouped by the seconds alone, the rows come in index order; the staff of each value
    # are counted here: a GROUP BY staff_id, seconds would sort every visit (3x slower).
    sql = (
        f"SELECT {expr} AS seconds, group_concat(coalesce(staff_id, {DASH_NO_STAFF})) AS staff "
        f"FROM visits WHERE {where} GROUP BY seconds"
    )
    rows = []
    for value, staff in db.execute(sql, params):
        for key, n in Counter(staff.split(",")).items():
            sid = int(key)
            rows.append((None if sid == DASH_NO_STAFF else sid, value, n))
    return rows
