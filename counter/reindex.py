"""Search keys for customers written outside Counter (sqlite-utils, Datasette, plain SQL).

Counter computes a customer's search key (folded names, romanizations, the e-mail's user) and
phone digits in Python when it writes the customer; a tool that inserts or renames a customer
does not. Triggers (migration m007) note such rows; :func:`repair_stale` corrects them a few
hundred at a time (the app runs it on the database worker after the window is up, so searches
are answered in between), and :func:`reindex_all` recomputes every customer
(``counter reindex``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from counter.progress import Progress, tick
from counter.search import SEARCH_KEY_VERSION, customer_search_key, digits_of
from counter.storage import reindex_sql, write_transaction

if TYPE_CHECKING:
    from sqlite_utils import Database

CHUNK = 500


def derived(row: Mapping[str, Any]) -> tuple[str, str, str]:
    """(search_key, phone_digits, phone_rev) as Counter computes them on a save."""
    key = customer_search_key(
        row["given_name"] or "",
        row["family_name"] or "",
        row["native_name"] or "",
        email=row["email"] or "",
    )
    digits = digits_of(row["phone"] or "")
    return key, digits, digits[::-1]


def _corrections(rows: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str, int]]:
    fixes = []
    for row in rows:
        key, digits, rev = derived(row)
        if (key, digits) != (row["search_key"], row["phone_digits"]):
            fixes.append((key, digits, rev, row["id"]))
    return fixes


def needs_repair(db: Database) -> bool:
    """Cheap: whether any customer is noted as changed outside Counter, or the stored keys
    were computed by an older rule than this Counter's (``SEARCH_KEY_VERSION``)."""
    return reindex_sql.has_stale(db) or reindex_sql.key_version(db) != SEARCH_KEY_VERSION


def repair_stale(db: Database, *, limit: int = CHUNK) -> tuple[int, bool]:
    """Correct up to ``limit`` noted customers in one transaction. Returns (how many keys
    changed, whether noted customers remain). Keys from an older rule are noted first."""
    with write_transaction(db):
        if reindex_sql.key_version(db) != SEARCH_KEY_VERSION:
            reindex_sql.note_every_customer(db, SEARCH_KEY_VERSION)
        noted = reindex_sql.stale_rows(db, limit)
        live = [r for r in noted if r["id"] is not None and r["erased_at"] is None]
        fixes = _corrections(live)
        reindex_sql.set_keys(db, fixes)
        reindex_sql.forget_stale(db, [r["noted"] for r in noted])
    return len(fixes), len(noted) == limit


def reindex_all(db: Database, *, progress: Progress | None = None, chunk: int = CHUNK) -> int:
    """Recompute every live customer's search key and phone digits; returns how many changed.
    One transaction per ``chunk`` customers: the app may keep working meanwhile."""
    total = reindex_sql.live_customers(db)
    changed = done = last_id = 0
    while True:
        with write_transaction(db):
            rows = reindex_sql.customer_rows(db, last_id, chunk)
            if not rows:
                reindex_sql.forget_stale_up_to(db, 1 << 62)  # noted rows since erased
                break
            fixes = _corrections(rows)
            reindex_sql.set_keys(db, fixes)
            last_id = rows[-1]["id"]
            reindex_sql.forget_stale_up_to(db, last_id)
        changed += len(fixes)
        done += len(rows)
        if progress is not None:
            tick(progress, done, max(total, done))
    return changed
