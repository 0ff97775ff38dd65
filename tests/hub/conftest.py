"""A throw-away PostgreSQL cluster for the hub tests: initdb in a temporary folder, its own port
and socket folder, run as the unprivileged ``postgres`` user when the suite runs as root, and
always stopped at the end. A system cluster is never touched.

Each test gets a database of its own (``hub_url``); roles are cluster-wide, so tests that make
counter roles give them names of their own (``role_name``)."""

from __future__ import annotations

import itertools
import os

import pytest

psycopg = pytest.importorskip("psycopg")

from counter.hub import local_cluster  # noqa: E402
from counter.hub.local_cluster import free_port as _free_port  # noqa: E402, F401


@pytest.fixture(scope="session")
def pg_cluster():
    try:
        cluster = local_cluster.create()
    except FileNotFoundError:
        pytest.skip("no PostgreSQL binaries (initdb) on this machine: the hub tests need them")
    try:
        yield cluster
    finally:
        cluster.remove()


_names = itertools.count(1)


@pytest.fixture
def hub_db(pg_cluster) -> str:
    """A new, empty database on the throw-away cluster; its name."""
    name = f"hub{os.getpid()}_{next(_names)}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


@pytest.fixture
def hub_url(pg_cluster, hub_db) -> str:
    """The superuser's URL of a new hub database (not initialised yet)."""
    return pg_cluster.url(hub_db)


@pytest.fixture
def role_name():
    """Unique role names for this test: role_name("a") -> "c123_4_a"."""
    prefix = f"c{os.getpid()}_{next(_names)}"
    return lambda suffix: f"{prefix}_{suffix}"


@pytest.fixture
def hub(hub_url) -> str:
    """An initialised hub database; the superuser's URL."""
    from counter.hub import schema
    from counter.hub.connection import connect

    with connect(hub_url) as conn:
        schema.apply(conn)
    return hub_url


@pytest.fixture
def make_counter(tmp_path, hub):
    """make_counter(store="Main") -> (db, conn): a new counter database (a file) joined to
    the hub with the superuser's login (one store) or ``url`` (a store login). Closed after."""
    from counter.hub.connection import connect, split_password
    from counter.storage import open_database
    from counter.sync import join

    opened = []
    numbers = itertools.count(1)

    def make(store: str = "Main", url: str | None = None, *, joined: bool = True, now: int = 1000):
        db = open_database(tmp_path / f"counter{next(numbers)}.db")
        conn = connect(url or hub)
        opened.append((db, conn))
        if joined:
            join(db, conn, hub=split_password(url or hub)[0], store=store, now=now)
        return db, conn

    yield make
    for db, conn in opened:
        conn.close()
        db.close()
