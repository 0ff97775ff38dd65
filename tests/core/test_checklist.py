"""Checklist configuration: rename per language, reorder, add a store step, hide; visits keep
the steps they ran with."""

from __future__ import annotations

import pytest

from counter import checklist, visits
from counter.errors import NotFound, PermissionDenied, ValidationError
from counter.i18n import Translator
from counter.roles import Session
from counter.storage import staff_sql

KEYS = ["greet", "rapport", "needs", "solution", "thank"]


@pytest.fixture
def staff_id(db, now):
    return staff_sql.insert_staff(db, "Zeynep", "staff", "", now)


@pytest.fixture
def boss(db, now):
    """A signed-in manager: changing the checklist is theirs."""
    manager_id = staff_sql.insert_staff(db, "Sarah", "manager", "pin-hash", now)
    return Session(manager_id, "Sarah", "manager", now)


def serve(db, staff_id, now, language="en"):
    return visits.serve_directly(
        db, walk_in_name="x", staff_id=staff_id, now=now, language=language
    ).visit


def test_builtin_steps_have_labels_and_hints(db):
    steps = checklist.load_checklist(db, "en")
    assert [s.key for s in steps] == KEYS
    assert [s.label for s in steps] == [
        "Greet warmly",
        "Build rapport",
        "Identify needs",
        "Offer a solution",
        "Thank by name",
    ]
    assert all(s.translatable and s.hint and s.builtin and not s.hidden for s in steps)
    assert steps[0].text(str.upper) == "GREET WARMLY"  # translated where shown


def test_builtin_labels_translate_with_the_catalog(db):
    tr = Translator("tr")
    steps = checklist.load_checklist(db, "tr")
    if tr.has_catalog and tr.gettext("Greet warmly") != "Greet warmly":
        assert steps[0].text(tr.gettext) == tr.gettext("Greet warmly")
    assert steps[0].label == "Greet warmly"


def test_rename_per_language_and_back(db, boss, now):
    checklist.rename_step(db, boss, "greet", "tr", "Hoş geldiniz deyin", "Gülümseyin", now=now)
    tr_steps = checklist.load_checklist(db, "tr")
    assert tr_steps[0].text(str.upper) == "Hoş geldiniz deyin"
    assert tr_steps[0].hint_text(str.upper) == "Gülümseyin"
    assert checklist.load_checklist(db, "en")[0].label == "Greet warmly"  # other languages keep it
    checklist.rename_step(
        db, boss, "rapport", "en", "Small talk", now=now
    )  # no hint: the built-in one stays
    rapport = checklist.load_checklist(db, "en")[1]
    assert rapport.text(str.upper) == "Small talk"
    assert rapport.hint_text(str.upper) == rapport.hint.upper()
    checklist.rename_step(db, boss, "greet", "tr", "", now=now)
    assert checklist.load_checklist(db, "tr")[0].label == "Greet warmly"


def test_reorder_add_hide(db, boss, now):
    key = checklist.add_step(
        db, boss, "en", "Offer the loyalty card", "Only if they have none", now=now
    )
    assert key == "custom_offer_the_loyalty_card"
    assert (
        checklist.add_step(db, boss, "en", "Offer the loyalty card", now=now)
        == "custom_offer_the_loyalty_card_2"
    )
    checklist.set_step_hidden(db, boss, "custom_offer_the_loyalty_card_2", True, now=now)
    order = ["greet", key, "rapport", "needs", "solution", "thank", f"{key}_2"]
    checklist.reorder_steps(db, boss, order, now=now)
    steps = checklist.load_checklist(db, "hu")  # no Hungarian label: falls back to English
    assert [s.key for s in steps] == order
    assert steps[1].label == "Offer the loyalty card" and not steps[1].translatable
    assert checklist.steps_for_new_visit(db, "en")[1] == (2, key, "Offer the loyalty card")
    assert len(checklist.steps_for_new_visit(db, "en")) == 6
    with pytest.raises(ValidationError):
        checklist.reorder_steps(db, boss, ["greet"], now=now)
    with pytest.raises(ValidationError):
        checklist.add_step(db, boss, "en", "   ", now=now)
    with pytest.raises(NotFound):
        checklist.set_step_hidden(db, boss, "nope", True, now=now)
    with pytest.raises(ValidationError):
        checklist.rename_step(db, boss, key, "en", "", now=now)  # a store step needs a name


def test_non_latin_step_label_gets_a_usable_key(db, boss, now):
    assert checklist.add_step(db, boss, "hi", "धन्यवाद कहें", now=now) == "custom_step"


def test_visits_keep_the_steps_they_ran_with(db, now, staff_id, boss):
    before = serve(db, staff_id, now)
    checklist.rename_step(db, boss, "greet", "en", "Say hello", now=now)
    checklist.set_step_hidden(db, boss, "rapport", True, now=now)
    extra = checklist.add_step(db, boss, "en", "Mention the sale", now=now)
    after = serve(db, staff_id, now + 10)
    assert [s.label for s in visits.load_visit(db, before.id).steps][:2] == [
        "Greet warmly",
        "Build rapport",
    ]
    assert [s.key for s in after.steps] == ["greet", "needs", "solution", "thank", extra]
    assert after.steps[0].label == "Say hello" and after.steps[0].text(str.upper) == "Say hello"
    assert before.steps[0].text(str.upper) == "GREET WARMLY"
    # Ticking a step of the old visit still works after the checklist changed.
    visits.complete_step(db, before.id, "rapport", now=now + 20)


def test_renamed_label_is_stored_in_the_staff_language(db, now, staff_id, boss):
    checklist.rename_step(db, boss, "greet", "tr", "Karşılayın", now=now)
    assert serve(db, staff_id, now, language="tr").steps[0].label == "Karşılayın"
    assert serve(db, staff_id, now, language="en").steps[0].label == "Greet warmly"


def test_only_a_manager_changes_the_checklist(db, now, staff_id, boss):
    clerk = Session(staff_id, "Zeynep", "staff", now)
    with pytest.raises(PermissionDenied):
        checklist.add_step(db, clerk, "en", "Sneaky step", now=now)
    with pytest.raises(PermissionDenied):
        checklist.set_step_hidden(db, clerk, "greet", True, now=now)
    assert len(checklist.load_checklist(db, "en")) == 5
    checklist.set_step_hidden(db, boss, "greet", True, now=now)
    entry = db.execute("SELECT staff_id, action, subject, detail FROM audit_log").fetchone()
    assert entry == (boss.staff_id, "checklist_changed", "step:greet", "hide")


def test_a_hint_without_a_name_keeps_the_builtin_name(db, boss, now):
    checklist.rename_step(db, boss, "needs", "hu", "", "Kérdezzen nyitott kérdést.", now=now)
    step = checklist.load_checklist(db, "hu")[2]
    assert step.translatable and step.label == checklist.BUILTIN_STEPS["needs"].label
    assert step.hint == "Kérdezzen nyitott kérdést." and not step.hint_translatable
    checklist.rename_step(db, boss, "needs", "hu", "", "", now=now)  # neither: built-in again
    step = checklist.load_checklist(db, "hu")[2]
    assert step.hint_translatable and step.hint == checklist.BUILTIN_STEPS["needs"].hint
