"""What a manager sees: the filtered visit log, one visit's timeline, and the dashboard's KPIs.

Manager only: every function takes the manager's :class:`~counter.roles.Session`. The log is
paged in SQL (LIMIT/OFFSET, sorted by any column), never loaded whole. Durations:
wait = service started - arrived, service = ended - service started, in seconds. Percentiles
are linear between the two nearest values (like spreadsheets' PERCENTILE.INC), computed from
a per-second histogram that SQL aggregates.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from counter import audit
from counter.address import NameParts, full_name
from counter.errors import NotFound
from counter.roles import Session, require_manager
from counter.search import parse_query
from counter.settings import StoreSettings
from counter.storage import dashboard_sql, report_sql, visit_sql
from counter.visit_filter import VisitFilter

if TYPE_CHECKING:
    from sqlite_utils import Database

SORT_KEYS = tuple(report_sql.SORT_EXPRESSIONS)
PAGE_SIZE = 200


@dataclass(frozen=True)
class Targets:
    """What good looks like, in seconds: a wait is over target past the amber threshold."""

    wait: int
    service: int

    @classmethod
    def from_settings(cls, settings: StoreSettings) -> Targets:
        return cls(
            wait=settings.wait_amber_minutes * 60, service=settings.service_target_minutes * 60
        )


def _where(f: VisitFilter) -> tuple[str, list[Any]]:
    fts = digits = ""
    if f.customer_text.strip():
        query = parse_query(f.customer_text)
        if query.terms:
            fts = query.fts_prefix()
        elif query.digits:
            digits = query.digits
        else:
            fts = '""'  # matches nothing: text that is neither a name nor a number
    return report_sql.visit_where(f, customer_fts=fts, customer_digits=digits)


@dataclass(frozen=True)
class VisitRow:
    id: int
    arrived_at: int
    started_at: int | None
    ended_at: int | None
    status: str
    customer_id: int | None
    customer_name: str  # as the customer's language writes it; the walk-in's name; '' if erased
    customer_erased: bool
    staff_id: int | None
    staff_name: str
    language: str
    need: str
    solution: str
    outcome: str
    complaint: bool
    steps_total: int
    steps_skipped: int
    wait: int | None
    service: int | None
    # Who ticked or skipped its steps, in the order they first did ("Ana, Béla"): a visit
    # resumed by someone else has two. Only exports read it (iter_visit_rows).
    step_staff: str = ""
    feedback: int | None = None  # the customer's face 1-5; 0 asked, no answer; None not asked
    feedback_reason: str = ""  # a built-in reason key or the store's own text
    store_name: str = ""  # where it was made (m011): '' on a counter that never joined
    counter_name: str = ""  # the counter's name, else '#' and its global id's start

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> VisitRow:
        erased = row["customer_erased_at"] is not None
        if row["customer_id"] is None:
            name = row["walk_in_name"]
        elif erased:
            name = ""
        else:
            parts = NameParts(
                given=row["given_name"],
                family=row["family_name"],
                native=row["native_name"],
                title=row["title"],
                informal=row["formality"] == "informal",
            )
            name = full_name(parts, row["customer_language"])
        return cls(
            id=row["id"],
            arrived_at=row["arrived_at"],
            started_at=row["started_at"],
            ended_at=row["ended_at"],
            status=row["status"],
            customer_id=row["customer_id"],
            customer_name=name,
            customer_erased=erased,
            staff_id=row["staff_id"],
            staff_name=row["staff_name"],
            language=row["language"],
            need=row["need"],
            solution=row["solution"],
            outcome=row["outcome"],
            complaint=bool(row["complaint"]),
            steps_total=row["steps_total"],
            steps_skipped=row["steps_skipped"],
            wait=row["wait"],
            service=row["service"],
            step_staff=row.get("step_staff") or "",
            feedback=row.get("feedback"),
            feedback_reason=row.get("feedback_reason") or "",
            store_name=row.get("store_name") or "",
            counter_name=row.get("counter_label") or "",
        )


def count_visits(db: Database, session: Session, f: VisitFilter, *, now: int) -> int:
    """How many visits match. Narrowing to one customer is a look at their data: audited."""
    require_manager(db, session)
    if f.names_a_customer():
        subject = f"customer:{f.customer_id}" if f.customer_id is not None else ""
        audit.record(
            db,
            at=now,
            staff_id=session.staff_id,
            action="view_customer_visits",
            subject=subject,
            detail=f.customer_text.strip()[:100],
        )
    return report_sql.count_visits(db, *_where(f))


def list_visits(
    db: Database,
    session: Session,
    f: VisitFilter,
    *,
    sort: str = "arrived",
    descending: bool = True,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> list[VisitRow]:
    """One page of the log, sorted by ``sort`` (one of :data:`SORT_KEYS`)."""
    require_manager(db, session)
    if sort not in report_sql.SORT_EXPRESSIONS:
        raise ValueError(f"unknown sort key {sort!r}")
    where, params = _where(f)
    rows = report_sql.visit_page(
        db, where, params, sort=sort, descending=descending, limit=limit, offset=offset
    )
    return [VisitRow.from_row(r) for r in rows]


def iter_visit_rows(
    db: Database, f: VisitFilter, *, sort: str, descending: bool, chunk: int = 1000
) -> Iterator[list[VisitRow]]:
    """Chunks of :class:`VisitRow` for the whole filtered log (exports; check the session
    first)."""
    where, params = _where(f)
    for rows in report_sql.iter_visits(
        db, where, params, sort=sort, descending=descending, chunk=chunk
    ):
        yield [VisitRow.from_row(r) for r in rows]


def count_matching(db: Database, f: VisitFilter) -> int:
    """Like :func:`count_visits` without the audit entry (exports write their own)."""
    return report_sql.count_visits(db, *_where(f))


# one visit ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineEvent:
    """One moment of a visit. ``kind``: arrived, started, step, ended. ``gap``: seconds since
    the previous moment (None for the first)."""

    kind: str
    at: int | None
    gap: int | None
    step_key: str = ""
    label: str = ""
    status: str = ""  # for steps: done, skipped, pending
    staff_name: str = ""  # for steps: who ticked or skipped it ('' for nobody recorded)


@dataclass(frozen=True)
class VisitFollowUp:
    id: int
    description: str
    due_at: int
    created_at: int
    closed_at: int | None
    close_note: str
    owner_name: str
    closed_by_name: str

    def overdue(self, now: int) -> bool:
        return self.closed_at is None and self.due_at < now


@dataclass(frozen=True)
class VisitTimeline:
    visit: VisitRow
    events: list[TimelineEvent]
    follow_ups: list[VisitFollowUp]
    discard_reason: str = ""


def load_timeline(db: Database, session: Session, visit_id: int, *, now: int) -> VisitTimeline:
    """Arrival, service start, each step with its time and the gap before it, the end, notes,
    outcome and follow-ups of one visit. Audited: it shows a customer's data."""
    require_manager(db, session)
    row = report_sql.visit(db, visit_id)
    if row is None:
        raise NotFound(visit_id)
    visit = VisitRow.from_row(row)
    moments: list[TimelineEvent] = [TimelineEvent("arrived", visit.arrived_at, None)]
    if visit.started_at is not None:
        moments.append(TimelineEvent("started", visit.started_at, None))
    for step in visit_sql.visit_steps(db, visit_id):
        moments.append(
            TimelineEvent(
                "step",
                step["at"],
                None,
                step_key=step["step_key"],
                label=step["label"],
                status=step["status"],
                staff_name=step["staff_name"],
            )
        )
    if visit.ended_at is not None:
        moments.append(TimelineEvent("ended", visit.ended_at, None))
    # In time order (steps may be ticked out of order); untimed steps stay in checklist order.
    timed = sorted((m for m in moments if m.at is not None), key=lambda m: m.at or 0)
    untimed = [m for m in moments if m.at is None]
    events, previous = [], None
    for moment in timed:
        gap: int | None = None if previous is None or moment.at is None else moment.at - previous
        events.append(replace(moment, gap=gap))
        previous = moment.at
    follow_ups = [VisitFollowUp(**r) for r in report_sql.visit_follow_ups(db, visit_id)]
    audit.record(
        db,
        at=now,
        staff_id=session.staff_id,
        action="view_visit",
        subject=f"customer:{visit.customer_id}" if visit.customer_id else f"visit:{visit_id}",
        detail=f"visit:{visit_id}",
    )
    return VisitTimeline(visit, events + untimed, follow_ups, row["discard_reason"])


# dashboard ------------------------------------------------------------------------------------
def percentile(histogram: Sequence[tuple[int, int]], p: float) -> float | None:
    """The p-quantile (0..1) of values given as sorted (value, count) pairs, interpolated
    linearly between the two nearest ranks (PERCENTILE.INC). None when there are no values."""
    return _quantile(
        [v for v, _n in histogram], list(itertools.accumulate(n for _v, n in histogram)), p
    )


def _quantile(values: Sequence[int], ends: Sequence[int], p: float) -> float | None:
    """:func:`percentile` of sorted ``values`` whose running total of counts is ``ends``."""
    total = ends[-1] if ends else 0
    if total == 0:
        return None
    position = (total - 1) * p
    lower_rank, fraction = int(position), position - int(position)
    low = values[bisect.bisect_right(ends, lower_rank)]  # ranks are 0-based
    if fraction == 0:
        return float(low)
    return low + (values[bisect.bisect_right(ends, lower_rank + 1)] - low) * fraction


@dataclass(frozen=True)
class Durations:
    """Median and 90th percentile of a duration, and how many were within the target."""

    count: int
    median: float | None
    p90: float | None
    target: int
    within_target: int

    @property
    def within_share(self) -> float | None:
        return self.within_target / self.count if self.count else None

    @classmethod
    def of(cls, histogram: Sequence[tuple[int, int]], target: int) -> Durations:
        """From (value, count) pairs in any order, a value any number of times."""
        counts: dict[int, int] = {}
        for value, n in histogram:
            counts[value] = counts.get(value, 0) + n
        values = sorted(counts)
        ends = list(itertools.accumulate(counts[v] for v in values))
        within = bisect.bisect_right(values, target)
        return cls(
            count=ends[-1] if ends else 0,
            median=_quantile(values, ends, 0.5),
            p90=_quantile(values, ends, 0.9),
            target=target,
            within_target=ends[within - 1] if within else 0,
        )


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
    where, params = _where(f)
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


def _minute_seconds(minute: int) -> range:
    """The seconds a histogram minute holds (see m004: ceil(s / 60), or s itself if s <= 0)."""
    return range(60 * minute - 59, 60 * minute + 1) if minute > 0 else range(minute, minute + 1)


def _minute_top(minute: int) -> int:
    """The greatest second a histogram minute holds."""
    return 60 * minute if minute > 0 else minute


def _minute_of(seconds: int) -> int:
    return (seconds + 59) // 60 if seconds > 0 else seconds


def _minutes_needed(histogram: list[tuple[int, int]], target: int) -> set[int]:
    """The minutes whose exact seconds decide the median, the 90th percentile (the ranks
    :func:`percentile` reads) and the count within target."""
    ordered = sorted(histogram)
    total = sum(n for _m, n in ordered)
    needed = set()
    if total:
        ends = list(itertools.accumulate(n for _m, n in ordered))
        for p in (0.5, 0.9):
            position = (total - 1) * p
            ranks = {int(position)} | ({int(position) + 1} if position != int(position) else set())
            needed |= {ordered[bisect.bisect_right(ends, r)][0] for r in ranks}
    if target > 0 and target % 60:
        needed.add(_minute_of(target))
    return needed


def _summary_parts(
    db: Database,
    f: VisitFilter,
    ranges: list[tuple[int, int, int]],
    segments: Sequence[tuple[int, int]],
) -> _Parts:
    """Everything but the durations (see :func:`_summary_durations`)."""
    parts = _Parts()
    staff = f.staff_ids
    changes = [t for t, _o in segments[1:]]
    for bucket, visits in dashboard_sql.visits_by_bucket(
        db, _SLOT, f.start // _SLOT, f.end // _SLOT, staff
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
    db: Database, f: VisitFilter, ranges: list[tuple[int, int, int]], targets: Targets
) -> Histograms:
    """kind ("wait", "service") -> staff -> (seconds, visits): the minute histograms, with
    the exact seconds of the minutes that decide a median, a 90th percentile or a target."""
    staff = f.staff_ids
    hist: Histograms = {"wait": defaultdict(list), "service": defaultdict(list)}
    minutes: Histograms = {"wait": defaultdict(list), "service": defaultdict(list)}
    for sid, kind, minute, visits in dashboard_sql.duration_minutes(db, ranges, staff):
        minutes[kind][sid].append((minute, visits))
    for kind, target in (("wait", targets.wait), ("service", targets.service)):
        by_staff = minutes[kind]
        everyone = [pair for pairs in by_staff.values() for pair in pairs]
        needed = _minutes_needed(everyone, target)
        for pairs in by_staff.values():
            needed |= _minutes_needed(pairs, target)
        seconds = sorted(s for m in needed for s in _minute_seconds(m))
        for sid, value, visits in dashboard_sql.duration_seconds(
            db, kind, seconds, f.start, f.end, staff
        ):
            hist[kind][sid].append((value, visits))
        for sid, pairs in by_staff.items():
            # The other minutes stand in as their greatest second: the same order, and the
            # same count within a target of whole minutes.
            hist[kind][sid] += [(_minute_top(m), n) for m, n in pairs if m not in needed]
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
        parts = _summary_parts(db, f, ranges, segments)
        parts.hist = _summary_durations(db, f, ranges, targets)
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
