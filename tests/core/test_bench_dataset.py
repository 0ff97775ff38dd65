"""The bench file builder: the sizes asked for, search keys as the app writes them, search
indexes that agree with the data, reuse, and never replacing a store's own database."""

from __future__ import annotations

import pytest

from counter.bench import dataset, workload
from counter.customers import CustomerInput, create_customer
from counter.search import customer_search_key, find_customers
from counter.storage import open_database

NOW = 1_795_512_600


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "bench.db"
    return dataset.build(path, customers=400, visits=2_000, now=NOW)


def test_sizes_and_history(bench):
    db = open_database(bench.path)
    try:
        assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == 400
        assert db.execute("SELECT count(*) FROM visits").fetchone()[0] == 2_000
        first, last = db.execute("SELECT min(arrived_at), max(arrived_at) FROM visits").fetchone()
        assert first > NOW - 731 * 86_400 and last <= NOW
        # last_visit_at is what the visits say (the trigger was off during the load)
        assert not db.execute(
            """SELECT 1 FROM customers c WHERE last_visit_at IS NOT
               (SELECT max(arrived_at) FROM visits v WHERE v.customer_id = c.id)"""
        ).fetchall()
        assert db.execute("SELECT count(*) FROM visit_steps").fetchone()[0] > 5 * 1_900
        # Each ticked or skipped step names its server (m007), as the app records it.
        assert not db.execute(
            """SELECT 1 FROM visit_steps s JOIN visits v ON v.id = s.visit_id
               WHERE s.staff_id IS NOT (CASE WHEN s.at IS NULL THEN NULL ELSE v.staff_id END)"""
        ).fetchall()
    finally:
        db.close()


def test_search_keys_are_the_apps(bench):
    db = open_database(bench.path)
    try:
        for row in db.query("SELECT * FROM customers"):
            expected = customer_search_key(
                row["given_name"], row["family_name"], row["native_name"], email=row["email"]
            )
            assert row["search_key"] == expected
    finally:
        db.close()


def test_typed_names_find_their_customer(bench):
    db = open_database(bench.path)
    try:
        customers = list(db.query("SELECT * FROM customers WHERE id % 37 = 1"))
        for customer, keys in zip(
            customers, workload.name_sequences(customers, seed=1), strict=True
        ):
            hits = find_customers(db, keys[-1], limit=400)
            assert customer["id"] in {h.id for h in hits}, keys[-1]
    finally:
        db.close()


def test_reused_when_the_size_matches(bench):
    again = dataset.build_or_reuse(bench.path, customers=400, visits=2_000)
    assert again.reused and again.now == NOW


def test_a_file_from_an_older_schema_is_migrated_not_rebuilt(bench, tmp_path):
    import shutil

    path = tmp_path / "older.db"
    shutil.copy(bench.path, path)
    db = open_database(path, migrate=False)
    db.execute("DROP INDEX follow_ups_owner_due")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_overdue_by_owner'")
    customers = db.execute("SELECT count(*) FROM customers").fetchone()[0]
    db.close()
    said = []
    again = dataset.build_or_reuse(path, customers=400, visits=2_000, progress=said.append)
    assert again.reused and said == ["migrating the bench file: m006_overdue_by_owner"]
    db = open_database(path, migrate=False)
    try:
        assert "follow_ups_owner_due" in {i.name for i in db["follow_ups"].indexes}
        assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == customers
        assert sorted(p.name for p in tmp_path.rglob("*.db")) == ["older.db"]  # no copy
    finally:
        db.close()


def test_never_replaces_a_store_database(tmp_path, now):
    path = tmp_path / "store.db"
    db = open_database(path)
    create_customer(db, CustomerInput("Ayşe", "Yılmaz"), now=now, phone_region="GB")
    db.close()
    with pytest.raises(FileExistsError):
        dataset.build_or_reuse(path, customers=10, visits=20)
    db = open_database(path)
    assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == 1
    db.close()


def test_dashboard_summary_is_filled_after_the_load(bench):
    from datetime import UTC

    from counter.dashboard import load_dashboard
    from counter.durations import Targets
    from counter.roles import Session
    from counter.storage import bench_sql
    from counter.visit_filter import VisitFilter
    from tests.core.test_dashboard_summary import assert_summary_matches_a_fresh_fill

    db = open_database(bench.path)
    try:
        # The triggers are back, and the summary is what a fill from the visits gives.
        names = {t.name for t in db.triggers}
        assert {"dash_visit_update", "dash_step_update", "visits_returning_insert"} <= names
        assert db.execute("SELECT sum(is_returning) FROM visits").fetchone()[0] > 0
        manager = bench_sql.bench_manager(db)
        session = Session(manager["id"], manager["name"], "manager", NOW)
        f = VisitFilter(start=NOW - 30 * 86_400, end=NOW)
        targets = Targets(wait=180, service=600)
        summary = load_dashboard(db, session, f, targets=targets, now=NOW, tz=UTC)
        raw = load_dashboard(db, session, f, targets=targets, now=NOW, tz=UTC, use_summary=False)
        assert summary == raw and summary.visits > 0 and summary.returning > 0
        assert_summary_matches_a_fresh_fill(db)
    finally:
        db.close()
