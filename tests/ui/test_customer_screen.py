"""The customer screen through its real paths: the Visit menu's switch, a visit served and
ended at the counter, faces and reasons tapped (mouse, keys), the minute without an answer,
the unhappy answer the staff member must see and the follow-up offered before the next
customer, and the blanking at the idle lock. What the customer may see is checked on every
text the window holds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QWidget,
)

from counter import visits
from counter.customers import CustomerInput, create_customer
from counter.roles import Session
from counter.settings import load_settings, save_setting
from counter.storage import staff_sql
from ui.main_window import MainWindow


class Clock:
    def __init__(self, now: int):
        self.now = now

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def people(db, now):
    save_setting(db, "store_name", "Köşe Eczanesi")
    staff = staff_sql.insert_staff(db, "Zeynep Demir", "staff", "", now - 1000)
    ayse = create_customer(
        db,
        CustomerInput("Ayşe", "Işık", language="tr", title="ms", rapport_notes="Kedisi hasta, sor"),
        now=now - 1000,
        phone_region="TR",
    )
    gyozo = create_customer(
        db, CustomerInput("Győző", "Kovács", language="hu", title="mr"), now=now, phone_region="HU"
    )
    return {"staff": staff, "ayse": ayse.id, "gyozo": gyozo.id}


@pytest.fixture
def window(qtbot, runner, db, people, ui_language, now):
    # 09:30 in the store's time zone when the test clock is read.
    main = MainWindow(runner, load_settings(db), ui_language, clock=Clock(now))
    main.signed_in.set(Session(people["staff"], "Zeynep Demir", "staff", now))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def screen_texts(widget: QWidget) -> list[str]:
    """Every text a customer could read or hear on the window: labels, buttons, tooltips
    and accessible names of everything on it."""
    found = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if isinstance(child, (QLabel, QAbstractButton)):
            found.append(child.text())
        found += [child.toolTip(), child.accessibleName(), child.accessibleDescription()]
    return [t for t in found if t]


def turn_on(window, qtbot):
    window.customer_screen.action.trigger()  # Visit ▸ Customer screen, as a click does
    assert window.customer_screen.action.isChecked()
    return window.customer_screen.controller


def serve(window, db, customer_id, now, *, need="kırık ekran"):
    visits.check_in(db, customer_id=customer_id, now=now - 200)
    window.visit_actions.serve_next()
    panel = window.visit_panel
    assert panel.visit is not None and panel.visit.customer_id == customer_id
    return panel


def end(window, qtbot, db):
    panel = window.visit_panel
    visit_id = panel.visit.id
    visits.set_outcome(db, visit_id, "bought", now=window.clock())
    panel.outcome.setCurrentIndex(panel.outcome.findData("bought"))
    panel.end_visit()  # Ctrl+Enter: steps not ticked are confirmed once
    panel.end_visit()
    assert visits.load_visit(db, visit_id).status == "ended"
    return visit_id


def answer_of(db, visit_id):
    return db.execute(
        "SELECT feedback, feedback_reason FROM visits WHERE id = ?", [visit_id]
    ).fetchone()


def test_greets_the_customer_in_their_language_and_shows_nothing_else(
    window, qtbot, db, people, now
):
    controller = turn_on(window, qtbot)
    visits.check_in(db, customer_id=people["gyozo"], now=now - 100)  # waiting: not to be shown
    panel = serve(window, db, people["ayse"], now)
    panel.need.setText("kırık ekran")
    screen = controller.window
    assert screen.page == "greeting"
    texts = screen_texts(screen)
    assert "Ayşe Hanım" in screen.greeting.text()
    assert screen.store.text() == "Köşe Eczanesi"
    assert screen.welcome.text() == "Köşe Eczanesi adına hoş geldiniz."
    for secret in ("Győző", "Kovács", "Kedisi", "kırık", "Zeynep", "Işık Ayşe"):
        assert not any(secret in t for t in texts), (secret, texts)


def test_an_unhappy_face_and_a_reason_are_stored_and_shown_to_staff(window, qtbot, db, people, now):
    controller = turn_on(window, qtbot)
    serve(window, db, people["ayse"], now)
    visit_id = end(window, qtbot, db)
    screen = controller.window
    assert screen.page == "question"
    assert screen.question.text() == "Bugün nasıldık?"  # "How did we do today?"
    qtbot.mouseClick(screen.faces[0], Qt.LeftButton)  # very unhappy
    assert answer_of(db, visit_id)[0] == 1
    assert screen.page == "reasons"
    waited = screen.reason_buttons[0]
    assert waited.text() != "I waited too long"  # in Turkish
    qtbot.mouseClick(waited, Qt.LeftButton)
    assert tuple(answer_of(db, visit_id)) == (1, "waited")
    assert screen.page == "thanks"
    bar = window.customer_screen.bar
    assert bar.pending and window.customer_screen.toolbar.isVisibleTo(window)
    assert "Ayşe Işık" in bar.text.text() and "I waited too long" in bar.text.text()
    controller.thanks_timer.timeout.emit()
    assert screen.page == "blank"
    assert not any("Ayşe" in t for t in screen_texts(screen))


def test_keys_answer_too_and_a_happy_face_asks_no_reason(window, qtbot, db, people, now):
    controller = turn_on(window, qtbot)
    serve(window, db, people["ayse"], now)
    visit_id = end(window, qtbot, db)
    qtbot.keyClick(controller.window, Qt.Key_4)
    assert tuple(answer_of(db, visit_id)) == (4, "")
    assert controller.window.page == "thanks"
    assert not window.customer_screen.bar.pending


def test_no_answer_within_the_minute_is_recorded_as_none(window, qtbot, db, people, now):
    controller = turn_on(window, qtbot)
    serve(window, db, people["ayse"], now)
    visit_id = end(window, qtbot, db)
    assert controller.answer_timer.interval() == 60_000
    controller.answer_timer.timeout.emit()  # the minute is over
    assert tuple(answer_of(db, visit_id)) == (0, "")
    assert controller.window.page == "blank"
    qtbot.keyClick(controller.window, Qt.Key_5)  # a late key changes nothing
    assert tuple(answer_of(db, visit_id)) == (0, "")


def test_the_next_customer_waits_for_a_follow_up_on_an_unhappy_answer(
    window, qtbot, db, people, now
):
    controller = turn_on(window, qtbot)
    serve(window, db, people["ayse"], now)
    visit_id = end(window, qtbot, db)
    qtbot.keyClick(controller.window, Qt.Key_2)
    controller.window.reason_skipped.emit()
    assert window.customer_screen.bar.pending
    visits.check_in(db, customer_id=people["gyozo"], now=now)

    def choose_follow_up():
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
        add = next(b for b in box.buttons() if b.text() == "Add a follow-up…")
        add.click()

    QTimer.singleShot(0, choose_follow_up)
    window.visit_actions.serve_next()  # asks first; the follow-up is chosen
    assert window.visit_panel.visit.status == "ended"  # nobody new served yet
    dialog = window.findChild(QWidget, "followUpDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.what.setText("Call about the wait")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    rows = db.execute("SELECT visit_id, description FROM follow_ups").fetchall()
    assert rows == [(visit_id, "Call about the wait")]
    assert not window.customer_screen.bar.pending
    window.visit_actions.serve_next()  # now the next customer
    assert window.visit_panel.visit.customer_id == people["gyozo"]


def test_the_idle_lock_blanks_it_and_a_new_visit_ends_the_question(window, qtbot, db, people, now):
    controller = turn_on(window, qtbot)
    serve(window, db, people["ayse"], now)
    controller.window.show()
    assert "Ayşe Hanım" in controller.window.greeting.text()
    window.idle_lock.lock()
    assert controller.window.page == "blank"
    assert not any("Ayşe" in t for t in screen_texts(controller.window))
    # One screen (as here): the window goes away; with a second one it stays up, blank.
    assert controller.window.isVisible() == (controller.second_screen() is not None)


# Whom the customer screen greets in each language, and how they are addressed there.
CUSTOMERS = {
    "en": (CustomerInput("Emily", "Clarke", language="en", title="ms"), "Clarke"),
    "tr": (CustomerInput("Elif", "Şahin", language="tr", title="ms"), "Elif Hanım"),
    "sk": (CustomerInput("Ľubica", "Nováková", language="sk", title="ms"), "Nováková"),
    "hu": (CustomerInput("Anna", "Szabó", language="hu", title="ms"), "Szabó"),
    "hi": (
        CustomerInput("Priya", "Sharma", "प्रिया शर्मा", language="hi", title="ms"),
        "प्रिया",
    ),
}


@pytest.mark.parametrize("language", list(CUSTOMERS))
def test_nothing_of_another_customer_in_any_language(
    window, qtbot, db, people, now, ui_language, language
):
    """The previous customer (answered), one waiting in the queue, the staff member, the
    need and notes: none of it on any page of the customer screen, in every language."""
    ui_language.set_language(language)  # the staff member's screen in the same language
    controller = turn_on(window, qtbot)
    screen = controller.window
    serve(window, db, people["ayse"], now - 600)
    end(window, qtbot, db)
    qtbot.keyClick(screen, Qt.Key_5)  # the previous customer answers and goes
    assert screen.page == "thanks"
    given, address = CUSTOMERS[language]
    customer = create_customer(
        db,
        CustomerInput(
            given.given_name,
            given.family_name,
            given.native_name,
            language=language,
            title=given.title,
            rapport_notes="secret rapport note",
        ),
        now=now - 500,
        phone_region="GB",
    ).id
    visits.check_in(db, customer_id=people["gyozo"], now=now - 100)  # waits: not to be shown
    panel = serve(window, db, customer, now)
    panel.need.setText("kırık ekran")
    secrets = ("Ayşe", "Işık", "Győző", "Kovács", "secret rapport", "kırık", "Zeynep")

    def shown_on(page: str) -> list[str]:
        assert screen.page == page
        texts = screen_texts(screen)
        for secret in secrets:
            assert not any(secret in t for t in texts), (language, page, secret, texts)
        return texts

    shown_on("greeting")
    assert address in screen.greeting.text()
    visit_id = end(window, qtbot, db)
    shown_on("question")
    qtbot.mouseClick(screen.faces[1], Qt.LeftButton)  # unhappy
    texts = shown_on("reasons")
    if language != "en":  # the customer's language, not English
        assert "I waited too long" not in texts
    qtbot.mouseClick(screen.reason_buttons[0], Qt.LeftButton)
    assert tuple(answer_of(db, visit_id)) == (2, "waited")
    shown_on("thanks")
    controller.thanks_timer.timeout.emit()
    shown_on("blank")
    assert not any(given.given_name in t or address in t for t in screen_texts(screen))
