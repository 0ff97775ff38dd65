"""Join, upload, download, status: see the package docstring."""

from __future__ import annotations

import contextlib
import os
import queue
import sqlite3
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import psycopg

from counter import settings
from counter.hub import hub_sql
from counter.hub import schema as hub_schema
from counter.hub.connection import HubError, classify, connect, describe
from counter.search import customer_search_key, digits_of
from counter.storage import sync_sql
from counter.storage.connection import write_transaction
from counter.storage.customer_sql import SEARCH_KEY_SOURCES
from counter.sync import store_targets
from counter.sync.merge import as_clocks, change_clocks, merge_clocks, merge_row
from counter.sync.tables import BY_NAME, ERASED_CUSTOMER, ORDER, TABLES

if TYPE_CHECKING:
    from sqlite_utils import Database

UPLOAD_BATCH = 500
DOWNLOAD_PAGE = 1000
BULK_BATCH = 5000  # rows per fetch and per executemany of a bulk first download


@dataclass
class SyncResult:
    uploaded: int = 0  # local changes the hub took in
    resent: int = 0  # changes the hub already had (a retry after an interruption)
    downloaded: int = 0  # changes read from the hub
    applied: int = 0  # rows here that they added or changed
    waiting: int = 0  # local changes still waiting to go up afterwards
    # What the download changed here, for the views to reload only what shows it: the synced
    # tables (counter/sync/tables.py names) with rows added or changed, and the local ids of
    # the customers concerned (their record, visits, steps or follow-ups); None: any customer
    # (a bulk first download).
    changed: set[str] = field(default_factory=set)
    customer_ids: set[int] | None = field(default_factory=set)
    settings: list[str] = field(default_factory=list)  # settings here the hub's changed

    def note_everything(self) -> None:
        self.changed.update(t.name for t in TABLES)
        self.customer_ids = None

    def describe(self) -> str:
        text = (
            f"{self.uploaded} changes uploaded, {self.downloaded} downloaded "
            f"({self.applied} rows added or changed here)"
        )
        if self.resent:
            text += f", {self.resent} already on the hub"
        return text


@dataclass(frozen=True)
class SyncStatus:
    joined: bool
    hub: str  # never with a password
    store: str
    counter: str
    last_sync_at: int | None
    waiting: int  # changes in the outbox
    last_error: str


def status(db: Database) -> SyncStatus:
    st = sync_sql.state(db)
    return SyncStatus(
        joined=bool(st["joined"]),
        hub=describe(st["hub"]) if st["hub"] else "",
        store=st["store"],
        counter=st["counter_gid"],
        last_sync_at=st["last_sync_at"],
        waiting=sync_sql.outbox_count(db),
        last_error=st["last_error"],
    )


def joined_url(db: Database) -> str:
    """The URL of the hub this database joined (never with a password), or "" when none."""
    st = sync_sql.state(db)
    return str(st["hub"] or "") if st["joined"] else ""


def join(
    db: Database,
    conn: psycopg.Connection,
    *,
    hub: str,
    store: str,
    now: int,
    name: str = "",
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[SyncResult], None] | None = None,
    bulk: bool = True,
) -> SyncResult:
    """Make this database a counter of ``store`` on the hub behind ``conn`` (``hub``: its URL
    without the password, kept in the file), then sync once: the first upload carries every
    row this counter already holds, the first download everyone else's. ``should_stop``,
    ``progress`` and ``bulk``: as for run_once (a cancelled join has joined; the rest syncs
    later)."""
    store = store.strip()
    if not store:
        raise HubError("store", "Give the store's name.")
    try:
        hub_schema.check_version(conn)
        st = sync_sql.state(db)
        if st["joined"]:
            if st["store"] == store and describe(st["hub"]) == describe(hub):
                return run_once(
                    db, conn, now=now, should_stop=should_stop, progress=progress, bulk=bulk
                )
            raise HubError(
                "store",
                f"This database already belongs to the store {st['store']!r} on "
                f"{describe(st['hub'])}.",
            )
        store_id = hub_sql.store_for(conn, store)
        counter_gid = uuid.uuid4().hex
        with conn.transaction():
            hub_sql.add_counter(conn, counter_gid, store_id, name)
    except psycopg.Error as e:
        raise _hub_error(e, hub) from e
    with write_transaction(db):
        sync_sql.join(
            db,
            hub=hub,
            store=store,
            store_id=store_id,
            counter_gid=counter_gid,
            now=now,
            counter_name=name,
        )
        sync_sql.enqueue_everything(db)
        settings.mark_joined(db)
    return run_once(db, conn, now=now, should_stop=should_stop, progress=progress, bulk=bulk)


def sync(
    db: Database,
    url: str,
    password: str | None,
    *,
    now: int,
    should_stop: Callable[[], bool] | None = None,
) -> SyncResult:
    """Connect to the hub this database joined, sync once, record how it went. Raises HubError
    (plain message) when the hub cannot be reached or refuses; nothing is lost either way."""
    try:
        conn = connect(url, password)
    except HubError as e:
        _record(db, None, e.message)
        raise
    try:
        return run_once(db, conn, now=now, should_stop=should_stop)
    finally:
        conn.close()


def run_once(
    db: Database,
    conn: psycopg.Connection,
    *,
    now: int,
    should_stop: Callable[[], bool] | None = None,
    batch: int = UPLOAD_BATCH,
    page_size: int = DOWNLOAD_PAGE,
    progress: Callable[[SyncResult], None] | None = None,
    bulk: bool = True,
) -> SyncResult:
    """Upload everything waiting, then download everything new, once. ``should_stop`` is asked
    between batches and pages (a cancel loses nothing: each step is whole or not at all);
    ``progress`` is shown the result so far just before (a progress bar: see ``backlog``).
    A counter's first download (its cursor at the start) goes in bulk (_first_download)
    unless ``bulk`` is False (tests compare the two)."""
    st = sync_sql.state(db)
    if not st["joined"]:
        raise HubError("not_joined", "This database has not joined a hub yet.")
    result = SyncResult()
    asked = should_stop or (lambda: False)

    def stop() -> bool:
        if progress is not None:
            progress(result)
        return asked()

    try:
        version = hub_schema.check_version(conn)
        tracked = version >= hub_schema.TRACKED_UPLOADS
        _upload(db, conn, st, result, batch, stop)
        if bulk and (st["cursor_txid"], st["cursor_seq"]) == ("0", 0) and not stop():
            with write_transaction(db):
                sync_sql.mark_places_pending(db)  # the bulk brings visits without a place
            with contextlib.suppress(_Cancelled):
                _first_download(db, conn, st, result, stop)
            if result.applied:
                result.note_everything()
            st = sync_sql.state(db)
        _download(db, conn, st, result, page_size, stop, tracked=tracked)
        _record_places(db, conn)
        if version >= 2 and not asked():  # h002: targets and settings per store
            result.settings = store_targets.sync_store_settings(db, conn, int(st["store_id"]))
    except HubError as e:
        _record(db, None, e.message)
        raise
    except psycopg.Error as e:
        error = _hub_error(e, st["hub"])
        _record(db, None, error.message)
        raise error from e
    _record(db, None if asked() else now, "")  # a cancelled sync is not a finished one
    result.waiting = sync_sql.outbox_count(db)
    return result


def _record_places(db: Database, conn: psycopg.Connection) -> None:
    """Where each visit was made (m011): the place of visits a bulk download brought, and
    the names of counters some visits do not know yet (one small query, only then)."""
    if sync_sql.places_pending(db):
        with write_transaction(db):
            sync_sql.fill_visit_places(db)
    unnamed = sync_sql.unnamed_counters(db)
    if unnamed:
        known = hub_sql.counter_names(conn, unnamed)
        names = {gid: known.get(gid, "") for gid in unnamed}  # not on the hub: asked once
        with write_transaction(db):
            sync_sql.name_counters(db, names)


def _hub_error(e: psycopg.Error, url: str) -> HubError:
    """A lost or refused connection in the words of classify(); anything else the hub said
    no to (a privilege, a constraint) as a refusal, with PostgreSQL's first line."""
    if isinstance(e, psycopg.OperationalError):
        return classify(e, url)
    first = (str(e).strip().splitlines() or [type(e).__name__])[0]
    return HubError("refused", f"The hub refused: {first}")


def _record(db: Database, now: int | None, error: str) -> None:
    # A full disk must not hide the hub's own message: the record is a nicety.
    with contextlib.suppress(sqlite3.Error), write_transaction(db):
        sync_sql.record_attempt(db, now=now, error=error)


# --- upload ------------------------------------------------------------------------------------


def _upload(db, conn, st, result: SyncResult, batch: int, stop) -> None:
    me, store_id = st["counter_gid"], st["store_id"]
    while not stop():
        changes = sync_sql.outbox_batch(db, batch)
        if not changes:
            return
        with conn.transaction():
            hub_sql.begin_upload(conn)  # first: the download watermark waits for it
            new = hub_sql.record_changes(
                conn,
                me,
                store_id,
                [(c["uid"], c["seq"], c["tbl"], c["gid"], c["hlc"]) for c in changes],
            )
            fresh = [c for c in changes if c["uid"] in new]
            if fresh:
                _merge_into_hub(conn, fresh, me, store_id)
                hub_sql.touch_counter(conn, me)
                hub_sql.notify(conn, store_id)
        # Killed here: the hub has committed, the outbox still holds the batch. The next run
        # sends it again and the hub's (counter, seq) key turns every row into a no-op.
        with write_transaction(db):
            _fold_clocks(db, changes, me)
            sync_sql.outbox_done(db, changes[-1]["seq"])
        result.uploaded += len(fresh)
        result.resent += len(changes) - len(fresh)


def _fold_clocks(db: Database, changes: list[dict[str, Any]], me: str) -> None:
    """Uploaded changes leave the outbox; their field clocks stay (a later download must not
    overwrite them with anything older)."""
    by_table: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for c in changes:
        by_table[c["tbl"]].setdefault(c["gid"], {})
        by_table[c["tbl"]][c["gid"]] = merge_clocks(
            by_table[c["tbl"]][c["gid"]], change_clocks(c["fields"], c["hlc"], me)
        )
    for table, rows in by_table.items():
        stored = sync_sql.clocks(db, table, list(rows))
        sync_sql.put_clocks(
            db,
            table,
            [(gid, merge_clocks(as_clocks(stored.get(gid)), c)) for gid, c in rows.items()],
        )


def _merge_into_hub(conn, changes: list[dict[str, Any]], me: str, store_id: int) -> None:
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in changes:
        by_key[(c["tbl"], c["gid"])].append(c)
    keys = sorted(by_key, key=lambda k: (ORDER[k[0]], k[1]))
    existing = hub_sql.rows(conn, keys, lock=True)
    customer_gids = {
        c["fields"].get("customer_id") for c in changes if c["tbl"] in ("visits", "follow_ups")
    } | {r.data.get("customer_id") for r in existing.values()}
    erased = hub_sql.erased_customers(conn, [g for g in customer_gids if g])

    def merged(key, base: hub_sql.HubRow | None) -> hub_sql.HubRow:
        table, gid = key
        data: dict[str, Any] = dict(base.data) if base else {}
        clocks = as_clocks(base.clocks) if base else {}
        for c in by_key[key]:
            customer = c["fields"].get("customer_id") or data.get("customer_id")
            data, clocks = merge_row(
                table,
                data,
                clocks,
                c["fields"],
                change_clocks(c["fields"], c["hlc"], me),
                customer_erased=customer in erased,
            )
        if table == "customers" and data.get("erased_at") is not None:
            erased.add(gid)
        return hub_sql.HubRow(
            table,
            gid,
            data,
            clocks,
            base.store_id if base else store_id,
            base.counter_gid if base else me,
        )

    new_rows, changed = [], []
    newly_erased = []
    for key in keys:
        base = existing.get(key)
        was_erased = base is not None and base.data.get("erased_at") is not None
        row = merged(key, base)
        if key[0] == "customers" and row.data.get("erased_at") is not None and not was_erased:
            newly_erased.append(key[1])
        if base is None:
            new_rows.append(row)
        elif row.data != base.data or row.clocks != as_clocks(base.clocks):
            changed.append(row)
    lost = hub_sql.insert_rows(conn, new_rows)
    if lost:  # another counter's upload inserted the same row first: merge into theirs
        for key, base in hub_sql.rows(conn, lost, lock=True).items():
            changed.append(merged(key, base))
    hub_sql.update_rows(conn, changed)
    hub_sql.blank_erased_text(conn, newly_erased)


# --- download ----------------------------------------------------------------------------------


def _download(
    db, conn, st, result: SyncResult, page_size: int, stop, *, tracked: bool = True
) -> None:
    store_id = st["store_id"]
    cursor = (st["cursor_txid"], st["cursor_seq"])
    while not stop():
        entries = hub_sql.page(conn, cursor, store_id, page_size, tracked=tracked)
        if not entries:
            return
        rows = hub_sql.rows(conn, [(e[2], e[3]) for e in entries])
        rows = _with_parents(db, conn, rows)
        cursor = (entries[-1][0], entries[-1][1])
        result.applied += _apply(db, list(rows.values()), st["counter_gid"], cursor, result)
        result.downloaded += len(entries)
        if len(entries) < page_size:
            return


def _with_parents(db, conn, rows: dict[Any, Any]) -> dict[Any, Any]:
    """Add the customers and visits the page's rows point at that this counter does not hold
    yet (a visit downloaded before its customer's page, say)."""
    for _ in range(3):
        wanted: set[tuple[str, str]] = set()
        for row in rows.values():
            for field_name, parent in BY_NAME[row.tbl].refs.items():
                gid = row.data.get(field_name)
                if gid and parent != "staff" and (parent, gid) not in rows:
                    wanted.add((parent, gid))
        if not wanted:
            break
        by_table: dict[str, set[str]] = defaultdict(set)
        for table, gid in wanted:
            by_table[table].add(gid)
        missing = [
            (table, gid)
            for table, gids in by_table.items()
            for gid in gids - set(sync_sql.ids_of(db, table, gids))
        ]
        if not missing:
            break
        rows = {**hub_sql.rows(conn, missing), **rows}
    return rows


def _derived(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Columns a counter computes from synced fields: never sent, recomputed on apply."""
    if table != "customers":
        return {}
    if values.get("erased_at") is not None:
        return {"phone_digits": "", "phone_rev": "", "search_key": ""}
    digits = digits_of(values.get("phone") or "")
    return {
        "phone_digits": digits,
        "phone_rev": digits[::-1],
        "search_key": customer_search_key(
            values.get("given_name") or "",
            values.get("family_name") or "",
            values.get("native_name") or "",
            email=values.get("email") or "",
        ),
    }


def _local_subject(db: Database, subject: str) -> str:
    """ "customer@<gid>" as this counter's "customer:<id>" (kept as it is when unknown)."""
    kind, _, gid = (subject or "").partition("@")
    table = sync_sql.SUBJECT_KINDS.get(kind)
    if not table or not gid:
        return subject
    local = sync_sql.ids_of(db, table, [gid]).get(gid)
    return f"{kind}:{local}" if local is not None else subject


_DERIVED_FROM = {*SEARCH_KEY_SOURCES, "erased_at"}


def _apply(
    db: Database,
    rows: list[Any],
    me: str,
    cursor: tuple[str, int],
    result: SyncResult | None = None,
) -> int:
    """One page of hub rows merged into this counter, with the new cursor: one transaction.
    ``result``: noted there, which tables and customers the rows it changed belong to."""
    applied = 0
    seen = 0
    customers: set[str] = set()  # global ids of the customers concerned
    visits: set[str] = set()  # ... and of the visits whose steps changed
    with write_transaction(db):
        sync_sql.set_applying(db, True)
        for spec in TABLES:
            batch = [r for r in rows if r.tbl == spec.name]
            if not batch:
                continue
            gids = [r.gid for r in batch]
            local = sync_sql.local_rows(db, spec.name, gids)
            stored = sync_sql.clocks(db, spec.name, gids)
            pending: dict[str, dict[str, Any]] = defaultdict(dict)
            for c in sync_sql.pending_changes(db, spec.name, gids):
                pending[c["gid"]] = merge_clocks(
                    pending[c["gid"]], change_clocks(c["fields"], c["hlc"], me)
                )
            refs: dict[str, set[str]] = defaultdict(set)
            for r in batch:
                for f, parent in spec.refs.items():
                    for data in (r.data, local.get(r.gid, (None, {}))[1]):
                        if data.get(f):
                            refs[parent].add(data[f])
            ids = {parent: sync_sql.ids_of(db, parent, gids_) for parent, gids_ in refs.items()}
            erased = (
                sync_sql.erased_customers(db, refs["customers"])
                if spec.name in ("visits", "follow_ups")
                else set()
            )
            new_clocks = []
            for r in batch:
                key, mine = local.get(r.gid, (None, {}))
                theirs = as_clocks(r.clocks)
                seen = max([seen, *(c[0] for c in theirs.values())])
                ours = merge_clocks(as_clocks(stored.get(r.gid)), pending.get(r.gid, {}))
                customer = r.data.get("customer_id") or mine.get("customer_id")
                data, clocks = merge_row(
                    spec.name, mine, ours, r.data, theirs, customer_erased=customer in erased
                )
                new_clocks.append((r.gid, clocks))
                changed = {}
                for f in spec.fields:
                    value = data.get(f)
                    if f in mine and value == mine[f]:
                        continue
                    if f in spec.refs:
                        value = ids[spec.refs[f]].get(value) if value else None
                        if f in mine and value is None and mine[f] is None:
                            continue  # another store's staff member: not known here
                    changed[f] = value
                if spec.name == "audit_log" and "subject" in changed:
                    changed["subject"] = _local_subject(db, changed["subject"])
                if key is None:
                    changed.update(_derived(spec.name, data))
                    if spec.name == "visits":  # where it was made, as the hub recorded it
                        changed.update(sync_sql.visit_place(db, r.store_id, r.counter_gid))
                    sync_sql.insert_row(db, spec.name, r.gid, changed)
                    applied += 1
                    _note(result, spec.name, r.gid, data, mine, customers, visits)
                elif changed:
                    if _DERIVED_FROM & set(changed):
                        changed.update(_derived(spec.name, data))
                    sync_sql.update_row(db, spec.name, key, changed)
                    if (
                        spec.name == "customers"
                        and mine.get("erased_at") is None
                        and data.get("erased_at") is not None
                    ):
                        sync_sql.blank_erased_text(db, key)
                    applied += 1
                    _note(result, spec.name, r.gid, data, mine, customers, visits)
            sync_sql.put_clocks(db, spec.name, new_clocks)
        sync_sql.receive_clock(db, seen)
        sync_sql.set_cursor(db, *cursor)
        sync_sql.set_applying(db, False)
        if result is not None and result.customer_ids is not None:
            customers |= sync_sql.customers_of_visits(db, visits)
            result.customer_ids |= set(sync_sql.ids_of(db, "customers", customers).values())
    return applied


def _note(
    result: SyncResult | None,
    table: str,
    gid: str,
    data: Mapping[str, Any],
    before: Mapping[str, Any],
    customers: set[str],
    visits: set[str],
) -> None:
    """A row this download changed: its table, and the customer it concerns (before and after:
    a visit moved from one customer to another concerns both)."""
    if result is None:
        return
    result.changed.add(table)
    if table == "customers":
        customers.add(gid)
    elif table == "visit_steps":
        visits.add(gid.rsplit("/", 1)[0])
    for values in (data, before):
        if table in ("visits", "follow_ups") and values.get("customer_id"):
            customers.add(values["customer_id"])


# --- a new counter's first download, in bulk ---------------------------------------------------


class _Cancelled(Exception):
    """Raised inside the first download's transaction to roll it back (a cancel)."""


def _first_download(db: Database, conn, st, result: SyncResult, stop) -> None:
    """Everything the hub holds for this counter, read from one consistent snapshot of the
    hub's merged rows (not change by change: a row edited ten times comes once) and written
    in ONE local transaction with the derived-data triggers and the big tables' lookup indexes
    set aside, then the search indexes, last visits, returning flags and dashboard summary
    rebuilt once from every row (sync_sql.finish_bulk) and the cursor set to the snapshot.

    Why one transaction is safe here: it is the unit of crash safety. A kill, a full disk or
    a lost hub before COMMIT rolls everything back (rows, clocks, triggers, indexes, summary)
    to the file as it was, cursor still at the start, and the next sync does the bulk again;
    there is never a file with rows but no summary or search entries for them, nor a cursor
    past rows that are not there. The cost: the write lock is held while it runs (on a new
    counter nothing else is writing; a tick would wait for it), and the WAL grows to about the
    size of the downloaded data until the next checkpoint.

    Rows this counter already holds (its own, uploaded just before, coming back) are merged
    the ordinary way (_apply) in the same transaction, after the bulk part. Whatever the hub
    accepts after the snapshot arrives with the next pages: the cursor ``(xmin, 0)`` hands out
    every change of a transaction the snapshot might not have seen."""
    store_id, me = st["store_id"], st["counter_gid"]
    with conn.transaction():
        xmin = hub_sql.begin_snapshot(conn)
        expected = hub_sql.snapshot_counts(conn, store_id)
        seen = hub_sql.snapshot_max_hlc(conn, store_id)
        existing: dict[str, list[str]] = defaultdict(list)
        with sync_sql.foreign_keys_aside(db), write_transaction(db):
            sync_sql.set_applying(db, True)
            cache = sync_sql.bulk_cache_kib(sum(expected.values()), _memory_kib())
            saved = sync_sql.begin_bulk(db, expected, cache_kib=cache)
            for spec in TABLES:
                if not expected.get(spec.name):
                    continue
                held = sync_sql.local_keys(db, spec.name)
                result.applied += _bulk_table(
                    db, conn, spec, None if spec.hub_wide else store_id, held, existing, stop
                )
                result.downloaded += expected[spec.name]
            sync_sql.blank_erased_customers_text(db)
            sync_sql.finish_bulk(db, saved)
            for spec in TABLES:
                for i in range(0, len(existing[spec.name]), DOWNLOAD_PAGE):
                    keys = [(spec.name, g) for g in existing[spec.name][i : i + DOWNLOAD_PAGE]]
                    rows = hub_sql.rows(conn, keys)
                    result.applied += _apply(db, list(rows.values()), me, (xmin, 0))
            sync_sql.receive_clock(db, seen)
            sync_sql.set_cursor(db, xmin, 0)
            sync_sql.set_applying(db, False)


def _memory_kib() -> int | None:
    """This computer's memory in KiB, None where the OS does not say (os.sysconf: not on
    Windows)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1024
    except (AttributeError, ValueError, OSError):
        return None


def _bulk_table(db, conn, spec, store_id, held: set[str], existing, stop) -> int:
    """Insert the hub's rows of one table that this counter does not hold; note the others.
    The hub's next batch is read by a thread of its own while this one writes the last
    (_prefetched): PostgreSQL's side, psycopg's and SQLite's overlap."""
    customers = spec.name == "customers"
    visits = spec.name == "visits"
    extra: tuple[str, ...] = ()
    if customers:
        extra = ("phone_digits", "phone_rev", "search_key")
    elif visits:  # where each was made, with the row (what fill_visit_places does after)
        extra = ("store_id", "store_name", "counter_gid", "counter_name")
        st = sync_sql.state(db)
        store, store_name, me = st["store_id"], st["store"], st["counter_gid"]
    insert = sync_sql.bulk_insert_sql(spec.name, extra)
    n_fields = len(spec.fields)
    subject = spec.fields.index("subject") if spec.name == "audit_log" else -1
    # The rows as the hub sends them, (gid, field..., clocks), fit the INSERT but for the
    # clocks at the end; steps have no gid column.
    first = 1 if spec.name == "visit_steps" else 0
    inserted = 0
    batches = hub_sql.stream_rows(conn, spec.name, spec.fields, store_id, BULK_BATCH, place=visits)
    # Closed (the reader stopped, its server-side cursor closed) before a rollback.
    with contextlib.closing(_prefetched(batches)) as prefetched:
        for batch in prefetched:
            if stop():
                raise _Cancelled  # rolls the whole first download back: redone next time
            if held:
                existing[spec.name].extend(row[0] for row in batch if row[0] in held)
                batch = [row for row in batch if row[0] not in held]
            if customers:
                values: list[Any] = [_bulk_customer(row) for row in batch]
            elif visits:  # (gid, field..., maker, maker's name, clocks)
                values = [
                    (*row[: 1 + n_fields], store, store_name, row[-3] or me, row[-2])
                    for row in batch
                ]
            elif subject >= 0:
                values = []
                for row in batch:
                    fields = list(row[:-1])
                    if fields[1 + subject]:
                        fields[1 + subject] = _local_subject(db, fields[1 + subject])
                    values.append(fields)
            else:
                values = [row[first : 1 + n_fields] for row in batch]
            sync_sql.bulk_insert(db, insert, values)
            sync_sql.bulk_put_clocks(db, spec.name, [(row[0], row[-1]) for row in batch])
            inserted += len(values)
    return inserted


_ERASED_VALUES = tuple(ERASED_CUSTOMER.get(f) for f in BY_NAME["customers"].fields)
_ERASED_MASK = tuple(f in ERASED_CUSTOMER for f in BY_NAME["customers"].fields)
_CUSTOMER_FIELD = {f: i + 1 for i, f in enumerate(BY_NAME["customers"].fields)}


def _bulk_customer(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A hub customer row ``(gid, field..., clocks)`` as the INSERT's values: gid, fields
    (an erased customer's as merge_row leaves them), phone digits, reversed, search key; what
    _derived gives, without a dict per row."""
    at = _CUSTOMER_FIELD
    fields = row[1:-1]
    if row[at["erased_at"]] is not None:
        fields = tuple(
            e if blank else v
            for v, e, blank in zip(fields, _ERASED_VALUES, _ERASED_MASK, strict=True)
        )
        return (row[0], *fields, "", "", "")
    digits = digits_of(row[at["phone"]] or "")
    key = customer_search_key(  # its names' part is made once per distinct names
        row[at["given_name"]] or "",
        row[at["family_name"]] or "",
        row[at["native_name"]] or "",
        email=row[at["email"]] or "",
    )
    return (row[0], *fields, digits, digits[::-1], key)


_DONE = object()


def _prefetched(batches: Generator[Any, None, None], depth: int = 2) -> Generator[Any, None, None]:
    """The batches of ``batches``, read ``depth`` ahead by a thread of its own (it waits on
    PostgreSQL and psycopg parses while the caller writes to SQLite, which lets go of the GIL
    too). The generator is closed by that thread (its server-side cursor with it) before this
    returns or raises, also when the caller stops early (a cancel) or the hub fails."""
    out: queue.Queue[Any] = queue.Queue(maxsize=depth)
    quit_ = threading.Event()

    def read() -> None:
        try:
            with contextlib.closing(batches):
                for batch in batches:
                    while not quit_.is_set():
                        with contextlib.suppress(queue.Full):
                            out.put(batch, timeout=0.1)
                            break
                    if quit_.is_set():
                        return
            out.put(_DONE)
        except BaseException as e:  # handed to the caller, raised there
            out.put(e)

    reader = threading.Thread(target=read, name="first-download-reader", daemon=True)
    reader.start()
    try:
        while (item := out.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        quit_.set()
        while reader.is_alive():  # let a put() that is waiting go through, then end
            with contextlib.suppress(queue.Empty):
                out.get(timeout=0.1)
        reader.join()


def backlog(db: Database, conn: psycopg.Connection) -> tuple[int, int]:
    """(changes waiting here to go up, changes on the hub this counter has not read yet): the
    totals of a progress bar. Its own uploads come back once as downloads (no-ops)."""
    st = sync_sql.state(db)
    if not st["joined"]:
        return sync_sql.outbox_count(db), 0
    try:
        waiting = hub_sql.count_after(conn, (st["cursor_txid"], st["cursor_seq"]), st["store_id"])
    except psycopg.Error as e:
        raise _hub_error(e, st["hub"]) from e
    return sync_sql.outbox_count(db), waiting


__all__ = [
    "HubError",
    "SyncResult",
    "SyncStatus",
    "backlog",
    "join",
    "joined_url",
    "run_once",
    "status",
    "sync",
]
