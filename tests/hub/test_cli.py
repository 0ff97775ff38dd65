"""The command line as a person types it: hub init, join, sync, status; and the plain messages
for a wrong password, a hub that is down and a hub newer than this Counter."""

from __future__ import annotations

import os
import stat

import pytest

from counter import cli
from counter.customers import CustomerInput, create_customer
from counter.hub import schema
from counter.hub.connection import connect
from counter.storage import open_database, sync_sql


def _run(*argv) -> int:
    return cli.run_command(cli.build_parser().parse_args(list(argv)))


@pytest.fixture
def config(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    monkeypatch.setenv("COUNTER_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def store_login(hub, pg_cluster, role_name):
    role = role_name("store")
    with connect(hub) as admin:
        schema.create_counter_login(admin, role, "s3cret-pw")
    return pg_cluster.url(hub.rsplit("/", 1)[1], user=role, password="s3cret-pw")


def _database(path, name="Ayşe"):
    db = open_database(path)
    create_customer(db, CustomerInput(given_name=name), now=1000, phone_region="TR")
    db.close()


def test_hub_init_twice_changes_nothing(hub_url, capsys):
    assert _run("hub", "init", hub_url) == 0
    names = ", ".join(name for _, name, _ in schema.MIGRATIONS)
    assert f"applied {names}" in capsys.readouterr().out
    with connect(hub_url) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'counter'"
        ).fetchone()[0]
    assert _run("hub", "init", hub_url) == 0
    assert "up to date" in capsys.readouterr().out
    with connect(hub_url) as conn:
        assert conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'counter'"
        ).fetchone()[0] == tables  # fmt: skip
        assert conn.execute("SELECT count(*) FROM counter.hub_migrations").fetchone()[0] == len(
            schema.MIGRATIONS
        )


def test_join_sync_status_and_the_password_stays_out_of_the_file(
    tmp_path, store_login, config, capsys
):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    _database(one, "Ayşe")
    _database(two, "Zoltán")
    assert _run("--db", str(one), "hub", "join", store_login, "--store", "Main") == 0
    out = capsys.readouterr().out
    assert "Joined" in out and "s3cret-pw" not in out
    assert _run("--db", str(two), "hub", "join", store_login, "--store", "Main") == 0
    capsys.readouterr()
    assert _run("--db", str(one), "sync") == 0
    assert "1 downloaded" in capsys.readouterr().out
    for path in (one, two):
        db = open_database(path)
        assert {r[0] for r in db.execute("SELECT given_name FROM customers")} == {
            "Ayşe",
            "Zoltán",
        }
        assert "s3cret-pw" not in sync_sql.state(db)["hub"]
        db.close()
        for f in path.parent.glob(path.name + "*"):
            assert b"s3cret-pw" not in f.read_bytes()
    # No keyring on this machine: the password is in a file only this user can read.
    secrets = config / "hub-passwords.json"
    assert stat.S_IMODE(os.stat(secrets).st_mode) == 0o600
    assert _run("--db", str(one), "hub", "status") == 0
    out = capsys.readouterr().out
    assert "Store:        Main" in out and "Waiting:      0 changes" in out
    assert "s3cret-pw" not in out


def test_a_wrong_password_is_said_plainly_and_nothing_is_lost(
    tmp_path, store_login, config, capsys
):
    path = tmp_path / "c.db"
    _database(path)
    wrong = store_login.replace("s3cret-pw", "nope")
    assert _run("--db", str(path), "hub", "join", wrong, "--store", "Main") == 1
    err = capsys.readouterr().err
    assert "refused the password" in err and "Traceback" not in err and "nope" not in err
    db = open_database(path)
    assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == 1
    assert not sync_sql.state(db)["joined"]
    db.close()


def test_a_hub_that_is_down_gives_a_plain_message_and_loses_nothing(
    tmp_path, store_login, config, capsys, pg_cluster
):
    path = tmp_path / "c.db"
    _database(path)
    assert _run("--db", str(path), "hub", "join", store_login, "--store", "Main") == 0
    db = open_database(path)
    create_customer(db, CustomerInput(given_name="Offline"), now=2000, phone_region="TR")
    # The hub moves away (a closed port): the saved URL now points nowhere.
    from tests.hub.conftest import _free_port

    dead = sync_sql.state(db)["hub"].replace(str(pg_cluster.port), str(_free_port()))
    with db.conn:
        db.execute("UPDATE sync_state SET hub = ?", [dead])
    db.close()
    capsys.readouterr()
    assert _run("--db", str(path), "sync") == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "Nothing is lost" in err
    assert _run("--db", str(path), "hub", "status") == 0
    out = capsys.readouterr().out
    assert "Waiting:      1 changes" in out and "cannot be reached" in out


def test_a_hub_newer_than_this_counter_is_refused(tmp_path, hub, config, capsys):
    path = tmp_path / "c.db"
    _database(path)
    with connect(hub) as admin:
        admin.execute("INSERT INTO counter.hub_migrations (version, name) VALUES (99, 'future')")
    assert _run("--db", str(path), "hub", "join", hub, "--store", "Main") == 1
    err = capsys.readouterr().err
    assert "newer than this Counter" in err
    assert _run("hub", "init", hub) == 1
    assert "newer than this Counter" in capsys.readouterr().err


def test_the_readme_setup_works_for_a_database_owner_who_is_not_superuser(
    pg_cluster, role_name, tmp_path, config, capsys, monkeypatch
):
    admin_role, store_role = role_name("admin"), role_name("main")
    name = f"{admin_role}_db"
    with connect(pg_cluster.url()) as su:
        su.execute(f"CREATE ROLE {admin_role} LOGIN CREATEROLE PASSWORD 'adm'")
        su.execute(f"CREATE DATABASE {name} OWNER {admin_role}")
    owner_url = pg_cluster.url(name, user=admin_role, password="adm")
    monkeypatch.setenv("COUNTER_HUB_ROLE_PASSWORD", "store-pw")
    assert _run("hub", "init", owner_url, "--role", store_role) == 0
    assert f"Login {store_role} created" in capsys.readouterr().out
    assert _run("hub", "init", owner_url, "--role", store_role) == 0
    path = tmp_path / "c.db"
    _database(path)
    store_url = pg_cluster.url(name, user=store_role, password="store-pw")
    assert _run("--db", str(path), "hub", "join", store_url, "--store", "Main street") == 0
    assert _run("--db", str(path), "sync") == 0


def test_office_role_command_makes_a_login_that_reads_every_store(
    hub_url, pg_cluster, role_name, monkeypatch, capsys
):
    monkeypatch.setenv("COUNTER_HUB_ROLE_PASSWORD", "pw-office")
    store, office_role = role_name("store"), role_name("office")
    assert _run("hub", "init", hub_url, "--role", store) == 0
    assert _run("hub", "office-role", hub_url, office_role) == 0
    assert "reads every store" in capsys.readouterr().out
    assert _run("hub", "office-role", hub_url, office_role) == 0  # twice: nothing new
    assert "already existed" in capsys.readouterr().out
    # A store's login is not made an office login, nor the office's a store's.
    assert _run("hub", "office-role", hub_url, store) == 1
    assert "store's login" in capsys.readouterr().err
    assert _run("hub", "init", hub_url, "--role", office_role) == 1
    url = pg_cluster.url(hub_url.rsplit("/", 1)[1], user=office_role, password="pw-office")
    with connect(url) as conn:
        assert conn.execute(
            "SELECT pg_has_role(current_user, 'counter_office', 'MEMBER')"
        ).fetchone()[0]


def test_targets_command_sets_a_stores_targets_and_the_defaults(
    hub_url, pg_cluster, role_name, monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv("COUNTER_HUB_ROLE_PASSWORD", "pw")
    store, office_role = role_name("store"), role_name("office")
    assert _run("hub", "init", hub_url, "--role", store, "--office", office_role) == 0
    dbname = hub_url.rsplit("/", 1)[1]
    path = tmp_path / "c.db"
    open_database(path).close()
    store_url = pg_cluster.url(dbname, user=store, password="pw")
    assert _run("--db", str(path), "hub", "join", store_url, "--store", "Main") == 0
    office_url = pg_cluster.url(dbname, user=office_role, password="pw")
    capsys.readouterr()
    assert _run("hub", "targets", office_url, "--wait-amber", "4") == 0
    assert "Main: language en, wait amber 4 min" in capsys.readouterr().out
    assert _run("hub", "targets", office_url, "--store", "Main", "--name", "Main St",
                "--service-target", "12") == 0  # fmt: skip
    assert "Main St: language en, wait amber 4 min, red 8 min, service target 12 min" in (
        capsys.readouterr().out
    )
    assert _run("hub", "targets", office_url, "--store", "Main", "--wait-red", "-3") == 1
    assert "Nothing was changed" in capsys.readouterr().err
    assert _run("hub", "targets", store_url, "--wait-amber", "1") == 1  # a store's login
    assert "not the office's" in capsys.readouterr().err
