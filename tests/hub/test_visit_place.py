"""Every visit records its store and counter on every counter (m011): this counter's own for
the visits made here, the hub's for downloaded ones (change by change and in bulk), with the
counters' names from the hub."""

from __future__ import annotations

import pytest

from counter.hub.connection import connect, split_password
from counter.storage import open_database
from counter.sync import join, run_once
from counter.visits import check_in


def _places(db):
    return {
        r[0]: tuple(r[1:])
        for r in db.execute("SELECT walk_in_name, store_name, counter_name FROM visits")
    }


def _joined(tmp_path, hub, name: str, store: str = "Main", **kwargs):
    db = open_database(tmp_path / f"{name}.db")
    conn = connect(hub)
    if name == "Till 0":  # a visit made before joining: this counter's too
        check_in(db, now=1500, walk_in_name="Before")
    join(db, conn, hub=split_password(hub)[0], store=store, now=1000, name=name, **kwargs)
    return db, conn


@pytest.mark.parametrize("bulk", [True, False])
def test_downloaded_visits_record_the_store_and_counter_that_made_them(tmp_path, hub, bulk):
    a, ca = _joined(tmp_path, hub, "Till 0")
    b, cb = _joined(tmp_path, hub, "Till 1")
    try:
        check_in(a, now=2000, walk_in_name="At A")
        check_in(b, now=2001, walk_in_name="At B")
        run_once(a, ca, now=3000)
        run_once(b, cb, now=3001)
        run_once(a, ca, now=3002)
        expected = {
            "Before": ("Main", "Till 0"),
            "At A": ("Main", "Till 0"),
            "At B": ("Main", "Till 1"),
        }
        assert _places(a) == expected
        assert _places(b) == expected
        # A counter that joins later downloads them (in bulk, or change by change).
        c, cc = _joined(tmp_path, hub, "Till 2", bulk=bulk)
        try:
            assert _places(c) == expected
            ids = {r[0] for r in c.execute("SELECT DISTINCT store_id FROM visits")}
            assert ids == {a.execute("SELECT store_id FROM sync_state").fetchone()[0]}
        finally:
            cc.close()
            c.close()
    finally:
        for db, conn in ((a, ca), (b, cb)):
            conn.close()
            db.close()
