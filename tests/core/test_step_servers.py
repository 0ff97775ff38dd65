"""Who served which step (issue 12, item 8): a visit resumed by another staff member records
each step's server, the timeline and the exports show it, and a file from before the column
existed gets the visit's server for the steps already ticked."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from counter import visits
from counter.customers import CustomerInput, create_customer
from counter.export import COLUMNS, export_visits
from counter.i18n import Translator
from counter.privacy import customer_data
from counter.storage import visit_sql, write_transaction
from counter.storage.schema import MIGRATIONS
from counter.visit_filter import VisitFilter
from counter.visit_timeline import load_timeline
from tests.core.report_fixtures import NOW, START, build_store


def utc() -> Translator:
    from datetime import UTC

    return Translator("en", tz=UTC)


def new_customer(db) -> int:
    return create_customer(
        db, CustomerInput("Lena", "Novák", language="sk"), now=START, phone_region="SK"
    ).id


def resumed_visit(db, store) -> int:
    """Sam starts serving Emma and greets her; the counter crashes; Ana resumes the visit,
    builds rapport, skips the needs step, ticks the rest and ends it."""
    t = START + 3 * 86_400 + 3600
    visit = visits.serve_directly(
        db, customer_id=new_customer(db), staff_id=store.sam, now=t, language="en"
    ).visit
    visits.complete_step(db, visit.id, "greet", now=t + 10, staff_id=store.sam)
    # After the restart Ana finds it among the open visits and carries on.
    (resumed,) = [v for v in visits.open_visits(db) if v.id == visit.id]
    assert resumed.step("greet").staff_name == "Sam"
    visits.toggle_step(db, visit.id, "rapport", now=t + 100, staff_id=store.ana)
    visits.skip_step(db, visit.id, "needs", now=t + 110, staff_id=store.ana)
    visits.complete_step(db, visit.id, "solution", now=t + 120, staff_id=store.ana)
    visits.set_outcome(db, visit.id, "bought", now=t + 130)
    visits.end_visit(db, visit.id, now=t + 140)  # "thank" never ticked: skipped by nobody
    return visit.id


def test_each_step_records_who_ticked_it(db):
    store = build_store(db)
    visit_id = resumed_visit(db, store)
    visit = visits.load_visit(db, visit_id)
    assert visit.staff_name == "Sam"  # the visit keeps who started serving
    assert [(s.key, s.status, s.staff_name) for s in visit.steps] == [
        ("greet", "done", "Sam"),
        ("rapport", "done", "Ana"),
        ("needs", "skipped", "Ana"),
        ("solution", "done", "Ana"),
        ("thank", "skipped", ""),
    ]
    assert visit.step("rapport").staff_id == store.ana


def test_undo_forgets_the_server_and_a_new_tick_records_the_new_one(db):
    store = build_store(db)
    visit = visits.serve_directly(
        db, customer_id=new_customer(db), staff_id=store.sam, now=NOW, language="en"
    ).visit
    visits.complete_step(db, visit.id, "greet", now=NOW + 1, staff_id=store.sam)
    undone = visits.undo_step(db, visit.id, "greet", now=NOW + 2, staff_id=store.ana).visit
    assert (undone.step("greet").status, undone.step("greet").staff_id) == ("pending", None)
    again = visits.toggle_step(db, visit.id, "greet", now=NOW + 3, staff_id=store.ana).visit
    assert (again.step("greet").at, again.step("greet").staff_name) == (NOW + 3, "Ana")
    # Ticking what is already done keeps its first time and its first server.
    same = visits.complete_step(db, visit.id, "greet", now=NOW + 4, staff_id=store.sam).visit
    assert (same.step("greet").at, same.step("greet").staff_name) == (NOW + 3, "Ana")


def test_the_timeline_names_each_steps_server(db):
    store = build_store(db)
    visit_id = resumed_visit(db, store)
    timeline = load_timeline(db, store.manager, visit_id, now=NOW)
    steps = [(e.step_key, e.staff_name) for e in timeline.events if e.kind == "step"]
    assert steps == [
        ("greet", "Sam"),
        ("rapport", "Ana"),
        ("needs", "Ana"),
        ("solution", "Ana"),
        ("thank", ""),
    ]


def test_exports_name_everyone_who_ticked_steps(db, tmp_path):
    store = build_store(db)
    visit_id = resumed_visit(db, store)
    period = VisitFilter(start=START + 3 * 86_400, end=NOW)
    header = dict(COLUMNS)["step_staff"]
    path = tmp_path / "visits.csv"
    export_visits(db, store.manager, period, path, fmt="csv", translator=utc(), now=NOW)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_id[str(visit_id)]["Served by"] == "Sam"
    assert by_id[str(visit_id)][header] == "Sam, Ana"  # in the order they first ticked

    xlsx = tmp_path / "visits.xlsx"
    export_visits(db, store.manager, period, xlsx, fmt="xlsx", translator=utc(), now=NOW)
    sheet = load_workbook(xlsx, read_only=True).worksheets[0]
    cells = list(sheet.iter_rows(values_only=True))
    by_id = {r[0]: dict(zip(cells[0], r, strict=True)) for r in cells[1:]}
    assert by_id[visit_id][header] == "Sam, Ana"

    customer_id = visits.load_visit(db, visit_id).customer_id
    (visit,) = customer_data(db, store.manager, customer_id, now=NOW).visits
    assert [s["staff_name"] for s in visit["steps"]] == ["Sam", "Ana", "Ana", "Ana", ""]
    json.dumps(visit)  # the JSON export writes these as they are


def test_steps_ticked_before_the_migration_are_credited_to_the_visits_server():
    db = Database(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    before = Migrations("counter")
    before._migrations = [m for m in MIGRATIONS._migrations if m.name < "m007"]
    before.apply(db)
    store = build_store(db)  # steps written without a server, as an older Counter did
    MIGRATIONS.apply(db)
    assert MIGRATIONS.pending(db) == []
    v3 = visits.load_visit(db, store.visits["v3"])  # Ana's visit; "thank" left pending
    assert [(s.key, s.staff_name) for s in v3.steps] == [
        ("greet", "Ana"),
        ("rapport", "Ana"),
        ("needs", "Ana"),
        ("solution", "Ana"),
        ("thank", ""),
    ]
    with write_transaction(db):  # and whole visits written later can name theirs
        visit_sql.set_step_servers(db, store.visits["v1"], store.ana)
    assert {s.staff_name for s in visits.load_visit(db, store.visits["v1"]).steps} == {"Ana"}
