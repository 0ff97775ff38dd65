"""Every visit records its store and counter (m011): NULL on a counter that never joined, this
counter's on joining and for every visit made after, named in the log, the exports and the
timeline once the file joined a hub or holds more than one store."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook
from sqlite_utils import Database

from counter import visit_places
from counter.export import COLUMNS, export_visits
from counter.i18n import Translator
from counter.storage import sync_sql, write_transaction
from counter.storage.schema import MIGRATIONS, apply_migrations
from counter.visit_filter import VisitFilter
from counter.visit_log import list_visits
from counter.visit_timeline import load_timeline
from counter.visits import check_in
from tests.core.report_fixtures import END, NOW, START, build_store

PERIOD = VisitFilter(start=START, end=END)


def _utc() -> Translator:
    from datetime import UTC

    return Translator("en", tz=UTC)


def _join(db, name="Till 2"):
    with write_transaction(db):
        sync_sql.join(
            db, hub="host=hub", store="Main street", store_id=7, counter_gid="a1b2c3d4e5f6",
            now=NOW, counter_name=name,
        )  # fmt: skip


def _places(db):
    return {
        tuple(r)
        for r in db.execute("SELECT store_id, store_name, counter_gid, counter_name FROM visits")
    }


def _csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_a_counter_that_never_joined_records_no_place_and_shows_none(db, tmp_path):
    store = build_store(db)
    check_in(db, now=NOW, walk_in_name="Ali")
    assert _places(db) == {(None, None, None, None)}
    assert not visit_places.shown(db)
    path = tmp_path / "v.csv"
    export_visits(db, store.manager, PERIOD, path, fmt="csv", translator=_utc(), now=NOW)
    assert _csv(path)[0] == [label for _key, label in COLUMNS]  # as before: no place columns
    rows = list_visits(db, store.manager, PERIOD)
    assert {(r.store_name, r.counter_name) for r in rows} == {("", "")}


def test_joining_gives_this_counters_place_to_its_visits_and_every_new_one(db):
    build_store(db)
    _join(db)
    new = check_in(db, now=NOW, walk_in_name="Ali").visit
    assert _places(db) == {(7, "Main street", "a1b2c3d4e5f6", "Till 2")}
    assert visit_places.shown(db)
    assert db.execute("SELECT store_id FROM visits WHERE id = ?", [new.id]).fetchone()[0] == 7


def test_the_place_does_not_go_into_the_outbox(db):
    """Every counter knows it from the hub: recording it is not a change to upload."""
    _join(db)
    check_in(db, now=NOW, walk_in_name="Ali")
    fields = [json.loads(r[0]) for r in db.execute("SELECT fields FROM sync_outbox")]
    assert fields and not any({"store_id", "store_name", "counter_gid"} & set(f) for f in fields)


def test_exports_name_the_store_and_the_counter_once_joined(db, tmp_path):
    store = build_store(db)
    _join(db)
    path = tmp_path / "v.csv"
    export_visits(db, store.manager, PERIOD, path, fmt="csv", translator=_utc(), now=NOW)
    rows = _csv(path)
    assert rows[0][-2:] == ["Store", "Service counter"]
    assert {tuple(r[-2:]) for r in rows[1:]} == {("Main street", "Till 2")}
    xlsx = tmp_path / "v.xlsx"
    export_visits(db, store.manager, PERIOD, xlsx, fmt="xlsx", translator=_utc(), now=NOW)
    sheet = load_workbook(xlsx).active
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert table[0][-2:] == ["Store", "Service counter"]
    assert {tuple(r[-2:]) for r in table[1:]} == {("Main street", "Till 2")}


def test_an_unnamed_counter_is_shown_by_the_start_of_its_id(db):
    store = build_store(db)
    _join(db, name="")
    rows = list_visits(db, store.manager, PERIOD)
    assert {(r.store_name, r.counter_name) for r in rows} == {("Main street", "#a1b2c3")}


def test_a_file_with_visits_of_two_stores_shows_places_without_having_joined(db):
    store = build_store(db)
    first, second = sorted(store.visits.values())[:2]
    db.execute("UPDATE visits SET store_id = 1, store_name = 'North' WHERE id = ?", [first])
    assert not visit_places.shown(db)  # one store only
    db.execute("UPDATE visits SET store_id = 2, store_name = 'South' WHERE id = ?", [second])
    assert visit_places.shown(db)


def test_the_timeline_and_the_log_sort_by_place(db):
    store = build_store(db)
    _join(db)
    visit_id = list_visits(db, store.manager, PERIOD)[-1].id  # one in the period
    db.execute("UPDATE visits SET counter_name = 'Till 1' WHERE id = ?", [visit_id])
    timeline = load_timeline(db, store.manager, visit_id, now=NOW)
    assert (timeline.visit.store_name, timeline.visit.counter_name) == ("Main street", "Till 1")
    rows = list_visits(db, store.manager, PERIOD, sort="place", descending=False)
    assert [r.counter_name for r in rows][:2] == ["Till 1", "Till 2"]
    assert visit_places.place_text("Main street", "Till 1") == "Main street · Till 1"


def test_the_migration_fills_a_joined_counters_visits_and_leaves_a_lone_ones(tmp_path):
    joined = Database(tmp_path / "joined.db")
    apply_migrations(joined, stop_before="m011_visit_place")
    joined.execute(
        "UPDATE sync_state SET joined = 1, store = 'Main', store_id = 3, counter_gid = 'me'"
    )
    for gid in ("mine", "theirs", "edited"):
        joined.execute(
            "INSERT INTO visits (gid, arrived_at, status, language, updated_at) "
            "VALUES (?, 1, 'ended', 'en', 1)",
            [gid],
        )
    joined.execute("DELETE FROM sync_outbox")
    joined.execute(
        """INSERT INTO sync_clock (tbl, gid, clocks) VALUES
           ('visits', 'theirs', '{"*": [5, "other"]}'),
           ('visits', 'edited', '{"arrived_at": [5, "maker"], "need": [9, "me"]}')"""
    )
    lone = Database(tmp_path / "lone.db")
    apply_migrations(lone, stop_before="m011_visit_place")
    lone.execute(
        "INSERT INTO visits (arrived_at, status, language, updated_at) VALUES (1, 'ended', 'en', 1)"
    )
    for db in (joined, lone):
        MIGRATIONS.apply(db)
    got = {
        r[0]: tuple(r[1:])
        for r in joined.execute("SELECT gid, store_id, store_name, counter_gid FROM visits")
    }
    assert got == {
        "mine": (3, "Main", "me"),  # not uploaded yet: no clock, made here
        "theirs": (3, "Main", "other"),
        "edited": (3, "Main", "maker"),
    }
    assert (
        joined.execute("SELECT count(*) FROM visits WHERE counter_name IS NULL").fetchone()[0] == 3
    )  # names: asked of the hub at the next sync
    assert _places(lone) == {(None, None, None, None)}
