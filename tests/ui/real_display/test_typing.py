"""Issue 13, items 1 and 3, with real key presses: typing a name during a visit starts a search
whatever has the focus and never touches the visit; Alt/Ctrl/Meta keys never type text."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from counter import visits


def serving(window, qtbot, customer_id):
    window.open_customer(customer_id)
    window.visit_actions.serve_customer_now()
    panel = window.visit_panel
    qtbot.waitUntil(lambda: panel.visit is not None)
    return panel


def visit_state(db, visit_id):
    visit = visits.load_visit(db, visit_id)
    return (
        [s.status for s in visit.steps],
        visit.need,
        visit.solution,
        visit.outcome,
        visit.complaint,
    )


def focusable_widgets(window) -> dict[str, QWidget]:
    """Every control of the counter screen that takes the focus, by object name."""
    panel, queue, profile, phrases = (
        window.visit_panel,
        window.queue,
        window.profile,
        window.phrases,
    )
    return {
        "checklist": panel.steps,
        "done": panel.done_button,
        "skip": panel.skip_button,
        "outcome": panel.outcome,
        "complaint": panel.complaint,
        "follow-up": panel.follow_up_button,
        "end": panel.end_button,
        "queue": queue.view,
        "serve next": queue.serve_next_button,
        "walk-in": queue.walk_in_button,
        "left": queue.remove_button,
        "history": profile.history,
        "edit": profile.edit_button,
        "phrase step": phrases.step,
        "copy": phrases.rows[0].copy,
    }


NAMES = [
    "checklist",
    "done",
    "skip",
    "outcome",
    "complaint",
    "follow-up",
    "end",
    "queue",
    "serve next",
    "walk-in",
    "left",
    "history",
    "edit",
    "phrase step",
    "copy",
]


@pytest.mark.parametrize("where", NAMES)
def test_typing_a_name_searches_and_never_touches_the_visit(
    window, qtbot, keys, db, people, now, where
):
    visits.check_in(db, walk_in_name="Somebody waiting", now=now - 60)  # buttons enabled
    window.queue.reload()
    panel = serving(window, qtbot, people["sukru"])
    qtbot.waitUntil(lambda: window.phrases.rows[0].phrase is not None)
    before = visit_state(db, panel.visit.id)
    widget = focusable_widgets(window)[where]
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)

    with qtbot.waitSignal(
        window.search.results_shown, check_params_cb=lambda t: t == "anna kovacs"
    ):
        keys.type("anna kovacs")

    assert window.search.box.hasFocus()
    assert window.search.box.text() == "anna kovacs"
    assert visit_state(db, panel.visit.id) == before
    assert QApplication.activeModalWidget() is None  # no button was pressed
    assert window.search.model.rowCount() == 1


def test_space_ticks_only_in_the_checklist_before_anything_is_typed(
    window, qtbot, keys, db, people
):
    panel = serving(window, qtbot, people["sukru"])
    assert panel.steps.hasFocus()
    keys.press("space")
    qtbot.waitUntil(lambda: panel.visit.step("greet").status == "done")
    keys.type("an a")  # a letter first: the space belongs to the search
    assert window.search.box.text() == "an a"
    assert visit_state(db, panel.visit.id)[0] == [
        "done",
        "pending",
        "pending",
        "pending",
        "pending",
    ]


@pytest.mark.parametrize("combo", ["alt+z", "alt+q", "alt+j", "ctrl+alt+z", "super+z"])
def test_alt_and_other_modifiers_never_type_text(window, qtbot, keys, combo):
    keys.press(combo)
    assert window.search.box.text() == ""
    keys.type("ab")
    keys.press(combo)
    assert window.search.box.text() == "ab"


def test_alt_letter_types_nothing_in_slovak(qtbot, runner, db, people, ui_language, now, keys):
    from tests.ui.real_display.conftest import make_window

    ui_language.set_language("sk")
    window = make_window(qtbot, runner, db, people, ui_language, now, keys)
    panel = serving(window, qtbot, people["sukru"])
    window.search.focus_search()
    keys.press("alt+l")
    assert window.search.box.text() == ""
    keys.press("Return")  # would have opened whoever "l" found
    assert panel.visit is not None and panel.visit.customer_id == people["sukru"]
