"""The customer's answer on a visit: one face per ended visit, an optional reason, no answer
after the minute, the reasons a manager offers per language, and the manager's figures
checked against a hand count."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from counter import feedback, visits
from counter.customer_greeting import screen_texts
from counter.customers import CustomerInput, create_customer
from counter.errors import NotFound, ValidationError
from counter.i18n import Translator
from counter.roles import PermissionDenied, Session
from counter.storage import staff_sql


@pytest.fixture
def staff(db, now):
    return {
        "zeynep": staff_sql.insert_staff(db, "Zeynep", "staff", "", now),
        "boss": staff_sql.insert_staff(db, "Sarah", "manager", "hash", now),
    }


def ended_visit(db, staff_id, now, *, wait=0, steps=("greet", "rapport"), name="Ayşe"):
    customer = create_customer(
        db, CustomerInput(name, "Işık", language="tr"), now=now - 5000, phone_region="TR"
    ).id
    visit = visits.check_in(db, customer_id=customer, now=now - wait).visit
    visit = visits.serve(db, visit.id, staff_id=staff_id, now=now, language="en").visit
    for key in steps:
        visits.complete_step(db, visit.id, key, now=now + 10)
    visits.set_outcome(db, visit.id, "bought", now=now + 20)
    return visits.end_visit(db, visit.id, now=now + 60).visit.id


def test_a_face_is_recorded_once_on_an_ended_visit(db, now, staff):
    visit_id = ended_visit(db, staff["zeynep"], now)
    answer = feedback.record_face(db, visit_id, 2, now=now + 70)
    assert (answer.face, answer.poor, answer.at, answer.staff_id) == (2, True, now + 70, 1)
    with pytest.raises(ValidationError):
        feedback.record_face(db, visit_id, 5, now=now + 80)
    assert feedback.load_answer(db, visit_id).face == 2


def test_a_reason_follows_a_face_and_only_one(db, now, staff):
    visit_id = ended_visit(db, staff["zeynep"], now)
    with pytest.raises(ValidationError):  # no face yet
        feedback.record_reason(db, visit_id, "waited", now=now + 70)
    feedback.record_face(db, visit_id, 1, now=now + 70)
    assert feedback.record_reason(db, visit_id, "waited", now=now + 75).reason == "waited"
    with pytest.raises(ValidationError):
        feedback.record_reason(db, visit_id, "other", now=now + 76)


def test_no_answer_is_recorded_but_never_overwrites_an_answer(db, now, staff):
    quiet = ended_visit(db, staff["zeynep"], now, name="Quiet")
    answered = ended_visit(db, staff["zeynep"], now, name="Talker")
    feedback.record_face(db, answered, 4, now=now + 70)
    assert feedback.record_no_answer(db, quiet, now=now + 130).face == feedback.NO_ANSWER
    assert feedback.record_no_answer(db, answered, now=now + 130).face == 4
    with pytest.raises(ValidationError):  # the minute is over: a late tap does not count
        feedback.record_face(db, quiet, 5, now=now + 140)


def test_open_discarded_or_missing_visits_take_no_answer(db, now, staff):
    customer = create_customer(db, CustomerInput("Open"), now=now, phone_region="GB").id
    open_visit = visits.serve_directly(
        db, customer_id=customer, staff_id=staff["zeynep"], now=now, language="en"
    ).visit
    with pytest.raises(ValidationError):
        feedback.record_face(db, open_visit.id, 3, now=now)
    with pytest.raises(NotFound):
        feedback.record_face(db, 999, 3, now=now)
    with pytest.raises(ValidationError):
        feedback.record_face(db, open_visit.id, 7, now=now)


def test_reasons_per_language_default_to_the_built_in_ones(db, now, staff):
    boss = Session(staff["boss"], "Sarah", "manager", now)
    assert feedback.configured_reasons(db, "tr") == list(feedback.REASON_LABELS)
    feedback.save_reasons(db, boss, "tr", ["waited", "Fiyat yüksek", " waited "], now=now)
    assert feedback.configured_reasons(db, "tr") == ["waited", "Fiyat yüksek"]
    assert feedback.configured_reasons(db, "hu") == list(feedback.REASON_LABELS)
    feedback.save_reasons(db, boss, "tr", [], now=now)
    assert feedback.configured_reasons(db, "tr") == list(feedback.REASON_LABELS)
    with pytest.raises(ValidationError):
        feedback.save_reasons(db, boss, "tr", ["x" * 61], now=now)
    with pytest.raises(PermissionDenied):
        staff_session = Session(staff["zeynep"], "Zeynep", "staff", now)
        feedback.save_reasons(db, staff_session, "tr", ["a"], now=now)


def test_reason_labels_and_keys_round_trip_in_a_language():
    turkish = Translator("tr")
    label = feedback.reason_label("waited", turkish.gettext)
    assert label != "I waited too long"  # translated
    assert feedback.reason_key(label, turkish.gettext) == "waited"
    assert feedback.reason_key("Fiyat yüksek", turkish.gettext) == "Fiyat yüksek"


def test_satisfaction_matches_a_hand_count(db, now, staff):
    day = 86_400
    zeynep, boss = staff["zeynep"], staff["boss"]
    # (staff, wait seconds, steps done, face or None = no answer, reason)
    served = [
        (zeynep, 0, ("greet", "rapport"), 5, ""),
        (zeynep, 100, ("greet",), 2, "waited"),
        (zeynep, 600, ("greet",), 1, "waited"),
        (boss, 0, ("greet", "rapport"), 4, ""),
        (boss, 0, ("greet", "rapport"), None, ""),
        (boss, 300, (), 3, "other"),
    ]
    for i, (who, wait, steps, face, reason) in enumerate(served):
        at = now + (i % 2) * day  # two days
        visit_id = ended_visit(db, who, at, wait=wait, steps=steps, name=f"C{i}")
        if face is None:
            feedback.record_no_answer(db, visit_id, now=at + 200)
        else:
            feedback.record_face(db, visit_id, face, now=at + 70)
            if reason:
                feedback.record_reason(db, visit_id, reason, now=at + 75)
    ended_visit(db, zeynep, now, name="Never asked")  # not asked: counts nowhere
    figures = feedback.satisfaction(db, now - day, now + 3 * day, tz=UTC)
    assert figures.faces == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    assert (figures.asked, figures.answered, figures.answer_rate) == (6, 5, 5 / 6)
    assert figures.share(5) == 0.2
    assert figures.overall.average == 3.0
    assert figures.by_staff[zeynep] == feedback.Mean(3, 8)
    assert figures.by_staff[boss] == feedback.Mean(2, 7)
    assert [m.visits for m in figures.by_day.values()] == [2, 3]  # day 2: the no-answer
    assert figures.reasons == [("waited", 2), ("other", 1)]
    # Waits: amber 3 min, red 8 min by default.
    assert figures.by_wait == (feedback.Mean(3, 11), feedback.Mean(1, 3), feedback.Mean(1, 1))
    done, missed = figures.by_step["rapport"]
    assert (done, missed) == (feedback.Mean(2, 9), feedback.Mean(3, 6))
    only_zeynep = feedback.satisfaction(db, now - day, now + 3 * day, tz=UTC, staff_id=zeynep)
    assert only_zeynep.asked == 3 and only_zeynep.overall.average == 8 / 3


def test_demo_answers_add_up_to_a_hand_count(now):
    from counter.demo import fill_demo_data
    from counter.storage import open_memory_database

    db = open_memory_database()
    fill_demo_data(db, customers=120, now=now)
    start, end = now - 120 * 86_400, now
    rows = db.execute(
        "SELECT feedback, feedback_reason, staff_id, started_at - arrived_at FROM visits "
        "WHERE feedback IS NOT NULL AND status = 'ended' AND arrived_at >= ? AND arrived_at < ?",
        [start, end],
    ).fetchall()
    figures = feedback.satisfaction(db, start, end, tz=UTC)
    answered = [r for r in rows if r[0] > 0]
    assert figures.asked == len(rows) > 50
    assert figures.faces == {f: sum(1 for r in answered if r[0] == f) for f in feedback.FACES}
    assert figures.overall.total == sum(r[0] for r in answered)
    reasons: dict[str, int] = {}
    for r in answered:
        if r[1]:
            reasons[r[1]] = reasons.get(r[1], 0) + 1
    assert dict(figures.reasons) == reasons
    for staff_id, mean in figures.by_staff.items():
        mine = [r[0] for r in answered if r[2] == staff_id]
        assert mean == feedback.Mean(len(mine), sum(mine))
    slow = [r[0] for r in answered if r[3] > 8 * 60]
    assert figures.by_wait[2] == feedback.Mean(len(slow), sum(slow))
    # Believable: most answers are good, long waits score lower than short ones.
    assert 3 < figures.overall.average < 4.5
    assert figures.by_wait[0].average > figures.by_wait[2].average


def test_the_customer_screen_greets_as_the_phrases_do_before_dawn(db, now, staff):
    visit_id = ended_visit(db, staff["zeynep"], now)
    istanbul = ZoneInfo("Europe/Istanbul")
    # 05:13 in Istanbul: a shop opening early greets "good morning", not "good evening".
    early = int(datetime(2026, 12, 7, 5, 13, tzinfo=istanbul).timestamp())
    texts = screen_texts(db, visit_id, now=early, tz=istanbul)
    assert texts.greeting.startswith("Günaydın"), texts.greeting
