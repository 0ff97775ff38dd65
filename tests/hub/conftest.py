"""A throw-away PostgreSQL cluster for the hub tests: initdb in a temporary folder, its own port
and socket folder, run as the unprivileged ``postgres`` user when the suite runs as root, and
always stopped at the end. A system cluster is never touched.

Each test gets a database of its own (``hub_url``); roles are cluster-wide, so tests that make
counter roles give them names of their own (``role_name``)."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

psycopg = pytest.importorskip("psycopg")

SUPERUSER = "hubadmin"
SUPERUSER_PASSWORD = "hub-admin-secret"


def _bin_dir() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    bin: Path
    data: Path
    port: int
    as_user: list[str]

    def url(self, dbname: str = "postgres", user: str = SUPERUSER, password: str | None = None):
        password = SUPERUSER_PASSWORD if password is None and user == SUPERUSER else password
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}"

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), *args],
            capture_output=True,
            text=True,
            check=check,
        )

    def start(self) -> None:
        self.pg_ctl("-w", "-l", str(self.data.parent / "log"), "start")

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop", check=False)


@pytest.fixture(scope="session")
def pg_cluster():
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries (initdb) on this machine: the hub tests need them")
    root = Path(tempfile.mkdtemp(prefix="counter-hub-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root: the cluster belongs to the unprivileged postgres user.
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = root / "data"
    pwfile = root / "pw"
    pwfile.write_text(SUPERUSER_PASSWORD + "\n")
    if as_user:
        shutil.chown(pwfile, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    with open(data / "postgresql.conf", "a") as conf:
        conf.write(
            f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{root}'\nfsync = off\n"
            "max_connections = 60\nshared_buffers = 32MB\n"
        )
    cluster = Cluster(bin_dir, data, port, as_user)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


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
