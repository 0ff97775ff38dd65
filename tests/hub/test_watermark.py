"""The download watermark: a change numbered before another but committed after it is never
skipped (issue #14's "known trap")."""

from __future__ import annotations

import time

import psycopg
import pytest

from counter.customers import CustomerInput, create_customer
from counter.hub import hub_sql
from counter.storage import sync_sql
from counter.sync import engine, run_once


def _customer(db, name):
    create_customer(db, CustomerInput(given_name=name), now=2000, phone_region="TR")


def test_first_to_start_commits_last_and_is_not_skipped(make_counter):
    (a, ca), (b, cb), (c, cc) = make_counter(), make_counter(), make_counter()
    _customer(a, "First")  # A's upload starts first and commits last
    _customer(b, "Second")
    st_a = sync_sql.state(a)
    batch = sync_sql.outbox_batch(a, 100)

    with ca.transaction():
        hub_sql.begin_upload(ca)  # as engine._upload starts every upload transaction
        new = hub_sql.record_changes(
            ca, st_a["counter_gid"], st_a["store_id"],
            [(x["uid"], x["seq"], x["tbl"], x["gid"], x["hlc"]) for x in batch],
        )  # fmt: skip
        engine._merge_into_hub(ca, [x for x in batch if x["uid"] in new], *(
            st_a["counter_gid"], st_a["store_id"]))  # fmt: skip
        a_seq = ca.execute(
            "SELECT max(seq) FROM counter.changes WHERE counter_gid = %s", [st_a["counter_gid"]]
        ).fetchone()[0]
        # B uploads and commits while A's transaction is still open: B's change has a larger
        # sequence number than A's, and is visible first.
        run_once(b, cb, now=3000)
        b_seq = cb.execute(
            "SELECT max(seq) FROM counter.changes WHERE tbl = 'customers'"
        ).fetchone()[0]
        assert b_seq > a_seq
        # C downloads in between: a cursor past B's change would skip A's for ever. The
        # watermark holds back everything from A's transaction on, B's change included.
        got = run_once(c, cc, now=3001)
        assert got.downloaded == 0
        assert c.execute("SELECT count(*) FROM customers").fetchone()[0] == 0
    # A's transaction commits; A's local delete would follow (not needed for the point).
    _download_all(c, cc, 2, now=3002)
    names = {r[0] for r in c.execute("SELECT given_name FROM customers")}
    assert names == {"First", "Second"}


def _download_all(db, conn, expected: int, **kwargs) -> int:
    """Download until ``expected`` changes came (an upload still running, here none, holds
    the watermark back for a moment: the rest comes with the next sync, never skipped)."""
    got = 0
    for _ in range(50):
        got += run_once(db, conn, **kwargs).downloaded
        if got >= expected:
            break
        time.sleep(0.1)
    return got


def test_pages_are_applied_one_transaction_each_and_resume(make_counter):
    (a, ca), (b, cb) = make_counter(), make_counter()
    for i in range(25):
        _customer(a, f"N{i}")
    run_once(a, ca, now=3000, batch=7)  # several upload batches
    assert _download_all(b, cb, 25, now=3001, page_size=4) == 25
    assert b.execute("SELECT count(*) FROM customers").fetchone()[0] == 25
    again = run_once(b, cb, now=3002, page_size=4)
    assert again.downloaded == 0 and again.applied == 0


def _burn_transaction_ids_to(conn, target: int) -> None:
    """Use up transaction ids until the next one is at least ``target``."""
    conn.execute(
        """DO $$ BEGIN
               WHILE pg_current_xact_id() < %s::text::xid8 LOOP COMMIT; END LOOP;
           END $$""".replace("%s", str(int(target)))
    )


def test_pages_follow_transaction_ids_across_a_digit_boundary(make_counter):
    """Ordered by the text of the transaction id, a page would hand out '10001' before '9998'
    and set the cursor past the change it skipped: it must be the number's own order."""
    (a, ca), (b, cb) = make_counter(), make_counter()
    current = int(ca.execute("SELECT pg_current_xact_id()::text").fetchone()[0])
    boundary = 10 ** len(str(current + 50))
    _burn_transaction_ids_to(ca, boundary - 5)
    _customer(a, "Before")
    run_once(a, ca, now=3000)
    _burn_transaction_ids_to(ca, boundary + 5)
    _customer(a, "After")
    run_once(a, ca, now=3001)
    txids = [
        int(r[0])
        for r in ca.execute(
            "SELECT c.txid::text FROM counter.changes c JOIN counter.rows r USING (tbl, gid) "
            "WHERE r.data ->> 'given_name' IN ('Before', 'After') ORDER BY c.seq"
        )
    ]
    assert txids[0] < boundary <= txids[1]  # the two uploads straddle the boundary
    run_once(b, cb, now=3002, page_size=1)
    names = sorted(r[0] for r in b.execute("SELECT given_name FROM customers"))
    assert names == ["After", "Before"]


def _unrelated_open_transaction(pg_cluster, dbname: str):
    """A session idle in a transaction that holds a transaction id, in ``dbname``."""
    conn = psycopg.connect(pg_cluster.url(dbname))  # not autocommit: BEGIN on first statement
    conn.execute("SELECT pg_current_xact_id()")
    return conn


@pytest.mark.parametrize("where", ["another database", "the hub's database"])
def test_an_unrelated_open_transaction_does_not_hold_changes_back(
    make_counter, pg_cluster, hub_db, where
):
    """Only upload transactions hold the watermark: a session left idle in a transaction
    (here or in another database of the cluster: with pg_snapshot_xmin both held every
    counter back until it ended) does not delay a change that came after it."""
    (a, ca), (b, cb) = make_counter(), make_counter()
    idle = _unrelated_open_transaction(pg_cluster, "postgres" if where != "the hub's database"
                                       else hub_db)  # fmt: skip
    try:
        (held,) = ca.execute(
            "SELECT backend_xid::text FROM pg_stat_activity WHERE pid = %s",
            [idle.info.backend_pid],
        ).fetchone()
        assert held is not None  # it really holds a transaction id, older than what follows
        _customer(a, "Later")
        run_once(a, ca, now=3000)
        got = run_once(b, cb, now=3001)  # once: no waiting for the idle session to end
        assert got.downloaded >= 1
        assert [r[0] for r in b.execute("SELECT given_name FROM customers")] == ["Later"]
        # The old, cluster-wide watermark would have held it back: what the new one fixes.
        old = hub_sql.watermark(cb, tracked=False)
        assert int(old) <= int(held)
    finally:
        idle.close()


def test_an_upload_between_its_two_locks_holds_the_watermark_at_the_oldest_running(
    make_counter, pg_cluster, hub_db
):
    """An upload that announced itself but has not yet said its transaction id: the watermark
    falls back to the oldest running transaction, never past a txid it may hold."""
    _, ca = make_counter()
    with ca.transaction():
        ca.execute("SELECT pg_advisory_xact_lock_shared(%s)", [hub_sql.UPLOAD_LOCK])
        (mine,) = ca.execute("SELECT pg_current_xact_id()::text").fetchone()
        with psycopg.connect(pg_cluster.url(hub_db), autocommit=True) as reader:
            assert int(hub_sql.watermark(reader)) <= int(mine)
            assert int(hub_sql.watermark(reader, tracked=False)) <= int(mine)
    with psycopg.connect(pg_cluster.url(hub_db), autocommit=True) as reader:
        assert int(hub_sql.watermark(reader)) > int(mine)  # finished: no longer held


def test_the_download_page_reads_its_own_store_by_index(make_counter):
    """EXPLAIN of the page query on a hub with many stores: two index scans (h003's partial
    indexes) merged in order; no scan of the whole change log, no sort of it."""
    _, conn = make_counter()
    conn.execute(
        """INSERT INTO counter.stores (name, role)
           SELECT 'S' || i, 'r' || i FROM generate_series(1, 50) i;
           INSERT INTO counter.counters (gid, store_id, role)
           SELECT 'k' || id, id, role FROM counter.stores;
           INSERT INTO counter.changes (counter_gid, change_uid, local_seq, store_id, tbl, gid, hlc)
           SELECT 'k' || s.id, s.id || '-' || i, i, s.id,
                  CASE WHEN i % 10 = 0 THEN 'customers' ELSE 'visits' END, s.id || '-' || i, 1
           FROM counter.stores s, generate_series(1, 400) i;
           ANALYZE counter.changes"""
    )
    params = {"txid": "0", "seq": 0, "below": "100000000", "store": 3, "limit": 100}
    plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + hub_sql.PAGE_SQL, params))
    assert "changes_customers" in plan and "changes_of_store" in plan, plan
    assert "Merge Append" in plan, plan
    assert "Seq Scan" not in plan and "Sort  (" not in plan, plan  # ("Sort Key" is Merge's)
