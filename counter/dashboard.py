"""The manager's dashboard: every KPI of a period (visits by day and hour, waits and service
times, steps done, outcomes, complaints, returning customers, overdue follow-ups), for the
store and for each member of staff.

Manager only: :func:`load_dashboard` takes the manager's :class:`~counter.roles.Session`.
Local days and hours follow the time zone's UTC offsets over the period (one segment per
daylight-saving change). The counts come from the summary tables (migration m004) when they
can answer the filter exactly, else from the visits themselves; either way the figures are
the same (tests/core/test_dashboard_summary.py). Durations: :mod:`counter.durations`.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from counter.durations import Durations, Targets, minute_seconds, minutes_needed, refined
from counter.roles import Session, require_manager
from counter.storage import dashboard_sql, report_sql
from counter.visit_filter import VisitFilter
from counter.visit_log import filter_where

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class StepShare:
    step_key: str
    label: str  # as stored on the visits (``counter.checklist.step_label`` translates it)
    done: int
    total: int

    @property
    def share(self) -> float | None:
        return self.done / self.total if self.total else None


@dataclass(frozen=True)
class StaffStats:
    staff_id: int | None
    name: str
    visits: int
    wait: Durations
    service: Durations
    steps_done: int
    steps_total: int
    complaints: int
    returning: int
    overdue_follow_ups: int

    @property
    def steps_share(self) -> float | None:
        return self.steps_done / self.steps_total if self.steps_total else None


@dataclass(frozen=True)
class Dashboard:
    start: int
    end: int
    days: list[tuple[date, int]]  # every local day of the period, with its visits
    by_hour: list[int]  # 24 local hours
    visits: int
    wait: Durations
    service: Durations
    steps: list[StepShare]  # in checklist order
    outcomes: dict[str, int]  # outcome key ('' = none recorded) -> visits, most first
    complaints: int
    complaint_outcomes: dict[str, int]  # how the complaints ended
    overdue_follow_ups: int  # open and past due at ``now``, for the staff in the filter
    returning: int  # visits by a customer who had been before
    known_customer_visits: int
    staff: list[StaffStats] = field(default_factory=list)

    @property
    def returning_share(self) -> float | None:
        return self.returning / self.visits if self.visits else None

    @property
    def complaint_share(self) -> float | None:
        return self.complaints / self.visits if self.visits else None


def _offset(epoch: int, tz: tzinfo | None) -> int:
    local = datetime.fromtimestamp(epoch, tz=UTC).astimezone(tz)
    offset = local.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def offset_segments(start: int, end: int, tz: tzinfo | None) -> list[tuple[int, int]]:
    """(from_epoch, utc_offset) for the period: one segment, or one more per DST change.
    Samples every hour and finds each change to the second."""
    segments = [(start, _offset(start, tz))]
    t = start
    while t < end:
        step = min(3600, end - t)
        if _offset(t + step, tz) != segments[-1][1]:
            low, high = t, t + step  # offset(low) is the old one, offset(high) the new
            while high - low > 1:
                mid = (low + high) // 2
                if _offset(mid, tz) == segments[-1][1]:
                    low = mid
                else:
                    high = mid
            segments.append((high, _offset(high, tz)))
        t += step
    return segments


def _local_days(start: int, end: int, tz: tzinfo | None) -> list[date]:
    first = datetime.fromtimestamp(start, tz=UTC).astimezone(tz).date()
    last = datetime.fromtimestamp(max(start, end - 1), tz=UTC).astimezone(tz).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# kind ("wait", "service") -> staff -> (seconds, visits)
Histograms = dict[str, dict[int | None, list[tuple[int, int]]]]


@dataclass
class _Parts:
    """What the dashboard is assembled from, the same whichever source counted it."""

    per_day: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # epoch days
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    visits_by: dict[int | None, int] = field(default_factory=lambda: defaultdict(int))
    complaints_by: dict[int | None, int] = field(default_factory=lambda: defaultdict(int))
    returning_by: dict[int | None, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    complaint_outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    known: int = 0
    hist: Histograms = field(
        default_factory=lambda: {"wait": defaultdict(list), "service": defaultdict(list)}
    )
    step_rows: list[dict[str, Any]] = field(default_factory=list[Any])


def _raw_parts(db: Database, f: VisitFilter, segments: Sequence[tuple[int, int]]) -> _Parts:
    """Every KPI aggregated from the visits themselves: any filter, but it reads every visit
    of the period (the summary's test oracle, and the path for filters it cannot answer)."""
    parts = _Parts()
    where, params = filter_where(f)
    local = report_sql.local_time_sql(segments)
    for row in report_sql.visits_by_day_and_hour(db, where, params, local):
        parts.per_day[row["day"]] += row["visits"]
        parts.by_hour[row["hour"]] += row["visits"]
    for row in report_sql.counts_by_staff(db, where, params):
        n = row["visits"]
        parts.visits_by[row["staff_id"]] += n
        parts.outcomes[row["outcome"]] += n
        parts.known += n if row["known"] else 0
        if row["complaint"]:
            parts.complaints_by[row["staff_id"]] += n
            parts.complaint_outcomes[row["outcome"]] += n
    for kind in ("wait", "service"):
        for row in report_sql.duration_histogram(db, where, params, kind):
            parts.hist[kind][row["staff_id"]].append((row["seconds"], row["visits"]))
    parts.step_rows = report_sql.step_counts(db, where, params)
    parts.returning_by = {
        row["staff_id"]: row["visits"] for row in report_sql.returning_by_staff(db, where, params)
    }
    return parts


# The summary (migration m004) counts ended visits by 7-day block, UTC day and quarter-hour.
_DAY = 86_400
_SLOT = dashboard_sql.DASH_WIDTHS[-1]  # the quarter-hour: the narrowest width


def summary_ranges(
    f: VisitFilter, segments: Sequence[tuple[int, int]]
) -> list[tuple[int, int, int]] | None:
    """The summary rows that make up the period, as (width, first bucket, bucket after the
    last): its whole 7-day blocks, the whole UTC days beside them and the quarter-hours at
    either end. None when the summary cannot answer exactly: a filter beyond period and
    staff, a period that does not start and end on a quarter-hour, or a time zone whose
    offsets (or their changes) do not either."""
    if f.start is None or f.end is None:
        return None
    if replace(f, start=None, end=None, staff_ids=()) != VisitFilter():
        return None
    if f.start % _SLOT or f.end % _SLOT or f.start + min(o for _t, o in segments) < 0:
        return None
    if any(o % _SLOT for _t, o in segments) or any(t % _SLOT for t, _o in segments[1:]):
        return None
    return _cover(f.start, max(f.start, f.end), dashboard_sql.DASH_WIDTHS)


def _cover(start: int, end: int, widths: Sequence[int]) -> list[tuple[int, int, int]]:
    """[start, end) (seconds, on the narrowest width) as the fewest aligned buckets: the
    widest whole buckets in the middle, narrower ones for what is left at either end."""
    if start >= end or not widths:
        return []
    width, narrower = widths[0], widths[1:]
    first, last = -(-start // width), end // width
    if first >= last and narrower:
        return _cover(start, end, narrower)
    return [
        *_cover(start, first * width, narrower),
        (width, first, last),
        *_cover(last * width, end, narrower),
    ]


def _summary_parts(
    db: Database,
    staff: Sequence[int],
    period: tuple[int, int],
    ranges: list[tuple[int, int, int]],
    segments: Sequence[tuple[int, int]],
) -> _Parts:
    """Everything but the durations (see :func:`_summary_durations`) of the ``staff`` (none:
    everyone) in the ``period`` [start, end)."""
    parts = _Parts()
    start, end = period
    changes = [t for t, _o in segments[1:]]
    for bucket, visits in dashboard_sql.visits_by_bucket(
        db, _SLOT, start // _SLOT, end // _SLOT, staff
    ):
        moment = bucket * _SLOT
        local = moment + segments[bisect.bisect_right(changes, moment)][1]
        parts.per_day[local // _DAY] += visits
        parts.by_hour[local % _DAY // 3600] += visits
    for row in dashboard_sql.counts_by_staff(db, ranges, staff):
        sid = row["staff_id"]
        parts.visits_by[sid] += row["visits"]
        parts.known += row["known"]
        if row["complaints"]:
            parts.complaints_by[sid] += row["complaints"]
        if row["returning_visits"]:
            parts.returning_by[sid] = row["returning_visits"]
    for outcome, complaint, visits in dashboard_sql.outcomes(db, ranges, staff):
        parts.outcomes[outcome] += visits
        if complaint:
            parts.complaint_outcomes[outcome] += visits
    parts.step_rows = dashboard_sql.step_counts(db, ranges, staff)
    return parts


def _summary_durations(
    db: Database,
    staff: Sequence[int],
    period: tuple[int, int],
    ranges: list[tuple[int, int, int]],
    targets: Targets,
) -> Histograms:
    """kind ("wait", "service") -> staff -> (seconds, visits): the minute histograms, with
    the exact seconds of the minutes that decide a median, a 90th percentile or a target
    (for everyone and for each member of staff)."""
    start, end = period
    hist: Histograms = {"wait": defaultdict(list), "service": defaultdict(list)}
    minutes: Histograms = {"wait": defaultdict(list), "service": defaultdict(list)}
    for sid, kind, minute, visits in dashboard_sql.duration_minutes(db, ranges, staff):
        minutes[kind][sid].append((minute, visits))
    for kind, target in (("wait", targets.wait), ("service", targets.service)):
        by_staff = minutes[kind]
        everyone = [pair for pairs in by_staff.values() for pair in pairs]
        needed = minutes_needed(everyone, target)
        for pairs in by_staff.values():
            needed |= minutes_needed(pairs, target)
        seconds = sorted(s for m in needed for s in minute_seconds(m))
        exact: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
        for sid, value, visits in dashboard_sql.duration_seconds(
            db, kind, seconds, start, end, staff
        ):
            exact[sid].append((value, visits))
        for sid in by_staff.keys() | exact.keys():
            hist[kind][sid] = refined(by_staff.get(sid, []), needed, exact.get(sid, []))
    return hist


def load_dashboard(
    db: Database,
    session: Session,
    f: VisitFilter,
    *,
    targets: Targets,
    now: int,
    tz: tzinfo | None = None,
    use_summary: bool = True,
) -> Dashboard:
    """Every KPI for the period ``f.start``..``f.end`` (both required) and the filter's staff
    (and any other filter field). Local days and hours are in ``tz`` (None: this computer's).
    Read from the summary tables when they can answer the filter exactly (see
    :func:`summary_ranges`), else (or with ``use_summary=False``) from the visits."""
    require_manager(db, session)
    if f.start is None or f.end is None:
        raise ValueError("a dashboard needs a period")
    segments = offset_segments(f.start, f.end, tz)
    ranges = summary_ranges(f, segments) if use_summary else None
    if ranges is None:
        parts = _raw_parts(db, f, segments)
    else:
        period = (f.start, f.end)
        parts = _summary_parts(db, f.staff_ids, period, ranges, segments)
        parts.hist = _summary_durations(db, f.staff_ids, period, ranges, targets)
    epoch_day = date(1970, 1, 1)
    days = [
        (d, parts.per_day.get((d - epoch_day).days, 0)) for d in _local_days(f.start, f.end, tz)
    ]
    overdue_by = {
        row["owner_id"]: row["overdue"]
        for row in report_sql.overdue_follow_ups(db, now, f.staff_ids)
    }
    names = report_sql.staff_names(db)
    by_hour = parts.by_hour
    visits_by, complaints_by = parts.visits_by, parts.complaints_by
    outcomes, complaint_outcomes = parts.outcomes, parts.complaint_outcomes
    known, hist, returning_by = parts.known, parts.hist, parts.returning_by

    steps_by: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    step_totals: dict[str, list[Any]] = {}
    for row in parts.step_rows:
        steps_by[row["staff_id"]][0] += row["done"]
        steps_by[row["staff_id"]][1] += row["total"]
        entry = step_totals.setdefault(row["step_key"], [row["position"], row["label"], 0, 0])
        entry[0] = min(entry[0], row["position"])
        entry[2] += row["done"]
        entry[3] += row["total"]
    steps = [
        StepShare(key, label, done, total)
        for key, (_pos, label, done, total) in sorted(
            step_totals.items(), key=lambda item: (item[1][0], item[0])
        )
    ]

    staff_ids = sorted(
        set(visits_by) | {k for k, v in overdue_by.items() if v},
        key=lambda i: (i is None, names.get(i, "").casefold() if i is not None else ""),
    )
    staff = [
        StaffStats(
            staff_id=sid,
            name=names.get(sid, "") if sid is not None else "",
            visits=visits_by.get(sid, 0),
            wait=Durations.of(hist["wait"].get(sid, []), targets.wait),
            service=Durations.of(hist["service"].get(sid, []), targets.service),
            steps_done=steps_by[sid][0] if sid in steps_by else 0,
            steps_total=steps_by[sid][1] if sid in steps_by else 0,
            complaints=complaints_by.get(sid, 0),
            returning=returning_by.get(sid, 0),
            overdue_follow_ups=overdue_by.get(sid, 0),
        )
        for sid in staff_ids
    ]

    def merged(kind: str) -> list[tuple[int, int]]:
        return [pair for pairs in hist[kind].values() for pair in pairs]

    return Dashboard(
        start=f.start,
        end=f.end,
        days=days,
        by_hour=by_hour,
        visits=sum(visits_by.values()),
        wait=Durations.of(merged("wait"), targets.wait),
        service=Durations.of(merged("service"), targets.service),
        steps=steps,
        outcomes=dict(sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0]))),
        complaints=sum(complaints_by.values()),
        complaint_outcomes=dict(sorted(complaint_outcomes.items(), key=lambda kv: (-kv[1], kv[0]))),
        overdue_follow_ups=sum(overdue_by.values()),
        returning=sum(returning_by.values()),
        known_customer_visits=known,
        staff=staff,
    )
