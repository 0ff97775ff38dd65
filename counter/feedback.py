"""The customer's own word on a visit: "How did we do today?" answered with one of five faces
and, after a face that is not happy, optionally one reason; what a poor answer triggers; and
the figures a manager reads from the answers.

Faces are 1 (very unhappy) to 5 (very happy); 0 records that the customer was asked and did
not answer within :data:`ANSWER_SECONDS`. A poor answer (:func:`is_poor`) is shown to the
staff member at once and the counter offers a follow-up before the next customer.
Customer-facing texts are msgids translated into the *customer's* language where shown.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import TYPE_CHECKING

from counter.errors import NotFound, Problem, ValidationError
from counter.i18n import N_, Gettext
from counter.local_days import local_day
from counter.roles import Session, require_manager
from counter.settings import load_settings, save_store_settings
from counter.storage import feedback_sql, settings_sql, staff_sql, write_transaction
from counter.text import clean_line

if TYPE_CHECKING:
    from sqlite_utils import Database

FACES = (1, 2, 3, 4, 5)
NO_ANSWER = 0
ANSWER_SECONDS = 60  # no face within this long after asking: recorded as no answer
THANKS_SECONDS = 5  # the thank-you stays this long, then the screen goes blank
MAX_REASON = 60  # characters in a store's own reason

# What the customer reads, in their language.
QUESTION = N_("How did we do today?")
REASON_QUESTION = N_("What went wrong?")
THANKS = N_("Thank you for telling us.")
SKIP_REASON = N_("Skip")

# Read by screen readers and shown to staff; the faces themselves need no words.
FACE_NAMES: dict[int, str] = {
    1: N_("Very unhappy"),
    2: N_("Unhappy"),
    3: N_("Neutral"),
    4: N_("Happy"),
    5: N_("Very happy"),
}

REASON_LABELS: dict[str, str] = {
    "waited": N_("I waited too long"),
    "not_solved": N_("My problem is not solved"),
    "unfriendly": N_("Staff were unfriendly"),
    "other": N_("Something else"),
}
REASONS_SETTING = "feedback_reasons"


def is_poor(face: int) -> bool:
    """An answer the staff member must see at once and that offers a follow-up."""
    return face in (1, 2)


def asks_reason(face: int) -> bool:
    """Faces after which the customer is offered the reasons (one tap, optional)."""
    return face in (1, 2, 3)


def face_name(face: int, gettext: Gettext) -> str:
    return gettext(FACE_NAMES[face]) if face in FACE_NAMES else gettext(N_("No answer"))


def reason_label(key: str, gettext: Gettext) -> str:
    """A built-in reason in the caller's language; a store's own reason as typed."""
    msgid = REASON_LABELS.get(key)
    return gettext(msgid) if msgid else key


# The reasons offered, per language ----------------------------------------------------------


def _stored_reasons(db: Database) -> dict[str, list[str]]:
    raw = settings_sql.all_settings(db).get(REASONS_SETTING, "")
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {
        str(k): [str(r) for r in v if isinstance(r, str)]
        for k, v in value.items()
        if isinstance(v, list)
    }


def configured_reasons(db: Database, language: str) -> list[str]:
    """The reasons offered to a customer speaking ``language``, in the manager's order:
    built-in keys (translated where shown) and the store's own reasons, as typed."""
    return _stored_reasons(db).get(language) or list(REASON_LABELS)


def reasons_in_use(db: Database) -> list[str]:
    """The reasons a manager may filter the visit log by: the built-in ones, each language's
    own, and any a customer gave that is no longer offered."""
    seen = dict.fromkeys(REASON_LABELS)
    for reasons in _stored_reasons(db).values():
        seen.update(dict.fromkeys(reasons))
    seen.update(dict.fromkeys(feedback_sql.given_reasons(db)))
    return list(seen)


def reason_key(text: str, gettext: Gettext) -> str:
    """A built-in key when ``text`` is one, or its label in ``gettext``'s language or English."""
    typed = " ".join(text.split())
    wanted = typed.casefold()
    for key, msgid in REASON_LABELS.items():
        if wanted in (key.casefold(), msgid.casefold(), gettext(msgid).casefold()):
            return key
    return typed


def save_reasons(
    db: Database, session: Session, language: str, reasons: list[str], *, now: int
) -> list[str]:
    """Set the reasons offered in ``language`` (a manager's choice; an empty list goes back to
    the built-in ones). Returns what was stored."""
    cleaned = list(dict.fromkeys(clean_line(r) for r in reasons if clean_line(r)))
    if any(len(r) > MAX_REASON for r in cleaned):
        raise ValidationError(
            [
                Problem(
                    "feedback_reasons",
                    N_("Keep each reason under {limit} characters."),
                    {"limit": MAX_REASON},
                )
            ]
        )
    if len(cleaned) > 6:
        raise ValidationError(
            [Problem("feedback_reasons", N_("Offer at most six reasons: one tap, no scrolling."))]
        )
    stored = _stored_reasons(db)
    if cleaned:
        stored[language] = cleaned
    else:
        stored.pop(language, None)
    save_store_settings(
        db, session, {REASONS_SETTING: json.dumps(stored, ensure_ascii=False)}, now=now
    )
    return cleaned or list(REASON_LABELS)


# Recording the answer -----------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """The customer's answer on one visit, as stored."""

    visit_id: int
    customer_id: int | None
    staff_id: int | None
    face: int | None  # None: not asked; 0: asked, no answer
    reason: str
    at: int | None

    @property
    def poor(self) -> bool:
        return self.face is not None and is_poor(self.face)


def load_answer(db: Database, visit_id: int) -> Answer:
    row = feedback_sql.feedback_of(db, visit_id)
    if row is None:
        raise NotFound(visit_id)
    return Answer(
        visit_id=row["id"],
        customer_id=row["customer_id"],
        staff_id=row["staff_id"],
        face=row["feedback"],
        reason=row["feedback_reason"],
        at=row["feedback_at"],
    )


def _refused(db: Database, visit_id: int, message: str) -> ValidationError:
    load_answer(db, visit_id)  # NotFound for a visit that is not there
    return ValidationError([Problem("feedback", message)])


def record_face(db: Database, visit_id: int, face: int, *, now: int) -> Answer:
    """The face the customer tapped, on the ended visit it is about; once per visit."""
    if face not in FACES:
        raise ValidationError([Problem("feedback", N_("Choose one of the faces."))])
    with write_transaction(db):
        if not feedback_sql.set_rating(db, visit_id, face, now):
            raise _refused(db, visit_id, N_("This visit already has the customer's answer."))
        return load_answer(db, visit_id)


def record_no_answer(db: Database, visit_id: int, *, now: int) -> Answer:
    """Asked, and nothing tapped in time. A visit that already has an answer keeps it."""
    with write_transaction(db):
        feedback_sql.set_no_answer(db, visit_id, now)
        return load_answer(db, visit_id)


def record_reason(db: Database, visit_id: int, reason: str, *, now: int) -> Answer:
    """The one reason tapped after a face (a built-in key or the store's own text)."""
    value = clean_line(reason)
    if not value or len(value) > MAX_REASON:
        raise ValidationError([Problem("feedback_reason", N_("Choose one of the reasons."))])
    with write_transaction(db):
        if not feedback_sql.set_reason(db, visit_id, value, now):
            raise _refused(db, visit_id, N_("This visit already has the customer's answer."))
        return load_answer(db, visit_id)


# What a manager reads -----------------------------------------------------------------------

WAIT_BANDS = (N_("Under the amber wait"), N_("Amber wait"), N_("Over the red wait"))


@dataclass(frozen=True)
class Mean:
    """Answered visits and the sum of their faces: an average that adds up across groups."""

    visits: int = 0
    total: int = 0

    @property
    def average(self) -> float | None:
        return self.total / self.visits if self.visits else None

    def __add__(self, other: Mean) -> Mean:
        return Mean(self.visits + other.visits, self.total + other.total)


@dataclass(frozen=True)
class Satisfaction:
    """The customers' answers of a period (ended visits whose customer was asked)."""

    faces: dict[int, int]  # face 1-5 -> answers
    asked: int  # answered + not answered
    by_staff: dict[int, Mean]  # staff id (0: nobody recorded) -> their answers
    by_day: dict[date, Mean]  # local day -> that day's answers
    reasons: list[tuple[str, int]]  # reason key or text, answers giving it, most first
    by_wait: tuple[Mean, Mean, Mean]  # see WAIT_BANDS
    by_step: dict[str, tuple[Mean, Mean]] = field(default_factory=dict)  # key -> (done, not)
    step_labels: dict[str, str] = field(default_factory=dict)  # key -> label as the visits ran

    @property
    def answered(self) -> int:
        return sum(self.faces.values())

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None

    @property
    def overall(self) -> Mean:
        return Mean(self.answered, sum(face * n for face, n in self.faces.items()))

    def share(self, face: int) -> float | None:
        return self.faces.get(face, 0) / self.answered if self.answered else None


def satisfaction(
    db: Database, start: int, end: int, *, tz: tzinfo | None, staff_id: int | None = None
) -> Satisfaction:
    """The answers of visits that arrived in [start, end), local days in ``tz``."""
    faces: Counter[int] = Counter()
    asked = 0
    by_staff: dict[int, Mean] = {}
    by_day: dict[date, Mean] = {}
    day_of: dict[int, date] = {}
    for quarter, staff, face, visits in feedback_sql.faces_by_quarter_hour(
        db, start, end, staff_id
    ):
        asked += visits
        if face == NO_ANSWER:
            continue
        faces[face] += visits
        answers = Mean(visits, face * visits)
        by_staff[staff] = by_staff.get(staff, Mean()) + answers
        if quarter not in day_of:
            day_of[quarter] = local_day(quarter * 900, tz)
        day = day_of[quarter]
        by_day[day] = by_day.get(day, Mean()) + answers
    settings = load_settings(db)
    bands = [Mean(), Mean(), Mean()]
    for band, face, visits in feedback_sql.faces_by_wait(
        db, start, end, settings.wait_amber_minutes * 60, settings.wait_red_minutes * 60, staff_id
    ):
        bands[band] = bands[band] + Mean(visits, face * visits)
    by_step: dict[str, tuple[Mean, Mean]] = {}
    labels: dict[str, str] = {}
    for key, label, done, total, visits in feedback_sql.faces_by_step(db, start, end, staff_id):
        labels[key] = label
        done_mean, missed = by_step.get(key, (Mean(), Mean()))
        if done:
            done_mean = done_mean + Mean(visits, total)
        else:
            missed = missed + Mean(visits, total)
        by_step[key] = (done_mean, missed)
    return Satisfaction(
        faces={face: faces.get(face, 0) for face in FACES},
        asked=asked,
        by_staff=by_staff,
        by_day=dict(sorted(by_day.items())),
        reasons=[(reason, n) for reason, n in feedback_sql.reasons(db, start, end, staff_id)],
        by_wait=(bands[0], bands[1], bands[2]),
        by_step=by_step,
        step_labels=labels,
    )


@dataclass(frozen=True)
class StaffSatisfaction:
    staff_id: int  # 0: nobody was recorded as serving
    name: str
    answers: Mean
    poor: int  # answers with an unhappy face


@dataclass(frozen=True)
class SatisfactionReport:
    """What the dashboard shows of the customers' answers: the figures and staff by name."""

    figures: Satisfaction
    staff: tuple[StaffSatisfaction, ...]


def load_satisfaction(
    db: Database,
    session: Session,
    start: int,
    end: int,
    *,
    tz: tzinfo | None,
    staff_id: int | None = None,
) -> SatisfactionReport:
    """The answers of a period for a manager, staff named, best average first."""
    require_manager(db, session)
    figures = satisfaction(db, start, end, tz=tz, staff_id=staff_id)
    poor = dict(feedback_sql.poor_by_staff(db, start, end, staff_id))
    rows = []
    for member, answers in figures.by_staff.items():
        row = staff_sql.get_staff(db, member) if member else None
        rows.append(
            StaffSatisfaction(member, row["name"] if row else "", answers, poor.get(member, 0))
        )
    rows.sort(key=lambda r: (-(r.answers.average or 0), r.name))
    return SatisfactionReport(figures, tuple(rows))
