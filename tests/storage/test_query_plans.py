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
