"""A counter process killed with SIGKILL during upload and during download: after a restart
and a sync, no change is lost or doubled."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from counter.customers import CustomerInput, create_customer
from counter.hub.connection import connect, split_password
from counter.storage import open_database, sync_sql
from counter.sync import join, run_once

# Runs sync in a child process that SIGKILLs itself at the point named by argv[3]:
#   upload:   the hub committed a batch, the local outbox delete has not happened
#   download: inside a page's local transaction, rows written, cursor not yet
_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from counter.hub.connection import connect
    from counter.storage import open_database, sync_sql
    from counter.sync import run_once

    path, url, point = sys.argv[1], sys.argv[2], sys.argv[3]
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    if point == "upload":
        sync_sql.outbox_done = die
    else:
        sync_sql.set_cursor = die
    db = open_database(path)
    run_once(db, connect(url), now=9000, batch=4, page_size=4)
    """
)


def _kill_during(point, path, url):
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), url, point], capture_output=True, text=True
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.parametrize("point", ["upload", "download"])
def test_sigkill_loses_and_doubles_nothing(point, tmp_path, hub):
    url = split_password(hub)[0]
    conns = [connect(hub), connect(hub)]
    dbs = [open_database(tmp_path / "a.db"), open_database(tmp_path / "b.db")]
    try:
        for db, conn in zip(dbs, conns, strict=True):
            join(db, conn, hub=url, store="Main", now=1000)
        a, b = dbs
        # The child downloads into A what B made, or uploads what A made.
        maker = b if point == "download" else a
        for i in range(10):
            create_customer(maker, CustomerInput(given_name=f"N{i}"), now=2000 + i, phone_region="")
        if point == "download":
            run_once(b, conns[1], now=3000)
        waiting = sync_sql.outbox_count(a)
        a.close()
        _kill_during(point, tmp_path / "a.db", hub)
        a = dbs[0] = open_database(tmp_path / "a.db")
        if point == "upload":
            assert sync_sql.outbox_count(a) == waiting  # the batch is still waiting here
        else:
            assert a.execute("SELECT count(*) FROM customers").fetchone()[0] == 0  # rolled back
        for _ in range(2):
            run_once(a, conns[0], now=9100)
            run_once(b, conns[1], now=9101)
        for db in dbs:
            names = sorted(r[0] for r in db.execute("SELECT given_name FROM customers"))
            assert names == sorted(f"N{i}" for i in range(10))
            assert sync_sql.outbox_count(db) == 0
        assert conns[0].execute(
            "SELECT count(*), count(DISTINCT gid) FROM counter.changes WHERE tbl = 'customers'"
        ).fetchone() == (10, 10)  # fmt: skip
    finally:
        for conn in conns:
            conn.close()
        for db in dbs:
            db.close()
