"""Storage fixtures: a Counter database file with a little of everything in it."""

from __future__ import annotations

import pytest

from counter.customers import CustomerInput, create_customer
from counter.storage import open_database, staff_sql, visit_sql
from counter.storage.schema import MIGRATIONS

NOW = 1_795_512_600


def fill(db, count: int = 30) -> None:
    staff = staff_sql.insert_staff(db, "Zeynep", "staff", "", NOW)
    for i in range(count):
        customer = create_customer(
            db,
            CustomerInput(f"Şükrü{i}", "Yılmaz", phone=f"+90 532 123 {i:04d}", card=f"C{i}"),
            now=NOW - i,
            phone_region="TR",
        )
        visit_sql.insert_visit(
            db,
            {
                "customer_id": customer.id,
                "staff_id": staff,
                "status": "ended",
                "arrived_at": NOW - 3600 - i,
                "need": f"need {i}",
                "updated_at": NOW,
            },
        )


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "data" / "counter.db"
    db = open_database(path)
    fill(db)
    db.close()
    return path


@pytest.fixture
def extra_migration():
    """A migration this build pretends to have gained since the file was written."""

    @MIGRATIONS(name="m900_test_only")
    def m900_test_only(db):
        db.execute("CREATE TABLE test_only (x INTEGER)")

    yield "m900_test_only"
    MIGRATIONS._migrations = [m for m in MIGRATIONS._migrations if m.name != "m900_test_only"]
