"""Jepsen-style: random operations on three counters, random sync order, random offline spells
and clocks that disagree; after everyone syncs twice, every counter and the hub hold the same
data (compared normalized), the search index and the dashboard summary agree with it, and no
change is lost."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from datetime import UTC

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from counter.customers import CustomerInput, create_customer, update_customer
from counter.errors import NotFound, ValidationError
from counter.follow_ups import close_follow_up, create_follow_up
from counter.hub import hub_sql, schema
from counter.hub.connection import connect, split_password
from counter.storage import open_memory_database, sync_sql, write_transaction
from counter.storage.privacy_sql import erase_customer
from counter.sync import join, run_once
from counter.sync.tables import ERASED_CUSTOMER, ERASED_TEXT
from counter.visits import check_in, complete_step, end_visit, serve, set_outcome

NAMES = ["Ayşe", "Emre", "Zoltán", "राहुल", "Anna", "Ján", "Priya"]
FIELDS = ["given_name", "family_name", "rapport_notes", "email"]
VALUES = ["", "x", "Kaya", "tea", "a@b.example", "Nagy", "चाय"]
STEPS = ["greet", "rapport", "needs", "solution", "thank"]
# Counter 1 runs five minutes fast, counter 2 an hour slow.
CLOCK_OFFSETS_MS = [0, 300_000, -3_600_000]
REFUSED = (ValidationError, NotFound)
_dbs = itertools.count(1)


def _pick(rows, index):
    return rows[index % len(rows)] if rows else None


def _ids(db, sql):
    return [r[0] for r in db.execute(sql)]


def _comparable(db):
    snap = sync_sql.snapshot(db)
    dash = {
        table: sorted(
            tuple(r)
            for r in db.execute(f"SELECT * FROM {table}")
            if any(v for v in r[-2:])  # rows counted back to zero stay; skip them
        )
        for table in ("dash_counts", "dash_steps")
    }
    return snap, dash


def make_machine(pg_cluster):
    class ThreeCounters(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            name = f"conv{os.getpid()}_{next(_dbs)}"
            with connect(pg_cluster.url(), password=None) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            self.url = pg_cluster.url(name)
            with connect(self.url) as conn:
                schema.apply(conn)
            self.counters = []
            self.online = [True, True, True]
            self.now = 100_000
            self.made: dict[str, set[str]] = {"customers": set(), "visits": set()}
            self.seen = [0, 0, 0]
            self.written: dict = {}
            for offset in CLOCK_OFFSETS_MS:
                db = open_memory_database()
                with write_transaction(db):
                    sync_sql.set_clock_offset(db, offset)
                conn = connect(self.url)
                join(db, conn, hub=split_password(self.url)[0], store="Main", now=self.now)
                self.counters.append((db, conn))

        def _tick(self) -> int:
            self.now += 7
            return self.now

        def db(self, c):
            return self.counters[c][0]

        @rule(c=st.integers(0, 2), name=st.sampled_from(NAMES), phone=st.booleans())
        def add_customer(self, c, name, phone):
            db = self.db(c)
            number = f"+9053212{self.now % 100000:05d}" if phone else ""
            try:
                made = create_customer(
                    db,
                    CustomerInput(given_name=name, phone=number),
                    now=self._tick(),
                    phone_region="TR",
                )
            except REFUSED:
                return
            gid = db.execute("SELECT gid FROM customers WHERE id = ?", [made.id]).fetchone()[0]
            self.made["customers"].add(gid)

        @rule(c=st.integers(0, 2), i=st.integers(0, 50), f=st.sampled_from(FIELDS),
              value=st.sampled_from(VALUES))  # fmt: skip
        def edit_customer(self, c, i, f, value):
            db = self.db(c)
            cid = _pick(_ids(db, "SELECT id FROM customers WHERE erased_at IS NULL ORDER BY id"), i)
            if cid is None:
                return
            row = dict(
                zip(
                    [d[0] for d in db.execute("SELECT * FROM customers LIMIT 0").description],
                    db.execute("SELECT * FROM customers WHERE id = ?", [cid]).fetchone(),
                    strict=True,
                )
            )
            data = {k: row[k] for k in CustomerInput.__dataclass_fields__}
            data[f] = value
            if not (data["given_name"] or data["family_name"] or data["native_name"]):
                data["given_name"] = "N"
            with contextlib.suppress(REFUSED):
                update_customer(db, cid, CustomerInput(**data), now=self._tick(), phone_region="TR")

        @rule(c=st.integers(0, 2), i=st.integers(0, 50), walk_in=st.booleans())
        def check_in(self, c, i, walk_in):
            db = self.db(c)
            cid = None
            if not walk_in:
                cid = _pick(_ids(db, "SELECT id FROM customers WHERE erased_at IS NULL"), i)
            try:
                v = check_in(db, now=self._tick(), customer_id=cid, walk_in_name="walk-in")
            except REFUSED:
                return
            gid = db.execute("SELECT gid FROM visits WHERE id = ?", [v.visit.id]).fetchone()[0]
            self.made["visits"].add(gid)

        @rule(c=st.integers(0, 2), i=st.integers(0, 50))
        def serve(self, c, i):
            db = self.db(c)
            vid = _pick(_ids(db, "SELECT id FROM visits WHERE status = 'waiting'"), i)
            if vid is not None:
                with contextlib.suppress(REFUSED):
                    serve(db, vid, staff_id=None, now=self._tick(), language="en")

        @rule(c=st.integers(0, 2), i=st.integers(0, 50), step=st.sampled_from(STEPS))
        def tick(self, c, i, step):
            db = self.db(c)
            vid = _pick(_ids(db, "SELECT id FROM visits WHERE status = 'in_progress'"), i)
            if vid is not None:
                with contextlib.suppress(REFUSED):
                    complete_step(db, vid, step, now=self._tick())

        @rule(c=st.integers(0, 2), i=st.integers(0, 50))
        def end(self, c, i):
            db = self.db(c)
            vid = _pick(_ids(db, "SELECT id FROM visits WHERE status = 'in_progress'"), i)
            if vid is not None:
                try:
                    set_outcome(db, vid, "bought", now=self._tick())
                    end_visit(db, vid, now=self._tick())
                except REFUSED:
                    pass

        @rule(c=st.integers(0, 2), i=st.integers(0, 50))
        def promise(self, c, i):
            db = self.db(c)
            cid = _pick(_ids(db, "SELECT id FROM customers WHERE erased_at IS NULL"), i)
            if cid is not None:
                now = self._tick()
                with contextlib.suppress(REFUSED):
                    create_follow_up(
                        db, customer_id=cid, description="call back", due_at=now + 86_400,
                        owner_id=None, created_by=None, now=now, tz=UTC,
                    )  # fmt: skip

        @rule(c=st.integers(0, 2), i=st.integers(0, 50))
        def close_promise(self, c, i):
            db = self.db(c)
            fid = _pick(_ids(db, "SELECT id FROM follow_ups WHERE closed_at IS NULL"), i)
            if fid is not None:
                with contextlib.suppress(REFUSED):
                    close_follow_up(db, fid, by=None, now=self._tick(), note="done")

        @rule(c=st.integers(0, 2), i=st.integers(0, 50))
        def erase(self, c, i):
            db = self.db(c)
            cid = _pick(_ids(db, "SELECT id FROM customers WHERE erased_at IS NULL"), i)
            if cid is not None:
                with write_transaction(db):
                    erase_customer(db, cid, self._tick())

        @rule(c=st.integers(0, 2))
        def sync(self, c):
            if self.online[c]:
                db, conn = self.counters[c]
                run_once(db, conn, now=self._tick())

        @rule(c=st.integers(0, 2))
        def go_offline(self, c):
            self.online[c] = False

        @precondition(lambda self: not all(self.online))
        @rule(c=st.integers(0, 2))
        def come_back(self, c):
            self.online[c] = True

        @invariant()
        def observe_local_writes(self):
            """The oracle: every field ever written anywhere, with its clock, from the outbox
            right after the write (before any sync can take it)."""
            for c, (db, _) in enumerate(self.counters):
                me = sync_sql.state(db)["counter_gid"]
                for ch in db.query(
                    "SELECT * FROM sync_outbox WHERE seq > ? ORDER BY seq", [self.seen[c]]
                ):
                    self.seen[c] = ch["seq"]
                    row = self.written.setdefault((ch["tbl"], ch["gid"]), {})
                    for f, v in json.loads(ch["fields"]).items():
                        clock = (ch["hlc"], me)
                        if f == "erased_at" and v is not None:
                            old = row.get(f)
                            row[f] = (clock, v if old is None or old[1] is None else min(v, old[1]))
                        elif f not in row or clock > row[f][0]:
                            row[f] = (clock, v)

        def expected(self):
            out: dict = {}
            for (table, gid), fields in self.written.items():
                out.setdefault(table, {})[gid] = {f: v for f, (_, v) in fields.items()}
            erased = {g for g, r in out.get("customers", {}).items() if r.get("erased_at")}
            for gid in erased:
                out["customers"][gid].update(ERASED_CUSTOMER)
            for table, blanks in ERASED_TEXT.items():
                for r in out.get(table, {}).values():
                    if r.get("customer_id") in erased:
                        r.update(blanks)
            return out

        @invariant()
        def fts_matches_the_customers(self):
            for db, _ in self.counters:
                db.execute("INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')")

        def teardown(self):
            try:
                for _ in range(2):
                    for db, conn in self.counters:
                        run_once(db, conn, now=self._tick())
                snaps = [_comparable(db) for db, _ in self.counters]
                assert snaps[1] == snaps[0]
                assert snaps[2] == snaps[0]
                rows, _dash = snaps[0]
                hub: dict = {}
                for row in hub_sql.all_rows(self.counters[0][1]):
                    hub.setdefault(row.tbl, {})[row.gid] = row.data
                for table, local in rows.items():
                    assert hub.get(table, {}) == local, table
                # Nothing lost: every field holds the latest write of it made anywhere (by
                # clock), but what an erasure blanked.
                expected = self.expected()
                for table, local in rows.items():
                    assert local == expected.get(table, {}), table
                # Every customer and visit made anywhere is everywhere.
                for table, gids in self.made.items():
                    assert gids <= set(rows[table])
                for db, _ in self.counters:
                    assert sync_sql.outbox_count(db) == 0
                    erased_text = db.execute(
                        """SELECT count(*) FROM visits v JOIN customers c ON c.id = v.customer_id
                           WHERE c.erased_at IS NOT NULL AND v.need != ''"""
                    ).fetchone()[0]
                    assert erased_text == 0
            finally:
                for db, conn in self.counters:
                    conn.close()
                    db.close()

    return ThreeCounters


@pytest.mark.slow
def test_random_operations_on_three_counters_converge(pg_cluster):
    machine = make_machine(pg_cluster)
    machine.TestCase.settings = settings(
        max_examples=int(os.environ.get("COUNTER_CONVERGENCE_EXAMPLES", "12")),
        stateful_step_count=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(machine, settings=machine.TestCase.settings)
