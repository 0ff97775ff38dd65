"""SQL for the dashboard's summary tables (``dash_*``, migration m004): the KPIs of a period
summed from its whole UTC days and its quarter-hours, and the exact seconds of a few minutes
of the wait and service histograms. ``counter.reports`` decides when a filter can use them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from counter.storage.schema import DASH_NO_STAFF, SERVICE_SECONDS, WAIT_SECONDS

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
) -> list:
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
