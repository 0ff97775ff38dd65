"""A new counter's first download in bulk (counter.sync.engine._first_download): the same
data as applying it change by change, nothing half-built after a kill, and the download
pages that follow it ordered by transaction id."""

from __future__ import annotations

import contextlib
import functools
import json
import signal
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter.customers import CustomerInput, create_customer, update_customer
from counter.demo import fill_demo_data
from counter.hub.connection import connect, split_password
from counter.storage import open_database, sync_sql
from counter.storage.privacy_sql import erase_customer
from counter.sync import join, run_once
from counter.visits import check_in, end_visit, serve, set_outcome


def _by_gid(db, table, columns):
    return {
        r[0]: r[1:]
        for r in db.execute(f"SELECT gid, {', '.join(columns)} FROM {table} WHERE gid IS NOT NULL")
    }


def _local_state(db):
    """Everything a counter keeps about the synced rows, derived data included, with local
    ids replaced by global ids (two counters number their rows differently)."""
    staff = dict(db.execute("SELECT id, gid FROM staff").fetchall())
    staff[0] = "nobody"
    clocks = {
        (t, g): json.loads(c) for t, g, c in db.execute("SELECT tbl, gid, clocks FROM sync_clock")
    }
    dash = {
        table: sorted(
            (*r[:2], staff.get(r[2]), *r[3:])
            for r in db.execute(f"SELECT * FROM {table}")
            if any(v for v in r[-2:])  # rows counted back to zero may stay; skip them
        )
        for table in ("dash_counts", "dash_outcomes", "dash_durations", "dash_steps")
    }
    fts = {}
    for token in ("a", "m", "ay", "ko", "sh", "ra"):
        fts[token] = sorted(
            r[0]
            for r in db.execute(
                "SELECT c.gid FROM customers_recent_fts f JOIN customers c "
                "ON c.id = f.rowid % 1073741824 WHERE customers_recent_fts MATCH ?",
                [f'"{token}"*'],
            )
        )
        fts["plain " + token] = sorted(
            r[0]
            for r in db.execute(
                "SELECT c.gid FROM customers_fts f JOIN customers c ON c.id = f.rowid "
                "WHERE customers_fts MATCH ?",
                [f'"{token}"*'],
            )
        )
    for index in ("customers_fts", "customers_recent_fts"):
        db.execute(f"INSERT INTO {index} ({index}) VALUES ('integrity-check')")
    return {
        "rows": sync_sql.snapshot(db),
        "customers": _by_gid(
            db, "customers", ("search_key", "phone_digits", "phone_rev", "last_visit_at")
        ),
        "visits": _by_gid(db, "visits", ("is_returning",)),
        "stale": sorted(
            r[0]
            for r in db.execute(
                "SELECT c.gid FROM stale_search_keys s JOIN customers c ON c.id = s.customer_id"
            )
        ),
        "clocks": clocks,
        "dash": dash,
        "fts": fts,
        "outbox": sync_sql.outbox_count(db),
        "indexes": sorted(
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')")
        ),
    }


def _assert_same(one, two):
    """Equal states, failing on the first differing part (rows: the first differing row)."""
    assert one.keys() == two.keys()
    for part in one:
        if part in ("rows", "customers", "visits", "clocks"):
            nested = part == "rows"
            for key in one[part].keys() | two[part].keys():
                x, y = one[part].get(key), two[part].get(key)
                if nested:
                    for gid in (x or {}).keys() | (y or {}).keys():
                        assert (x or {}).get(gid) == (y or {}).get(gid), (part, key, gid)
                else:
                    assert x == y, (part, key)
        assert one[part] == two[part], part


def _store_with_history(make_counter, tmp_path):
    """A store whose hub holds a few thousand rows of every kind: a demo counter's data
    (staff, customers, visits, steps, follow-ups, audit), edits and an erasure made at a
    second counter, and a visit of a customer that the second counter made."""
    a, ca = make_counter(joined=False)
    fill_demo_data(a, customers=400, seed=3)
    join(a, ca, hub=split_password(ca.info.dsn)[0], store="Main", now=1_900_000_000)
    b, cb = make_counter(now=1_900_000_100)
    ids = [r[0] for r in b.execute("SELECT id FROM customers ORDER BY id LIMIT 3")]
    row = b.execute("SELECT * FROM customers WHERE id = ?", [ids[0]]).fetchone()
    cols = [d[0] for d in b.execute("SELECT * FROM customers LIMIT 0").description]
    data = dict(zip(cols, row, strict=True))
    fields = {k: data[k] for k in CustomerInput.__dataclass_fields__}
    fields.update(given_name="Ayşegül", rapport_notes="likes tea")
    update_customer(b, ids[0], CustomerInput(**fields), now=1_900_000_200, phone_region="TR")
    erase_customer(b, ids[1], now=1_900_000_300)
    new = create_customer(
        b, CustomerInput(given_name="Rahul", native_name="राहुल"), now=1_900_000_400, phone_region=""
    ).id
    visit = check_in(b, now=1_900_000_500, customer_id=new).visit
    serve(b, visit.id, staff_id=None, now=1_900_000_510, language="en")
    set_outcome(b, visit.id, "bought", now=1_900_000_520)
    end_visit(b, visit.id, now=1_900_000_530)
    run_once(b, cb, now=1_900_000_600)
    run_once(a, ca, now=1_900_000_700)
    return a, ca


@pytest.fixture
def row_by_row(monkeypatch):
    """Within ``with row_by_row():`` every download is applied change by change."""
    from counter.sync import engine

    original = engine.run_once

    @contextlib.contextmanager
    def block():
        with monkeypatch.context() as m:
            m.setattr(engine, "run_once", functools.partial(original, bulk=False))
            yield

    return block


def test_bulk_first_download_gives_what_the_change_by_change_path_gives(
    make_counter, tmp_path, row_by_row
):
    a, ca = _store_with_history(make_counter, tmp_path)
    url = split_password(ca.info.dsn)[0]
    total = sum(len(rows) for rows in sync_sql.snapshot(a).values())
    assert total > 2000

    bulk, cbulk = make_counter(joined=False)
    slow, cslow = make_counter(joined=False)
    # Counters with data of their own before they join: those rows go up and come back.
    for db in (bulk, slow):
        create_customer(
            db, CustomerInput(given_name="Own", family_name="Kovács"), now=5, phone_region=""
        )
    fast = join(bulk, cbulk, hub=url, store="Main", now=1_900_001_000)
    with row_by_row():
        paged = join(slow, cslow, hub=url, store="Main", now=1_900_001_000)
    assert fast.downloaded >= total and paged.downloaded >= total
    run_once(bulk, cbulk, now=1_900_001_100)  # the other's own customer, page by page
    state = _local_state(bulk)
    _assert_same(state, _local_state(slow))
    # Both hold every row the demo counter holds.
    for table, rows in sync_sql.snapshot(a).items():
        assert {g: state["rows"][table][g] for g in rows} == rows, table
    # Later changes arrive page by page after the bulk (its cursor: the snapshot's xmin).
    create_customer(a, CustomerInput(given_name="Later"), now=1_900_002_000, phone_region="")
    run_once(a, ca, now=1_900_002_001)
    run_once(bulk, cbulk, now=1_900_002_002)
    later = "SELECT count(*) FROM customers WHERE given_name = 'Later'"
    assert bulk.execute(later).fetchone()[0] == 1


# Runs a first download in a child process that SIGKILLs itself at the point named by argv[3]:
#   streaming: while the hub's rows stream in (the third table's batch, the reader thread
#              running)
#   rows:    rows inserted, derived data (search, summary) not rebuilt yet
#   rebuilt: rebuilt, the cursor not set yet (the transaction not committed)
_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from counter.hub.connection import connect
    from counter.storage import open_database, sync_sql
    from counter.sync import run_once

    path, url, point = sys.argv[1], sys.argv[2], sys.argv[3]
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    if point == "streaming":
        put, calls = sync_sql.bulk_put_clocks, []
        def die_later(*args, **kwargs):
            calls.append(1)
            if len(calls) == 3:
                die()
            return put(*args, **kwargs)
        sync_sql.bulk_put_clocks = die_later
    elif point == "rows":
        sync_sql.finish_bulk = die
    else:
        sync_sql.set_cursor = die
    db = open_database(path)
    run_once(db, connect(url), now=9000)
    """
)


@pytest.mark.parametrize("point", ["streaming", "rows", "rebuilt"])
def test_a_kill_during_the_bulk_leaves_nothing_half_built(
    point, make_counter, tmp_path, hub, monkeypatch, row_by_row
):
    from counter.sync import SyncResult, engine

    _store_with_history(make_counter, tmp_path)
    url = split_password(hub)[0]
    path = tmp_path / "new.db"
    db, conn = open_database(path), connect(hub)
    try:
        # Joined (the hub knows it) but nothing downloaded: the child's sync is its first.
        with monkeypatch.context() as m:
            m.setattr(engine, "run_once", lambda *a, **k: SyncResult())
            join(db, conn, hub=url, store="Main", now=9000)
        before = _local_state(db)
        db.close()
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), hub, point], capture_output=True, text=True
        )
        assert done.returncode == -signal.SIGKILL, done.stderr
        db = open_database(path)
        # As it was: no rows without their search entries or summary, the same triggers and
        # indexes, the cursor still at the start. The next sync does the bulk again.
        _assert_same(_local_state(db), before)
        st = sync_sql.state(db)
        assert (st["cursor_txid"], st["cursor_seq"], st["applying"]) == ("0", 0, 0)
        run_once(db, conn, now=9100)
        other, cother = make_counter(joined=False)
        with row_by_row():
            join(other, cother, hub=url, store="Main", now=9100)
        _assert_same(_local_state(db), _local_state(other))
    finally:
        conn.close()
        db.close()


def test_a_cancel_during_the_bulk_rolls_it_back_whole(make_counter, tmp_path, monkeypatch):
    from counter.sync import SyncResult, engine

    a, ca = _store_with_history(make_counter, tmp_path)
    db, conn = make_counter(joined=False)
    with monkeypatch.context() as m:
        m.setattr(engine, "run_once", lambda *args, **kwargs: SyncResult())
        join(db, conn, hub=split_password(ca.info.dsn)[0], store="Main", now=9000)
    before = _local_state(db)
    asked = []

    def stop():  # the cancel comes while the bulk is writing its third table
        asked.append(1)
        return len(asked) > 4

    run_once(db, conn, now=9001, should_stop=stop)
    _assert_same(_local_state(db), before)
    st = sync_sql.state(db)
    assert (st["cursor_txid"], st["cursor_seq"], st["last_sync_at"]) == ("0", 0, None)
    # The bulk sets foreign-key checks aside; a rollback puts them back as a commit does.
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    run_once(db, conn, now=9002)
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    theirs, mine = sync_sql.snapshot(a), sync_sql.snapshot(db)
    assert {t: {g: mine[t].get(g) for g in rows} for t, rows in theirs.items()} == theirs


def test_the_hub_lost_while_rows_stream_in_rolls_the_bulk_back_whole(
    make_counter, tmp_path, monkeypatch
):
    """The reader thread's error reaches the sync as the hub's; nothing half-written stays,
    and the next sync does the bulk again."""
    import psycopg

    from counter.hub import hub_sql
    from counter.hub.connection import HubError
    from counter.sync import SyncResult, engine

    a, ca = _store_with_history(make_counter, tmp_path)
    db, conn = make_counter(joined=False)
    with monkeypatch.context() as m:
        m.setattr(engine, "run_once", lambda *args, **kwargs: SyncResult())
        join(db, conn, hub=split_password(ca.info.dsn)[0], store="Main", now=9000)
    before = _local_state(db)
    stream = hub_sql.stream_rows

    def broken(conn, table, *args, **kwargs):
        yield from stream(conn, table, *args, **kwargs)
        if table == "visits":
            raise psycopg.OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as m:
        m.setattr(hub_sql, "stream_rows", broken)
        with pytest.raises(HubError):
            run_once(db, conn, now=9001)
    _assert_same(_local_state(db), before)
    st = sync_sql.state(db)
    assert (st["cursor_txid"], st["cursor_seq"], st["applying"]) == ("0", 0, 0)
    run_once(db, conn, now=9002)
    theirs, mine = sync_sql.snapshot(a), sync_sql.snapshot(db)
    assert {t: {g: mine[t].get(g) for g in rows} for t, rows in theirs.items()} == theirs


_NAME = st.text(st.sampled_from("aAşŞőÖ'- .@ikİıराहुलИван0"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    given=_NAME,
    family=_NAME,
    native=_NAME,
    email=_NAME,
    phone=st.text(st.sampled_from("0123 +()-x"), max_size=8),
    erased=st.booleans(),
)
def test_a_bulk_customer_row_is_what_applying_it_writes(
    given, family, native, email, phone, erased
):
    """engine._bulk_customer (no dict per row, the names' search key cached apart from the
    e-mail's words) gives the columns _derived and merge_row give the row-by-row path."""
    from counter.sync import engine
    from counter.sync.merge import merge_row
    from counter.sync.tables import BY_NAME

    fields = BY_NAME["customers"].fields
    data = dict.fromkeys(fields, "")
    data.update(
        given_name=given, family_name=family, native_name=native, email=email, phone=phone,
        created_at="5", updated_at="6", erased_at="7" if erased else None,
    )  # fmt: skip
    row = ("g1", *(data[f] for f in fields), "{}")
    merged, _ = merge_row("customers", {}, {}, data, {})
    derived = engine._derived("customers", merged)
    expected = (
        "g1",
        *(merged[f] for f in fields),
        derived["phone_digits"],
        derived["phone_rev"],
        derived["search_key"],
    )
    assert engine._bulk_customer(row) == expected
