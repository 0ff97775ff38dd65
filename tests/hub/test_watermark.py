"""The download watermark: a change numbered before another but committed after it is never
skipped (issue #14's "known trap")."""

from __future__ import annotations

import time

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
    """Download until ``expected`` changes came. Any transaction that holds a transaction id
    anywhere in the cluster (autovacuum's ANALYZE writes pg_statistic) holds the watermark
    back for a moment: the rest comes with the next sync, never skipped."""
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
