"""Issue 13, items 1 and 3, with real key presses: typing a name during a visit starts a search
whatever has the focus and never touches the visit; Alt/Ctrl/Meta keys never type text."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from counter import visits


def serving(window, qtbot, customer_id):
    window.open_customer(customer_id)
    window.visit_actions.serve_customer_now()
    panel = window.visit_panel
    qtbot.waitUntil(lambda: panel.visit is not None)
    return panel


def unused_mnemonic(window) -> str:
    import re

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu

    texts = [w.text() for w in window.findChildren(QAbstractButton)]
    texts += [w.text() for w in window.findChildren(QLabel)]
    texts += [w.title() for kind in (QGroupBox, QMenu) for w in window.findChildren(kind)]
    used = {m.lower() for t in texts for m in re.findall(r"&([^&\s])", t)}
    return next(c for c in "lqxjzwykgvfbn" if c not in used)


def visit_state(db, visit_id):
    visit = visits.load_visit(db, visit_id)
    return (
        [s.status for s in visit.steps],
        visit.need,
        visit.solution,
        visit.outcome,
        visit.complaint,
    )


def test_typing_a_name_searches_and_never_touches_the_visit(window, qtbot, keys, db, people, now):
    """Whatever control has the focus: every Tab stop of the counter screen but the text
    fields (the need and the offer, where typing belongs)."""
    from tests.ui.real_display.test_shortcuts import Dialogs
    from tests.ui.real_display.test_tab_order import tab_stops
    from ui.keyboard import takes_text

    dialogs = Dialogs(window)  # a button pressed by a space would open one: closed, noted

    visits.check_in(db, walk_in_name="Somebody waiting", now=now - 60)  # buttons enabled
    window.queue.reload()
    panel = serving(window, qtbot, people["sukru"])
    qtbot.waitUntil(lambda: window.phrases.rows[0].phrase is not None)
    before = visit_state(db, panel.visit.id)
    widgets = [w for w in tab_stops(window) if not takes_text(w)]
    names = {w.objectName() for w in widgets}
    assert {
        "searchResults",
        "checklist",
        "stepDone",
        "stepSkip",
        "visitOutcome",
        "visitComplaint",
    } <= names
    assert {"promiseFollowUp", "endVisit", "queueView", "serveNext", "walkIn"} <= names
    assert {"leftQueue", "visitHistory", "editCustomer", "phraseStep", "phraseCopy1"} <= names
    for widget in widgets:
        window.search.box.clear()
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        with qtbot.waitSignal(
            window.search.results_shown, check_params_cb=lambda t: t == "anna kovacs"
        ):
            keys.type("anna kovacs")
        where = widget.objectName()
        assert window.search.box.hasFocus(), where
        assert window.search.box.text() == "anna kovacs", where
        assert visit_state(db, panel.visit.id) == before, where
        assert dialogs.opened == [], where  # no button was pressed
        assert window.search.model.rowCount() == 1, where
    dialogs.timer.stop()


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


def test_alt_letter_types_nothing_in_slovak(runner, qtbot, db, people, ui_language, now, keys):
    from tests.ui.real_display.conftest import make_window

    ui_language.set_language("sk")
    window = make_window(qtbot, runner, db, people, ui_language, now, keys)
    panel = serving(window, qtbot, people["sukru"])
    window.search.focus_search()
    # A letter no label, button or menu of the Slovak screen uses as its mnemonic: a mnemonic
    # clicks its button ~100 ms later (animateClick), an effect this test is not about.
    letter = unused_mnemonic(window)
    keys.press(f"alt+{letter}")
    assert window.search.box.text() == ""
    keys.press("Return")  # would have opened whoever "l" found
    assert panel.visit is not None and panel.visit.customer_id == people["sukru"]


def test_behind_the_idle_lock_no_key_reaches_the_counter_screen(
    window, qtbot, keys, db, people, now
):
    from counter.storage import staff_sql
    from tests.core.report_fixtures import pin_hash

    staff_sql.insert_staff(db, "Mia", "manager", pin_hash("1234"), now)  # a lock, not a screen
    panel = serving(window, qtbot, people["sukru"])
    window.idle_lock.lock()
    overlay = window.idle_lock.overlay
    qtbot.waitUntil(lambda: window.idle_lock.locked and overlay.pin.isVisible())
    keys.press("ctrl+1", "ctrl+i", "ctrl+e", "alt+k", "ctrl+Return", "alt+1", "space")
    assert visit_state(db, panel.visit.id)[0] == ["pending"] * 5
    assert window.queue.model.rowCount() == 0
    assert QApplication.activeModalWidget() is None
    for key in ("Tab", "shift+Tab"):
        for _ in range(6):
            keys.press(key)
            focus = QApplication.focusWidget()
            assert focus is not None and overlay.isAncestorOf(focus), focus.objectName()
    overlay.pin.setFocus()
    overlay.pin.clear()
    keys.type("ab")
    assert overlay.pin.text() == "ab" and window.search.box.text() == ""
