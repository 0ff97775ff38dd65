"""The customers table's columns are named once (counter.storage.customer_sql); every list of
them is derived from that one, and the one list matches the table the migrations build."""

from __future__ import annotations

from dataclasses import fields

from counter.customer_export import COLUMNS as EXPORTED
from counter.customers import Customer, CustomerInput
from counter.importing.columns import FIELDS as MAPPING_TARGETS
from counter.storage import open_memory_database
from counter.storage.customer_sql import (
    CUSTOMER_COLUMNS,
    CUSTOMER_FIELDS,
    DERIVED_COLUMNS,
    ERASED_VALUES,
    SEARCH_KEY_SOURCES,
)
from counter.storage.schema import _M009_FIELDS
from counter.sync.tables import BY_NAME, ERASED_CUSTOMER

# Columns a write never sets from a person's input: kept by the table itself.
BOOKKEEPING = ("id", "created_at", "updated_at", "last_visit_at", "erased_at", "gid")


def test_the_one_list_is_the_table_a_new_database_has():
    db = open_memory_database()
    table = [row[1] for row in db.execute("PRAGMA table_info(customers)").fetchall()]
    assert [c for c in table if c not in BOOKKEEPING] == list(CUSTOMER_COLUMNS)
    assert set(DERIVED_COLUMNS) <= set(CUSTOMER_COLUMNS)
    assert set(SEARCH_KEY_SOURCES) <= set(CUSTOMER_FIELDS)


def test_the_forms_and_records_have_the_customer_fields_in_order():
    assert tuple(f.name for f in fields(CustomerInput)) == CUSTOMER_FIELDS
    customer = tuple(f.name for f in fields(Customer))
    assert customer == ("id", *CUSTOMER_FIELDS, "created_at", "updated_at", "last_visit_at")


def test_export_import_and_sync_derive_from_it():
    assert ("id", *CUSTOMER_FIELDS, "created_at", "last_visit_at") == EXPORTED
    assert [f for f in MAPPING_TARGETS if f in CUSTOMER_FIELDS] == list(CUSTOMER_FIELDS)
    assert BY_NAME["customers"].fields == (
        *CUSTOMER_FIELDS,
        "created_at",
        "updated_at",
        "erased_at",
    )
    # The shipped m009 keeps its own literal copy (a shipped migration never changes); today
    # sync sends the same fields.
    assert BY_NAME["customers"].fields == _M009_FIELDS["customers"]
    assert {f: ERASED_VALUES[f] for f in CUSTOMER_FIELDS if f != "language"} == ERASED_CUSTOMER


def test_erasing_blanks_every_column_but_the_language():
    from counter.storage import privacy_sql, write_transaction

    db = open_memory_database()
    values = {c: f"x-{c}" for c in CUSTOMER_COLUMNS} | {"formality": "informal", "title": "ms"}
    with write_transaction(db):
        db.execute(
            f"INSERT INTO customers (id, {', '.join(CUSTOMER_COLUMNS)}, created_at, updated_at)"
            f" VALUES (7, {', '.join('?' for _ in CUSTOMER_COLUMNS)}, 1, 1)",
            list(values.values()),
        )
        assert privacy_sql.erase_customer(db, 7, now=2)
    row = dict(
        zip(
            CUSTOMER_COLUMNS,
            db.execute(
                f"SELECT {', '.join(CUSTOMER_COLUMNS)} FROM customers WHERE id = 7"
            ).fetchone(),
            strict=True,
        )
    )
    assert row == {**ERASED_VALUES, "language": "x-language"}
