"""Targets and settings per store reach the store's counters: what the office sets on the hub
arrives at that store's counters after a sync and at no other store's; a new store takes the
hub's defaults; a change a store's manager makes at one counter reaches the store's other
counters and the office; a counter joining with its own language keeps it."""

from __future__ import annotations

import pytest

from counter import office
from counter.auth import set_up_store
from counter.errors import ValidationError
from counter.hub import schema
from counter.hub.connection import connect, split_password
from counter.settings import load_settings, pending_for_hub, save_store_settings
from counter.storage import open_database, sync_sql
from counter.sync import join, run_once

NOW = 1_700_000_000


@pytest.fixture
def hub_logins(hub, pg_cluster, role_name):
    """url_for(store) -> a store login's URL; the office's connection."""
    admin = connect(hub)
    dbname = hub.rsplit("/", 1)[1]
    urls = {}

    def url_for(store: str) -> str:
        if store not in urls:
            role = role_name(store)
            schema.create_counter_login(admin, role, f"pw-{store}")
            urls[store] = pg_cluster.url(dbname, user=role, password=f"pw-{store}")
        return urls[store]

    office_role = role_name("office")
    schema.create_office_login(admin, office_role, "pw-office")
    office_conn = connect(pg_cluster.url(dbname, user=office_role, password="pw-office"))
    yield url_for, office_conn
    office_conn.close()
    admin.close()


@pytest.fixture
def counters(tmp_path, hub_logins):
    """counter(store, language=..., manager=True) -> (db, conn, session), joined and synced."""
    url_for, _office = hub_logins
    opened = []

    def counter(store: str, *, language: str = "en", name: str = "", manager: bool = True):
        db = open_database(tmp_path / f"{store}-{len(opened)}.db")
        url = url_for(store)
        conn = connect(url)
        opened.append((db, conn))
        session = None
        if manager:
            session = set_up_store(
                db, store_name=name or store.title(), store_language=language,
                manager_name=f"Manager {len(opened)}", pin="482913", now=NOW - 100,
            )  # fmt: skip
        join(db, conn, hub=split_password(url)[0], store=store, now=NOW)
        return db, conn, session

    yield counter
    for db, conn in opened:
        conn.close()
        db.close()


def _targets(db):
    s = load_settings(db)
    return (s.wait_amber_minutes, s.wait_red_minutes, s.service_target_minutes)


def _store_id(db) -> int:
    return int(sync_sql.state(db)["store_id"])


def test_a_target_set_by_the_office_reaches_its_stores_counters_only(hub_logins, counters):
    _url_for, office_conn = hub_logins
    n1, n1_conn, _ = counters("north")
    n2, n2_conn, _ = counters("north", manager=False)
    s1, s1_conn, _ = counters("south")
    assert _targets(n1) == _targets(s1) == (3, 8, 10)  # the hub's defaults

    scope = office.open_scope(office_conn)
    office.set_store_settings(
        office_conn, scope, _store_id(n1), display_name="North (High St)", language="hu",
        wait_amber_minutes=2, wait_red_minutes=6, service_target_minutes=12,
    )  # fmt: skip
    result = run_once(n1, n1_conn, now=NOW + 10)
    assert set(result.settings) == {
        "store_name", "store_language", "wait_amber_minutes", "wait_red_minutes",
        "service_target_minutes",
    }  # fmt: skip
    run_once(n2, n2_conn, now=NOW + 10)
    for db in (n1, n2):
        s = load_settings(db)
        assert _targets(db) == (2, 6, 12)
        assert (s.store_name, s.store_language) == ("North (High St)", "hu")
    # Another store's counter: nothing of north's.
    assert run_once(s1, s1_conn, now=NOW + 10).settings == []
    s = load_settings(s1)
    assert _targets(s1) == (3, 8, 10) and (s.store_name, s.store_language) == ("South", "en")
    # Nothing changed since: a sync changes nothing.
    assert run_once(n1, n1_conn, now=NOW + 20).settings == []


def test_a_new_store_takes_the_hubs_defaults_and_a_joining_counter_keeps_its_language(
    hub_logins, counters
):
    _url_for, office_conn = hub_logins
    office.set_hub_defaults(
        office_conn, office.open_scope(office_conn), wait_amber_minutes=4, language="sk"
    )
    west, _conn, _ = counters("west")  # Counter's own defaults: the hub's apply
    assert _targets(west) == (4, 8, 10) and load_settings(west).store_language == "sk"
    east, _conn, _ = counters("east", language="tr")  # its manager chose Turkish
    assert load_settings(east).store_language == "tr"
    by_name = {s.name: s for s in office.open_scope(office_conn).stores}
    assert by_name["east"].language == "tr" and by_name["east"].wait_amber_minutes == 4
    assert pending_for_hub(east) == {}


def test_a_managers_change_reaches_the_stores_other_counters_and_the_office(hub_logins, counters):
    _url_for, office_conn = hub_logins
    n1, n1_conn, manager = counters("north")
    n2, n2_conn, _ = counters("north", manager=False)
    # The office changes the service target; this counter has not synced since.
    office.set_store_settings(
        office_conn, office.open_scope(office_conn), _store_id(n1), service_target_minutes=14
    )
    save_store_settings(  # the form saves every field; only what changed here goes up
        n1, manager,
        {"wait_amber_minutes": "5", "wait_red_minutes": "11", "service_target_minutes": "10",
         "store_name": "North"},
        now=NOW + 5,
    )  # fmt: skip
    assert set(pending_for_hub(n1)) == {"wait_amber_minutes", "wait_red_minutes"}
    # Sent up; the office's service target comes down.
    assert run_once(n1, n1_conn, now=NOW + 10).settings == ["service_target_minutes"]
    assert pending_for_hub(n1) == {} and _targets(n1) == (5, 11, 14)
    assert set(run_once(n2, n2_conn, now=NOW + 10).settings) == {
        "wait_amber_minutes",
        "wait_red_minutes",
        "service_target_minutes",
    }
    assert _targets(n2) == (5, 11, 14)
    north = office.open_scope(office_conn).store(_store_id(n1))
    assert (north.wait_amber_minutes, north.wait_red_minutes) == (5, 11)
    # A value the counter would refuse from a manager stays as it is here.
    office.set_store_settings(
        office_conn, office.open_scope(office_conn), _store_id(n1), wait_amber_minutes=0,
        service_target_minutes=20,
    )  # fmt: skip
    assert run_once(n2, n2_conn, now=NOW + 20).settings == ["service_target_minutes"]
    assert _targets(n2) == (5, 11, 20)
    with pytest.raises(ValidationError):  # the same refusal a manager gets here
        save_store_settings(n1, manager, {"wait_amber_minutes": "0"}, now=NOW + 30)
