"""Storage fixtures: a Counter database file with a little of everything in it."""

from __future__ import annotations

import pytest

from counter.customers import CustomerInput, create_customer
from counter.storage import open_database, staff_sql, visit_sql, write_transaction
from counter.storage.schema import apply_migrations

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


# The first migration an older Counter had not applied: it adds an index (a new page).
NEWER_MIGRATION = "m006_overdue_by_owner"
NEWER_INDEX = "follow_ups_owner_due"


@pytest.fixture
def older_db_file(tmp_path):
    """A file as an older Counter left it: migrated up to NEWER_MIGRATION, 30 customers with
    a visit each (written with plain SQL: today's domain may need later columns)."""
    path = tmp_path / "data" / "counter.db"
    db = open_database(path, migrate=False)
    apply_migrations(db, stop_before=NEWER_MIGRATION)
    with write_transaction(db):
        db.execute("INSERT INTO staff (id, name, created_at) VALUES (1, 'Zeynep', ?)", [NOW])
        for i in range(30):
            db.execute(
                "INSERT INTO customers (id, given_name, family_name, search_key, created_at,"
                " updated_at) VALUES (?, ?, 'Yılmaz', ?, ?, ?)",
                [i + 1, f"Şükrü{i}", f"sukru{i} yilmaz", NOW - i, NOW - i],
            )
            db.execute(
                "INSERT INTO visits (customer_id, staff_id, status, arrived_at, updated_at)"
                " VALUES (?, 1, 'ended', ?, ?)",
                [i + 1, NOW - 3600 - i, NOW],
            )
    db.execute("VACUUM")  # no free pages (m005 freed one): the next migration grows the file
    db.close()
    return path
