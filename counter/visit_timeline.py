"""One visit as the manager reads it: arrival, service start, each checklist step with who
ticked it, when and the gap before it, the end, notes, outcome and follow-ups.

Manager only, and audited: a timeline shows a customer's data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from counter import audit
from counter.errors import NotFound
from counter.roles import Session, require_manager
from counter.storage import report_sql, visit_sql
from counter.visit_log import VisitRow

if TYPE_CHECKING:
    from sqlite_utils import Database


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


def timeline_events(visit: VisitRow, steps: Iterable[Mapping[str, Any]]) -> list[TimelineEvent]:
    """Arrival, service start, each step (``steps``: step_key, label, status, at, staff_name,
    in checklist order) and the end, in time order with the gap before each (steps may be
    ticked out of order); untimed steps after them in checklist order. The store's own
    timeline and the office's (read from the hub) are built alike."""
    moments: list[TimelineEvent] = [TimelineEvent("arrived", visit.arrived_at, None)]
    if visit.started_at is not None:
        moments.append(TimelineEvent("started", visit.started_at, None))
    for step in steps:
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
    timed = sorted((m for m in moments if m.at is not None), key=lambda m: m.at or 0)
    events: list[TimelineEvent] = []
    previous: int | None = None
    for moment in timed:
        gap = None if previous is None or moment.at is None else moment.at - previous
        events.append(replace(moment, gap=gap))
        previous = moment.at
    return events + [m for m in moments if m.at is None]


def load_timeline(db: Database, session: Session, visit_id: int, *, now: int) -> VisitTimeline:
    """Arrival, service start, each step with its time and the gap before it, the end, notes,
    outcome and follow-ups of one visit. Audited: it shows a customer's data."""
    require_manager(db, session)
    row = report_sql.visit(db, visit_id)
    if row is None:
        raise NotFound(visit_id)
    visit = VisitRow.from_row(row)
    events = timeline_events(visit, visit_sql.visit_steps(db, visit_id))
    follow_ups = [VisitFollowUp(**r) for r in report_sql.visit_follow_ups(db, visit_id)]
    audit.record(
        db,
        at=now,
        staff_id=session.staff_id,
        action="view_visit",
        subject=f"customer:{visit.customer_id}" if visit.customer_id else f"visit:{visit_id}",
        detail=f"visit:{visit_id}",
    )
    return VisitTimeline(visit, events, follow_ups, row["discard_reason"])
