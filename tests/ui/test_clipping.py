"""Nothing is clipped or covered, on every dialog in every UI language: each label and button
as large as it asks, each combo box wide enough for its text, each column as wide as its title,
no control on top of another (tests/ui/layout_checks.py). A customer with a long name and
e-mail, and a staff member with a long name, make the texts as long as they get."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from counter import audit, follow_ups, visits
from counter.auth import set_up_store
from counter.customers import CustomerInput, create_customer
from counter.settings import load_settings
from counter.staff import add_staff, sign_in_list
from tests.ui.layout_checks import clipping
from ui.main_window import MainWindow
from ui.manager_view.audit_text import detail_text
from ui.manager_view.manager_window import TABS, ManagerWindow
from ui.manager_view.staff_admin import StaffDialog
from ui.sign_in import SignInDialog

LANGUAGES = ("en", "tr", "sk", "hu", "hi")
LONG = CustomerInput(
    "Maximiliána Krisztina",
    "Szentgyörgyi-Kovácsné Hajdú",
    language="hu",
    title="ms",
    phone="+36 30 123 4567",
    email="maximiliana.krisztina.szentgyorgyi-kovacsne@verylongdomainname-example.co.hu",
    card="1234567890123456",
)


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
        qtbot.wait(5)


def fits_a_laptop(widget: QWidget) -> None:
    hint = widget.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 800, (widget.objectName(), hint)


def looks_right(qtbot, widget: QWidget | None) -> None:
    assert widget is not None
    widget.show()
    settle(qtbot)
    assert clipping(widget) == []
    fits_a_laptop(widget)
    widget.close()


@pytest.fixture
def store(db, now):
    manager = set_up_store(
        db,
        store_name="Corner Pharmacy & Repairs",
        store_language="en",
        manager_name="Gábor Szilágyi",
        pin="9876",
        now=now - 5000,
    )
    add_staff(db, manager, name="Zsófia Kiss-Nagy", role="staff", pin="2468", now=now - 4000)
    customer = create_customer(db, LONG, now=now - 5000, phone_region="HU")
    return manager, customer.id


@pytest.mark.parametrize("code", LANGUAGES)
def test_counter_dialogs_are_not_clipped(qtbot, db, runner, ui_language, now, store, code):
    manager, customer_id = store
    ui_language.set_language(code)
    window = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    qtbot.addWidget(window)
    window.session_actions.set_session(manager)
    window.show()
    window.profile, window.phrases, window.visit_panel  # noqa: B018
    window.open_customer(customer_id)
    window.visit_actions.check_in()
    window.visit_actions.serve_from_queue(visits.list_queue(db)[0].id)
    panel = window.visit_panel
    panel.complaint.click()
    panel.end_button.click()  # "Choose an outcome first"
    settle(qtbot)
    assert clipping(window) == []

    sign_in = window.session_actions.sign_in()
    sign_in.show()
    # The names arrive after the dialog is up (the task runner answers later): the combo
    # box and the dialog grow for them.
    sign_in._fill(sign_in_list(db))
    sign_in.choose(manager.staff_id)
    settle(qtbot)
    assert clipping(sign_in) == []
    sign_in.close()
    looks_right(qtbot, SignInDialog(runner, lambda: now, managers_only=True, parent=window))
    looks_right(qtbot, window.session_actions.first_start())
    looks_right(qtbot, panel.promise_follow_up())
    follow_ups.create_follow_up(
        db,
        customer_id=customer_id,
        description="Call back when the replacement screen arrives from the supplier",
        due_at=now + 86400,
        owner_id=manager.staff_id,
        created_by=manager.staff_id,
        now=now,
        tz=None,
    )
    looks_right(qtbot, window.visit_actions.show_follow_ups())
    window.visit_actions.show_open_visits()
    looks_right(qtbot, window.visit_actions.open_visits_dialog)
    looks_right(qtbot, window.new_customer())
    looks_right(qtbot, window.edit_customer())
    looks_right(qtbot, window.edit_phrases(manager))
    # The idle lock over the counter screen: its hint wraps ("A folytatáshoz válassza ki...").
    window.idle_lock.lock()
    window.idle_lock._fill_staff(sign_in_list(db))
    settle(qtbot)
    assert clipping(window.idle_lock.overlay) == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_manager_window_is_not_clipped(qtbot, db, runner, ui_language, now, store, code):
    manager, _customer_id = store
    ui_language.set_language(code)
    audit.record(
        db,
        at=now,
        staff_id=manager.staff_id,
        action="export_visits",
        subject="visits.csv",
        detail=json.dumps({"format": "csv", "rows": 3, "filter": {"start": now - 86400 * 30}}),
    )
    window = ManagerWindow(runner, manager, load_settings(db), ui_language, lambda: now)
    qtbot.addWidget(window)
    window.resize(1264, 760)
    window.show()
    for key in TABS:
        window.show_tab(key)
        settle(qtbot)
        assert clipping(window) == [], key
        fits_a_laptop(window)
    for member in sign_in_list(db):
        looks_right(qtbot, StaffDialog(member, window))
    looks_right(qtbot, StaffDialog(None, window))


def test_audit_details_are_words_and_local_times(ui_language, now):
    from counter.audit import AuditEntry

    def entry(action: str, detail: str) -> AuditEntry:
        return AuditEntry(1, now, 1, "Sarah", action, "", detail)

    filter_ = {"start": now - 7 * 86400, "end": now, "complaint": True, "wait_over": 300}
    text = detail_text(
        entry("export_visits", json.dumps({"format": "xlsx", "rows": 12, "filter": filter_}))
    )
    assert "{" not in text and str(now) not in text
    assert "12 visits" in text and "XLSX" in text and "Had a complaint" in text
    assert "from Nov 17, 2026 to Nov 24, 2026" in text  # local dates
    assert detail_text(entry("staff_changed", "manager, inactive")) == "Manager, cannot sign in"
    assert detail_text(entry("settings_changed", "store_name, wait_red_minutes")) == (
        "Store name and A wait turns red after"
    )
    assert detail_text(entry("discard_visit", "Left before being served")) == (
        "Left before being served"
    )


@pytest.mark.parametrize("code", LANGUAGES)
def test_data_safety_dialogs_are_not_clipped(qtbot, runner, ui_language, now, tmp_path, code):
    from counter.integrity import Trouble, problem
    from ui.import_dialog import ImportDialog
    from ui.restore_dialog import RestoreDialog
    from ui.startup_dialog import StartupDialog

    ui_language.set_language(code)
    for trouble in Trouble:
        looks_right(qtbot, StartupDialog(problem(trouble, tmp_path / "counter.db"), [], tmp_path))
    looks_right(qtbot, RestoreDialog(runner, tmp_path, clock=lambda: now))
    looks_right(qtbot, ImportDialog(runner, phone_region="HU", clock=lambda: now))
