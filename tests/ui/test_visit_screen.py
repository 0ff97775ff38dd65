"""The visit on the counter screen, through its real widgets: a whole visit by keyboard only,
the queue's live timers, ending with what is missing, resuming, follow-ups, and the models."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter import follow_ups, visits
from counter.customers import CustomerInput, create_customer
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import open_database, staff_sql
from tests.ui.conftest import press, type_text
from ui.main_window import MainWindow
from ui.models.queue_model import QueueModel, clock_text
from ui.tasks import SyncTaskRunner


class Clock:
    def __init__(self, now: int):
        self.now = now

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: int) -> int:
        self.now += seconds
        return self.now


@pytest.fixture
def clock(now):
    return Clock(now)


@pytest.fixture
def people(db, now):
    staff = staff_sql.insert_staff(db, "Zeynep", "staff", "", now - 1000)
    manager = staff_sql.insert_staff(db, "Sarah", "manager", "", now - 1000)
    sukru = create_customer(
        db,
        CustomerInput("Şükrü", "Yılmaz", language="tr", title="mr", phone="+90 532 123 4567"),
        now=now - 1000,
        phone_region="GB",
    )
    anna = create_customer(
        db, CustomerInput("Anna", "Kovács", language="hu", title="ms"), now=now, phone_region="HU"
    )
    return {"staff": staff, "manager": manager, "sukru": sukru.id, "anna": anna.id}


@pytest.fixture
def window(qtbot, runner, db, people, ui_language, clock, now):
    main = MainWindow(runner, load_settings(db), ui_language, clock=clock)
    main.signed_in.set(Session(people["staff"], "Zeynep", "staff", now))  # as sign-in does
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    return main


def key(qtbot, key_code, modifiers=Qt.NoModifier):
    """A key press where the keyboard focus is, as a person would press it."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key_code, modifiers)


def typed(text: str):
    type_text(QApplication.focusWidget(), text)


def test_whole_visit_by_keyboard_only(window, qtbot, db, people, clock, now):
    panel = window.visit_panel
    # Find the customer and open the profile.
    with qtbot.waitSignal(window.search.results_shown, check_params_cb=lambda t: t == "sukru"):
        typed("sukru")
    key(qtbot, Qt.Key_Return)
    assert window.profile.name.text() == "Şükrü Yılmaz"

    key(qtbot, Qt.Key_I, Qt.ControlModifier)  # check in
    assert window.queue.model.rowCount() == 1
    assert window.search.box.hasFocus()  # ready for the next customer

    clock.advance(95)
    key(qtbot, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)  # serve next
    assert panel.visit is not None and panel.visit.customer_id == people["sukru"]
    assert window.queue.model.rowCount() == 0
    assert panel.steps.hasFocus()
    assert panel.current_step_key() == "greet"

    times = {}
    for number, step_key in enumerate(["greet", "rapport", "needs"], start=1):
        times[step_key] = clock.advance(10)
        key(qtbot, getattr(Qt, f"Key_{number}"), Qt.ControlModifier)
    assert panel.current_step_key() == "solution"

    key(qtbot, Qt.Key_W, Qt.AltModifier)  # "What they need"
    assert panel.need.hasFocus()
    typed("phone screen cracked")
    key(qtbot, Qt.Key_Return)  # saved; on to "Offered"
    assert panel.solution.hasFocus()
    typed("new screen within the hour")
    key(qtbot, Qt.Key_Return)
    assert panel.outcome.hasFocus()
    for _ in range(3):  # — choose —, Bought, Returned, Repaired
        key(qtbot, Qt.Key_Down)
    assert panel.outcome.currentData() == "repaired"

    for number, step_key in ((4, "solution"), (5, "thank")):
        times[step_key] = clock.advance(10)
        key(qtbot, getattr(Qt, f"Key_{number}"), Qt.ControlModifier)

    ended_at = clock.advance(5)
    with qtbot.waitSignal(panel.ended) as blocker:
        key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # end the visit
    summary = blocker.args[0].summary
    assert summary.wait_seconds == 95 and summary.service_seconds == 55
    assert panel.stack.currentWidget() is panel.summary
    assert "within the 10 min target" in panel.summary.text.text()

    visit_id = blocker.args[0].visit.id
    row = db.execute(
        "SELECT status, arrived_at, started_at, ended_at, need, solution, outcome "
        "FROM visits WHERE id = ?",
        [visit_id],
    ).fetchone()
    assert row == (
        "ended",
        now,
        now + 95,
        ended_at,
        "phone screen cracked",
        "new screen within the hour",
        "repaired",
    )
    steps = dict(
        (k, (s, at))
        for k, s, at in db.execute(
            "SELECT step_key, status, at FROM visit_steps WHERE visit_id = ?", [visit_id]
        )
    )
    assert steps == {k: ("done", t) for k, t in times.items()}
    assert window.profile.history_model.index(0, 2).data() == "Repaired"


def test_queue_timer_ticks_without_the_database(window, qtbot, db, people, clock, now):
    visits.check_in(db, customer_id=people["sukru"], now=now - 200)
    visits.check_in(db, customer_id=people["anna"], now=now - 20)
    visits.check_in(db, walk_in_name="", now=now - 5)
    window.queue.reload()
    model = window.queue.model
    assert model.timer.isActive() and model.timer.interval() == 1000
    assert [model.index(r, QueueModel.WAIT).data() for r in range(3)] == ["3:20", "0:20", "0:05"]
    assert [model.level(r) for r in range(3)] == ["amber", "ok", "ok"]

    calls = []
    original = window.runner.run
    window.runner.run = lambda *a, **k: calls.append(a) or original(*a, **k)
    clock.advance(300)
    with qtbot.waitSignal(model.dataChanged):
        model.tick()
    window.runner.run = original
    assert calls == []  # the timer repaints from memory
    assert model.index(0, QueueModel.WAIT).data() == "8:20"
    assert [model.level(r) for r in range(3)] == ["red", "amber", "amber"]
    assert model.index(0, QueueModel.WAIT).data(Qt.BackgroundRole) is not None
    assert "over 8 min" in model.index(0, 0).data(Qt.AccessibleTextRole)
    assert model.index(2, 0).data().startswith("Walk-in, arrived")
    assert window.queue.title.text() == "3 waiting"


def test_queue_colours_and_words_agree_with_the_wait_shown(window, db, people, now):
    # Amber after 3 min: 2:39 and 3:00 are not over it, 3:23 is (and says so, to the second).
    for seconds, who in ((159, "sukru"), (180, "anna"), (203, None)):
        visits.check_in(db, customer_id=people[who] if who else None, now=now - seconds)
    window.queue.reload()
    model = window.queue.model
    rows = {model.index(r, QueueModel.WAIT).data(): r for r in range(3)}
    assert {wait: model.level(row) for wait, row in rows.items()} == {
        "3:23": "amber",
        "3:00": "ok",
        "2:39": "ok",
    }
    tips = {wait: model.index(row, 0).data(Qt.ToolTipRole) for wait, row in rows.items()}
    assert "waiting 2 minutes, 39 seconds" in tips["2:39"] and "over" not in tips["2:39"]
    assert "over" not in tips["3:00"]
    assert "waiting 3 minutes, 23 seconds (over 3 min)" in tips["3:23"]


def test_end_summary_shows_the_times_it_judges(window, qtbot, db, people, clock):
    visits.check_in(db, customer_id=people["sukru"], now=clock.now - 203)
    window.queue.reload()
    window.visit_actions.serve_next()
    panel = window.visit_panel
    clock.advance(630)
    panel.outcome.setCurrentIndex(panel.outcome.findData("nothing_today"))
    panel.outcome.activated.emit(panel.outcome.currentIndex())
    panel.end_visit()
    with qtbot.waitSignal(panel.ended):
        panel.end_visit()
    text = panel.summary.text.text()
    assert "Waited: <b>3 min, 23 sec</b>" in text
    assert "23 sec over the 3 min target" in text
    assert "Service: <b>10 min, 30 sec</b>" in text
    assert "30 sec over the 10 min target" in text


def test_serve_from_queue_with_enter_and_walk_in(window, qtbot, db, people, clock, now):
    window.visit_actions.check_in_walk_in("Lady with umbrella")
    visits.check_in(db, customer_id=people["anna"], now=now + 1)
    window.queue.reload()
    window.queue.view.setFocus()
    window.queue.view.selectRow(1)
    press(window.queue.view, Qt.Key_Return)
    assert window.visit_panel.visit.customer_id == people["anna"]
    assert window.profile.name.text() == "Kovács Anna"  # the profile follows the visit
    assert [v.customer_name for v in window.queue.model.visits()] == ["Lady with umbrella"]
    # One visit at a time at this counter.
    window.visit_actions.serve_next()
    assert "Finish the visit" in window.statusBar().currentMessage()
    assert window.queue.model.rowCount() == 1


def test_customer_left_the_queue(window, db, people, now):
    visit = visits.check_in(db, customer_id=people["anna"], now=now).visit
    window.queue.reload()
    window.visit_actions.remove_from_queue(visit.id, reason="had to leave")
    assert window.queue.model.rowCount() == 0
    assert visits.load_visit(db, visit.id).discard_reason == "had to leave"


def test_serve_customer_on_screen_now_has_no_wait(window, qtbot, people, db):
    window.open_customer(people["anna"])
    qtbot.keyClick(window.search.box, Qt.Key_I, Qt.ControlModifier | Qt.ShiftModifier)
    visit = window.visit_panel.visit
    assert visit is not None and visit.wait_seconds(visit.started_at) == 0
    assert window.visit_panel.name.text().startswith("Kovács Anna")


def test_ending_asks_only_for_what_is_missing(window, qtbot, db, people, clock):
    window.open_customer(people["sukru"])
    window.visit_actions.serve_customer_now()
    panel = window.visit_panel
    panel.toggle_step_number(1)
    panel.end_visit()  # no outcome yet
    assert panel.visit.status == "in_progress"
    assert panel.outcome.hasFocus() and "Choose an outcome" in panel.end_note.text()
    panel.outcome.setCurrentIndex(panel.outcome.findData("nothing_today"))
    panel.outcome.activated.emit(panel.outcome.currentIndex())
    assert panel.visit.outcome == "nothing_today"
    panel.end_visit()  # steps not ticked: said once
    assert panel.visit.status == "in_progress"
    assert "Not ticked: Build rapport, Identify needs, Offer a solution, and Thank by name" in (
        panel.end_note.text()
    )
    with qtbot.waitSignal(panel.ended) as blocker:
        panel.end_visit()  # ...and the second Ctrl+Enter ends
    assert [s.status for s in blocker.args[0].visit.steps] == ["done"] + ["skipped"] * 4
    assert "Not done: Build rapport" in panel.summary.text.text()
    panel.summary.close_button.click()
    assert panel.stack.currentWidget() is panel.empty


def test_space_ticks_skip_skips_and_step_changed_follows(window, qtbot, people):
    window.open_customer(people["sukru"])
    window.visit_actions.serve_customer_now()
    panel = window.visit_panel
    with qtbot.waitSignal(panel.step_changed, check_params_cb=lambda k: k == "rapport"):
        press(panel.steps, Qt.Key_Space)
    assert panel.visit.step("greet").status == "done"
    panel.skip_button.click()
    assert panel.visit.step("rapport").status == "skipped"
    assert panel.current_step_key() == "needs"
    assert panel.model.index(1, 2).data() == "skipped"
    assert panel.model.index(0, 1).data(Qt.CheckStateRole) == Qt.Checked
    assert panel.model.index(1, 1).data(Qt.AccessibleTextRole) == (
        "Step 2 of 5: Build rapport, skipped"
    )
    panel.toggle_step_number(1)  # undo
    assert panel.visit.step("greet").status == "pending"
    assert "Identify needs" in panel.hint.text()
    assert panel.steps.accessibleName() == "Checklist steps"


def test_complaint_path_and_thank_you_line(window, qtbot, people):
    window.open_customer(people["sukru"])
    window.visit_actions.serve_customer_now()
    panel = window.visit_panel
    assert panel.complaint_box.isHidden()
    panel.complaint.click()
    assert panel.visit.complaint and not panel.complaint_box.isHidden()
    text = panel.complaint_box.text()
    assert "I understand why this is frustrating." in text
    assert all(word in text for word in ("Clarify", "Confirm", "Commit"))
    panel.checklist.select_step(4)
    assert "Thank you, Şükrü Bey" in panel.hint.text()


def test_follow_up_from_the_visit_and_the_follow_up_list(window, qtbot, db, people, clock, now):
    window.open_customer(people["sukru"])
    window.visit_actions.serve_customer_now()
    panel = window.visit_panel
    dialog = panel.promise_follow_up()
    assert dialog.owner.currentData() == people["staff"]  # whoever is serving
    dialog.what.setText("")
    type_text(dialog.what, "call when the part arrives")
    with qtbot.waitSignal(dialog.saved):
        press(dialog.what, Qt.Key_Return)
    assert "call when the part arrives" in window.profile.follow_ups.text()

    listing = window.visit_actions.show_follow_ups()
    assert listing.model.rowCount() == 1
    assert listing.model.index(0, 1).data() == "Şükrü Yılmaz"
    clock.advance(3 * 86400)
    listing.overdue_only.setChecked(True)
    assert listing.model.index(0, 0).data().startswith("overdue")
    listing.close_current(note="called, part ordered")
    assert listing.model.rowCount() == 0
    closed = db.execute("SELECT closed_at, closed_by, close_note FROM follow_ups").fetchone()
    assert closed == (clock.now, people["staff"], "called, part ordered")
    assert window.profile.follow_ups.text() == "—"


def test_walk_in_cannot_get_a_follow_up(window, db, now):
    window.visit_actions.check_in_walk_in("")
    window.visit_actions.serve_next()
    panel = window.visit_panel
    assert not panel.follow_up_button.isEnabled()
    assert panel.promise_follow_up() is None


def test_resume_open_visit_on_start(window, qtbot, db, people, now):
    visit = visits.serve_directly(
        db, customer_id=people["anna"], staff_id=people["staff"], now=now - 300, language="en"
    ).visit
    visits.complete_step(db, visit.id, "greet", now=now - 290)
    visits.skip_step(db, visit.id, "rapport", now=now - 280)
    visits.set_need(db, visit.id, "warranty claim", now=now - 270)
    visits.set_complaint(db, visit.id, True, now=now - 260)
    window.visit_actions.offer_resume()
    dialog = window.visit_actions.open_visits_dialog
    qtmodel = dialog.model
    assert qtmodel.rowCount() == 1 and qtmodel.index(0, 0).data() == "Kovács Anna"
    assert qtmodel.index(0, 3).data() == "1 of 5"
    dialog.resume()
    panel = window.visit_panel
    assert panel.visit.id == visit.id
    assert panel.need.text() == "warranty claim" and panel.complaint.isChecked()
    assert [panel.model.step(r).status for r in range(5)] == [
        "done",
        "skipped",
        "pending",
        "pending",
        "pending",
    ]
    assert panel.current_step_key() == "needs"


def test_manager_discards_visit_left_open(window, qtbot, db, people, now):
    visit = visits.serve_directly(
        db, customer_id=people["anna"], staff_id=people["staff"], now=now - 9000, language="en"
    ).visit
    window.signed_in.set(None)  # nobody signed in: not theirs to close
    window.visit_actions.show_open_visits()
    dialog = window.visit_actions.open_visits_dialog
    dialog.close_visit("discard", reason="nope")
    assert "Only a manager" in dialog.error.text()
    window.signed_in.set(Session(people["manager"], "Sarah", "manager", now))
    dialog.close_visit("discard", reason="left open overnight")
    assert visits.load_visit(db, visit.id).status == "discarded"
    assert not dialog.isVisible()


def test_no_open_visits_no_dialog(window):
    window.visit_actions.open_visits_dialog = None
    window.visit_actions.offer_resume()
    assert window.visit_actions.open_visits_dialog is None


def test_visit_closed_at_another_counter(window, db, people, now):
    window.open_customer(people["anna"])
    window.visit_actions.serve_customer_now()
    visit_id = window.visit_panel.visit.id
    visits.discard_visit(db, visit_id, reason="other counter", by=people["staff"], now=now)
    window.visit_panel.toggle_step_number(1)
    assert "no longer open" in window.statusBar().currentMessage()
    assert window.visit_panel.visit is None


def test_queue_shows_check_in_from_another_counter(qtbot, tmp_path, now):
    from ui.counter_view.queue_panel import QueuePanel

    path = tmp_path / "counter.db"
    here, there = open_database(path), open_database(path)
    try:
        panel = QueuePanel(SyncTaskRunner(here), clock=lambda: now)
        qtbot.addWidget(panel)
        panel.show()
        panel.reload()
        assert panel.model.rowCount() == 0
        visits.check_in(there, walk_in_name="from the other till", now=now)
        with qtbot.waitSignal(panel.shown):
            panel.poll()
        assert panel.model.visit(0).customer_name == "from the other till"
    finally:
        here.close()
        there.close()


def test_language_switch_with_a_visit_open(window, ui_language, people):
    window.open_customer(people["sukru"])
    window.visit_actions.serve_customer_now()
    ui_language.set_language("tr")
    ui_language.set_language("en")
    assert window.visit_panel.model.index(0, 1).data() == "Greet warmly"
    assert window.visit_actions.menu.title() == "&Visit"


def test_shortcuts_are_documented(window):
    keys = [row.keys_text() for row in window.visit_actions.shortcut_rows()]
    for shortcut in ("Ctrl+I", "Ctrl+Shift+N", "Ctrl+1 … Ctrl+9", "Ctrl+Return, Ctrl+Enter"):
        assert shortcut in keys


def test_clock_text():
    assert [clock_text(s) for s in (0, 7, 65, 3725, -3)] == [
        "0:00",
        "0:07",
        "1:05",
        "1:02:05",
        "0:00",
    ]


def test_models_pass_qt_model_tester(window, qtmodeltester, db, people, now, clock):
    visits.check_in(db, customer_id=people["sukru"], now=now - 100)
    visits.check_in(db, walk_in_name="x", now=now - 50)
    window.queue.reload()
    qtmodeltester.check(window.queue.model)
    window.visit_actions.serve_next()
    qtmodeltester.check(window.visit_panel.model)
    window.visit_panel.toggle_step_number(2)
    qtmodeltester.check(window.visit_panel.model)
    follow_ups.create_follow_up(
        db,
        customer_id=people["sukru"],
        description="call back",
        due_at=now + 86400,
        owner_id=people["staff"],
        created_by=people["staff"],
        now=now,
        tz=None,
    )
    listing = window.visit_actions.show_follow_ups()
    qtmodeltester.check(listing.model)
    window.visit_actions.show_open_visits()
    qtmodeltester.check(window.visit_actions.open_visits_dialog.model)


def test_visit_mnemonics_are_unique_in_the_window(window, people):
    """An Alt+letter shared by two widgets only cycles focus: each visit key must be unique."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    window.open_customer(people["sukru"])
    window.visit_actions.serve_customer_now()
    owners: dict[str, list[str]] = {}
    texts = [w.text() for cls in (QAbstractButton, QLabel) for w in window.findChildren(cls)]
    texts += [a.text() for a in window.menuBar().actions()]
    for text in texts:
        match = re.search(r"&([^&])", text)
        if match:
            owners.setdefault(match.group(1).lower(), []).append(text)
    for letter in "wouakpi":  # the visit panel's and the queue's
        assert len(owners.get(letter, [])) == 1, owners.get(letter)


@pytest.mark.parametrize(
    ("text", "expected_id"),
    [
        ("obrien", "obrien"),
        ("o'brien", "obrien"),
        ("nagykovacs", "nagy"),
        ("nagy-kovacs", "nagy"),
        ("sarma", "sharma"),
        ("verma", "verma"),
    ],
)
def test_the_search_box_finds_names_as_people_type_them(window, qtbot, db, now, text, expected_id):
    ids = {
        key: create_customer(
            db, CustomerInput(given, family, native, "en"), now=now, phone_region="GB"
        ).id
        for key, given, family, native in (
            ("obrien", "Siobhan", "O'Brien", ""),
            ("nagy", "Anna", "Nagy-Kovács", ""),
            ("sharma", "", "", "राहुल शर्मा"),
            ("verma", "", "", "अजय वर्मा"),
        )
    }
    box = window.search.box
    box.setFocus()
    with qtbot.waitSignal(window.search.results_shown, check_params_cb=lambda t: t == text):
        typed(text)  # key by key, as typed
    model = window.search.model
    assert [model.hit(r).id for r in range(model.rowCount())] == [ids[expected_id]]
