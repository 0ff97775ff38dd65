"""The bench's "sync running" load (counter.bench.background_sync) really syncs: the measured
counter downloads the visits another counter ends meanwhile, into the file being measured."""

from __future__ import annotations

import time
from pathlib import Path

from counter.bench.background_sync import SyncLoad
from counter.storage import sync_sql


def _ended_walk_ins(db) -> set[str]:
    return {
        row[0]
        for row in db.conn.execute(
            "SELECT walk_in_name FROM visits "
            "WHERE ended_at IS NOT NULL AND walk_in_name IS NOT NULL"
        )
    }


def test_the_measured_counter_receives_the_other_counters_visits(make_counter, hub):
    measured, _ = make_counter("Bench")
    other, _ = make_counter("Bench")
    store_id = sync_sql.state(measured)["store_id"]
    path = Path(measured.conn.execute("PRAGMA database_list").fetchone()[2])
    other_path = Path(other.conn.execute("PRAGMA database_list").fetchone()[2])
    load = SyncLoad(hub, store_id, measured=path, other=other_path, now=5000, every_s=0.05)
    wanted = {f"Background {i}" for i in range(1, 4)}
    deadline = time.monotonic() + 30
    # Read on this thread's own connection to the measured file, while the load writes it.
    while not wanted <= _ended_walk_ins(measured) and time.monotonic() < deadline:
        time.sleep(0.05)
    activity = load.stop()
    assert wanted <= _ended_walk_ins(measured)
    assert activity.visits_ended >= 3 and activity.syncs >= 2 and activity.applied > 0
    # The other counter only uploads: it never took the measured counter's rows back.
    assert _ended_walk_ins(other) <= {
        f"Background {i}" for i in range(1, activity.visits_ended + 1)
    }


def test_a_failing_worker_is_reported_when_stopped(make_counter, hub, tmp_path):
    measured, _ = make_counter("Bench")
    store_id = sync_sql.state(measured)["store_id"]
    path = Path(measured.conn.execute("PRAGMA database_list").fetchone()[2])
    load = SyncLoad(hub, store_id, measured=path, other=tmp_path / "never-joined.db", now=5000)
    time.sleep(1.0)  # the other counter's first visit, then its sync: not joined
    try:
        load.stop()
    except RuntimeError as error:
        assert "sync load failed" in str(error)
    else:
        raise AssertionError("a worker that failed must not go unnoticed")
