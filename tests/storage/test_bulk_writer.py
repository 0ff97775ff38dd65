"""The import's bulk writer (counter.storage.transfer_sql.BulkCustomerWriter) sets the customers'
insert triggers aside and does their work for ranges of rows: the file it leaves must be the one
row-by-row inserts with every trigger firing leave (but for the random global ids)."""

from __future__ import annotations

import pytest

from counter.storage import open_memory_database, transfer_sql, write_transaction
from counter.storage.customer_sql import CUSTOMER_COLUMNS

NOW = 1_795_512_600
_COLUMNS = ", ".join(CUSTOMER_COLUMNS)


def _rows(count: int) -> list[tuple[object, ...]]:
    """(id, *CUSTOMER_COLUMNS, created_at, updated_at), with some rows an outside tool could
    write: a name but no search key, a phone without its digits (m010 notes those)."""
    rows = []
    for i in range(1, count + 1):
        phone = f"+90532{i:07d}" if i % 4 else ""
        digits = phone[1:] if i % 9 else ""
        key = "" if i % 7 == 0 else f"ayse{i} yilmaz{i % 5}"
        values = {
            "given_name": f"Ayşe{i}",
            "family_name": f"Yılmaz{i % 5}",
            "native_name": "",
            "language": "tr",
            "formality": "formal",
            "title": "ms",
            "phone": phone,
            "phone_digits": digits,
            "phone_rev": digits[::-1],
            "email": f"a{i}@example.com" if i % 3 else "",
            "card": f"C{i}" if i % 2 else "",
            "rapport_notes": "",
            "search_key": key,
        }
        rows.append((i, *(values[c] for c in CUSTOMER_COLUMNS), NOW, NOW))
    return rows


def _database(joined: bool):
    db = open_memory_database()
    if joined:
        db.execute("UPDATE sync_state SET joined = 1, hub = 'h', counter_gid = 'c'")
        db.conn.commit()
    return db


def _plain(rows, joined: bool):
    """Every row inserted on its own, every trigger firing."""
    db = _database(joined)
    sql = (
        f"INSERT INTO customers (id, {_COLUMNS}, created_at, updated_at) "
        f"VALUES ({', '.join('?' for _ in range(len(CUSTOMER_COLUMNS) + 3))})"
    )
    with write_transaction(db):
        for row in rows:
            db.execute(sql, row)
    return db


def _bulk(rows, joined: bool, expected: int, step: int = 40):
    db = _database(joined)
    with write_transaction(db):
        writer = transfer_sql.BulkCustomerWriter(db, expected)
        for start in range(0, len(rows), 10):
            writer.insert_many(rows[start : start + 10])
            if writer.unindexed_rows() >= step:
                writer.index_new_rows()
        writer.finish()
    return db


def _state(db):
    customers = list(db.query("SELECT * FROM customers ORDER BY id"))
    gids = {row["id"]: row.pop("gid") for row in customers}
    assert all(gids.values())
    gid_ids = {gid: cid for cid, gid in gids.items()}
    outbox = [
        (tbl, gid_ids[gid], op, fields)
        for tbl, gid, op, fields in db.execute(
            "SELECT tbl, gid, op, fields FROM sync_outbox ORDER BY seq"
        )
    ]
    hlcs = [hlc for (hlc,) in db.execute("SELECT hlc FROM sync_outbox ORDER BY seq")]
    assert hlcs == sorted(set(hlcs))  # each change a later clock
    search = {}
    for table in ("customers_fts", "customers_recent_fts"):
        db.execute(
            f"CREATE VIRTUAL TABLE temp.{table}_words USING fts5vocab(main, {table}, 'instance')"
        )
        search[table] = db.execute(
            f"SELECT term, doc, col, offset FROM temp.{table}_words ORDER BY term, doc, col, offset"
        ).fetchall()
        search[f"{table} settings"] = db.execute(
            f"SELECT k, v FROM {table}_config ORDER BY k"
        ).fetchall()
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
    return {
        "customers": customers,
        "stale": db.execute("SELECT customer_id FROM stale_search_keys ORDER BY 1").fetchall(),
        "outbox": outbox,
        "sync_state": db.execute("SELECT joined, applying FROM sync_state").fetchall(),
        "schema": db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall(),
        **search,
    }


@pytest.mark.parametrize("joined", [False, True], ids=["alone", "joined to a hub"])
@pytest.mark.parametrize("expected", [0, 10_000], ids=["small load", "big load"])
def test_a_bulk_load_leaves_the_file_row_by_row_inserts_leave(joined, expected, monkeypatch):
    monkeypatch.setattr(transfer_sql, "BULK_INDEX_FROM_ROWS", 100)
    rows = _rows(230)
    plain, bulk = _state(_plain(rows, joined)), _state(_bulk(rows, joined, expected))
    assert bulk == plain
    assert len(plain["stale"]) > 40  # both kinds of note were made
    assert len(plain["outbox"]) == (230 if joined else 0)


def test_the_triggers_are_aside_during_the_load_and_back_after():
    db = _database(joined=False)
    names = {t.name for t in db.triggers}
    with write_transaction(db):
        writer = transfer_sql.BulkCustomerWriter(db, 10)
        during = {t.name for t in db.triggers}
        writer.finish()
    assert {
        "customers_gid",
        "customers_sync_insert",
        "stale_search_key_insert",
        "customers_fts_insert",
        "customers_recent_fts_insert",
    } <= names - during
    assert {t.name for t in db.triggers} == names


def test_an_insert_trigger_of_another_shape_keeps_firing_row_by_row():
    """A trigger someone added with a tool (or a later migration) that the writer does not
    know is left in place: it sees every row as it is inserted."""
    db = _database(joined=False)
    db.execute("CREATE TABLE seen (customer_id INTEGER, key TEXT)")
    db.execute(
        "CREATE TRIGGER my_log AFTER INSERT ON customers WHEN new.card != '' BEGIN "
        "INSERT INTO seen VALUES (new.id, new.search_key); END"
    )
    rows = _rows(50)
    with write_transaction(db):
        writer = transfer_sql.BulkCustomerWriter(db, 10_000)
        assert "my_log" in {t.name for t in db.triggers}
        writer.insert_many(rows)
        writer.finish()
    assert db.execute("SELECT count(*) FROM seen").fetchone()[0] == 25


def test_a_cancelled_load_puts_every_trigger_back():
    db = _database(joined=True)
    before = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    with pytest.raises(RuntimeError), write_transaction(db):
        writer = transfer_sql.BulkCustomerWriter(db, 10_000)
        writer.insert_many(_rows(30))
        raise RuntimeError("cancelled")
    assert db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == (
        before
    )
    assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == 0
