"""The counter screen through its real widgets: typing, keyboard navigation, the profile."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter.customers import CustomerInput, create_customer
from counter.settings import load_settings
from counter.storage import staff_sql, visit_sql
from tests.ui.conftest import press, type_text
from ui.main_window import MainWindow

PEOPLE = [
    ("Şükrü", "Yılmaz", "", "tr", "mr", "+90 532 123 4567", "1000200030004"),
    ("Ayşe", "Işık", "", "tr", "ms", "", ""),
    ("İlker", "Doğan", "", "tr", "mr", "", ""),
    ("Győző", "Kovács", "", "hu", "mr", "+36 30 987 6543", ""),
    ("Ľubomír", "Novák", "", "sk", "mr", "+421 905 111 222", ""),
    ("Rahul", "Sharma", "राहुल शर्मा", "hi", "mr", "+91 98765 43210", ""),
]


@pytest.fixture
def people(db, now):
    staff = staff_sql.insert_staff(db, "Zeynep", "staff", "", now)
    ids = {}
    for given, family, native, language, title, phone, card in PEOPLE:
        customer = create_customer(
            db,
            CustomerInput(
                given,
                family,
                native,
                language,
                title=title,
                phone=phone,
                card=card,
                rapport_notes=f"notes of {given}",
            ),
            now=now - 400 * 86400,
            phone_region="GB",
        )
        ids[given] = customer.id
    visit_sql.insert_visit(
        db,
        {
            "customer_id": ids["Şükrü"],
            "staff_id": staff,
            "status": "ended",
            "arrived_at": now - 21 * 86400,
            "need": "phone screen cracked",
            "outcome": "repaired",
            "updated_at": now,
        },
    )
    return ids


@pytest.fixture
def window(qtbot, runner, db, people, ui_language, now):
    main = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def shown_names(window):
    model = window.search.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_search_box_has_focus_on_start(window):
    assert window.search.box.hasFocus()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sukru", "Şükrü Yılmaz"),
        ("isik", "Ayşe Işık"),
        ("ILKER", "İlker Doğan"),
        ("gyozo", "Kovács Győző"),
        ("lubomir", "Ľubomír Novák"),
        ("rahul", "राहुल शर्मा (Rahul Sharma)"),
        ("राहुल", "राहुल शर्मा (Rahul Sharma)"),
        ("Şükrü", "Şükrü Yılmaz"),
        ("4567", "Şükrü Yılmaz"),
    ],
)
def test_typing_finds(window, qtbot, typed, expected):
    with qtbot.waitSignal(window.search.results_shown, check_params_cb=lambda t: t == typed):
        type_text(window.search.box, typed)
    assert expected in shown_names(window)


def test_scanned_card_then_enter_opens_customer(window, qtbot, people):
    with qtbot.waitSignal(window.search.customer_chosen) as blocker:
        type_text(window.search.box, "1000200030004")
        press(window.search.box, Qt.Key_Return)
    assert blocker.args == [people["Şükrü"]]
    assert window.profile.name.text() == "Şükrü Yılmaz"


@pytest.mark.parametrize(
    "typed", ['"', "*", "(", "NEAR", "AND", "-", "'", "😀", "\x00", "x" * 10_000]
)
def test_hostile_text_in_the_box(window, qtbot, typed):
    """FTS5 syntax, quotes and odd characters are searched as plain text: nobody matches, the
    box says so, and no task failed."""
    shown: list[str] = []
    window.search.results_shown.connect(shown.append)
    type_text(window.search.box, typed) if len(typed) < 50 else window.search.box.setText(typed)
    qtbot.waitUntil(lambda: bool(shown) and shown[-1] == window.search.box.text())
    assert window.search.model.rowCount() == 0
    assert window.search.status.text().startswith("No customer found")
    assert window.statusBar().currentMessage() == ""


def test_arrow_keys_and_enter(window, qtbot, people):
    search = window.search
    type_text(search.box, "yilmaz dogan isik")  # nobody: three different people
    assert search.model.rowCount() == 0
    press(search.box, Qt.Key_Down)  # no results: the box keeps the focus
    assert search.box.hasFocus()
    search.box.clear()
    type_text(search.box, "i")  # İlker, Işık, Şükrü... several
    assert search.model.rowCount() >= 2
    assert search.current_row() == 0
    press(search.box, Qt.Key_Up)  # ↑ in the box moves the highlight, not the focus
    assert search.box.hasFocus() and search.current_row() == 0
    # ↓ takes the focus into the list, on the highlighted row.
    press(search.box, Qt.Key_Down)
    assert search.view.hasFocus()
    assert search.current_row() == 0
    assert search.view.currentIndex().row() == 0
    press(search.view, Qt.Key_Down)
    assert search.current_row() == 1
    press(search.view, Qt.Key_Up)
    assert search.view.hasFocus() and search.current_row() == 0
    press(search.view, Qt.Key_Up)  # ↑ on the first row: back to the box, the search kept
    assert search.box.hasFocus()
    assert search.box.text() == "i" and not search.box.hasSelectedText()
    press(search.box, Qt.Key_Down)
    press(search.view, Qt.Key_Down)
    second = search.model.hit(1)
    with qtbot.waitSignal(search.customer_chosen) as blocker:
        press(search.view, Qt.Key_Return)  # Enter on a focused result opens it
    assert blocker.args == [second.id]
    search.focus_search()
    press(search.box, Qt.Key_Escape)
    assert search.box.text() == ""


def test_results_take_focus_and_typing_there_goes_on_with_the_search(window, qtbot, people):
    search = window.search
    search.box.setFocus()
    type_text(search.box, "i")
    assert search.model.rowCount() >= 2
    press(search.box, Qt.Key_Tab)  # Tab from the box: the results are the next stop
    assert search.view.hasFocus()
    press(search.view, Qt.Key_Down)
    assert search.current_row() == 1
    # A letter typed in the list goes to the box, after what is there (ui.keyboard.TypingGuard
    # starts a search with it; the list hands it on).
    press(search.view, Qt.Key_L, text="l")
    assert search.box.hasFocus()
    assert search.box.text() == "il"
    press(search.box, Qt.Key_Down)
    assert search.view.hasFocus()
    press(search.view, Qt.Key_Backspace)  # Backspace edits the search too
    assert search.box.hasFocus() and search.box.text() == "i"
    press(search.box, Qt.Key_Down)
    press(search.view, Qt.Key_Escape)  # Esc in the list: back to the box, nothing cleared
    assert search.box.hasFocus() and search.box.text() == "i"
    press(search.box, Qt.Key_Down)
    press(search.view, Qt.Key_Tab)  # Tab leaves the list for the queue
    assert not search.view.hasFocus() and not search.box.hasFocus()


def test_a_result_reads_as_name_phone_and_last_visit(window, qtbot, people):
    search = window.search
    type_text(search.box, "sukru")
    model = search.model
    assert model.rowCount() == 1
    for column in range(model.columnCount()):
        spoken = model.index(0, column).data(Qt.ItemDataRole.AccessibleTextRole)
        # (the list dates the visit from the real clock, not the test's)
        assert spoken.startswith("Şükrü Yılmaz, phone ending 4567, last visit "), spoken
        assert spoken.endswith(" ago"), spoken
    search.box.clear()
    type_text(search.box, "ayse")  # no phone, never came
    assert model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Ayşe Işık, no visits yet"
    )


def test_profile_shows_name_address_notes_and_history(window, qtbot, people):
    window.open_customer(people["Şükrü"])
    profile = window.profile
    assert profile.name.text() == "Şükrü Yılmaz"
    assert profile.address.text() == "Address as: Şükrü Bey"
    assert profile.language.text() == "Turkish"
    assert profile.notes.text() == "notes of Şükrü"
    model = profile.history_model
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "3 weeks ago"
    assert model.index(0, 1).data() == "phone screen cracked"
    assert model.index(0, 2).data() == "Repaired"
    assert model.index(0, 3).data() == "Zeynep"


def test_profile_of_hungarian_and_hindi_customers(window, people):
    window.open_customer(people["Győző"])
    assert window.profile.name.text() == "Kovács Győző"
    assert window.profile.address.text() == "Address as: Kovács úr"
    window.open_customer(people["Rahul"])
    assert window.profile.name.text() == "राहुल शर्मा"
    assert window.profile.latin_name.text() == "Rahul Sharma"
    assert window.profile.address.text() == "Address as: राहुल जी"
    assert window.profile.history_title.text() == "First visit — no history yet."


def test_new_customer_from_search_text_in_two_keystrokes(window, qtbot, db):
    type_text(window.search.box, "Zsófia Erdős")
    dialog = window.new_customer()  # Ctrl+N
    assert dialog.given.text() == "Zsófia" and dialog.family.text() == "Erdős"
    with qtbot.waitSignal(dialog.saved) as blocker:
        press(dialog.given, Qt.Key_Return)  # Enter saves
    assert blocker.args[0].given_name == "Zsófia"
    assert window.profile.name.text() == "Zsófia Erdős"
    assert (
        db.execute("SELECT count(*) FROM customers WHERE given_name = 'Zsófia'").fetchone()[0] == 1
    )


@pytest.mark.parametrize(
    ("typed", "given", "family"),
    [("Ayşe Nur Yılmaz", "Ayşe Nur", "Yılmaz"), ("Jan van der Berg", "Jan", "van der Berg")],
)
def test_new_customer_splits_a_longer_name_as_the_importer_does(window, typed, given, family):
    type_text(window.search.box, typed)
    dialog = window.new_customer()
    assert (dialog.given.text(), dialog.family.text()) == (given, family)


def test_ctrl_n_shortcut_opens_the_dialog(window, qtbot):
    type_text(window.search.box, "Ödön")
    qtbot.keyClick(window.search.box, Qt.Key_N, Qt.ControlModifier)
    dialog = window.findChild(type(window.new_customer()), "customerDialog")
    assert dialog is not None


def test_invalid_phone_shows_message_and_saves_nothing(window, qtbot, db):
    dialog = window.new_customer()
    type_text(dialog.given, "Lőrinc")
    type_text(dialog.phone, "12")
    dialog.save()
    assert dialog.isVisible()
    assert "not a valid phone number" in dialog.errors.text()
    assert (
        db.execute("SELECT count(*) FROM customers WHERE given_name = 'Lőrinc'").fetchone()[0] == 0
    )


def test_edit_customer(window, qtbot, db, people):
    window.open_customer(people["Ayşe"])
    dialog = window.edit_customer()
    assert dialog.given.text() == "Ayşe"
    dialog.notes.setPlainText("prefers tea")
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    assert window.profile.notes.text() == "prefers tea"


def test_models_pass_qt_model_tester(window, qtmodeltester, people):
    type_text(window.search.box, "i")
    qtmodeltester.check(window.search.model)
    window.open_customer(people["Şükrü"])
    qtmodeltester.check(window.profile.history_model)


def test_a_second_language_switcher_leaves_no_qt_translation_behind(qapp, ui_language):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence

    from ui.i18n import UiLanguage

    other = UiLanguage()  # a dialog's or another window's switcher
    other.set_language("tr")
    ui_language.set_language("en")
    assert QKeySequence(Qt.CTRL | Qt.Key_I).toString(QKeySequence.NativeText) == "Ctrl+I"
