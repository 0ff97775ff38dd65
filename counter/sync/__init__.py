"""Several counters, one hub: keeping this counter's SQLite file in sync with the PostgreSQL hub.

The domain API (plain functions, no Qt; a UI runs them on its database worker):

    join(db, conn, hub=..., store=..., now=...) -> SyncResult   become a counter of a store
    run_once(db, conn, now=...) -> SyncResult                   upload, then download, once
    sync(db, url, password, now=...) -> SyncResult              connect, run_once, record
    status(db) -> SyncStatus                                    for the status bar and the CLI
    backlog(db, conn) -> (to upload, to download)               a progress bar's totals

Upload: the m009 triggers put every write of a synced table into ``sync_outbox`` in the same
transaction. Batches go up one PostgreSQL transaction each, keyed by (counter, change uid), so a
batch re-sent after a crash is a no-op; only after the hub committed are they deleted here.
Download: the hub's change log, read after this counter's cursor ``(txid, seq)`` with the safe
watermark (counter.hub.hub_sql.page), a page at a time, each page and the new cursor in one
local transaction; the search index and the dashboard summary follow through their triggers.
A counter's first download (its cursor still at the start: a new counter joining) goes in bulk
instead: one consistent snapshot of the hub's merged rows, streamed table by table, written in
one local transaction with the derived-data triggers set aside and the search indexes, last
visits, returning flags and dashboard summary rebuilt once at the end; the cursor then starts
at that snapshot (engine._first_download says why one transaction is safe there).
Conflicts: counter/sync/tables.py and counter/sync/merge.py.
"""

from counter.sync.engine import (
    SyncResult,
    SyncStatus,
    backlog,
    join,
    joined_url,
    run_once,
    status,
    sync,
)

__all__ = [
    "SyncResult",
    "SyncStatus",
    "backlog",
    "join",
    "joined_url",
    "run_once",
    "status",
    "sync",
]
