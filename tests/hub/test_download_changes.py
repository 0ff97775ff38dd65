"""A download says what it changed (SyncResult.changed / customer_ids -> Changes.of_download),
and each view of the other counter reloads only when its data changed: a follow-up promised at
counter A for one customer leaves counter B's queue, search results and the profile of another
customer as they are (no model reset), while an edit of the customer open at B updates B's
profile. Two real windows on two SQLite files, one real hub."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("pytestqt")

from counter.customers import CustomerInput, get_customer, update_customer
from counter.follow_ups import create_follow_up
from counter.search import find_customers
from tests.hub import test_hub_ui as hub_ui
from tests.ui.conftest import type_text
from ui.changes import Changes

WAIT_MS = hub_ui.WAIT_MS
join_by_hand = hub_ui.join_by_hand
counters = hub_ui.counters  # two counter windows with their background sync (fixtures)
store_login = hub_ui.store_login


def _resets(model) -> list[int]:
    count = [0]
    model.modelAboutToBeReset.connect(lambda: count.__setitem__(0, count[0] + 1))
    return count


def _run(window, qtbot, work):
    """``work(db)`` on the window's database worker; its answer."""
    answer: list = []
    window.runner.run(work, answer.append)
    qtbot.waitUntil(lambda: bool(answer), timeout=WAIT_MS)
    return answer[0]


def test_a_download_reloads_only_the_views_whose_data_changed(
    qtbot, counters, pg_cluster, hub_db, store_login
):
    a = counters.open("a", customers=("Ayşe", "Emre"))
    b = counters.open("b")
    join_by_hand(qtbot, a, pg_cluster, hub_db, store_login)
    join_by_hand(qtbot, b, pg_cluster, hub_db, store_login)
    qtbot.waitUntil(lambda: b.queue.joined)  # downloads say what changed

    def b_id(name: str) -> int | None:
        hits = _run(b, qtbot, lambda db: find_customers(db, name.lower()))
        return hits[0].id if hits else None

    qtbot.waitUntil(lambda: b_id("Emre") is not None and b_id("Ayşe") is not None, timeout=WAIT_MS)
    ayse, emre = b_id("Ayşe"), b_id("Emre")
    emre_at_a = a.customer_ids[1]

    # At B: a search typed, Ayşe's profile open.
    b.search.box.setFocus()
    type_text(b.search.box, "yılmaz")
    qtbot.waitUntil(lambda: b.search.model.rowCount() == 2, timeout=WAIT_MS)
    b.open_customer(ayse)
    qtbot.waitUntil(lambda: b.current_customer() is not None, timeout=WAIT_MS)
    heard: list[Changes] = []
    b.changes.changed.connect(heard.append)
    resets = {
        "queue": _resets(b.queue.model),
        "search": _resets(b.search.model),
        "history": _resets(b.profile.history_model),
    }
    shown = [0]
    original = b.profile.show_profile
    b.profile.show_profile = lambda *args, **kw: (
        shown.__setitem__(0, shown[0] + 1),
        original(*args, **kw),
    )[1]

    # At A: a follow-up promised for Emre (written on A's worker, announced as the UI does).
    now = int(time.time())
    _run(
        a,
        qtbot,
        lambda db: create_follow_up(
            db, customer_id=emre_at_a, description="Call back about the repair",
            due_at=now + 86400, owner_id=None, created_by=None, now=now, tz=None,
        ),
    )  # fmt: skip
    a.changes.notify(Changes(follow_ups=True, customer_ids=frozenset({emre_at_a})))

    qtbot.waitUntil(lambda: any(c.from_hub and c.follow_ups for c in heard), timeout=WAIT_MS)
    download = next(c for c in heard if c.from_hub and c.follow_ups)
    assert download.customer_ids == frozenset({emre})
    assert not (download.queue or download.customers or download.visits or download.staff)
    # Everything B's worker was asked to do after the notice has been done: a task queued
    # now runs after any reload the notice could have caused.
    _run(b, qtbot, lambda db: None)
    assert {k: v[0] for k, v in resets.items()} == {"queue": 0, "search": 0, "history": 0}
    assert shown[0] == 0
    assert b.current_customer().id == ayse
    assert b.search.box.text() == "yılmaz" and b.search.model.rowCount() == 2

    # At A: Ayşe's rapport note. B's profile of Ayşe shows it.
    ayse_at_a = a.customer_ids[0]

    def edit(db):
        current = get_customer(db, ayse_at_a)
        return update_customer(
            db,
            ayse_at_a,
            CustomerInput(current.given_name, current.family_name, rapport_notes="Prefers tea"),
            now=now + 5,
            phone_region="TR",
        )

    _run(a, qtbot, edit)
    a.changes.notify(Changes(customers=True, customer_ids=frozenset({ayse_at_a})))
    qtbot.waitUntil(
        lambda: (
            b.current_customer() is not None and b.current_customer().rapport_notes == "Prefers tea"
        ),
        timeout=WAIT_MS,
    )
    assert shown[0] >= 1
    edited = next(c for c in heard if c.from_hub and c.customers)
    assert edited.customer_ids == frozenset({ayse})
    assert not edited.follow_ups and not edited.queue


def test_the_sync_result_names_the_tables_and_customers_a_download_changed(make_counter):
    from counter.customers import create_customer
    from counter.sync import run_once
    from counter.visits import check_in, complete_step, serve

    (a, ca), (b, cb) = make_counter(), make_counter()
    ayse = create_customer(a, CustomerInput("Ayşe"), now=2000, phone_region="TR").id
    run_once(a, ca, now=2001)
    first = run_once(b, cb, now=2002)
    assert first.changed == {"customers"}
    ayse_at_b = b.execute("SELECT id FROM customers").fetchone()[0]
    assert first.customer_ids == {ayse_at_b}

    visit = check_in(a, now=2100, customer_id=ayse).visit
    walk_in = check_in(a, now=2101, walk_in_name="Ali").visit
    run_once(a, ca, now=2102)
    queued = run_once(b, cb, now=2103)
    assert queued.changed == {"visits"}
    assert queued.customer_ids == {ayse_at_b}  # the walk-in concerns no customer

    serve(a, walk_in.id, staff_id=None, now=2200, language="tr")
    complete_step(a, walk_in.id, "greet", now=2210)
    run_once(a, ca, now=2211)
    ticked = run_once(b, cb, now=2212)
    assert {"visits", "visit_steps"} <= ticked.changed and "customers" not in ticked.changed
    assert ticked.customer_ids == set()
    serve(a, visit.id, staff_id=None, now=2300, language="tr")
    run_once(a, ca, now=2301)
    assert run_once(b, cb, now=2302).customer_ids == {ayse_at_b}
    nothing = run_once(b, cb, now=2303)
    assert nothing.changed == set() and nothing.customer_ids == set()
