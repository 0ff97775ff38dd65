"""customers_recent_fts (migration m003): kept in step with the customers table by triggers
through every kind of change, and ordered by the last visit."""

from __future__ import annotations

import pytest

from counter.customers import CustomerInput, create_customer, update_customer
from counter.search import find_customers
from counter.storage import customer_sql, visit_sql

DAY = 86_400


def recent_ids(db, match):
    return [
        row[0]
        for row in db.execute(
            "SELECT rowid & 1073741823 FROM customers_recent_fts "
            "WHERE customers_recent_fts MATCH ? ORDER BY rowid DESC",
            [match],
        )
    ]


def reference_ids(db, match):
    """The same match on the external-content index, live customers, most recent first."""
    return [
        row[0]
        for row in db.execute(
            "SELECT c.id FROM customers_fts f JOIN customers c ON c.id = f.rowid "
            "WHERE customers_fts MATCH ? AND c.erased_at IS NULL "
            "ORDER BY coalesce(c.last_visit_at, 0) DESC, c.id DESC",
            [match],
        )
    ]


def visit(db, customer_id, at):
    visit_sql.insert_visit(
        db, {"customer_id": customer_id, "status": "ended", "arrived_at": at, "updated_at": at}
    )


@pytest.fixture
def ids(db, now):
    made = {}
    for given, family, phone in (
        ("Mehmet", "Kaya", "+90 532 123 4567"),
        ("Mehmet", "Demir", "+90 532 765 4567"),
        ("Merve", "Kara", ""),
        ("Anna", "Tóth", "+36 30 987 6543"),
    ):
        customer = create_customer(
            db, CustomerInput(given, family, phone=phone), now=now, phone_region="GB"
        )
        made[given + family] = customer.id
    return made


@pytest.mark.parametrize("match", ['"me"*', '"mehmet"', '"k"*', '"anna"', '"t"*'])
def test_matches_the_reference_index_after_every_change(db, now, ids, match):
    def check():
        assert recent_ids(db, f"search_key : {match}") == reference_ids(db, match)

    check()
    visit(db, ids["MehmetDemir"], now - 3 * DAY)
    visit(db, ids["MerveKara"], now - 1 * DAY)
    visit(db, ids["MehmetDemir"], now - 10 * DAY)  # older: changes nothing
    check()
    update_customer(
        db, ids["AnnaTóth"], CustomerInput("Anna", "Kovács"), now=now, phone_region="GB"
    )
    check()
    db.execute(
        "UPDATE customers SET search_key = '', erased_at = ? WHERE id = ?",
        [now, ids["MehmetKaya"]],
    )
    check()
    db.execute("DELETE FROM customers WHERE id = ?", [ids["AnnaTóth"]])  # no visits
    check()
    db.execute("INSERT INTO customers_recent_fts (customers_recent_fts) VALUES ('integrity-check')")


def test_phone_tail_and_card_columns(db, now, ids):
    assert set(recent_ids(db, 'phone_rev : "7654"*')) == {ids["MehmetKaya"], ids["MehmetDemir"]}
    assert recent_ids(db, 'phone_rev : "3456"*') == [ids["AnnaTóth"]]
    # A tail is not a prefix: "4567" is at the end of Şükrü's number, "9053" at its start.
    assert recent_ids(db, 'phone_rev : "9053"*') == []
    assert set(recent_ids(db, 'phone_digits : "9053"*')) == {
        ids["MehmetKaya"],
        ids["MehmetDemir"],
    }


def test_short_prefix_over_many_customers_gives_the_most_recent(db, now):
    for n in range(120):
        customer = create_customer(
            db, CustomerInput(f"Mia{n:03d}", "Novak"), now=now, phone_region="GB"
        )
        visit(db, customer.id, now - (n * 7919 % 500) * 3600)
    hits = find_customers(db, "m")
    seen = [h.last_visit_at for h in hits]
    assert len(hits) == 50
    assert seen == sorted(seen, reverse=True)
    cutoff = db.execute(
        "SELECT last_visit_at FROM customers ORDER BY last_visit_at DESC LIMIT 1 OFFSET 49"
    ).fetchone()[0]
    assert min(seen) == cutoff


def test_rebuild_gives_the_same_index(db, now, ids):
    visit(db, ids["MehmetKaya"], now - DAY)
    before = recent_ids(db, 'search_key : "m"*')
    customer_sql.rebuild_search_indexes(db)
    assert recent_ids(db, 'search_key : "m"*') == before
