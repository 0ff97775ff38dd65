"""One change signal: every write says what it changed, and each view reloads only for what it
shows (the queue for the queue, the profile for the customer on screen, the manager's log and
dashboard for visits), also for changes that arrive from elsewhere (``from_hub``)."""

from __future__ import annotations

from datetime import UTC, date

import pytest

import ui.i18n as ui_i18n
from counter import visits
from counter.customers import CustomerInput, create_customer, update_customer
from counter.i18n import Translator
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import staff_sql
from tests.core.report_fixtures import NOW, START, add_visit, build_store
from ui.changes import ChangeBus, Changes
from ui.main_window import MainWindow
from ui.manager_view.manager_window import ManagerWindow
from ui.manager_view.period import to_qdate


@pytest.fixture
def people(db, now):
    staff = staff_sql.insert_staff(db, "Zeynep", "staff", "", now - 1000)
    anna = create_customer(
        db, CustomerInput("Anna", "Kovács", language="hu", title="ms"), now=now, phone_region="HU"
    )
    emma = create_customer(db, CustomerInput("Emma", "Stone"), now=now, phone_region="GB")
    return {"staff": staff, "anna": anna.id, "emma": emma.id}


@pytest.fixture
def window(qtbot, runner, db, people, ui_language, now):
    main = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    main.signed_in.set(Session(people["staff"], "Zeynep", "staff", now))
    qtbot.addWidget(main)
    return main


def test_the_profile_reloads_only_for_the_customer_on_screen(window, db, people, now):
    window.open_customer(people["anna"])
    assert window.profile.name.text() == "Kovács Anna"
    # Written behind the screen's back (another counter, the hub): nothing shows it yet.
    update_customer(db, people["anna"], CustomerInput("Anna", "Szabó"), now=now, phone_region="HU")
    window.changes.notify(Changes.of_customer(people["emma"], customers=True))
    window.changes.notify(Changes(visit_details=True, customer_ids=frozenset({people["anna"]})))
    window.changes.notify(Changes(settings=True))
    assert window.profile.name.text() == "Kovács Anna"
    window.changes.notify(Changes.of_customer(people["anna"], customers=True, from_hub=True))
    assert window.profile.name.text() == "Anna Szabó"


def test_the_queue_reloads_only_when_the_queue_changed(window, db, people, now):
    assert window.queue.model.rowCount() == 0
    visits.check_in(db, customer_id=people["anna"], now=now)
    window.changes.notify(Changes(visit_details=True, follow_ups=True, customers=True))
    assert window.queue.model.rowCount() == 0
    window.changes.notify(Changes(queue=True, visits=True, from_hub=True))
    assert window.queue.model.rowCount() == 1


def test_each_write_announces_what_it_changed(window, qtbot, people):
    with qtbot.waitSignal(window.changes.changed) as checked_in:
        window.visit_actions.check_in_walk_in("Lady with umbrella")
    change = checked_in.args[0]
    assert change.queue and change.visits and change.customer_ids == frozenset()
    assert window.queue.model.rowCount() == 1

    window.open_customer(people["anna"])
    with qtbot.waitSignal(window.changes.changed) as served:
        window.visit_actions.serve_customer_now()
    change = served.args[0]
    assert change.visit_details and not change.queue and change.concerns(people["anna"])
    assert not change.concerns(people["emma"])

    with qtbot.waitSignal(window.changes.changed) as ticked:
        window.visit_panel.toggle_step("greet")
    change = ticked.args[0]
    assert change.visit_details and not (change.visits or change.queue)


def test_signing_in_is_announced_and_shown(window, qtbot, people, now):
    with qtbot.waitSignal(window.signed_in.changed):
        window.session_actions.set_session(Session(people["staff"], "Ayla", "staff", now))
    assert window.staff_id == people["staff"]
    assert window.session_actions.who.text() == "Ayla"
    assert "Signed in: Ayla" in window.statusBar().currentMessage()


@pytest.fixture
def utc_ui(ui_language, monkeypatch):
    monkeypatch.setattr(ui_i18n, "_current", Translator("en", tz=UTC))
    return ui_language


def test_the_manager_log_and_dashboard_follow_visits_ended_elsewhere(qtbot, runner, db, utc_ui):
    store = build_store(db)
    bus = ChangeBus()
    manager = ManagerWindow(
        runner, store.manager, load_settings(db), utc_ui, clock=lambda: NOW, changes=bus
    )
    qtbot.addWidget(manager)
    manager.show()
    first_day = to_qdate(date(2026, 11, 17))  # START, a Tuesday
    for key, view in (("dashboard", manager.dashboard), ("log", manager.log)):
        manager.show_tab(key)
        view.from_date.setDate(first_day)
        view.to_date.setDate(first_day.addDays(2))
    counted = manager.dashboard.dashboard.visits
    listed = manager.log.model.rowCount()
    assert counted == listed > 0
    add_visit(db, staff=store.sam, customer=None, arrived=START + 600, wait=30, service=300)

    bus.notify(Changes(settings=True, visit_details=True))  # nothing either of them shows
    assert manager.log.model.rowCount() == listed
    bus.notify(Changes(visits=True, from_hub=True))
    assert manager.log.model.rowCount() == listed + 1  # on screen: at once
    assert manager.dashboard.dashboard.visits == counted  # not on screen: not yet
    manager.show_tab("dashboard")
    assert manager.dashboard.dashboard.visits == counted + 1


def test_the_manager_window_announces_its_saves(qtbot, runner, db, utc_ui):
    store = build_store(db)
    bus = ChangeBus()
    manager = ManagerWindow(
        runner, store.manager, load_settings(db), utc_ui, clock=lambda: NOW, changes=bus
    )
    qtbot.addWidget(manager)
    dialog = manager.staff.add_member()
    dialog.name.setText("Priya")
    dialog.pin.setText("4321")
    with qtbot.waitSignal(bus.changed) as added:
        dialog._submit()
    assert added.args[0] == Changes(staff=True)
    manager.store_settings.store_name.setText("Corner Shop")
    with qtbot.waitSignal(bus.changed) as saved:
        manager.store_settings.save_button.click()
    assert saved.args[0] == Changes(settings=True)
