"""A demo database: a few hundred believable customers in five languages with a year of visits.

Deterministic for a given seed, so screenshots and tests see the same people every time.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import phonenumbers

from counter import demo_data as data
from counter.auth import hash_pin
from counter.customers import CustomerInput, validate
from counter.search import fold
from counter.settings import DEFAULTS
from counter.storage import (
    customer_sql,
    open_database,
    settings_sql,
    staff_sql,
    visit_sql,
    write_transaction,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

DAY = 86_400
DEMO_PINS = {"staff": "1234", "manager": "9999"}
STEP_KEYS = ("greet", "rapport", "needs", "solution", "thank")
STEP_LABELS = {
    "greet": "Greet warmly",
    "rapport": "Build rapport",
    "needs": "Identify needs",
    "solution": "Offer a solution",
    "thank": "Thank by name",
}
# Country and the first digits of a mobile number, by the customer's language.
_MOBILE = {
    "en": ("GB", "+44 7{d3} {d6}"),
    "tr": ("TR", "+90 53{d1} {d3} {d2} {d2}"),
    "sk": ("SK", "+421 9{d2} {d3} {d3}"),
    "hu": ("HU", "+36 {hu} {d3} {d4}"),
    "hi": ("IN", "+91 9{d4} {d5}"),
}


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    visits: int
    follow_ups: int
    staff: int

    def __str__(self) -> str:
        return (
            f"{self.customers} customers, {self.visits} visits, "
            f"{self.follow_ups} follow-ups, {self.staff} staff"
        )


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _phone(rng: random.Random, language: str) -> str:
    region, pattern = _MOBILE[language]
    for _ in range(50):
        text = pattern.format(
            d1=_digits(rng, 1),
            d2=_digits(rng, 2),
            d3=_digits(rng, 3),
            d4=_digits(rng, 4),
            d5=_digits(rng, 5),
            d6=_digits(rng, 6),
            hu=rng.choice(("20", "30", "70")),
        )
        if phonenumbers.is_valid_number(phonenumbers.parse(text, region)):
            return text
    return ""


def _person(rng: random.Random, language: str) -> CustomerInput:
    names = data.NAMES[language]
    female = rng.random() < 0.5
    given = rng.choice(names["female" if female else "male"])
    if language == "sk":
        index = rng.randrange(len(names["family_male"]))
        family = names["family_female" if female else "family_male"][index]
    else:
        family = rng.choice(names["family"])
    native = ""
    if language == "hi":
        native = f"{given[0]} {family[0]}"
        given, family = given[1], family[1]
    title = "mx" if rng.random() < 0.03 else ("ms" if female else "mr")
    return CustomerInput(
        given_name=given,
        family_name=family,
        native_name=native,
        language=language,
        formality="informal" if rng.random() < 0.12 else "formal",
        title=title,
        phone=_phone(rng, language) if rng.random() < 0.9 else "",
        email=f"{fold(given)}.{fold(family)}@example.com".replace(" ", "")
        if rng.random() < 0.4
        else "",
        card=f"2{_digits(rng, 11)}" if rng.random() < 0.6 else "",
        rapport_notes=rng.choice(data.RAPPORT_NOTES) if rng.random() < 0.7 else "",
    )


# The customer screen has been asking for the last few months; most customers answer.
ASKED_FOR_DAYS = 120
ASKED_SHARE = 0.75
ANSWER_RATE = 0.8


def _answer(
    rng: random.Random, wait: int, steps: list[tuple[Any, ...]], complaint: bool, outcome: str
) -> tuple[int, str]:
    """A believable face (and reason): long waits, a skipped rapport step and an unresolved
    complaint pull it down."""
    mood = 4.3 - min(wait, 900) / 300
    if any(key == "rapport" and status != "done" for _pos, key, _label, status, _at in steps):
        mood -= 0.6
    if complaint:
        mood -= 0.4 if outcome == "complaint_resolved" else 1.5
    face = max(1, min(5, round(rng.gauss(mood, 0.8))))
    reason = ""
    if face <= 3 and rng.random() < 0.7:
        if wait > 300 and rng.random() < 0.7:
            reason = "waited"
        elif complaint:
            reason = "not_solved"
        else:
            reason = rng.choice(("not_solved", "unfriendly", "other", "waited"))
    return face, reason


def _visit(
    db: Database,
    rng: random.Random,
    customer_id: int,
    language: str,
    arrived: int,
    staff_ids: list[int],
    now: int,
    answers: random.Random | None = None,
) -> tuple[int, bool]:
    wait = int(rng.expovariate(1 / 150))  # most wait a couple of minutes, a few much longer
    started = arrived + wait
    need, solution, outcome, complaint = rng.choice(data.VISIT_STORIES)
    t = started
    steps = []
    for position, key in enumerate(STEP_KEYS, start=1):
        t += int(rng.uniform(20, 240))
        skipped = rng.random() < {"rapport": 0.25, "thank": 0.12}.get(key, 0.04)
        steps.append((position, key, STEP_LABELS[key], "skipped" if skipped else "done", t))
    ended = t + int(rng.uniform(10, 60))
    staff_id = rng.choice(staff_ids)
    feedback: dict[str, Any] = {}
    recent = arrived > now - ASKED_FOR_DAYS * DAY
    if answers is not None and recent and answers.random() < ASKED_SHARE:
        face, reason = 0, ""
        if answers.random() < ANSWER_RATE:
            face, reason = _answer(answers, wait, steps, complaint, outcome)
        feedback = {"feedback": face, "feedback_reason": reason, "feedback_at": ended + 20}
    visit_id = visit_sql.insert_visit(
        db,
        {
            "customer_id": customer_id,
            "staff_id": staff_id,
            "status": "ended",
            "arrived_at": arrived,
            "started_at": started,
            "ended_at": ended,
            "language": language,
            "need": need,
            "solution": solution,
            "outcome": outcome,
            "complaint": int(complaint),
            "updated_at": ended,
            **feedback,
        },
    )
    visit_sql.insert_visit_steps(db, [(visit_id, *step) for step in steps])
    visit_sql.set_step_servers(db, visit_id, staff_id)
    promised = rng.random() < 0.12
    if promised:
        due = ended + int(rng.uniform(1, 14)) * DAY
        closed = due < now - 2 * DAY and rng.random() < 0.8
        visit_sql.insert_follow_up(
            db,
            {
                "customer_id": customer_id,
                "visit_id": visit_id,
                "owner_id": rng.choice(staff_ids),
                "description": rng.choice(data.FOLLOW_UP_PROMISES),
                "due_at": due,
                "created_at": ended,
                "created_by": rng.choice(staff_ids),
                "closed_at": due - DAY if closed else None,
                "closed_by": rng.choice(staff_ids) if closed else None,
            },
        )
    return visit_id, promised


def fill_demo_data(
    db: Database, *, customers: int = 300, seed: int = 7, now: int | None = None
) -> DemoSummary:
    """Add demo staff, settings, customers and a year of visits, in one transaction."""
    rng = random.Random(seed)
    answers = random.Random(seed + 1)  # its own stream: the rest of the data stays as it was
    now = int(time.time()) if now is None else now
    visits = follow_ups = 0
    # Documented demo PINs (README): every staff member 1234, the managers 9999.
    pins = {"staff": hash_pin(DEMO_PINS["staff"]), "manager": hash_pin(DEMO_PINS["manager"])}
    with write_transaction(db):
        settings_sql.put_setting(db, "store_name", data.STORE_NAME)
        settings_sql.put_setting(db, "store_language", "en")
        staff_ids = [
            staff_sql.insert_staff(
                db, member["name"], member["role"], pins[member["role"]], now - 400 * DAY
            )
            for member in data.STAFF
        ]
        languages = list(data.LANGUAGE_WEIGHTS)
        weights = [data.LANGUAGE_WEIGHTS[lang] for lang in languages]
        for _ in range(customers):
            language = rng.choices(languages, weights=weights)[0]
            person = _person(rng, language)
            try:
                values = validate(person, phone_region=DEFAULTS["phone_region"])
            except ValueError:
                continue
            if values["card"] and customer_sql.find_by_phone_or_card(db, "", values["card"], ""):
                values["card"] = ""
            created = now - int(rng.uniform(30, 720)) * DAY
            customer_id = customer_sql.insert_customer(db, values, created)
            count = rng.choices((0, 1, 2, 3, 5, 8), weights=(8, 25, 25, 20, 15, 7))[0]
            for _ in range(count):
                hour = rng.choices(range(8, 20), weights=(3, 6, 8, 9, 10, 8, 7, 8, 9, 8, 6, 3))[0]
                day_start = now - int(rng.uniform(1, 365)) * DAY
                day_start -= day_start % DAY
                arrived = day_start + hour * 3600 + int(rng.uniform(0, 3600))
                _, promised = _visit(
                    db, rng, customer_id, language, arrived, staff_ids, now, answers
                )
                visits += 1
                follow_ups += promised
    return DemoSummary(
        customers=customer_sql.count_customers(db),
        visits=visits,
        follow_ups=follow_ups,
        staff=len(staff_ids),
    )


def create_demo_database(
    path: Path, *, customers: int = 300, seed: int = 7, replace: bool = False
) -> DemoSummary:
    """Write a demo database at ``path`` (replacing the file only when asked)."""
    path = Path(path)
    if path.exists():
        if not replace:
            raise FileExistsError(path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(path)
    try:
        return fill_demo_data(db, customers=customers, seed=seed)
    finally:
        db.close()
