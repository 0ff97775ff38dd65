"""Many stores, one office: who may read which store on the hub (PostgreSQL's own refusal and
the domain's), and one store's office figures equal what its own counter computes locally."""

from __future__ import annotations

import psycopg
import pytest

from counter import office
from counter.auth import set_up_store
from counter.customers import CustomerInput, create_customer
from counter.dashboard import load_dashboard
from counter.durations import Targets
from counter.errors import PermissionDenied
from counter.follow_ups import create_follow_up
from counter.hub import schema
from counter.hub.connection import HubError, connect, split_password
from counter.settings import load_settings
from counter.storage import sync_sql
from counter.sync import join, run_once
from counter.visit_filter import VisitFilter
from counter.visits import (
    check_in,
    complete_step,
    discard_visit,
    end_visit,
    serve,
    set_complaint,
    set_outcome,
    skip_step,
)

T0 = 1_700_000_000 - 1_700_000_000 % 86_400  # a UTC midnight
START, END, NOW = T0, T0 + 30 * 86_400, T0 + 31 * 86_400


def _visits(db, manager, *, n: int, seed: int, customer=None):
    """``n`` ended visits over the period with varied waits and service, steps, complaints,
    a returning customer, a discarded visit and an overdue follow-up."""
    for i in range(n):
        at = T0 + 3600 * (i * 7 + seed)
        kwargs = {"customer_id": customer} if customer is not None and i % 3 == 0 else {}
        visit = check_in(db, now=at, **kwargs).visit
        if i == n - 1:
            discard_visit(db, visit.id, reason="left", by=manager.staff_id, now=at + 10)
            continue
        wait = (i * 37 + seed * 11) % 600 + 5
        service = (i * 53 + seed * 7) % 1500 + 30
        started = serve(db, visit.id, staff_id=manager.staff_id, now=at + wait, language="en")
        steps = started.visit.steps
        if steps:
            complete_step(db, visit.id, steps[0].key, now=at + wait + 1)
            if i % 4 == 0 and len(steps) > 1:
                skip_step(db, visit.id, steps[1].key, now=at + wait + 2)
        set_outcome(db, visit.id, "bought" if i % 2 else "informed", now=at + wait + 3)
        if i % 5 == 0:
            set_complaint(db, visit.id, True, now=at + wait + 4)
        end_visit(db, visit.id, now=at + wait + service)
    if customer is not None:
        create_follow_up(
            db,
            customer_id=customer,
            description="Call back",
            due_at=T0 + 2 * 86_400,
            owner_id=manager.staff_id,
            created_by=manager.staff_id,
            now=T0 + 86_400,
            tz=None,
        )


@pytest.fixture
def chain(hub, pg_cluster, role_name, make_counter):
    """Three stores (each its own login and counter, with a manager and visits), synced, and
    an office login."""
    admin = connect(hub)
    dbname = hub.rsplit("/", 1)[1]
    stores = {}
    for seed, store in enumerate(("north", "south", "east"), start=1):
        role = role_name(store)
        schema.create_counter_login(admin, role, f"pw-{store}")
        url = pg_cluster.url(dbname, user=role, password=f"pw-{store}")
        db, conn = make_counter(store, url, joined=False)
        manager = set_up_store(
            db,
            store_name=store.title(),
            store_language="en",
            manager_name=f"Manager {store}",
            pin="482913",
            now=T0 - 100,
        )
        customer = create_customer(
            db, CustomerInput(given_name=f"Regular {store}"), now=T0 - 50, phone_region="GB"
        ).id
        _visits(db, manager, n=12 + 4 * seed, seed=seed, customer=customer)
        join(db, conn, hub=split_password(url)[0], store=store, now=T0 + 40 * 86_400)
        run_once(db, conn, now=T0 + 40 * 86_400)
        stores[store] = {"db": db, "conn": conn, "manager": manager, "url": url}
    office_role = role_name("office")
    assert schema.create_office_login(admin, office_role, "pw-office")
    office_url = pg_cluster.url(dbname, user=office_role, password="pw-office")
    office_conn = connect(office_url)
    yield admin, stores, office_conn
    office_conn.close()
    admin.close()


def _store_id(stores, name):
    return sync_sql.state(stores[name]["db"])["store_id"]


def test_store_login_cannot_read_another_store_but_the_office_can(chain):
    admin, stores, office_conn = chain
    north, south = _store_id(stores, "north"), _store_id(stores, "south")
    north_conn = stores["north"]["conn"]
    # The store's own SQL through its own login: south's visits are not there for it.
    for sql in (
        "SELECT count(*) FROM counter.visit_facts WHERE store_id = %s",
        "SELECT count(*) FROM counter.rows WHERE tbl = 'visits' AND store_id = %s",
        "SELECT count(*) FROM counter.rows WHERE tbl = 'visit_steps' AND store_id = %s",
        "SELECT count(*) FROM counter.staff_names WHERE store_id = %s",
        "SELECT count(*) FROM counter.store_targets WHERE store_id = %s",
    ):
        assert north_conn.execute(sql, [south]).fetchone()[0] == 0, sql
        assert north_conn.execute(sql, [north]).fetchone()[0] > 0, sql
        assert office_conn.execute(sql, [south]).fetchone()[0] > 0, sql
    assert north_conn.execute("SELECT count(DISTINCT store_id) FROM counter.visit_facts"
                              ).fetchone()[0] == 1  # fmt: skip
    assert office_conn.execute("SELECT count(DISTINCT store_id) FROM counter.visit_facts"
                               ).fetchone()[0] == 3  # fmt: skip
    # The office reads every store's visits but never a PIN hash, and writes nothing synced.
    assert office_conn.execute("SELECT count(*) FROM counter.rows WHERE tbl = 'staff'"
                               ).fetchone()[0] == 0  # fmt: skip
    for statement in (
        "UPDATE counter.rows SET data = data",
        "DELETE FROM counter.visit_facts",
        "INSERT INTO counter.visit_facts (gid, store_id, arrived_at) VALUES ('x', 1, 1)",
        "INSERT INTO counter.stores (name) VALUES ('x')",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), office_conn.transaction():
            office_conn.execute(statement)
    # Nor may a store's login change another store's targets.
    with pytest.raises(psycopg.Error), north_conn.transaction():
        north_conn.execute(
            "INSERT INTO counter.store_settings (store_id, wait_amber_minutes) VALUES (%s, 1)",
            [south],
        )

    # The domain: a store's login is its manager's, for its own store only.
    north_db, manager = stores["north"]["db"], stores["north"]["manager"]
    with pytest.raises(PermissionDenied):
        office.open_scope(north_conn)  # no manager session
    scope = office.open_scope(north_conn, db=north_db, session=manager, store_id=north)
    assert not scope.office and [s.id for s in scope.stores] == [north]
    with pytest.raises(PermissionDenied):
        office.list_visits(north_conn, scope, office.OfficeFilter(store_ids=(south,)))
    with pytest.raises(PermissionDenied):
        office.store_comparison(north_conn, scope, start=START, end=END, now=NOW,
                                store_ids=(south,))  # fmt: skip
    assert {r.store_id for r in office.list_visits(north_conn, scope, office.OfficeFilter())} == {
        north
    }
    # A store's login cannot open another store's counter's scope either.
    with pytest.raises(PermissionDenied):
        office.open_scope(north_conn, db=north_db, session=manager, store_id=south)

    whole = office.open_scope(office_conn)
    assert whole.office and len(whole.stores) == 3
    rows = office.list_visits(office_conn, whole, office.OfficeFilter(), limit=500)
    assert {r.store_name for r in rows} == {"north", "south", "east"}
    only_south = office.list_visits(office_conn, whole, office.OfficeFilter(store_ids=(south,)))
    assert only_south and {r.store_id for r in only_south} == {south}
    # A store login may not be made an office login (it would read every store).
    with pytest.raises(HubError):
        schema.create_office_login(admin, scope.login, "x")


@pytest.mark.parametrize(
    "start, end",
    [(START, END), (START + 3 * 3600 + 7, END - 5 * 3600), (START + 3600, START + 20 * 3600)],
    ids=["whole-days", "part-days", "within-a-day"],
)
def test_one_stores_office_figures_match_its_own_counter(chain, start, end):
    _admin, stores, office_conn = chain
    # More visits after the first sync: the hub's summary follows each merge.
    north = stores["north"]
    _visits(north["db"], north["manager"], n=6, seed=9)
    run_once(north["db"], north["conn"], now=T0 + 41 * 86_400)
    scope = office.open_scope(office_conn)
    compared = {
        s.store.name: s
        for s in office.store_comparison(office_conn, scope, start=start, end=end, now=NOW)
    }
    direct = office.store_comparison(
        office_conn, scope, start=start, end=end, now=NOW, use_summary=False
    )
    assert sorted(compared.values(), key=lambda s: s.store.id) == sorted(
        direct, key=lambda s: s.store.id
    )
    assert set(compared) == {"north", "south", "east"}
    for name, store in stores.items():
        db = store["db"]
        local = load_dashboard(
            db,
            store["manager"],
            VisitFilter(start=start, end=end),
            targets=Targets.from_settings(load_settings(db)),
            now=NOW,
            tz=None,
        )
        hub = compared[name]
        assert hub.visits == local.visits
        for kind in ("wait", "service"):
            mine, theirs = getattr(hub, kind), getattr(local, kind)
            assert mine.count == theirs.count
            assert mine.median == pytest.approx(theirs.median)
            assert mine.p90 == pytest.approx(theirs.p90)
            assert mine.target == theirs.target
            assert mine.within_target == theirs.within_target
        assert hub.complaints == local.complaints
        assert hub.returning == local.returning
        assert hub.known_customer_visits == local.known_customer_visits
        assert hub.overdue_follow_ups == local.overdue_follow_ups == 1
        assert hub.steps_done == sum(s.done for s in local.steps)
        assert hub.steps_total == sum(s.total for s in local.steps)
        # The visit log: the same visits, newest first, with the store's name.
        store_id = sync_sql.state(db)["store_id"]
        rows = office.list_visits(
            office_conn,
            scope,
            office.OfficeFilter(store_ids=(store_id,), start=start, end=end),
            limit=1000,
        )
        assert len(rows) == local.visits
        assert [r.arrived_at for r in rows] == sorted((r.arrived_at for r in rows), reverse=True)
        complaints = office.OfficeFilter(
            store_ids=(store_id,), start=start, end=end, complaint=True
        )
        assert office.count_visits(office_conn, scope, complaints) == local.complaints
    whole = [s for s in compared.values() if s.visits]
    if start == START:  # the whole period has every kind of visit in every store
        assert len(whole) == 3
        assert all(s.complaints and s.returning and s.steps_done for s in whole)


def test_targets_per_store_with_the_hubs_defaults(chain):
    _admin, stores, office_conn = chain
    scope = office.open_scope(office_conn)
    north = _store_id(stores, "north")
    assert {s.wait_amber_minutes for s in scope.stores} == {3}  # the hub's default
    office.set_hub_defaults(office_conn, scope, wait_amber_minutes=4, service_target_minutes=12)
    changed = office.set_store_settings(
        office_conn, scope, north, display_name="North (High St)", wait_amber_minutes=2
    )
    assert changed.name == "North (High St)" and changed.targets == Targets(120, 720)
    again = office.open_scope_again(office_conn, scope)
    others = [s for s in again.stores if s.id != north]
    assert {(s.wait_amber_minutes, s.service_target_minutes) for s in others} == {(4, 12)}
    # The comparison measures each store against its own targets.
    by_id = {
        s.store.id: s
        for s in office.store_comparison(office_conn, again, start=START, end=END, now=NOW)
    }
    assert by_id[north].wait.target == 120 and by_id[others[0].id].wait.target == 240
    with pytest.raises(ValueError):
        office.set_store_settings(office_conn, again, north, wait_amber_minutes=-1)
    # A store's manager scope may not set the hub's defaults.
    north_scope = office.open_scope(
        stores["north"]["conn"],
        db=stores["north"]["db"],
        session=stores["north"]["manager"],
        store_id=north,
    )
    with pytest.raises(PermissionDenied):
        office.set_hub_defaults(stores["north"]["conn"], north_scope, wait_amber_minutes=1)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_chains_log_exports_with_a_store_column(chain, fmt, tmp_path):
    import csv

    from openpyxl import load_workbook

    from counter.i18n import Translator
    from counter.office_export import export_office_visits

    _admin, stores, office_conn = chain
    north = stores["north"]
    scope = office.open_scope(office_conn)
    f = office.OfficeFilter(start=START, end=END)
    total = office.count_visits(office_conn, scope, f)
    result = export_office_visits(
        north["db"], north["manager"], office_conn, scope, f, tmp_path / f"chain.{fmt}",
        fmt=fmt, translator=Translator("en"), now=NOW, chunk=7,
    )  # fmt: skip
    assert result.rows == total > 20
    if fmt == "csv":
        with open(result.path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    else:
        rows = [
            [c for c in r] for r in load_workbook(result.path).active.iter_rows(values_only=True)
        ]
    assert rows[0][0] == "Store" and len(rows) == total + 1
    assert {r[0] for r in rows[1:]} == {"north", "south", "east"}
    assert len({r[1] for r in rows[1:]}) == total  # every visit once across the pages
    only = export_office_visits(
        north["db"], north["manager"], office_conn, scope,
        office.OfficeFilter(store_ids=(_store_id(stores, "east"),)), tmp_path / f"east.{fmt}",
        fmt=fmt, translator=Translator("en"), now=NOW,
    )  # fmt: skip
    assert 0 < only.rows < total


def test_each_stores_answers_match_its_own_dashboard_and_reach_the_export(chain, tmp_path):
    """The customers' answers per store in the comparison are what each store's own
    dashboard counts; the chain's export carries the face and the reason as the store's own."""
    import csv

    from counter import feedback
    from counter.i18n import Translator
    from counter.office_export import export_office_visits

    _admin, stores, office_conn = chain
    for k, name in enumerate(("north", "south")):
        db = stores[name]["db"]
        ended = [r[0] for r in db.execute("SELECT id FROM visits WHERE status = 'ended'")]
        for i, visit_id in enumerate(ended):
            if i % 4 == 3:
                continue  # never asked
            if i % 5 == 4:
                feedback.record_no_answer(db, visit_id, now=NOW)
                continue
            face = 1 + (i * (k + 2)) % 5
            feedback.record_face(db, visit_id, face, now=NOW)
            if feedback.asks_reason(face) and i % 2:
                feedback.record_reason(db, visit_id, "waited", now=NOW)
        run_once(db, stores[name]["conn"], now=NOW)
    scope = office.open_scope(office_conn)
    by_name = {
        s.store.name: s
        for s in office.store_comparison(office_conn, scope, start=START, end=END, now=NOW)
    }
    for name in ("north", "south"):
        local = feedback.satisfaction(stores[name]["db"], START, END, tz=None)
        answers = by_name[name].answers
        assert answers.asked == local.asked > 0
        assert answers.faces == local.faces
        assert answers.overall == local.overall
        assert answers.answer_rate == local.answer_rate
    assert by_name["east"].answers.asked == 0 and by_name["east"].answers.poor_share is None
    # The oracle path (every figure from the visits) agrees.
    exact = office.store_comparison(
        office_conn, scope, start=START, end=END, now=NOW, use_summary=False
    )
    assert {s.store.name: s.answers for s in exact} == {k: v.answers for k, v in by_name.items()}

    result = export_office_visits(
        stores["north"]["db"], stores["north"]["manager"], office_conn, scope,
        office.OfficeFilter(store_ids=(_store_id(stores, "north"),), start=START, end=END),
        tmp_path / "north.csv", fmt="csv", translator=Translator("en"), now=NOW,
    )  # fmt: skip
    with open(result.path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    answers = [r["Customer's answer (1–5)"] for r in rows]
    assert {"1", "2", "3", "4", "5", "No answer", ""} >= set(answers) >= {"No answer", ""}
    assert any(a.isdigit() for a in answers)
    assert "I waited too long" in {r["Reason given"] for r in rows}


def test_the_chains_log_filters_pages_and_opens_a_timeline_like_the_stores_own(chain):
    """The chain's log narrows by a customer's name (the counter's own search), staff,
    outcome, period and store; its pages (keyset) hold every visit once; a visit's timeline
    read from the hub is the one its store's counter shows."""
    from counter.visit_timeline import load_timeline

    _admin, stores, office_conn = chain
    north = stores["north"]
    scope = office.open_scope(office_conn)
    everything = office.OfficeFilter(start=START, end=END)
    all_rows = office.list_visits(office_conn, scope, everything, limit=10_000)
    paged, before = [], None
    while True:
        page = office.list_visits(office_conn, scope, everything, limit=4, before=before)
        paged += page
        if len(page) < 4:
            break
        before = (page[-1].arrived_at, page[-1].gid)
    assert [r.gid for r in paged] == [r.gid for r in all_rows] and len(all_rows) > 20

    # A name, typed without care for case, as the store's log finds it.
    gids = office.find_customers(north["db"], north["manager"], "REGULAR nor", now=NOW)
    assert len(gids) == 1
    named = office.list_visits(office_conn, scope, office.OfficeFilter(customer_gids=gids))
    assert named and {r.customer_name for r in named} == {"Regular north"}
    assert {r.store_name for r in named} == {"north"}
    none = office.find_customers(north["db"], north["manager"], "nobody-like-this", now=NOW)
    assert none == () and not office.list_visits(
        office_conn, scope, office.OfficeFilter(customer_gids=none)
    )
    actions = [r[0] for r in north["db"].execute("SELECT action FROM audit_log")]
    assert actions.count("view_customer_visits") == 2  # each search is a look: audited

    staff = office.list_staff(office_conn, scope)
    assert {s.name for s in staff} >= {"Manager north", "Manager south", "Manager east"}
    south_manager = next(s for s in staff if s.name == "Manager south")
    by_staff = office.list_visits(
        office_conn, scope, office.OfficeFilter(staff_gids=(south_manager.gid,))
    )
    assert by_staff and {r.store_name for r in by_staff} == {"south"}
    bought = office.list_visits(office_conn, scope, office.OfficeFilter(outcomes=("bought",)))
    assert bought and {r.outcome for r in bought} == {"bought"}
    assert len(bought) < len(all_rows)
    first_week = office.list_visits(
        office_conn, scope, office.OfficeFilter(start=START, end=START + 2 * 86_400)
    )
    assert first_week and all(START <= r.arrived_at < START + 2 * 86_400 for r in first_week)
    assert len(first_week) < len(all_rows)

    # A visit with a skipped step, a complaint and a follow-up: as the counter shows it.
    db = north["db"]
    visit_id, gid = db.execute(
        """SELECT v.id, v.gid FROM visits v WHERE v.customer_id IS NOT NULL
           AND v.status = 'ended' AND EXISTS (SELECT 1 FROM visit_steps s
               WHERE s.visit_id = v.id AND s.status = 'skipped')
           ORDER BY v.arrived_at LIMIT 1"""
    ).fetchone()
    db.execute("UPDATE follow_ups SET visit_id = ?", [visit_id])  # promised at that visit
    db.execute(  # who ticked each step (the m009 triggers send it up)
        "UPDATE visit_steps SET staff_id = ? WHERE visit_id = ? AND status != 'pending'",
        [north["manager"].staff_id, visit_id],
    )
    db.conn.commit()
    run_once(db, north["conn"], now=NOW)
    local = load_timeline(db, north["manager"], visit_id, now=NOW)
    hub = office.load_visit_timeline(office_conn, scope, gid, now=NOW)
    assert hub.events == local.events
    assert {e.status for e in hub.events if e.kind == "step"} >= {"done", "skipped"}
    assert {e.staff_name for e in hub.events if e.status == "done"} == {"Manager north"}
    for name in ("customer_name", "staff_name", "need", "solution", "outcome", "complaint"):
        assert getattr(hub.visit, name) == getattr(local.visit, name)
    assert [f.description for f in hub.follow_ups] == [f.description for f in local.follow_ups]
    assert hub.follow_ups and hub.follow_ups[0].owner_name == "Manager north"
    office.record_visit_look(db, north["manager"], gid, hub.visit and named[0].customer_gid,
                             now=NOW)  # fmt: skip
    assert db.execute("SELECT subject FROM audit_log WHERE action = 'view_visit' "
                      "ORDER BY id DESC LIMIT 1").fetchone()[0].startswith("customer:")  # fmt: skip
    # A store's own login cannot open another store's visit.
    south_gid = next(r.gid for r in all_rows if r.store_name == "south")
    north_scope = office.open_scope(
        north["conn"], db=db, session=north["manager"], store_id=_store_id(stores, "north")
    )
    with pytest.raises((PermissionDenied, office.NotFound)):
        office.load_visit_timeline(north["conn"], north_scope, south_gid, now=NOW)
