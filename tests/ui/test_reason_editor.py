"""Manage ▸ Store setup: the reasons the customer screen offers after an unhappy face, edited
per language (typed, clicked, saved at once) and what a customer in that language then sees."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter import feedback, visits
from counter.customer_greeting import screen_texts
from counter.customers import CustomerInput, create_customer
from counter.i18n import Translator
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import staff_sql
from tests.ui.conftest import press, type_text
from ui.manager_view.manager_window import ManagerWindow
from ui.manager_view.reason_editor import ReasonEditor


@pytest.fixture
def boss(db, now):
    manager_id = staff_sql.insert_staff(db, "Ayşe", "manager", "pin-hash", now)
    return Session(manager_id, "Ayşe", "manager", now)


@pytest.fixture
def editor(qtbot, runner, boss, now, ui_language):
    widget = ReasonEditor(runner, boss, lambda: now)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def shown(editor) -> list[str]:
    return [editor.model.index(r, 0).data() for r in range(editor.model.rowCount())]


def pick_language(editor, code: str) -> None:
    editor.language.setFocus()
    editor.language.setCurrentIndex(editor.language.findData(code))


def offered_to(db, boss, now, language: str) -> list[str]:
    """The reasons the customer screen shows after a visit held in ``language``."""
    customer = create_customer(
        db, CustomerInput("Deniz", "Kaya", "", language), now=now, phone_region="GB"
    ).id
    visit = visits.serve_directly(
        db, customer_id=customer, staff_id=boss.staff_id, now=now, language=language
    ).visit
    return [label for _key, label in screen_texts(db, visit.id, now=now, tz=None).reasons]


def test_reasons_per_language_add_move_remove_reset(editor, db, boss, now, qtbot):
    tr = Translator("tr").gettext
    pick_language(editor, "tr")
    # Shown as a Turkish customer reads them, whatever the manager's own language.
    assert shown(editor) == [tr(m) for m in feedback.REASON_LABELS.values()]
    assert shown(editor)[0] != "I waited too long"
    assert not editor.reset_button.isEnabled()
    type_text(editor.new_reason, "Fiyat yanlıştı")
    with qtbot.waitSignal(editor.changed):
        press(editor.new_reason, Qt.Key_Return)
    assert feedback.configured_reasons(db, "tr")[-1] == "Fiyat yanlıştı"
    assert feedback.configured_reasons(db, "en") == list(feedback.REASON_LABELS)  # only tr
    assert editor.new_reason.text() == ""
    assert editor.model.index(4, 1).data() == "Store's own"
    with qtbot.waitSignal(editor.changed):
        editor.up_button.click()  # the new one is selected
    assert feedback.configured_reasons(db, "tr")[-2:] == ["Fiyat yanlıştı", "other"]
    editor.table.selectRow(2)  # unfriendly
    with qtbot.waitSignal(editor.changed):
        editor.remove_button.click()
    assert "unfriendly" not in feedback.configured_reasons(db, "tr")
    # A built-in one typed in the customer's language is the built-in key, offered once.
    type_text(editor.new_reason, tr("Staff were unfriendly"))
    with qtbot.waitSignal(editor.changed):
        editor.add_button.click()
    assert feedback.configured_reasons(db, "tr")[-1] == "unfriendly"
    type_text(editor.new_reason, "Fiyat yanlıştı")
    editor.add_button.click()
    assert editor.errors.text() == "That reason is offered already."
    assert offered_to(db, boss, now, "tr") == [
        tr("I waited too long"),
        tr("My problem is not solved"),
        "Fiyat yanlıştı",
        tr("Something else"),
        tr("Staff were unfriendly"),
    ]
    assert offered_to(db, boss, now, "en")[0] == "I waited too long"
    with qtbot.waitSignal(editor.changed):
        editor.reset_button.click()
    assert feedback.configured_reasons(db, "tr") == list(feedback.REASON_LABELS)
    assert not editor.reset_button.isEnabled()


def test_seven_reasons_are_refused_with_a_message(editor, db, qtbot):
    pick_language(editor, "hi")
    for text in ("एक", "दो", "तीन"):
        type_text(editor.new_reason, text)
        press(editor.new_reason, Qt.Key_Return)
    assert editor.errors.text() == "Offer at most six reasons: one tap, no scrolling."
    assert len(feedback.configured_reasons(db, "hi")) == 6
    assert editor.errors.isVisible()


def test_store_setup_tab_holds_the_editor_and_tells_the_counter(
    qtbot, runner, db, boss, now, ui_language
):
    window = ManagerWindow(runner, boss, load_settings(db), ui_language, clock=lambda: now)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("setup")
    assert window.reasons.isVisible()
    assert window.reasons.chosen_language() == load_settings(db).store_language
    pick_language(window.reasons, "sk")
    type_text(window.reasons.new_reason, "Nemali ste tovar")
    with qtbot.waitSignal(window._changes.changed) as blocker:
        press(window.reasons.new_reason, Qt.Key_Return)
    assert blocker.args[0].settings
    assert feedback.configured_reasons(db, "sk")[-1] == "Nemali ste tovar"
    ui_language.set_language("hu")
    assert window.reasons.title() == Translator("hu").gettext(
        "Reasons offered after an unhappy face"
    )
