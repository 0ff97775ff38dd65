"""Customers written outside Counter (plain SQL, sqlite-utils) are found after a repair: a
trigger notes them, ``repair_stale`` (run at start) and ``reindex_all`` (``counter reindex``)
compute what Counter computes on a save."""

from __future__ import annotations

from counter import reindex
from counter.customers import CustomerInput, create_customer, update_customer
from counter.privacy import erase_customer
from counter.search import find_customers
from counter.storage import open_database


def found(db, text) -> list[str]:
    return [f"{h.given_name} {h.family_name}".strip() for h in find_customers(db, text)]


def insert_plain(db, given, family, now, **extra) -> int:
    columns = {"given_name": given, "family_name": family, "created_at": now, "updated_at": now}
    columns.update(extra)
    cursor = db.execute(
        f"INSERT INTO customers ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        list(columns.values()),
    )
    return cursor.lastrowid


def test_a_customer_inserted_with_plain_sql_is_found_after_the_repair(db, now):
    insert_plain(db, "Şükrü", "Yılmaz", now, phone="+905321234567")
    assert found(db, "sukru") == [] and found(db, "4567") == []
    assert reindex.needs_repair(db)
    assert reindex.repair_stale(db) == (1, False)
    assert found(db, "sukru") == ["Şükrü Yılmaz"]
    assert found(db, "yilm") == ["Şükrü Yılmaz"]
    assert found(db, "4567") == ["Şükrü Yılmaz"]  # the phone's digit columns too
    assert not reindex.needs_repair(db)


def test_a_customer_renamed_in_sql_is_found_under_the_new_name_only(db, now):
    customer = create_customer(db, CustomerInput("Győző", "Kovács"), now=now, phone_region="HU")
    db.execute("UPDATE customers SET given_name = 'Ľubomír' WHERE id = ?", [customer.id])
    assert found(db, "gyozo") == ["Ľubomír Kovács"]  # stale: the old name still finds him
    assert reindex.repair_stale(db) == (1, False)
    assert found(db, "lubomir") == ["Ľubomír Kovács"]
    assert found(db, "gyozo") == []


def test_sqlite_utils_insert_is_noted(db, now):
    db["customers"].insert({"native_name": "राहुल शर्मा", "created_at": now, "updated_at": now})
    assert reindex.needs_repair(db)
    reindex.repair_stale(db)
    assert [h.native_name for h in find_customers(db, "rahul")] == ["राहुल शर्मा"]


def test_counters_own_writes_are_not_noted(db, now):
    customer = create_customer(
        db, CustomerInput("Anna", "Kovács", phone="+36 30 987 6543"), now=now, phone_region="HU"
    )
    update_customer(
        db,
        customer.id,
        CustomerInput("Anna", "Kovácsné", phone="+36 30 987 0000", email="anna@example.com"),
        now=now,
        phone_region="HU",
    )
    erase_customer(db, _manager(db, now), customer.id, now=now)
    assert not reindex.needs_repair(db)


def _manager(db, now):
    from counter.auth import set_up_store

    return set_up_store(
        db, store_name="K", store_language="en", manager_name="Mia", pin="2468", now=now
    )


def test_repair_works_in_chunks_and_skips_erased_and_deleted_rows(db, now):
    ids = [insert_plain(db, f"Emma{i}", "Clarke", now) for i in range(7)]
    db.execute("DELETE FROM customers WHERE id = ?", [ids[0]])
    db.execute("UPDATE customers SET erased_at = ? WHERE id = ?", [now, ids[1]])
    # The deleted one's note went with it; the erased one is skipped.
    assert reindex.repair_stale(db, limit=3) == (2, True)
    assert reindex.repair_stale(db, limit=3) == (3, True)
    assert reindex.repair_stale(db, limit=3) == (0, False)
    assert len(find_customers(db, "emma")) == 5
    assert not reindex.needs_repair(db)


def test_reindex_all_corrects_keys_no_trigger_saw(db, now):
    a = create_customer(db, CustomerInput("Ayşe", "Işık"), now=now, phone_region="TR")
    create_customer(db, CustomerInput("İlker", "Doğan"), now=now, phone_region="TR")
    db.execute("UPDATE customers SET search_key = 'wrong' WHERE id = ?", [a.id])
    insert_plain(db, "Emma", "Clarke", now)
    seen = []
    assert reindex.reindex_all(db, chunk=2, progress=lambda d, t: seen.append((d, t))) == 2
    assert found(db, "ayse") == ["Ayşe Işık"] and found(db, "wrong") == []
    assert found(db, "emma") == ["Emma Clarke"]
    assert seen[-1] == (3, 3)
    assert not reindex.needs_repair(db)
    assert reindex.reindex_all(db) == 0


def test_an_older_file_gets_its_keyless_rows_noted_when_migrated(tmp_path, now):
    from counter.storage.schema import MIGRATIONS

    path = tmp_path / "older.db"
    db = open_database(path)
    # As before m010: no table, no triggers, no note.
    db.execute("DROP TRIGGER stale_search_key_insert")
    db.execute("DROP TRIGGER stale_search_key_update")
    db.execute("DROP TABLE stale_search_keys")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_stale_search_keys'")
    insert_plain(db, "Ľubomír", "Novák", now)
    db.close()
    db = open_database(path)
    try:
        assert MIGRATIONS.pending(db) == []
        assert reindex.needs_repair(db)
        reindex.repair_stale(db)
        assert found(db, "lubomir") == ["Ľubomír Novák"]
    finally:
        db.close()


def test_counter_reindex_command(tmp_path, now, capsys):
    from counter import cli

    path = tmp_path / "counter.db"
    db = open_database(path)
    insert_plain(db, "Ayşe", "Işık", now)
    db.execute("DELETE FROM stale_search_keys")  # even with the note lost
    db.close()
    args = cli.build_parser().parse_args(["--db", str(path), "reindex"])
    assert cli.run_command(args) == 0
    assert "corrected: 1." in capsys.readouterr().out
    db = open_database(path)
    try:
        assert found(db, "ayse") == ["Ayşe Işık"]
    finally:
        db.close()
    missing = cli.build_parser().parse_args(["--db", str(tmp_path / "none.db"), "reindex"])
    assert cli.run_command(missing) == 1


def test_keys_from_an_older_rule_are_rebuilt(db, now):
    from counter.search import SEARCH_KEY_VERSION
    from counter.storage import reindex_sql

    insert_plain(db, "Rahul", "Sharma", now)
    reindex.reindex_all(db)
    # As a file written before the key rule gained more spellings: an old key, no version.
    db.execute("UPDATE customers SET search_key = 'zzz'")
    db.execute("DELETE FROM settings WHERE key = ?", [reindex_sql.KEY_VERSION_SETTING])
    assert reindex.needs_repair(db)
    while reindex.repair_stale(db)[1]:
        pass
    assert not reindex.needs_repair(db)
    assert reindex_sql.key_version(db) == SEARCH_KEY_VERSION
    assert found(db, "rahul") == ["Rahul Sharma"]
