"""A store's targets set by the office reach the store's counter window through its sync, as a
person sees it: joined by hand in the Hub tab, "Sync now" clicked, the queue's wait timers and
the Store setup tab follow; a target a manager saves in Store setup reaches the office; another
store's counter is left alone."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from counter import office
from counter.hub import schema
from counter.hub.connection import connect
from tests.hub.test_hub_ui import (  # noqa: F401
    PASSWORD,
    WAIT_MS,
    click,
    counters,
    hub_tab,
    join_by_hand,
    store_login,
)
from tests.ui.conftest import type_text


def test_the_offices_targets_reach_this_stores_counter_and_a_managers_reach_the_office(
    qtbot,
    counters,  # noqa: F811
    pg_cluster,
    hub,
    hub_db,
    store_login,  # noqa: F811
    role_name,
):
    other_login = role_name("other")
    with connect(hub) as admin:
        schema.create_counter_login(admin, other_login, PASSWORD)
        schema.create_office_login(admin, role_name("office"), "pw-office")
    office_url = pg_cluster.url(hub_db, user=role_name("office"), password="pw-office")
    with connect(office_url) as office_conn:  # before any store: the hub's defaults
        office.set_hub_defaults(office_conn, office.open_scope(office_conn), wait_amber_minutes=4)
    a = counters.open("a")
    b = counters.open("b")
    assert a.queue.model.amber_seconds == 3 * 60  # Counter's own default
    view = join_by_hand(qtbot, a, pg_cluster, hub_db, store_login)
    # The join's first sync brings the hub's defaults for a new store: the window follows.
    qtbot.waitUntil(lambda: a.queue.model.amber_seconds == 4 * 60, timeout=WAIT_MS)
    b_view = hub_tab(b)
    from tests.hub.test_hub_ui import fill

    qtbot.waitUntil(lambda: b_view.join_button.isVisible())
    fill(b_view, pg_cluster, hub_db, other_login, PASSWORD, store="Other street")
    click(qtbot, b_view.join_button)
    qtbot.waitUntil(lambda: b_view.message.text().startswith("Joined."), timeout=WAIT_MS)

    with connect(office_url) as office_conn:
        scope = office.open_scope(office_conn)
        main = next(s for s in scope.stores if s.name == "Main street")
        office.set_store_settings(
            office_conn, scope, main.id, wait_amber_minutes=2, wait_red_minutes=5,
            service_target_minutes=12,
        )  # fmt: skip

    manager = a.session_actions.manager_window
    assert manager is not None
    click(qtbot, view.sync_button)
    qtbot.waitUntil(lambda: a.queue.model.amber_seconds == 2 * 60, timeout=WAIT_MS)
    assert a.queue.model.red_seconds == 5 * 60
    spins = manager.store_settings.minutes
    qtbot.waitUntil(lambda: spins["wait_amber_minutes"].value() == 2, timeout=WAIT_MS)
    assert spins["service_target_minutes"].value() == 12
    assert manager.log.wait_over.text() == "Waited over 2 min"

    # The other store's counter syncs too, and keeps the hub's defaults.
    click(qtbot, b_view.sync_button)
    qtbot.waitUntil(lambda: b.sync_status.text().startswith("Synced"), timeout=WAIT_MS)
    assert b.queue.model.amber_seconds == 4 * 60 and b.settings.service_target_minutes == 10

    # The store's manager sets a target in Store setup: the office sees it after a sync.
    manager.show_tab("setup")
    manager.setup_tabs.setCurrentWidget(manager.setup)
    spins["service_target_minutes"].setValue(15)
    type_text(manager.store_settings.store_name, "Main St. Repairs")  # it had none yet
    click(qtbot, manager.store_settings.save_button)
    qtbot.waitUntil(lambda: a.settings.service_target_minutes == 15, timeout=WAIT_MS)
    manager.show_tab("hub")
    click(qtbot, view.sync_button)

    def office_sees() -> int:
        with connect(office_url) as conn:
            return office.open_scope(conn).store(main.id).service_target_minutes

    qtbot.waitUntil(lambda: office_sees() == 15, timeout=WAIT_MS)
    with connect(office_url) as conn:  # the store's name as its manager typed it, too
        assert office.open_scope(conn).store(main.id).name == "Main St. Repairs"
