"""The visit: checking in, the queue, serving, the checklist steps, need/solution/outcome, the
complaint path, ending against the store's targets, and resuming after a crash.

States: ``waiting`` (checked in) -> ``in_progress`` (being served) -> ``ended``; either open
state can be ``discarded`` with a reason. Every write is one ``write_transaction``, committed
before the function returns, and returns a :class:`VisitChange` saying what changed so a view
repaints only that. Two counters on one file are serialized by SQLite's write lock (``BEGIN
IMMEDIATE``); every state change names the state it expects, so a visit is served once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from counter import audit
from counter.address import NameParts, form_of_address, full_name
from counter.checklist import step_label, steps_for_new_visit
from counter.errors import NotFound, Problem, ValidationError
from counter.i18n import N_, Gettext
from counter.outcomes import configured_outcomes
from counter.settings import load_settings
from counter.storage import customer_sql, staff_sql, visit_sql, write_transaction
from counter.text import clean_line, length_problem

if TYPE_CHECKING:
    from sqlite_utils import Database

MAX_NAME = 100
MAX_NOTE = 500

STEP_STATUSES = ("pending", "done", "skipped")

# The complaint path: acknowledge the feeling first, then clarify, confirm, commit.
COMPLAINT_EMPATHY = N_("I understand why this is frustrating.")
COMPLAINT_PROMPTS: tuple[tuple[str, str, str], ...] = (
    (
        "clarify",
        N_("Clarify"),
        N_("Ask what happened and what they expected. Let them finish."),
    ),
    (
        "confirm",
        N_("Confirm"),
        N_("Say the problem back in your own words until they agree."),
    ),
    (
        "commit",
        N_("Commit"),
        N_("Say what you will do and by when, then add it as a follow-up."),
    ),
)


@dataclass(frozen=True)
class VisitStep:
    key: str
    position: int
    label: str  # as shown when the visit ran; a built-in msgid is translated where shown
    status: str  # pending | done | skipped
    at: int | None  # when done or skipped; None for a step never ticked
    staff_id: int | None = None  # who ticked or skipped it; None for nobody
    staff_name: str = ""

    def text(self, gettext: Gettext) -> str:
        return step_label(self.key, self.label, gettext)


@dataclass(frozen=True)
class Visit:
    id: int
    customer_id: int | None  # None: a walk-in who gave no record
    customer_name: str  # as the customer's language writes it, or the walk-in's name, or ''
    address_as: str  # what to call them to their face ('' when unknown)
    language: str  # the customer's preferred language ('' = the store's)
    staff_id: int | None
    staff_name: str
    status: str
    arrived_at: int
    started_at: int | None
    ended_at: int | None
    need: str
    solution: str
    outcome: str
    complaint: bool
    discard_reason: str
    updated_at: int
    steps: tuple[VisitStep, ...] = ()
    latin_name: str = ""  # the name in Latin letters when it is written in another script

    @property
    def is_open(self) -> bool:
        return self.status in ("waiting", "in_progress")

    def step(self, key: str) -> VisitStep | None:
        return next((s for s in self.steps if s.key == key), None)

    def wait_seconds(self, now: int) -> int:
        """From check-in to the start of service (or to ``now`` while still waiting)."""
        end = self.started_at if self.started_at is not None else now
        return max(0, end - self.arrived_at)

    def service_seconds(self, now: int) -> int:
        if self.started_at is None:
            return 0
        end = self.ended_at if self.ended_at is not None else now
        return max(0, end - self.started_at)

    def steps_done(self) -> int:
        return sum(1 for s in self.steps if s.status == "done")


@dataclass(frozen=True)
class EndSummary:
    """Shown to the staff member when a visit ends: how long the customer waited and how long
    service took, against the store's targets (wait: the amber threshold)."""

    wait_seconds: int
    service_seconds: int
    wait_target_seconds: int
    service_target_seconds: int
    skipped: tuple[str, ...]  # keys of steps that were not done

    @property
    def wait_over(self) -> bool:
        return self.wait_seconds > self.wait_target_seconds

    @property
    def service_over(self) -> bool:
        return self.service_seconds > self.service_target_seconds


@dataclass(frozen=True)
class VisitChange:
    """What one write changed, so each view refreshes only that (after Anki's OpChanges)."""

    visit: Visit  # the visit as committed
    step_key: str | None = None  # set when only this one step changed
    queue: bool = False  # the waiting list changed
    follow_ups: bool = False  # the customer's follow-ups changed
    summary: EndSummary | None = None  # set when the visit was ended

    @property
    def customer_id(self) -> int | None:
        return self.visit.customer_id


# Reading -----------------------------------------------------------------------------------


def _visit(row: dict[str, Any], steps: list[dict[str, Any]] | None = None) -> Visit:
    if row["customer_id"] is not None:
        parts = NameParts(
            given=row["given_name"] or "",
            family=row["family_name"] or "",
            native=row["native_name"] or "",
            title=row["title"] or "",
            informal=row["formality"] == "informal",
        )
        language = row["customer_language"] or ""
        name = full_name(parts, language)
        address = form_of_address(parts, language)
        latin = full_name(NameParts(parts.given, parts.family), "en") if parts.native else ""
    else:
        language = row["language"]
        name = address = row["walk_in_name"]
        latin = ""
    return Visit(
        id=row["id"],
        customer_id=row["customer_id"],
        customer_name=name,
        address_as=address,
        language=language,
        staff_id=row["staff_id"],
        staff_name=row["staff_name"] or "",
        status=row["status"],
        arrived_at=row["arrived_at"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        need=row["need"],
        solution=row["solution"],
        outcome=row["outcome"],
        complaint=bool(row["complaint"]),
        discard_reason=row["discard_reason"],
        updated_at=row["updated_at"],
        steps=tuple(
            VisitStep(
                s["step_key"],
                s["position"],
                s["label"],
                s["status"],
                s["at"],
                s["staff_id"],
                s["staff_name"],
            )
            for s in steps or ()
        ),
        latin_name=latin if latin != name else "",
    )


def load_visit(db: Database, visit_id: int) -> Visit:
    row = visit_sql.get_visit(db, visit_id)
    if row is None:
        raise NotFound(visit_id)
    return _visit(row, visit_sql.visit_steps(db, visit_id))


def list_queue(db: Database) -> list[Visit]:
    """Everyone checked in and not yet served, longest waiting first."""
    return [_visit(row) for row in visit_sql.visits_with_status(db, "waiting")]


def open_visits(db: Database, staff_id: int | None = None) -> list[Visit]:
    """Visits being served, as they stood (after a crash: what to offer to resume). With
    ``staff_id``, only that person's, plus those nobody was recorded as serving."""
    visits = []
    for row in visit_sql.visits_with_status(db, "in_progress"):
        if staff_id is None or row["staff_id"] in (None, staff_id):
            visits.append(_visit(row, visit_sql.visit_steps(db, row["id"])))
    return visits


def data_version(db: Database) -> int:
    """A number that changes when another counter commits: poll it to know when to re-read."""
    return visit_sql.data_version(db)


def default_staff_id(db: Database) -> int | None:
    """Who serves when nobody signed in: the first active staff member, if any."""
    return staff_sql.first_active_staff(db)


# Checking in and serving -------------------------------------------------------------------


def _clean_text(text: str, limit: int, field_name: str) -> str:
    value = clean_line(text)
    if problem := length_problem(field_name, value, limit):
        raise ValidationError([problem])
    return value


def _customer_language(db: Database, customer_id: int) -> str:
    row = customer_sql.get_customer(db, customer_id)
    if row is None or row["erased_at"] is not None:
        raise NotFound(customer_id)
    return str(row["language"])


def _refuse_if_open(db: Database, customer_id: int) -> None:
    existing = visit_sql.open_visit_of_customer(db, customer_id)
    if existing is None:
        return
    if existing["status"] == "waiting":
        raise ValidationError([Problem("customer_id", N_("This customer is already waiting."))])
    raise ValidationError([Problem("customer_id", N_("This customer is already being served."))])


def check_in(
    db: Database, *, now: int, customer_id: int | None = None, walk_in_name: str = ""
) -> VisitChange:
    """Put a known customer, or a walk-in (name optional), at the end of the queue."""
    name = _clean_text(walk_in_name, MAX_NAME, "walk_in_name") if customer_id is None else ""
    with write_transaction(db):
        language = ""
        if customer_id is not None:
            language = _customer_language(db, customer_id)
            _refuse_if_open(db, customer_id)
        visit_id = visit_sql.insert_visit(
            db,
            {
                "customer_id": customer_id,
                "walk_in_name": name,
                "status": "waiting",
                "arrived_at": now,
                "language": language,
                "updated_at": now,
            },
        )
        visit = load_visit(db, visit_id)
    return VisitChange(visit, queue=True)


def _start(db: Database, visit_id: int, staff_id: int | None, now: int, language: str) -> Visit:
    if not visit_sql.start_visit(db, visit_id, staff_id, now):
        row = visit_sql.get_visit(db, visit_id)
        if row is None:
            raise NotFound(visit_id)
        raise ValidationError(
            [Problem("visit", N_("Someone else is already serving this customer."))]
        )
    steps = steps_for_new_visit(db, language)
    visit_sql.insert_visit_steps(
        db, [(visit_id, position, key, label, "pending", None) for position, key, label in steps]
    )
    return load_visit(db, visit_id)


def serve_next(db: Database, *, staff_id: int | None, now: int, language: str) -> VisitChange:
    """Start serving whoever has waited longest. ``language``: the staff member's, for the
    step labels the visit keeps."""
    with write_transaction(db):
        visit_id = visit_sql.oldest_waiting_visit(db)
        if visit_id is None:
            raise ValidationError([Problem("queue", N_("Nobody is waiting."))])
        visit = _start(db, visit_id, staff_id, now, language)
    return VisitChange(visit, queue=True)


def serve(
    db: Database, visit_id: int, *, staff_id: int | None, now: int, language: str
) -> VisitChange:
    """Start serving one particular customer from the queue."""
    with write_transaction(db):
        visit = _start(db, visit_id, staff_id, now, language)
    return VisitChange(visit, queue=True)


def serve_directly(
    db: Database,
    *,
    staff_id: int | None,
    now: int,
    language: str,
    customer_id: int | None = None,
    walk_in_name: str = "",
) -> VisitChange:
    """Serve someone at once. Without a check-in the wait is zero; a customer who is in the
    queue is served from it (their wait was real); one this same person is already serving
    is simply handed back."""
    name = _clean_text(walk_in_name, MAX_NAME, "walk_in_name") if customer_id is None else ""
    with write_transaction(db):
        language_of_customer = ""
        if customer_id is not None:
            language_of_customer = _customer_language(db, customer_id)
            existing = visit_sql.open_visit_of_customer(db, customer_id)
            if existing is not None:
                if existing["status"] == "waiting":
                    visit = _start(db, existing["id"], staff_id, now, language)
                    return VisitChange(visit, queue=True)
                visit = load_visit(db, existing["id"])
                if visit.staff_id in (None, staff_id):
                    return VisitChange(visit)
                raise ValidationError(
                    [
                        Problem(
                            "customer_id",
                            N_("{name} is already serving this customer."),
                            {"name": visit.staff_name},
                        )
                    ]
                )
        visit_id = visit_sql.insert_visit(
            db,
            {
                "customer_id": customer_id,
                "walk_in_name": name,
                "status": "waiting",
                "arrived_at": now,
                "language": language_of_customer,
                "updated_at": now,
            },
        )
        visit = _start(db, visit_id, staff_id, now, language)
    return VisitChange(visit)


# The visit in progress ---------------------------------------------------------------------


def _open_visit(db: Database, visit_id: int) -> Visit:
    visit = load_visit(db, visit_id)
    if visit.status != "in_progress":
        raise ValidationError(
            [
                Problem(
                    "visit",
                    N_("This visit is no longer open; it was ended or discarded elsewhere."),
                )
            ]
        )
    return visit


def _set_step(
    db: Database, visit_id: int, key: str, status: str, now: int, staff_id: int | None
) -> VisitChange:
    with write_transaction(db):
        visit = _open_visit(db, visit_id)
        step = visit.step(key)
        if step is None:
            raise NotFound(key)
        if step.status != status:
            at, by = (None, None) if status == "pending" else (now, staff_id)
            visit_sql.set_step_status(db, visit_id, key, status, at, by)
            visit_sql.touch_visit(db, visit_id, now)
            visit = load_visit(db, visit_id)
    return VisitChange(visit, step_key=key)


def complete_step(
    db: Database, visit_id: int, step_key: str, *, now: int, staff_id: int | None = None
) -> VisitChange:
    """Tick a step, in any order. Ticking a step already done keeps its first time and
    server. ``staff_id``: who ticked it (a resumed visit may be finished by someone else)."""
    return _set_step(db, visit_id, step_key, "done", now, staff_id)


def skip_step(
    db: Database, visit_id: int, step_key: str, *, now: int, staff_id: int | None = None
) -> VisitChange:
    """Record that a step was skipped on purpose (kept apart from done), and by whom."""
    return _set_step(db, visit_id, step_key, "skipped", now, staff_id)


def undo_step(
    db: Database, visit_id: int, step_key: str, *, now: int, staff_id: int | None = None
) -> VisitChange:
    """Back to not done: the tick or the skip was a slip (and nobody served it yet)."""
    return _set_step(db, visit_id, step_key, "pending", now, staff_id)


def toggle_step(
    db: Database, visit_id: int, step_key: str, *, now: int, staff_id: int | None = None
) -> VisitChange:
    """Done becomes not done; not done or skipped becomes done (the Ctrl+1..5 keys)."""
    with write_transaction(db):
        step = _open_visit(db, visit_id).step(step_key)
        if step is None:
            raise NotFound(step_key)
        status = "pending" if step.status == "done" else "done"
        return _set_step(db, visit_id, step_key, status, now, staff_id)


def _update(db: Database, visit_id: int, values: dict[str, Any], now: int) -> VisitChange:
    with write_transaction(db):
        if not visit_sql.update_open_visit(db, visit_id, values, now):
            _open_visit(db, visit_id)  # raises the reason
        visit = load_visit(db, visit_id)
    return VisitChange(visit)


def set_need(db: Database, visit_id: int, need: str, *, now: int) -> VisitChange:
    """What the customer came for, in a few words."""
    return _update(db, visit_id, {"need": _clean_text(need, MAX_NOTE, "need")}, now)


def set_solution(db: Database, visit_id: int, solution: str, *, now: int) -> VisitChange:
    """What was offered."""
    return _update(db, visit_id, {"solution": _clean_text(solution, MAX_NOTE, "solution")}, now)


def set_outcome(db: Database, visit_id: int, outcome: str, *, now: int) -> VisitChange:
    """One of the store's outcomes (``counter.outcomes.configured_outcomes``), or '' for none.
    An outcome that was stored before the manager changed the list stays accepted."""
    if outcome and outcome not in configured_outcomes(db):
        current = load_visit(db, visit_id).outcome
        if outcome != current:
            raise ValidationError([Problem("outcome", N_("Choose an outcome from the list."))])
    return _update(db, visit_id, {"outcome": outcome}, now)


def set_complaint(db: Database, visit_id: int, complaint: bool, *, now: int) -> VisitChange:
    """Switch the complaint path on or off (``COMPLAINT_EMPATHY``, ``COMPLAINT_PROMPTS``)."""
    return _update(db, visit_id, {"complaint": int(complaint)}, now)


# Ending ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """What ending a visit asks about, and nothing more."""

    outcome: bool  # no outcome chosen yet: needed before the visit can end
    steps: tuple[VisitStep, ...]  # not ticked: they will be recorded as skipped

    def __bool__(self) -> bool:
        return self.outcome or bool(self.steps)


def missing_before_end(visit: Visit) -> Missing:
    return Missing(
        outcome=not visit.outcome,
        steps=tuple(s for s in visit.steps if s.status == "pending"),
    )


def _summary(db: Database, visit: Visit) -> EndSummary:
    settings = load_settings(db)
    end = visit.ended_at or visit.updated_at
    return EndSummary(
        wait_seconds=visit.wait_seconds(end),
        service_seconds=visit.service_seconds(end),
        wait_target_seconds=settings.wait_amber_minutes * 60,
        service_target_seconds=settings.service_target_minutes * 60,
        skipped=tuple(s.key for s in visit.steps if s.status != "done"),
    )


def end_visit(db: Database, visit_id: int, *, now: int) -> VisitChange:
    """End a visit being served. It needs an outcome; steps never ticked are recorded as
    skipped (with no time). The change carries the wait/service summary."""
    with write_transaction(db):
        visit = _open_visit(db, visit_id)
        if not visit.outcome:
            raise ValidationError(
                [Problem("outcome", N_("Choose an outcome: what happened today?"))]
            )
        visit_sql.skip_pending_steps(db, visit_id)
        visit_sql.end_visit(db, visit_id, now)
        visit = load_visit(db, visit_id)
        summary = _summary(db, visit)
    return VisitChange(visit, queue=False, summary=summary)


def _check_closer(db: Database, visit: Visit, by: int | None) -> None:
    """A manager may close anyone's visit; staff only the visits they are serving. Nobody
    signed in (``by`` None) may close only a visit nobody was recorded as serving."""
    if by == visit.staff_id:
        return
    member = staff_sql.get_staff(db, by) if by is not None else None
    if member is None or not member["active"] or member["role"] != "manager":
        raise ValidationError(
            [Problem("visit", N_("Only a manager can close a visit someone else is serving."))]
        )


def _reason(reason: str) -> str:
    value = _clean_text(reason, MAX_NOTE, "reason")
    if not value:
        raise ValidationError([Problem("reason", N_("Say why, in a few words."))])
    return value


def discard_visit(
    db: Database, visit_id: int, *, reason: str, by: int | None, now: int
) -> VisitChange:
    """Take a waiting or open visit off the books (the customer left; checked in by mistake),
    with a reason; logged in the audit log."""
    reason = _reason(reason)
    with write_transaction(db):
        visit = load_visit(db, visit_id)
        if visit.status == "in_progress":
            _check_closer(db, visit, by)
        if not visit_sql.discard_visit(db, visit_id, reason, now):
            raise ValidationError([Problem("visit", N_("This visit is already closed."))])
        audit.record(
            db,
            at=now,
            staff_id=by,
            action="discard_visit",
            subject=f"visit:{visit_id}",
            detail=reason,
        )
        was_waiting = visit.status == "waiting"
        visit = load_visit(db, visit_id)
    return VisitChange(visit, queue=was_waiting)


def close_left_open(
    db: Database, visit_id: int, *, reason: str, by: int | None, now: int
) -> VisitChange:
    """A manager ends a visit left open (closing time, a crash nobody resumed) as it stood:
    no outcome needed, untouched steps recorded as skipped, the reason in the audit log."""
    reason = _reason(reason)
    with write_transaction(db):
        visit = _open_visit(db, visit_id)
        _check_closer(db, visit, by)
        visit_sql.skip_pending_steps(db, visit_id)
        visit_sql.end_visit(db, visit_id, now)
        audit.record(
            db,
            at=now,
            staff_id=by,
            action="end_open_visit",
            subject=f"visit:{visit_id}",
            detail=reason,
        )
        visit = load_visit(db, visit_id)
        summary = _summary(db, visit)
    return VisitChange(visit, summary=summary)
