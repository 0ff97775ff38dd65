"""The store's name, language and targets between a counter and the hub.

The hub keeps them per store (``counter.store_settings``; what a store has not set takes the
hub's defaults for new stores, ``counter.settings_defaults``), and the office sets them there.
Every sync, after the rows: what a manager changed here goes up as the store's own (the later
sync wins), then the store's values as they apply come down into this counter's settings, so
its wait timers, dashboard and greetings use its store's targets. A name comes down only when
the store has one of its own on the hub; a value this counter would refuse from a manager (out
of range, amber not before red, an unknown language) is kept as it is here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import psycopg

from counter import settings
from counter.hub import targets_sql
from counter.storage import settings_sql
from counter.storage.connection import write_transaction

if TYPE_CHECKING:
    from sqlite_utils import Database


def _to_hub(key: str, value: str) -> object:
    if key in ("store_name", "store_language"):
        return value
    return int(value) if value.strip().isdigit() else None  # None: the hub's default


def sync_store_settings(db: Database, conn: psycopg.Connection, store_id: int) -> list[str]:
    """Send the store's settings changed here, take the hub's; the local keys changed."""
    pending = settings.pending_for_hub(db)
    stored = {**settings.DEFAULTS, **settings_sql.all_settings(db)}
    sent = {key: stored[key] for key in pending}
    if sent:
        keep = frozenset(settings.HUB_SETTINGS[k] for k, mode in pending.items() if mode == "seed")
        with conn.transaction():
            targets_sql.put(
                conn,
                store_id,
                {settings.HUB_SETTINGS[k]: _to_hub(k, v) for k, v in sent.items()},
                keep=keep,
            )
    row = targets_sql.applied(conn, store_id)
    if row is None:  # not this login's store (any more)
        return []
    values = {
        key: str(row[column])
        for key, column in settings.HUB_SETTINGS.items()
        if row[column] is not None
    }
    if not sent and all(stored.get(key) == value for key, value in values.items()):
        return []  # the usual sync: nothing to write, no write lock taken
    with write_transaction(db):
        return settings.take_from_hub(db, values, sent)
