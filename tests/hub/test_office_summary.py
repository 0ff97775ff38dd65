"""The hub's office summary (visit_days, visit_hours, visit_minutes with their minute and
second counts, migration h004) is exact: after random merges, edits, late endings, discards
and an erasure, the chain's dashboard from the summary equals the figures computed directly
from the raw visits (counter.rows), for whole days, part days and part hours, and the
summary kept by the trigger equals one rebuilt from scratch."""

from __future__ import annotations

import json
import random

import pytest

from counter import office
from counter.hub import schema
from counter.hub.connection import connect

DAY = 86_400
T0 = 1_700_000_000 - 1_700_000_000 % DAY  # a UTC midnight
NOW = T0 + 6 * DAY + 5 * 3600 + 17  # follow-ups due earlier today: counted by the second


def _quantile(values: list[int], p: float) -> float | None:
    """Linear between ranks (PERCENTILE.INC), the dashboard's definition."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * p
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _truthy(value) -> bool:
    return str(value if value is not None else "0") not in ("0", "false", "")


def direct(admin, store_id: int, start: int, end: int, now: int, wait_target, service_target):
    """One store's figures straight from the merged rows (jsonb), no visit_facts, no summary."""
    rows = admin.execute(
        "SELECT tbl, gid, data FROM counter.rows WHERE store_id = %s OR tbl = 'customers'",
        [store_id],
    ).fetchall()
    visits = {gid: data for tbl, gid, data in rows if tbl == "visits" and "arrived_at" in data}
    steps: dict[str, list[str]] = {}
    for tbl, _gid, data in rows:
        if tbl == "visit_steps":
            steps.setdefault(data["visit_id"], []).append(data.get("status"))
    first: dict[str, int] = {}
    for v in visits.values():
        customer = v.get("customer_id") or None
        if customer and v.get("status") != "discarded":
            first[customer] = min(first.get(customer, v["arrived_at"]), v["arrived_at"])
    chosen = [
        (gid, v)
        for gid, v in visits.items()
        if v.get("status") == "ended" and start <= v["arrived_at"] < end
    ]
    waits = [
        v["started_at"] - v["arrived_at"] for _g, v in chosen if v.get("started_at") is not None
    ]
    services = [
        v["ended_at"] - v["started_at"]
        for _g, v in chosen
        if v.get("started_at") is not None and v.get("ended_at") is not None
    ]
    overdue = sum(
        1
        for tbl, _gid, data in rows
        if tbl == "follow_ups" and data.get("closed_at") is None and data["due_at"] < now
    )
    return {
        "visits": len(chosen),
        "wait": (len(waits), _quantile(waits, 0.5), _quantile(waits, 0.9),
                 sum(w <= wait_target for w in waits)),
        "service": (len(services), _quantile(services, 0.5), _quantile(services, 0.9),
                    sum(s <= service_target for s in services)),
        "complaints": sum(_truthy(v.get("complaint")) for _g, v in chosen),
        "returning": sum(
            1
            for _g, v in chosen
            if v.get("customer_id")
            and v["arrived_at"] > first.get(v["customer_id"], v["arrived_at"])
        ),
        "known": sum(1 for _g, v in chosen if v.get("customer_id")),
        "steps_done": sum(steps.get(g, []).count("done") for g, _v in chosen),
        "steps_total": sum(len(steps.get(g, [])) for g, _v in chosen),
        "overdue": overdue,
    }  # fmt: skip


def _rounded(figures: dict) -> dict:
    return {
        k: tuple(None if x is None else round(x, 6) for x in v) if isinstance(v, tuple) else v
        for k, v in figures.items()
    }


def figures(s: office.StoreStats) -> dict:
    def d(x):
        return (x.count, x.median, x.p90, x.within_target)

    return {
        "visits": s.visits,
        "wait": d(s.wait),
        "service": d(s.service),
        "complaints": s.complaints,
        "returning": s.returning,
        "known": s.known_customer_visits,
        "steps_done": s.steps_done,
        "steps_total": s.steps_total,
        "overdue": s.overdue_follow_ups,
    }


def _duration(rng: random.Random) -> int:
    """Mostly minutes, sometimes on a minute's edge, below 0 (clocks apart) or over a day."""
    roll = rng.random()
    if roll < 0.08:
        return -rng.randint(1, 400)
    if roll < 0.12:
        return 0
    if roll < 0.17:
        return rng.randint(1, 3) * DAY + rng.randint(0, 5000)
    if roll < 0.3:
        return 60 * rng.randint(1, 20)
    return rng.randint(1, 1500)


def summary_tables(admin) -> dict:
    """The summary as counts by key (rows whose counts are all 0 left out)."""
    found: dict = {}
    for table, key in (("visit_days", "day"), ("visit_hours", "hour")):
        for r in admin.execute(
            f"""SELECT store_id, {key}, visits, complaints, returning_visits, known, steps_done,
                       steps_total, wait_minutes, service_minutes FROM counter.{table}"""
        ).fetchall():
            slots = tuple(tuple((i, n) for i, n in enumerate(arr, start=1) if n) for arr in r[8:10])
            if any(r[2:8]) or any(slots):
                found[(table, r[0], r[1])] = (tuple(r[2:8]), slots)
    for table in ("follow_ups_due", "follow_ups_due_at"):
        for store_id, due, n in admin.execute(f"SELECT * FROM counter.{table}").fetchall():
            if n:
                found[(table, store_id, due)] = n
    for r in admin.execute(
        "SELECT store_id, day, kind, minute, visits, seconds FROM counter.visit_minutes"
    ).fetchall():
        if r[4] or any(r[5]):
            found[("visit_minutes", *r[:4])] = (r[4], tuple(r[5]))
    return found


@pytest.fixture
def hub_office(hub, pg_cluster, role_name):
    admin = connect(hub)
    dbname = hub.rsplit("/", 1)[1]
    role = role_name("office")
    schema.create_office_login(admin, role, "pw-office")
    conn = connect(pg_cluster.url(dbname, user=role, password="pw-office"))
    yield admin, conn
    conn.close()
    admin.close()


def test_the_summary_is_exact_after_random_merges_edits_and_an_erasure(hub_office, monkeypatch):
    admin, office_conn = hub_office
    outliers = []  # which catch-all slots (below 0, over a day) decided a figure
    read_outliers = office.office_sql.outlier_seconds

    def outlier_seconds(conn, kind, stores, above, start, end):
        outliers.append(above)
        return read_outliers(conn, kind, stores, above, start, end)

    monkeypatch.setattr(office.office_sql, "outlier_seconds", outlier_seconds)
    rng = random.Random(16)
    stores = [
        admin.execute(
            "INSERT INTO counter.stores (name, role) VALUES (%s, %s) RETURNING id",
            [f"Store {n}", f"summary_store_{n}"],
        ).fetchone()[0]
        for n in (1, 2)
    ]
    admin.execute(
        "INSERT INTO counter.store_settings (store_id, wait_amber_minutes, service_target_minutes)"
        " VALUES (%s, 1, 7)",
        [stores[1]],
    )
    customers = [f"cu{n}" for n in range(12)]
    for gid in customers:
        admin.execute(
            "INSERT INTO counter.rows (tbl, gid, store_id, counter_gid, data, clocks)"
            " VALUES ('customers', %s, %s, 'c', %s, '{}')",
            [gid, stores[0], json.dumps({"given_name": gid})],
        )

    def merge(tbl: str, gid: str, store: int, data: dict) -> None:
        """What a merge does to the row: insert it, or change some of its fields."""
        admin.execute(
            """INSERT INTO counter.rows AS r (tbl, gid, store_id, counter_gid, data, clocks)
               VALUES (%s, %s, %s, 'c', %s, '{}')
               ON CONFLICT (tbl, gid) DO UPDATE SET data = r.data || EXCLUDED.data""",
            [tbl, gid, store, json.dumps(data)],
        )

    visits: dict[str, int] = {}
    for n in range(260):
        store = rng.choice(stores)
        arrived = T0 + rng.randint(0, 5 * DAY)
        data: dict = {"arrived_at": arrived, "status": "waiting", "complaint": 0}
        if rng.random() < 0.6:
            data["customer_id"] = rng.choice(customers)
        if rng.random() < 0.85:
            data["started_at"] = arrived + _duration(rng)
            data["status"] = "serving"
            if rng.random() < 0.85:
                data["ended_at"] = data["started_at"] + _duration(rng)
                data["status"] = rng.choice(["ended"] * 6 + ["discarded"])
        data["complaint"] = int(rng.random() < 0.2)
        merge("visits", f"v{n}", store, data)
        visits[f"v{n}"] = store
        for k in range(rng.randint(0, 3)):
            status = rng.choice(["done", "skipped", "open"])
            merge("visit_steps", f"v{n}-s{k}", store, {"visit_id": f"v{n}", "status": status})
    for n in range(15):  # a counter whose clock ran ahead: served before they arrived
        arrived = T0 + 4 * DAY + 7200 + 60 * n
        merge("visits", f"ahead{n}", stores[0], {"arrived_at": arrived, "status": "ended",
              "started_at": arrived - 30 - n, "ended_at": arrived + 400})  # fmt: skip
    # Later: visits ended, edited, moved, discarded, steps ticked, follow-ups, an erasure.
    for _ in range(400):
        gid = rng.choice(list(visits))
        store = visits[gid]
        current = admin.execute(
            "SELECT data FROM counter.rows WHERE tbl = 'visits' AND gid = %s", [gid]
        ).fetchone()[0]
        roll = rng.random()
        if roll < 0.25:
            started = current.get("started_at") or current["arrived_at"] + _duration(rng)
            change = {"started_at": started, "ended_at": started + _duration(rng),
                      "status": "ended"}  # fmt: skip
        elif roll < 0.4:
            change = {"started_at": current["arrived_at"] + _duration(rng)}
        elif roll < 0.5:
            change = {"arrived_at": T0 + rng.randint(0, 5 * DAY)}
        elif roll < 0.58:
            change = {"status": "discarded"}
        elif roll < 0.7:
            change = {"customer_id": rng.choice([*customers, None])}
        elif roll < 0.8:
            change = {"complaint": rng.choice([0, 1, "true", "false"])}
        elif roll < 0.84:
            change = {"need": rng.choice(["a quick question", "repair", ""])}  # counts nothing
        elif roll < 0.9:
            merge("visit_steps", f"{gid}-s{rng.randint(0, 3)}", store,
                  {"visit_id": gid, "status": rng.choice(["done", "skipped"])})  # fmt: skip
            continue
        else:
            merge("follow_ups", f"f-{gid}", store,
                  {"visit_id": gid, "due_at": T0 + rng.randint(0, 8 * DAY),
                   "closed_at": rng.choice([None, T0 + DAY])})  # fmt: skip
            continue
        merge("visits", gid, store, change)
    for gid, due in (("f-today", NOW - 60), ("f-soon", NOW + 60), ("f-dawn", NOW - NOW % DAY)):
        merge("follow_ups", gid, stores[0], {"visit_id": "v1", "due_at": due, "closed_at": None})
    erased = customers[3]
    merge("customers", erased, stores[0], {"erased_at": T0 + 5 * DAY, "given_name": ""})
    admin.execute("SELECT counter.erase_customer_text(%s)", [[erased]])

    scope = office.open_scope(office_conn)
    targets = {s.id: (s.targets.wait, s.targets.service) for s in scope.stores}
    periods = [
        (T0, T0 + 5 * DAY),  # whole days
        (T0 - DAY, T0 + 7 * DAY),  # every visit
        (T0 + 3 * 3600 + 7, T0 + 4 * DAY + 5 * 3600 + 1),  # part days, part hours
        (T0 + DAY + 3600, T0 + DAY + 20 * 3600),  # whole hours within a day
        (T0 + 2 * DAY + 1234, T0 + 2 * DAY + 3000),  # within an hour
        (T0 + DAY - 1, T0 + 3 * DAY + 1),  # one second either side of whole days
        (T0 + 4 * DAY + 7000, T0 + 4 * DAY + 8200),  # the clock ahead's visits
    ]
    checked = 0
    for start, end in periods:
        got = {
            s.store.id: figures(s)
            for s in office.store_comparison(office_conn, scope, start=start, end=end, now=NOW)
        }
        for store in stores:
            want = direct(admin, store, start, end, NOW, *targets[store])
            assert _rounded(got[store]) == _rounded(want), (start - T0, end - T0, store)
            checked += want["visits"]
    assert checked > 300  # the periods held visits
    assert set(outliers) == {True, False}  # and durations below 0 and over a day decided some

    kept = summary_tables(admin)
    with admin.transaction():
        admin.execute("SELECT counter.rebuild_office_summary()")
        assert summary_tables(admin) == kept
        raise_rollback(admin)


def raise_rollback(admin) -> None:
    """Leave the rebuilt copy unsaved (the kept one is what the hub goes on with)."""
    from psycopg import Rollback

    raise Rollback()


def test_visits_ended_edited_and_discarded_after_a_sync_and_an_erased_customer(
    hub, make_counter, hub_office
):
    """The same through real counters: the summary follows each later merge."""
    from counter.auth import set_up_store
    from counter.customers import CustomerInput, create_customer
    from counter.privacy import erase_customer
    from counter.storage import sync_sql
    from counter.sync import run_once
    from counter.visits import (
        check_in,
        discard_visit,
        end_visit,
        serve,
        set_complaint,
        set_outcome,
    )

    admin, office_conn = hub_office
    db, conn = make_counter("Main", now=T0 - 200)
    manager = set_up_store(db, store_name="Main", store_language="en", manager_name="Ann",
                           pin="482913", now=T0 - 100)  # fmt: skip
    people = [
        create_customer(db, CustomerInput(given_name=f"P{n}"), now=T0 - 50, phone_region="GB").id
        for n in range(3)
    ]
    open_visits = []
    for n in range(24):
        at = T0 + 1800 * n + 7 * n
        kwargs = {"customer_id": people[n % 3 - 1]} if n % 3 else {}  # one open visit each
        visit = check_in(db, now=at, **kwargs).visit
        serve(db, visit.id, staff_id=manager.staff_id, now=at + 40 * n + 5, language="en")
        set_outcome(db, visit.id, "informed", now=at + 40 * n + 6)
        if n % 3:
            end_visit(db, visit.id, now=at + 40 * n + 5 + 90 * n + 11)
        else:
            open_visits.append((visit.id, at))
    run_once(db, conn, now=T0 + 2 * DAY)
    # After the first sync: the open ones end (one is discarded), complaints are set, and a
    # customer is erased.
    for k, (visit_id, at) in enumerate(open_visits):
        if k == 1:
            discard_visit(db, visit_id, reason="left", by=manager.staff_id, now=at + 3000)
        else:
            set_complaint(db, visit_id, True, now=at + 2999 + 61 * k)
            end_visit(db, visit_id, now=at + 3000 + 61 * k)
    erase_customer(db, manager, people[1], now=T0 + 2 * DAY + 10)
    run_once(db, conn, now=T0 + 2 * DAY + 20)

    store = sync_sql.state(db)["store_id"]
    scope = office.open_scope(office_conn)
    wait_target, service_target = (
        scope.store(store).targets.wait,
        scope.store(store).targets.service,
    )
    for start, end in ((T0, T0 + DAY), (T0 + 3 * 3600 + 1, T0 + 9 * 3600 + 17), (T0, T0 + 2 * DAY)):
        [got] = office.store_comparison(
            office_conn, scope, start=start, end=end, now=NOW, store_ids=(store,)
        )
        want = direct(admin, store, start, end, NOW, wait_target, service_target)
        assert _rounded(figures(got)) == _rounded(want)
    assert want["visits"] == 23 and want["complaints"] == 7


def test_the_answers_per_store_are_exact_after_random_merges(hub_office):
    """h005: the customers' answers per store from the day and hour summary (and the part
    hours from the visits) equal a count over the raw rows, after answers given late, changed,
    visits discarded, reopened and moved in time; the kept summary equals a rebuilt one."""
    admin, office_conn = hub_office
    rng = random.Random(5)
    stores = [
        admin.execute(
            "INSERT INTO counter.stores (name, role) VALUES (%s, %s) RETURNING id",
            [f"Store {n}", f"answers_store_{n}"],
        ).fetchone()[0]
        for n in (1, 2)
    ]

    def merge(gid: str, store: int, data: dict) -> None:
        admin.execute(
            """INSERT INTO counter.rows AS r (tbl, gid, store_id, counter_gid, data, clocks)
               VALUES ('visits', %s, %s, 'c', %s, '{}')
               ON CONFLICT (tbl, gid) DO UPDATE SET data = r.data || EXCLUDED.data""",
            [gid, store, json.dumps(data)],
        )

    def answer(rng: random.Random) -> object:
        return rng.choice([None, None, 0, 1, 2, 3, 4, 5, 5])

    visits: dict[str, int] = {}
    for n in range(300):
        store, arrived = rng.choice(stores), T0 + rng.randint(0, 5 * DAY)
        merge(f"a{n}", store, {"arrived_at": arrived, "started_at": arrived + 60,
              "ended_at": arrived + 400, "status": rng.choice(["ended"] * 5 + ["serving"]),
              "feedback": answer(rng)})  # fmt: skip
        visits[f"a{n}"] = store
    for _ in range(300):
        gid = rng.choice(list(visits))
        roll = rng.random()
        if roll < 0.5:
            change = {"feedback": answer(rng)}
        elif roll < 0.7:
            change = {"status": rng.choice(["ended", "discarded", "serving"])}
        else:
            change = {"arrived_at": T0 + rng.randint(0, 5 * DAY)}
        merge(gid, visits[gid], change)

    def direct(store: int, start: int, end: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for (data,) in admin.execute(
            "SELECT data FROM counter.rows WHERE tbl = 'visits' AND store_id = %s", [store]
        ).fetchall():
            face = data.get("feedback")
            ended_then = data.get("status") == "ended" and start <= data["arrived_at"] < end
            if ended_then and face is not None:
                counts[int(face)] = counts.get(int(face), 0) + 1
        return counts

    scope = office.open_scope(office_conn)
    checked = 0
    for start, end in [
        (T0, T0 + 5 * DAY),
        (T0 - DAY, T0 + 7 * DAY),
        (T0 + 3 * 3600 + 7, T0 + 4 * DAY + 5 * 3600 + 1),
        (T0 + DAY + 3600, T0 + DAY + 20 * 3600),
        (T0 + 2 * DAY + 1234, T0 + 2 * DAY + 3000),
    ]:
        got = office.store_answers(office_conn, scope, start=start, end=end, store_ids=stores)
        for store in stores:
            want = direct(store, start, end)
            answers = got.get(store, office.StoreAnswers())
            assert answers.asked == sum(want.values()), (start - T0, end - T0, store)
            assert {f: n for f, n in answers.faces.items() if n} == {
                f: n for f, n in want.items() if f
            }
            checked += answers.asked
    assert checked > 200

    def kept() -> dict:
        found = {}
        for table in ("answer_days", "answer_hours"):
            for store_id, at, faces in admin.execute(f"SELECT * FROM counter.{table}").fetchall():
                slots = tuple((i, n) for i, n in enumerate(faces, start=1) if n)
                if slots:
                    found[(table, store_id, at)] = slots
        return found

    before = kept()
    with admin.transaction():
        admin.execute("SELECT counter.rebuild_answers()")
        assert kept() == before
        raise_rollback(admin)
