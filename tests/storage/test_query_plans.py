"""Queries that run on every refresh must use their indexes, not scan millions of visits."""

from counter.storage import visit_sql


def _plans(db, call):
    statements = []
    db.conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        db.conn.set_trace_callback(None)
    return [
        " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall())
        for sql in statements
        if sql.lstrip().upper().startswith("SELECT")
    ]


def test_queue_reload_uses_the_open_visits_index(db):
    plans = _plans(db, lambda: visit_sql.visits_with_status(db, "waiting"))
    assert plans and "visits_open" in plans[0], plans


def test_dashboard_reads_the_summary_and_seeks_the_visits_it_refines(db):
    from datetime import UTC

    from counter.dashboard import load_dashboard
    from counter.visit_filter import VisitFilter
    from tests.core.report_fixtures import DAY, NOW, START, build_store
    from tests.core.test_dashboard_summary import MINUTE_TARGETS, ODD_TARGETS

    store = build_store(db)
    for f, targets in (
        (VisitFilter(start=START - 3600, end=START + 3 * DAY), MINUTE_TARGETS),
        (VisitFilter(start=START, end=START + 3 * DAY, staff_ids=(store.sam,)), ODD_TARGETS),
    ):
        plans = _plans(
            db, lambda f=f, t=targets: load_dashboard(
                db, store.manager, f, targets=t, now=NOW, tz=UTC
            )
        )  # fmt: skip
        joined = "\n".join(plans)
        assert "dash_counts USING PRIMARY KEY" in joined, plans
        assert "dash_steps USING PRIMARY KEY" in joined, plans
        assert "dash_durations USING PRIMARY KEY" in joined, plans
        assert "USING COVERING INDEX visits_wait_seconds" in joined, plans
        assert "USING COVERING INDEX visits_service_seconds" in joined, plans
        assert "follow_ups USING COVERING INDEX follow_ups_owner_due" in joined, plans
        # In owner order: the overdue rows are counted as they are read, never sorted.
        overdue = [p for p in plans if "follow_ups" in p]
        assert overdue and all("TEMP B-TREE" not in p for p in overdue), overdue
        for plan in plans:
            for table in ("visits", "visit_steps", "dash_counts", "dash_outcomes", "dash_steps"):
                assert f"SCAN {table} " not in plan + " ", plan
            assert "SCAN dash_durations" not in plan, plan


def test_returning_flag_and_summary_triggers_seek_by_customer(db):
    from tests.storage.shipped_helpers import _refresh_returning  # the text m004's triggers run

    sql = _refresh_returning("?", "?").rstrip(";")
    plan = " ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {sql}", [1, 2]).fetchall())
    assert "visits_customer" in plan and "SCAN visits" not in plan, plan
