"""Counters converge through a real PostgreSQL hub."""

from __future__ import annotations

from counter.customers import CustomerInput, create_customer, update_customer
from counter.hub import hub_sql
from counter.storage import sync_sql, write_transaction
from counter.storage.privacy_sql import erase_customer
from counter.sync import run_once, status
from counter.visits import check_in, complete_step, end_visit, serve, set_outcome


def _customer(db, given="Ayşe", family="Yılmaz", phone="+905321234567", now=2000):
    return create_customer(
        db,
        CustomerInput(given_name=given, family_name=family, phone=phone),
        now=now,
        phone_region="TR",
    ).id


def _edit(db, customer_id, now, **fields):
    row = db.execute("SELECT * FROM customers WHERE id = ?", [customer_id]).fetchone()
    cols = [d[0] for d in db.execute("SELECT * FROM customers LIMIT 0").description]
    current = dict(zip(cols, row, strict=True))
    data = {k: current[k] for k in CustomerInput.__dataclass_fields__}
    data.update(fields)
    update_customer(db, customer_id, CustomerInput(**data), now=now, phone_region="TR")


def _comparable(db):
    snap = sync_sql.snapshot(db)
    return snap


def _hub_snapshot(conn):
    out: dict = {}
    for row in hub_sql.all_rows(conn):
        out.setdefault(row.tbl, {})[row.gid] = row.data
    return out


def _same(*dbs, hub_conn=None):
    first = _comparable(dbs[0])
    for db in dbs[1:]:
        assert _comparable(db) == first
    if hub_conn is not None:
        hub = _hub_snapshot(hub_conn)
        for table, rows in first.items():
            assert hub.get(table, {}) == rows, table
    return first


def _sync_all(*pairs, times=2):
    for _ in range(times):
        for db, conn in pairs:
            run_once(db, conn, now=5000)


def test_join_uploads_existing_data_and_a_second_counter_gets_it(make_counter):
    a, ca = make_counter(joined=False)
    cid = _customer(a)
    visit = check_in(a, now=2100, customer_id=cid).visit
    serve(a, visit.id, staff_id=None, now=2200, language="tr")
    complete_step(a, visit.id, "greet", now=2210)
    set_outcome(a, visit.id, "bought", now=2250)
    end_visit(a, visit.id, now=2300)
    from counter.sync import join

    result = join(a, ca, hub=ca.info.dsn, store="Main", now=3000)
    assert result.uploaded >= 1 + 1 + 5  # customer, visit, its five steps
    assert status(a).waiting == 0

    b, _cb = make_counter()
    snap = _same(a, b, hub_conn=ca)
    assert len(snap["customers"]) == 1 and len(snap["visit_steps"]) == 5
    # The search index and the dashboard summary followed on the second counter.
    found = b.execute(
        "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'ayse'"
    ).fetchone()[0]
    assert found == 1
    assert b.execute("SELECT sum(visits) FROM dash_counts WHERE width = 86400").fetchone()[0] == 1
    assert b.execute("SELECT last_visit_at FROM customers").fetchone()[0] == 2100


def test_two_and_three_counters_converge(make_counter):
    (a, ca), (b, cb), (c, cc) = make_counter(), make_counter(), make_counter()
    x = _customer(a, "Emre", "Kaya", "+905321111111")
    _customer(b, "Zoltán", "Kovács", "+36201234567")
    _sync_all((a, ca), (b, cb), (c, cc))
    # Concurrent edits of different fields of one customer, on two counters: both stay.
    gid = a.execute("SELECT gid FROM customers WHERE id = ?", [x]).fetchone()[0]
    xb = b.execute("SELECT id FROM customers WHERE gid = ?", [gid]).fetchone()[0]
    xc = c.execute("SELECT id FROM customers WHERE gid = ?", [gid]).fetchone()[0]
    _edit(b, xb, 6000, email="ekaya77@example.com")
    _edit(c, xc, 6001, rapport_notes="likes tea")
    _sync_all((c, cc), (b, cb), (a, ca))
    snap = _same(a, b, c, hub_conn=ca)
    row = snap["customers"][gid]
    assert row["email"] == "ekaya77@example.com" and row["rapport_notes"] == "likes tea"
    # Search finds the merged customer by e-mail on every counter.
    for db in (a, b, c):
        key = db.execute("SELECT search_key FROM customers WHERE gid = ?", [gid]).fetchone()[0]
        assert "ekaya77" in key.split()


def test_a_repeated_upload_changes_nothing(make_counter):
    """Killed between the hub's commit and the outbox delete: the next sync sends the same
    batch again and the hub takes none of it twice."""
    a, ca = make_counter()
    _customer(a)
    pending = sync_sql.outbox_batch(a, 100)
    assert pending
    run_once(a, ca, now=4000)
    # Put the batch back as if the local delete had never happened.
    with write_transaction(a):
        for c in pending:
            a.execute(
                "INSERT INTO sync_outbox (seq, uid, tbl, gid, op, fields, hlc) "
                "VALUES (?,?,?,?,?,?,?)",
                [c["seq"], c["uid"], c["tbl"], c["gid"], c["op"],
                 __import__("json").dumps(c["fields"]), c["hlc"]],
            )  # fmt: skip
    before = ca.execute("SELECT count(*) FROM counter.changes").fetchone()[0]
    again = run_once(a, ca, now=4001)
    assert again.uploaded == 0 and again.resent == len(pending)
    assert ca.execute("SELECT count(*) FROM counter.changes").fetchone()[0] == before
    assert status(a).waiting == 0


def test_erasure_wins_over_a_later_edit_from_an_offline_counter(make_counter):
    (a, ca), (b, cb) = make_counter(), make_counter()
    x = _customer(a, "Rahul", "Sharma", "+919812345678")
    visit = check_in(a, now=2100, customer_id=x).visit
    _sync_all((a, ca), (b, cb))
    gid = a.execute("SELECT gid FROM customers WHERE id = ?", [x]).fetchone()[0]
    xb = b.execute("SELECT id FROM customers WHERE gid = ?", [gid]).fetchone()[0]
    vb = b.execute("SELECT id FROM visits").fetchone()[0]
    assert visit.id
    # A erases; B, offline, edits the customer later (by every clock) and notes a need.
    with write_transaction(a):
        erase_customer(a, x, 7000)
    run_once(a, ca, now=7001)
    _edit(b, xb, 9000, given_name="Rahul K.", rapport_notes="son: Arjun")
    with write_transaction(b):
        b.execute("UPDATE visits SET need = 'for Rahul''s son' WHERE id = ?", [vb])
    _sync_all((b, cb), (a, ca))
    snap = _same(a, b, hub_conn=ca)
    row = snap["customers"][gid]
    assert row["erased_at"] == 7000
    assert row["given_name"] == "" and row["rapport_notes"] == ""
    assert all(v["need"] == "" for v in snap["visits"].values())
    # Nothing personal left in the hub's change log either: it holds no field values at all.
    cols = [d.name for d in ca.execute("SELECT * FROM counter.changes LIMIT 0").description]
    assert "data" not in cols and "fields" not in cols


def test_a_clock_an_hour_behind_still_merges_by_hlc(make_counter):
    (a, ca), (b, cb) = make_counter(), make_counter()
    with write_transaction(b):
        sync_sql.set_clock_offset(b, -3_600_000)  # B's PC is an hour behind
    x = _customer(a, "Anna", "Nagy", "+36301234567")
    _sync_all((a, ca), (b, cb))
    gid = a.execute("SELECT gid FROM customers WHERE id = ?", [x]).fetchone()[0]
    _edit(a, x, 8000, rapport_notes="first")
    _sync_all((a, ca), (b, cb))
    # B saw A's edit, then edits: later, although its wall clock says an hour earlier.
    xb = b.execute("SELECT id FROM customers WHERE gid = ?", [gid]).fetchone()[0]
    _edit(b, xb, 8001, rapport_notes="second")
    _sync_all((b, cb), (a, ca))
    snap = _same(a, b, hub_conn=ca)
    assert snap["customers"][gid]["rapport_notes"] == "second"


def test_the_hub_going_away_mid_sync_loses_nothing(make_counter, hub):
    from counter.hub.connection import HubError, connect

    (a, ca), (b, cb) = make_counter(), make_counter()
    for i in range(12):
        _customer(a, f"N{i}", phone="")
    admin = connect(hub)
    calls = []

    def kill_after_first_batch():
        calls.append(1)
        if len(calls) == 2:  # after the first upload batch: the hub's side disappears
            admin.execute("SELECT pg_terminate_backend(%s)", [ca.info.backend_pid])
        return False

    try:
        run_once(a, ca, now=5000, batch=5, should_stop=kill_after_first_batch)
    except HubError as e:
        assert e.kind == "unreachable"
    else:
        raise AssertionError("the sync should have failed")
    assert status(a).waiting == 7  # the first batch went up; the rest waits
    assert "cannot be reached" in status(a).last_error
    again = connect(hub)
    try:
        run_once(a, again, now=5001)
        _sync_all((b, cb), (a, again))
        snap = _same(a, b, hub_conn=again)
        assert len(snap["customers"]) == 12
    finally:
        again.close()
        admin.close()


def test_a_restored_backup_loses_no_change_made_after_it(make_counter, tmp_path):
    """A restore takes the outbox's sequence numbers back; the hub keys changes by a random
    id, so a reused number never makes a new change look already sent."""
    from counter.backup import make_backup, restore_backup

    (a, ca), (b, cb) = make_counter(), make_counter()
    x = _customer(a, "Ayşe", "Yılmaz", "+905321234567")
    _sync_all((a, ca), (b, cb))
    gid = a.execute("SELECT gid FROM customers WHERE id = ?", [x]).fetchone()[0]
    folder = tmp_path / "backups"
    backup = make_backup(a, folder, now=6000)
    _edit(a, x, 6100, rapport_notes="before the restore")
    run_once(a, ca, now=6101)
    restore_backup(a, backup.path, folder, now=6200)
    _edit(a, x, 6300, email="after@example.com")
    _sync_all((a, ca), (b, cb))
    snap = _same(a, b, hub_conn=ca)
    assert snap["customers"][gid]["rapport_notes"] == "before the restore"
    assert snap["customers"][gid]["email"] == "after@example.com"


def test_an_audit_entry_about_a_customer_names_the_same_customer_everywhere(make_counter):
    from counter import audit

    (a, ca), (b, cb) = make_counter(), make_counter()
    _customer(b, "Someone", "Else", "+905329999999")  # B's local ids differ from A's
    _sync_all((b, cb))
    x = _customer(a, "Ayşe", "Yılmaz", "+905321234567")
    with write_transaction(a):
        audit.record(a, at=3000, staff_id=None, action="view_customer", subject=f"customer:{x}")
    _sync_all((a, ca), (b, cb))
    _same(a, b, hub_conn=ca)
    gid = a.execute("SELECT gid FROM customers WHERE id = ?", [x]).fetchone()[0]
    xb = b.execute("SELECT id FROM customers WHERE gid = ?", [gid]).fetchone()[0]
    assert xb != x
    subjects = [r[0] for r in b.execute("SELECT subject FROM audit_log")]
    assert subjects == [f"customer:{xb}"]


def test_a_visit_ended_at_one_counter_wakes_the_other(make_counter, hub):
    """LISTEN/NOTIFY: a counter waiting on the hub is woken by another's upload and has the
    ended visit within the issue's 2 s."""
    import time

    from counter.hub.connection import connect

    (a, ca), (b, cb) = make_counter(), make_counter()
    listener = connect(hub)
    try:
        hub_sql.listen(listener)
        assert not hub_sql.wait_for_changes(listener, sync_sql.state(b)["store_id"], 0.1)
        visit = check_in(a, now=2100, walk_in_name="Walk-in").visit
        serve(a, visit.id, staff_id=None, now=2200, language="en")
        set_outcome(a, visit.id, "bought", now=2250)
        end_visit(a, visit.id, now=2300)
        started = time.monotonic()
        run_once(a, ca, now=2301)
        assert hub_sql.wait_for_changes(listener, sync_sql.state(b)["store_id"], 5)
        run_once(b, cb, now=2302)
        assert time.monotonic() - started < 2
        assert b.execute("SELECT status FROM visits").fetchall() == [("ended",)]
    finally:
        listener.close()


def test_a_full_disk_while_applying_a_download_loses_nothing(make_counter):
    import sqlite3

    import pytest

    (a, ca), (b, cb) = make_counter(), make_counter()
    for i in range(300):
        _customer(a, f"N{i}", "Long family name " * 4, phone="", now=2000 + i)
    run_once(a, ca, now=3000)
    pages = b.execute("PRAGMA page_count").fetchone()[0]
    b.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up
    before = sync_sql.state(b)
    with pytest.raises(sqlite3.OperationalError, match="full"):
        run_once(b, cb, now=3001)
    after = sync_sql.state(b)
    assert (after["cursor_txid"], after["cursor_seq"]) == (
        before["cursor_txid"],
        before["cursor_seq"],
    )
    assert after["applying"] == 0
    b.execute("PRAGMA max_page_count = 1073741823")  # room again
    _sync_all((b, cb), (a, ca))
    snap = _same(a, b, hub_conn=ca)
    assert len(snap["customers"]) == 300


def test_a_cancelled_sync_loses_nothing_and_is_not_a_finished_one(make_counter):
    (a, ca), (b, cb) = make_counter(), make_counter()
    for i in range(8):
        _customer(a, f"N{i}", phone="")
    last = sync_sql.state(a)["last_sync_at"]
    stops = iter([False, True])  # one upload batch, then the person presses Cancel
    result = run_once(a, ca, now=9000, batch=5, should_stop=lambda: next(stops, True))
    assert result.uploaded == 5 and result.waiting == 3
    assert sync_sql.state(a)["last_sync_at"] == last
    _sync_all((a, ca), (b, cb))
    assert len(_same(a, b, hub_conn=ca)["customers"]) == 8
