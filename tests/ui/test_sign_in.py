"""Signing in at the counter (Ctrl+L), the first start, and the Manage menu that needs a
manager's PIN."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter.auth import needs_setup
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import staff_sql, write_transaction
from tests.core.report_fixtures import MANAGER_PIN, NOW, STAFF_PIN, pin_hash
from tests.ui.conftest import press, type_text
from ui.main_window import MainWindow
from ui.sign_in import FirstStartDialog, SignInDialog


@pytest.fixture
def team(db):
    with write_transaction(db):
        mia = staff_sql.insert_staff(db, "Mia", "manager", pin_hash(MANAGER_PIN), NOW)
        sam = staff_sql.insert_staff(db, "Sam", "staff", pin_hash(STAFF_PIN), NOW)
    return {"mia": mia, "sam": sam}


@pytest.fixture
def window(qtbot, runner, db, ui_language):
    main = MainWindow(runner, load_settings(db), ui_language, clock=lambda: NOW)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def open_dialog(window) -> SignInDialog:
    dialog = window.session_actions.dialog
    assert isinstance(dialog, SignInDialog)
    return dialog


def sign_in_as(dialog, qtbot, staff_id: int, pin: str) -> None:
    dialog.choose(staff_id)
    type_text(dialog.pin, pin)
    press(dialog.pin, Qt.Key_Return)


def test_ctrl_l_signs_in_and_sets_staff_id(window, team, qtbot):
    window.session_actions.switch_action.trigger()  # Ctrl+L
    dialog = open_dialog(window)
    assert [dialog.person.itemData(i) for i in range(dialog.person.count())] == [
        team["mia"],
        team["sam"],
    ]
    with qtbot.waitSignal(dialog.signed_in):
        sign_in_as(dialog, qtbot, team["sam"], STAFF_PIN)
    assert window.staff_id == team["sam"]
    assert window.session.name == "Sam" and not window.session.is_manager
    assert window.session_actions.who.text() == "Sam"


def test_ctrl_l_is_the_shortcut(window):
    assert window.session_actions.switch_action.shortcut().toString() == "Ctrl+L"


def test_wrong_pin_shows_why_and_keeps_the_dialog(window, team, qtbot):
    dialog = window.session_actions.sign_in()
    sign_in_as(dialog, qtbot, team["sam"], "0000")
    assert dialog.isVisible()
    assert dialog.errors.text() == "Wrong PIN (try 1 of 5)."
    assert dialog.pin.text() == ""
    assert window.staff_id is None


def test_manage_menu_asks_a_staff_session_for_a_manager_pin(window, team, qtbot):
    window.session_actions.set_session(None)
    dialog = window.session_actions.sign_in()
    sign_in_as(dialog, qtbot, team["sam"], STAFF_PIN)
    window.session_actions.tab_actions["dashboard"].trigger()
    manager_dialog = open_dialog(window)
    assert manager_dialog.windowTitle() == "Manager sign-in"
    assert manager_dialog.person.count() == 1  # managers only
    sign_in_as(manager_dialog, qtbot, team["mia"], MANAGER_PIN)
    manager = window.session_actions.manager_window
    qtbot.addWidget(manager)
    assert manager.isVisible()
    assert manager.tabs.currentWidget() is manager.dashboard
    assert window.staff_id == team["sam"]  # the counter stays Sam's


def test_manage_menu_has_the_manager_entries(window):
    texts = [a.text() for a in window.manage_menu.actions() if not a.isSeparator()]
    for expected in ("Visit &log", "&Dashboard", "E&xport visits…", "S&taff", "&Audit log"):
        assert expected in texts


def test_signed_in_manager_opens_the_window_directly(window, team, qtbot):
    dialog = window.session_actions.sign_in()
    sign_in_as(dialog, qtbot, team["mia"], MANAGER_PIN)
    window.session_actions.open_manager("log")
    manager = window.session_actions.manager_window
    qtbot.addWidget(manager)
    assert window.session_actions.dialog is None
    assert manager.tabs.currentWidget() is manager.log


def test_first_start_asks_for_store_and_manager(window, db, qtbot):
    assert needs_setup(db)
    window.session_actions.start()
    dialog = window.session_actions.dialog
    assert isinstance(dialog, FirstStartDialog)
    type_text(dialog.store_name, "Köşe Eczanesi")
    dialog.store_language.setCurrentIndex(dialog.store_language.findData("tr"))
    type_text(dialog.manager_name, "Ayşe")
    dialog.pin.setText("2468")
    dialog.pin_again.setText("2469")
    dialog.submit()
    assert dialog.errors.text() == "The two PINs are not the same."
    dialog.pin_again.setText("2468")
    with qtbot.waitSignal(dialog.signed_in):
        dialog.submit()
    assert not needs_setup(db)
    assert window.session.is_manager and window.session.name == "Ayşe"
    assert window.settings.store_name == "Köşe Eczanesi"
    assert window.language.code == "tr"  # the store's language, as nothing else was chosen


def test_start_signs_in_when_the_store_is_set_up(window, team, qtbot):
    called = []
    window.session_actions.start(then=lambda: called.append(True))
    dialog = open_dialog(window)
    sign_in_as(dialog, qtbot, team["sam"], STAFF_PIN)
    assert called == [True]


def test_sign_in_preselects_who_signed_in_last_at_this_counter(
    qtbot, runner, db, ui_language, team
):
    first = MainWindow(runner, load_settings(db), ui_language, clock=lambda: NOW)
    qtbot.addWidget(first)
    first.show()
    first.session_actions.switch_action.trigger()
    with qtbot.waitSignal(open_dialog(first).signed_in):
        sign_in_as(open_dialog(first), qtbot, team["sam"], STAFF_PIN)
    first.close()

    # The next start at this counter: Sam, not Mia (the first name, a manager).
    second = MainWindow(runner, load_settings(db), ui_language, clock=lambda: NOW)
    qtbot.addWidget(second)
    second.show()
    second.session_actions.start()
    dialog = open_dialog(second)
    assert dialog.person.currentData() == team["sam"]
    assert dialog.pin.text() == ""
    assert dialog.focusWidget() is dialog.pin  # Sam types the PIN at once
    # Switching staff (someone is signed in) starts at the names instead.
    second.signed_in.set(Session(team["sam"], "Sam", "staff", NOW))
    dialog.reject()
    second.session_actions.switch_action.trigger()
    switching = open_dialog(second)
    qtbot.waitUntil(lambda: switching.person.count() > 0)
    assert switching.focusWidget() is switching.person


def test_the_sign_in_dialog_is_centred_on_the_window(window, team, qtbot):
    window.move(40, 30)
    window.resize(760, 700)
    window.session_actions.switch_action.trigger()
    dialog = open_dialog(window)
    dialog._fill(staff_sql_list_with_a_long_name(dialog))  # grows once the names arrive
    qtbot.wait(10)  # the centring after the show runs in the event loop
    centre, middle = dialog.frameGeometry().center(), window.frameGeometry().center()
    assert abs(centre.x() - middle.x()) <= 2 and abs(centre.y() - middle.y()) <= 2


def staff_sql_list_with_a_long_name(dialog):
    from counter.staff import StaffMember

    members = [
        StaffMember(900, "Gábor Szilágyi-Nagykovács Bertalan", "manager", True, True, None),
        StaffMember(901, "Sam", "staff", True, True, None),
    ]
    return members
