"""A store's hub login may do only what sync needs: each refusal proved on the real server."""

from __future__ import annotations

import psycopg
import pytest

from counter.hub import schema
from counter.hub.connection import HubError, connect, split_password
from counter.storage import sync_sql, write_transaction
from counter.storage.staff_sql import insert_staff
from counter.sync import run_once


@pytest.fixture
def two_stores(hub, pg_cluster, role_name, make_counter):
    """Two store logins; one counter in each, with a staff member each."""
    admin = connect(hub)
    logins = {}
    for store in ("north", "south"):
        role = role_name(store)
        schema.create_counter_login(admin, role, f"pw-{store}")
        logins[store] = pg_cluster.url(hub.rsplit("/", 1)[1], user=role, password=f"pw-{store}")
    counters = {}
    for store, url in logins.items():
        db, conn = make_counter(store, url, joined=False)
        with write_transaction(db):
            insert_staff(db, f"Clerk of {store}", "staff", f"$argon2id$hash-{store}", 1000)
        from counter.sync import join

        join(db, conn, hub=split_password(url)[0], store=store, now=2000)
        counters[store] = (db, conn)
    yield admin, logins, counters
    admin.close()


def _refused(conn, statement, params=None):
    with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
        conn.execute(statement, params)


def test_a_store_login_can_do_no_ddl_drop_truncate_or_delete(two_stores):
    _, logins, _ = two_stores
    conn = connect(logins["north"])
    try:
        _refused(conn, "CREATE TABLE counter.mine (x int)")
        _refused(conn, "CREATE TABLE public.mine (x int)")
        _refused(conn, "CREATE TEMPORARY TABLE mine (x int)")
        _refused(conn, "CREATE SCHEMA mine")
        _refused(conn, "DROP TABLE counter.rows")
        _refused(conn, "ALTER TABLE counter.changes ADD COLUMN x int")
        _refused(conn, "TRUNCATE counter.changes")
        _refused(conn, "DELETE FROM counter.rows")
        _refused(conn, "DELETE FROM counter.changes")
        _refused(conn, "UPDATE counter.changes SET hlc = 0")
        _refused(conn, "UPDATE counter.rows SET store_id = store_id")
        _refused(conn, "DROP FUNCTION counter.erase_customer_text(text[])")
        _refused(conn, "INSERT INTO counter.hub_migrations (version, name) VALUES (99, 'x')")
    finally:
        conn.close()


def test_a_store_never_sees_another_stores_staff(two_stores):
    admin, _logins, counters = two_stores
    north_db, north = counters["north"]
    south_db, _south = counters["south"]
    run_once(north_db, north, now=3000)
    names = {r[0] for r in north_db.execute("SELECT name FROM staff")}
    assert names == {"Clerk of north"}
    hashes = [r[0] for r in north.execute(
        "SELECT data ->> 'pin_hash' FROM counter.rows WHERE tbl = 'staff'")]  # fmt: skip
    assert hashes == ["$argon2id$hash-north"]
    # The admin sees both: the rows are there, row-level security hides them.
    assert admin.execute(
        "SELECT count(*) FROM counter.rows WHERE tbl = 'staff'"
    ).fetchone()[0] == 2  # fmt: skip
    # Nor can north write a staff member into south's store, or claim south's login.
    south_id = admin.execute("SELECT id FROM counter.stores WHERE name = 'south'").fetchone()[0]
    with pytest.raises(psycopg.errors.InsufficientPrivilege), north.transaction():
        north.execute(
            "INSERT INTO counter.rows (tbl, gid, store_id, counter_gid, data, clocks) "
            "VALUES ('staff', 'x', %s, 'x', '{}', '{}')",
            [south_id],
        )
    with pytest.raises(psycopg.errors.InsufficientPrivilege), north.transaction():
        north.execute("INSERT INTO counter.stores (name, role) VALUES ('x', 'hubadmin')")
    # Joining another store's name with this login is refused in words.
    _db, _ = counters["north"]
    with pytest.raises(HubError) as refused:
        from counter.hub.hub_sql import store_for

        store_for(north, "south")
    assert "belongs to another hub login" in refused.value.message
    assert south_db.execute("SELECT count(*) FROM staff").fetchone()[0] == 1


def test_customers_are_shared_by_every_store(two_stores):
    from counter.customers import CustomerInput, create_customer

    _, _, counters = two_stores
    north_db, _north = counters["north"]
    south_db, _south = counters["south"]
    create_customer(north_db, CustomerInput(given_name="Shared"), now=2500, phone_region="TR")
    for db, conn in (counters["north"], counters["south"]):
        run_once(db, conn, now=3000)
    assert south_db.execute("SELECT given_name FROM customers").fetchall() == [("Shared",)]
    assert sync_sql.outbox_count(north_db) == 0


def test_an_erasure_in_one_store_blanks_the_customers_visits_in_every_store(two_stores):
    from counter.customers import CustomerInput, create_customer
    from counter.storage.privacy_sql import erase_customer
    from counter.visits import check_in

    admin, _, counters = two_stores
    north_db, north = counters["north"]
    south_db, south = counters["south"]
    x = create_customer(
        north_db, CustomerInput(given_name="Rahul"), now=2500, phone_region="TR"
    ).id  # fmt: skip
    visit = check_in(north_db, now=2600, customer_id=x).visit
    with write_transaction(north_db):
        north_db.execute("UPDATE visits SET need = 'for Rahul''s son' WHERE id = ?", [visit.id])
    run_once(north_db, north, now=2700)
    run_once(south_db, south, now=2701)
    # South never sees north's visit, but erases the shared customer.
    assert south_db.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    xs = south_db.execute("SELECT id FROM customers").fetchone()[0]
    with write_transaction(south_db):
        erase_customer(south_db, xs, 3000)
    run_once(south_db, south, now=3001)
    run_once(north_db, north, now=3002)
    assert north_db.execute("SELECT need, given_name FROM visits JOIN customers c "
                            "ON c.id = visits.customer_id").fetchall() == [("", "")]  # fmt: skip
    needs = [r[0] for r in admin.execute(
        "SELECT data ->> 'need' FROM counter.rows WHERE tbl = 'visits'")]  # fmt: skip
    assert needs == [""]
