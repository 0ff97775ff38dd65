"""Where a visit was made: the hub's store and the counter (m011), named in the visit log,
its exports and the timeline once a file has joined a hub or holds more than one store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from counter.storage import report_sql

if TYPE_CHECKING:
    from sqlite_utils import Database


def shown(db: Database) -> bool:
    """Whether views and exports show each visit's store and counter."""
    return report_sql.visit_places_shown(db)


def place_text(store_name: str, counter_name: str) -> str:
    """ "Main street · Till 2" (either may be missing; '' for a visit of no hub)."""
    return " · ".join(part for part in (store_name, counter_name) if part)
