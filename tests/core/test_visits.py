"""The visit state machine: check-in, queue, serving, steps in any order, skip, undo, need,
outcome, complaint, ending with the summary, discarding, resuming open visits."""

from __future__ import annotations

import pytest

from counter import visits
from counter.customers import CustomerInput, create_customer
from counter.errors import NotFound, ValidationError
from counter.outcomes import save_outcomes
from counter.roles import Session
from counter.settings import save_setting
from counter.storage import staff_sql

KEYS = ["greet", "rapport", "needs", "solution", "thank"]


@pytest.fixture
def staff(db, now):
    return {
        "zeynep": staff_sql.insert_staff(db, "Zeynep", "staff", "", now),
        "anna": staff_sql.insert_staff(db, "Anna", "staff", "", now),
        "boss": staff_sql.insert_staff(db, "Sarah", "manager", "", now),
    }


@pytest.fixture
def ayse(db, now):
    data = CustomerInput("Ayşe", "Işık", language="tr", title="ms")
    return create_customer(db, data, now=now - 1000, phone_region="TR").id


@pytest.fixture
def kovacs(db, now):
    data = CustomerInput("Anna", "Kovács", language="hu", title="ms")
    return create_customer(db, data, now=now - 1000, phone_region="HU").id


def serve_now(db, customer_id, staff_id, now):
    return visits.serve_directly(
        db, customer_id=customer_id, staff_id=staff_id, now=now, language="en"
    ).visit


def codes(error: ValidationError) -> list[str]:
    return [p.msgid for p in error.value.problems]


def test_check_in_known_customer_and_walk_in_queue_in_arrival_order(db, now, ayse):
    first = visits.check_in(db, customer_id=ayse, now=now)
    assert first.queue and first.visit.status == "waiting"
    assert first.visit.customer_name == "Ayşe Işık"
    assert first.visit.address_as == "Ayşe Hanım"
    assert first.visit.language == "tr"
    visits.check_in(db, walk_in_name="  Man in\x00 the blue coat ", now=now + 30)
    visits.check_in(db, now=now + 60)  # anonymous walk-in
    queue = visits.list_queue(db)
    assert [v.customer_name for v in queue] == ["Ayşe Işık", "Man in the blue coat", ""]
    assert [v.wait_seconds(now + 100) for v in queue] == [100, 70, 40]
    assert queue[1].customer_id is None


def test_customer_cannot_be_in_the_queue_twice(db, now, ayse):
    visits.check_in(db, customer_id=ayse, now=now)
    with pytest.raises(ValidationError) as error:
        visits.check_in(db, customer_id=ayse, now=now + 5)
    assert codes(error) == ["This customer is already waiting."]
    assert len(visits.list_queue(db)) == 1


def test_unknown_customer_and_long_walk_in_name_are_refused(db, now):
    with pytest.raises(NotFound):
        visits.check_in(db, customer_id=999, now=now)
    with pytest.raises(ValidationError):
        visits.check_in(db, walk_in_name="x" * 500, now=now)
    assert visits.list_queue(db) == []


def test_serve_next_takes_the_longest_waiting(db, now, ayse, kovacs, staff):
    visits.check_in(db, customer_id=kovacs, now=now + 10)
    visits.check_in(db, customer_id=ayse, now=now)
    change = visits.serve_next(db, staff_id=staff["zeynep"], now=now + 200, language="en")
    visit = change.visit
    assert change.queue
    assert visit.customer_id == ayse and visit.status == "in_progress"
    assert visit.started_at == now + 200 and visit.staff_name == "Zeynep"
    assert visit.wait_seconds(now + 999) == 200
    assert [s.key for s in visit.steps] == KEYS
    assert [s.status for s in visit.steps] == ["pending"] * 5
    assert visit.steps[0].label == "Greet warmly"
    assert [v.customer_id for v in visits.list_queue(db)] == [kovacs]


def test_serve_next_with_nobody_waiting(db, now, staff):
    with pytest.raises(ValidationError) as error:
        visits.serve_next(db, staff_id=staff["zeynep"], now=now, language="en")
    assert codes(error) == ["Nobody is waiting."]


def test_serve_directly_has_no_wait_and_serves_from_queue_when_checked_in(
    db, now, ayse, kovacs, staff
):
    direct = serve_now(db, ayse, staff["zeynep"], now)
    assert direct.arrived_at == direct.started_at == now
    assert direct.wait_seconds(now + 500) == 0
    # Kovács checked in earlier: serving them directly serves the queued visit, wait is real.
    queued = visits.check_in(db, customer_id=kovacs, now=now - 120).visit
    served = serve_now(db, kovacs, staff["anna"], now)
    assert served.id == queued.id and served.wait_seconds(now) == 120
    assert visits.list_queue(db) == []


def test_serve_directly_again_hands_back_own_visit_and_refuses_someone_elses(db, now, ayse, staff):
    first = serve_now(db, ayse, staff["zeynep"], now)
    assert serve_now(db, ayse, staff["zeynep"], now + 60).id == first.id
    with pytest.raises(ValidationError) as error:
        serve_now(db, ayse, staff["anna"], now + 60)
    assert error.value.problems[0].params == {"name": "Zeynep"}


def test_walk_in_served_directly(db, now, staff):
    visit = visits.serve_directly(
        db, walk_in_name="Lady with umbrella", staff_id=staff["anna"], now=now, language="en"
    ).visit
    assert visit.customer_id is None and visit.customer_name == "Lady with umbrella"
    assert visit.address_as == "Lady with umbrella"


def test_serving_a_visit_someone_else_took(db, now, ayse, staff):
    waiting = visits.check_in(db, customer_id=ayse, now=now).visit
    visits.serve(db, waiting.id, staff_id=staff["anna"], now=now + 5, language="en")
    with pytest.raises(ValidationError) as error:
        visits.serve(db, waiting.id, staff_id=staff["zeynep"], now=now + 6, language="en")
    assert codes(error) == ["Someone else is already serving this customer."]
    assert visits.load_visit(db, waiting.id).staff_id == staff["anna"]


def test_steps_out_of_order_skip_and_undo(db, now, ayse, staff):
    visit = serve_now(db, ayse, staff["zeynep"], now)
    change = visits.complete_step(db, visit.id, "needs", now=now + 30)
    assert change.step_key == "needs" and not change.queue
    visits.complete_step(db, visit.id, "greet", now=now + 40)
    visits.skip_step(db, visit.id, "rapport", now=now + 50)
    # Ticking a step already done keeps its first time.
    visits.complete_step(db, visit.id, "greet", now=now + 99)
    visit = visits.load_visit(db, visit.id)
    assert [(s.key, s.status, s.at) for s in visit.steps] == [
        ("greet", "done", now + 40),
        ("rapport", "skipped", now + 50),
        ("needs", "done", now + 30),
        ("solution", "pending", None),
        ("thank", "pending", None),
    ]
    visits.undo_step(db, visit.id, "needs", now=now + 60)
    assert visits.load_visit(db, visit.id).step("needs").status == "pending"
    assert visits.load_visit(db, visit.id).step("needs").at is None
    # toggle: skipped -> done, done -> pending
    assert visits.toggle_step(db, visit.id, "rapport", now=now + 70).visit.step("rapport").at == (
        now + 70
    )
    assert visits.toggle_step(db, visit.id, "rapport", now=now + 80).visit.step(
        "rapport"
    ).status == ("pending")


def test_unknown_step_and_closed_visit(db, now, ayse, staff):
    visit = serve_now(db, ayse, staff["zeynep"], now)
    with pytest.raises(NotFound):
        visits.complete_step(db, visit.id, "dance", now=now)
    visits.set_outcome(db, visit.id, "informed", now=now)
    visits.end_visit(db, visit.id, now=now + 10)
    with pytest.raises(ValidationError):
        visits.complete_step(db, visit.id, "greet", now=now + 20)
    with pytest.raises(ValidationError):
        visits.set_need(db, visit.id, "late note", now=now + 20)
    with pytest.raises(NotFound):
        visits.set_need(db, 12345, "nobody", now=now)


def test_need_solution_outcome(db, now, ayse, staff):
    visit = serve_now(db, ayse, staff["zeynep"], now)
    visits.set_need(db, visit.id, "  screen   cracked\n", now=now + 1)
    visits.set_solution(db, visit.id, "replacement screen, 1 hour", now=now + 2)
    change = visits.set_outcome(db, visit.id, "repaired", now=now + 3)
    assert (change.visit.need, change.visit.solution, change.visit.outcome) == (
        "screen cracked",
        "replacement screen, 1 hour",
        "repaired",
    )
    with pytest.raises(ValidationError) as error:
        visits.set_outcome(db, visit.id, "sold a unicorn", now=now + 4)
    assert codes(error) == ["Choose an outcome from the list."]
    with pytest.raises(ValidationError):
        visits.set_need(db, visit.id, "x" * 501, now=now + 5)
    assert visits.load_visit(db, visit.id).need == "screen cracked"


def test_outcomes_are_configurable(db, now, ayse, staff):
    db.execute("UPDATE staff SET pin_hash = 'set' WHERE id = ?", [staff["boss"]])
    boss = Session(staff["boss"], "Sarah", "manager", now)
    save_outcomes(db, boss, ["bought", "ordered in"], now=now)
    visit = serve_now(db, ayse, staff["zeynep"], now)
    assert visits.set_outcome(db, visit.id, "ordered in", now=now).visit.outcome == "ordered in"
    with pytest.raises(ValidationError):
        visits.set_outcome(db, visit.id, "repaired", now=now)
    with pytest.raises(ValidationError):
        save_outcomes(db, boss, ["a,b"], now=now)


def test_complaint_path(db, now, ayse, staff):
    visit = serve_now(db, ayse, staff["zeynep"], now)
    assert visits.set_complaint(db, visit.id, True, now=now + 1).visit.complaint
    assert [key for key, _label, _hint in visits.COMPLAINT_PROMPTS] == [
        "clarify",
        "confirm",
        "commit",
    ]
    assert visits.COMPLAINT_EMPATHY == "I understand why this is frustrating."
    visits.set_outcome(db, visit.id, "complaint_resolved", now=now + 2)
    ended = visits.end_visit(db, visit.id, now=now + 3).visit
    assert ended.complaint and ended.outcome == "complaint_resolved"
    other = serve_now(db, ayse, staff["zeynep"], now + 10)
    visits.set_complaint(db, other.id, True, now=now + 11)
    assert not visits.set_complaint(db, other.id, False, now=now + 12).visit.complaint


def test_end_asks_for_outcome_then_records_untouched_steps_as_skipped(db, now, ayse, staff):
    save_setting(db, "service_target_minutes", "5")
    waiting = visits.check_in(db, customer_id=ayse, now=now - 240).visit
    visit = visits.serve(db, waiting.id, staff_id=staff["zeynep"], now=now, language="en").visit
    visits.complete_step(db, visit.id, "greet", now=now + 10)
    visits.skip_step(db, visit.id, "rapport", now=now + 20)
    missing = visits.missing_before_end(visits.load_visit(db, visit.id))
    assert missing.outcome and [s.key for s in missing.steps] == ["needs", "solution", "thank"]
    with pytest.raises(ValidationError) as error:
        visits.end_visit(db, visit.id, now=now + 30)
    assert [p.field for p in error.value.problems] == ["outcome"]
    assert visits.load_visit(db, visit.id).status == "in_progress"

    visits.set_outcome(db, visit.id, "nothing_today", now=now + 40)
    change = visits.end_visit(db, visit.id, now=now + 400)
    ended = change.visit
    assert ended.status == "ended" and ended.ended_at == now + 400
    assert [(s.status, s.at) for s in ended.steps] == [
        ("done", now + 10),
        ("skipped", now + 20),  # skipped on purpose: when
        ("skipped", None),  # never ticked: no time
        ("skipped", None),
        ("skipped", None),
    ]
    summary = change.summary
    assert summary.wait_seconds == 240 and summary.service_seconds == 400
    assert summary.wait_target_seconds == 180 and summary.service_target_seconds == 300
    assert summary.wait_over and summary.service_over
    assert summary.skipped == ("rapport", "needs", "solution", "thank")
    assert not visits.missing_before_end(ended)
    with pytest.raises(ValidationError):
        visits.end_visit(db, visit.id, now=now + 500)  # once is enough


def test_complete_visit_is_within_target(db, now, ayse, staff):
    visit = serve_now(db, ayse, staff["zeynep"], now)
    for i, key in enumerate(KEYS):
        visits.complete_step(db, visit.id, key, now=now + 10 * i)
    visits.set_outcome(db, visit.id, "bought", now=now + 50)
    assert not visits.missing_before_end(visits.load_visit(db, visit.id))
    summary = visits.end_visit(db, visit.id, now=now + 60).summary
    assert summary.skipped == () and not summary.service_over and not summary.wait_over


def test_discard_waiting_visit_with_reason(db, now, ayse, staff):
    waiting = visits.check_in(db, customer_id=ayse, now=now).visit
    with pytest.raises(ValidationError) as error:
        visits.discard_visit(db, waiting.id, reason="  ", by=staff["zeynep"], now=now)
    assert codes(error) == ["Say why, in a few words."]
    change = visits.discard_visit(
        db, waiting.id, reason="left before being served", by=staff["zeynep"], now=now + 60
    )
    assert change.queue and change.visit.status == "discarded"
    assert change.visit.discard_reason == "left before being served"
    assert visits.list_queue(db) == []
    entry = db.execute("SELECT action, subject, detail FROM audit_log").fetchone()
    assert entry == ("discard_visit", f"visit:{waiting.id}", "left before being served")
    # The customer can check in again.
    visits.check_in(db, customer_id=ayse, now=now + 100)


def test_only_a_manager_closes_someone_elses_open_visit(db, now, ayse, staff):
    visit = serve_now(db, ayse, staff["zeynep"], now)
    with pytest.raises(ValidationError):
        visits.discard_visit(db, visit.id, reason="test", by=staff["anna"], now=now)
    with pytest.raises(ValidationError):
        visits.close_left_open(db, visit.id, reason="closing", by=staff["anna"], now=now)
    change = visits.close_left_open(
        db, visit.id, reason="left open at closing", by=staff["boss"], now=now + 3600
    )
    assert change.visit.status == "ended" and change.visit.outcome == ""
    assert {s.status for s in change.visit.steps} == {"skipped"}
    assert db.execute("SELECT action FROM audit_log").fetchone()[0] == "end_open_visit"


def test_own_visit_can_be_discarded_with_reason(db, now, ayse, staff):
    visit = serve_now(db, ayse, staff["zeynep"], now)
    change = visits.discard_visit(
        db, visit.id, reason="opened by mistake", by=staff["zeynep"], now=now + 5
    )
    assert change.visit.status == "discarded" and not change.queue
    with pytest.raises(ValidationError):
        visits.discard_visit(db, visit.id, reason="again", by=staff["zeynep"], now=now + 6)


def test_open_visits_resume_as_they_stood(db, now, ayse, kovacs, staff):
    mine = serve_now(db, ayse, staff["zeynep"], now)
    visits.complete_step(db, mine.id, "greet", now=now + 5)
    visits.skip_step(db, mine.id, "rapport", now=now + 6)
    visits.set_need(db, mine.id, "warranty", now=now + 7)
    visits.set_complaint(db, mine.id, True, now=now + 8)
    theirs = serve_now(db, kovacs, staff["anna"], now)
    visits.check_in(db, walk_in_name="waiting one", now=now)

    every = visits.open_visits(db)
    assert [v.id for v in every] == [mine.id, theirs.id]
    resumed = visits.open_visits(db, staff_id=staff["zeynep"])
    assert [v.id for v in resumed] == [mine.id]
    visit = resumed[0]
    assert visit == visits.load_visit(db, mine.id)
    assert visit.need == "warranty" and visit.complaint
    assert [(s.status, s.at) for s in visit.steps[:3]] == [
        ("done", now + 5),
        ("skipped", now + 6),
        ("pending", None),
    ]


def test_nobody_signed_in_cannot_close_someone_elses_visit(db, now, ayse, staff):
    visit = serve_now(db, ayse, staff["zeynep"], now)
    with pytest.raises(ValidationError):
        visits.discard_visit(db, visit.id, reason="test", by=None, now=now)
    nobodys = visits.serve_directly(
        db, walk_in_name="x", staff_id=None, now=now, language="en"
    ).visit
    assert visits.discard_visit(db, nobodys.id, reason="test", by=None, now=now).visit.status == (
        "discarded"
    )


def test_default_staff_is_first_active(db, now):
    assert visits.default_staff_id(db) is None
    first = staff_sql.insert_staff(db, "Zed", "staff", "", now)
    staff_sql.insert_staff(db, "Abe", "staff", "", now)
    assert visits.default_staff_id(db) == first


def test_last_visit_at_is_kept_on_check_in(db, now, ayse):
    visits.check_in(db, customer_id=ayse, now=now + 77)
    assert db.execute("SELECT last_visit_at FROM customers WHERE id = ?", [ayse]).fetchone() == (
        now + 77,
    )


def test_name_in_another_script_comes_with_latin_letters(db, now):
    data = CustomerInput("Rahul", "Sharma", "राहुल शर्मा", language="hi", title="mr")
    customer = create_customer(db, data, now=now, phone_region="IN")
    visit = visits.check_in(db, customer_id=customer.id, now=now).visit
    assert (visit.customer_name, visit.latin_name, visit.address_as) == (
        "राहुल शर्मा",
        "Rahul Sharma",
        "राहुल जी",
    )
