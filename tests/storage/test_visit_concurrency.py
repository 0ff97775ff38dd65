"""Two counters on one database file: both run visits, neither corrupts nor blocks the other,
and the queue stays consistent (each waiting customer is served exactly once)."""

from __future__ import annotations

import threading

import pytest

from counter import visits
from counter.errors import ValidationError
from counter.storage import open_database, write_transaction

START = 1_795_512_600


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "counter.db"
    open_database(path).close()
    return path


@pytest.fixture
def two(path):
    a, b = open_database(path), open_database(path)
    yield a, b
    a.close()
    b.close()


def integrity(path) -> str:
    db = open_database(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def test_one_queue_seen_and_served_from_both(two):
    a, b = two
    for i in range(3):
        visits.check_in(a, walk_in_name=f"guest {i}", now=START + i)
    assert [v.customer_name for v in visits.list_queue(b)] == ["guest 0", "guest 1", "guest 2"]
    version = visits.data_version(b)
    first = visits.serve_next(a, staff_id=None, now=START + 10, language="en").visit
    assert visits.data_version(b) != version  # b can tell a re-read is due
    second = visits.serve_next(b, staff_id=None, now=START + 11, language="en").visit
    assert (first.customer_name, second.customer_name) == ("guest 0", "guest 1")
    visits.complete_step(b, first.id, "greet", now=START + 12)  # any counter may tick
    assert visits.load_visit(a, first.id).step("greet").status == "done"
    with pytest.raises(ValidationError):
        visits.serve(a, second.id, staff_id=None, now=START + 13, language="en")
    assert [v.customer_name for v in visits.list_queue(a)] == ["guest 2"]


def test_reader_is_not_blocked_by_an_open_write(two):
    a, b = two
    visits.check_in(a, walk_in_name="early", now=START)
    with write_transaction(a):
        visits.check_in(a, walk_in_name="uncommitted", now=START + 1)
        # WAL: b reads the last committed state at once, without waiting for a's lock.
        assert [v.customer_name for v in visits.list_queue(b)] == ["early"]
    assert len(visits.list_queue(b)) == 2


def test_writer_waits_for_the_other_instead_of_failing(path):
    holding, release = threading.Event(), threading.Event()

    def hold_lock():  # the other counter: its own connection, on its own thread
        a = open_database(path)
        try:
            with write_transaction(a):
                visits.check_in(a, walk_in_name="a", now=START)
                holding.set()
                release.wait(5)
        finally:
            a.close()

    thread = threading.Thread(target=hold_lock)
    thread.start()
    assert holding.wait(5)
    b = open_database(path)
    timer = threading.Timer(0.2, release.set)
    timer.start()
    visits.check_in(b, walk_in_name="b", now=START + 1)  # waits (busy timeout), then succeeds
    thread.join()
    assert [v.customer_name for v in visits.list_queue(b)] == ["a", "b"]
    b.close()


def test_two_counters_racing_serve_each_customer_once(path):
    setup = open_database(path)
    for i in range(40):
        visits.check_in(setup, walk_in_name=f"guest {i}", now=START + i)
    setup.close()
    served: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def counter(name: str) -> None:
        db = open_database(path)
        try:
            t = START + 100
            while True:
                try:
                    visit = visits.serve_next(db, staff_id=None, now=t, language="en").visit
                except ValidationError:
                    return  # nobody waiting
                served[name].append(visit.id)
                for key in ("greet", "needs", "thank"):
                    visits.complete_step(db, visit.id, key, now=t + 1)
                visits.set_outcome(db, visit.id, "informed", now=t + 2)
                visits.end_visit(db, visit.id, now=t + 3)
                t += 4
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=counter, args=(n,)) for n in served]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    all_served = served["a"] + served["b"]
    assert len(all_served) == len(set(all_served)) == 40
    check = open_database(path)
    statuses = check.execute("SELECT status, count(*) FROM visits GROUP BY status").fetchall()
    done = check.execute("SELECT count(*) FROM visit_steps WHERE status = 'done'").fetchone()[0]
    check.close()
    assert statuses == [("ended", 40)]
    assert done == 3 * 40
    assert integrity(path) == "ok"
