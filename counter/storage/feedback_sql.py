"""SQL for the customer's answer on a visit (columns ``feedback*`` of ``visits``, m008) and
the figures the manager's views read from it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


def set_rating(db: Database, visit_id: int, rating: int, at: int) -> bool:
    """Record the face on an ended visit that has none yet (asked once, answered once)."""
    cursor = db.execute(
        "UPDATE visits SET feedback = ?, feedback_at = ?, updated_at = ? "
        "WHERE id = ? AND status = 'ended' AND feedback IS NULL",
        [rating, at, at, visit_id],
    )
    return cursor.rowcount == 1


def set_no_answer(db: Database, visit_id: int, at: int) -> bool:
    """Asked, and no face tapped in time: only when nothing was recorded yet."""
    cursor = db.execute(
        "UPDATE visits SET feedback = 0, feedback_at = ?, updated_at = ? "
        "WHERE id = ? AND status = 'ended' AND feedback IS NULL",
        [at, at, visit_id],
    )
    return cursor.rowcount == 1


def set_reason(db: Database, visit_id: int, reason: str, at: int) -> bool:
    """The one reason tapped after a face (only once, only after a face)."""
    cursor = db.execute(
        "UPDATE visits SET feedback_reason = ?, updated_at = ? "
        "WHERE id = ? AND status = 'ended' AND feedback > 0 AND feedback_reason = ''",
        [reason, at, visit_id],
    )
    return cursor.rowcount == 1


def feedback_of(db: Database, visit_id: int) -> dict[str, Any] | None:
    rows = list(
        db.query(
            "SELECT id, status, customer_id, staff_id, feedback, feedback_reason, feedback_at "
            "FROM visits WHERE id = ?",
            [visit_id],
        )
    )
    return rows[0] if rows else None


# The period's asked visits, read through the partial index: only visits with an answer or
# a recorded non-answer are in it, so a store that never asks pays nothing.
_ASKED = """FROM visits v INDEXED BY visits_feedback {join}
    WHERE v.feedback IS NOT NULL AND v.arrived_at >= ? AND v.arrived_at < ?
      AND v.status = 'ended'"""


def _scope(start: int, end: int, staff_id: int | None, join: str = "") -> tuple[str, list[Any]]:
    asked = _ASKED.format(join=join)
    if staff_id is None:
        return asked, [start, end]
    return f"{asked} AND v.staff_id = ?", [start, end, staff_id]


def faces_by_quarter_hour(
    db: Database, start: int, end: int, staff_id: int | None = None
) -> list[tuple[int, int, int, int]]:
    """(quarter-hour since the epoch, staff id or 0, face 0-5, visits): local days and staff
    are summed from these in Python (a month is at most a few thousand rows)."""
    scope, params = _scope(start, end, staff_id)
    return db.execute(
        f"SELECT v.arrived_at / 900, coalesce(v.staff_id, 0), v.feedback, count(*) {scope} "
        "GROUP BY 1, 2, 3",
        params,
    ).fetchall()


def reasons(
    db: Database, start: int, end: int, staff_id: int | None = None
) -> list[tuple[Any, ...]]:
    """(reason, visits) of the answers that gave one, most given first."""
    scope, params = _scope(start, end, staff_id)
    return db.execute(
        f"SELECT v.feedback_reason, count(*) {scope} AND v.feedback_reason != '' "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        params,
    ).fetchall()


def faces_by_wait(
    db: Database, start: int, end: int, amber: int, red: int, staff_id: int | None = None
) -> list[tuple[int, int, int]]:
    """(wait band: 0 under ``amber`` seconds, 1 up to ``red``, 2 longer; face; visits)."""
    scope, params = _scope(start, end, staff_id)
    return db.execute(
        f"""SELECT CASE WHEN v.started_at - v.arrived_at <= ? THEN 0
                        WHEN v.started_at - v.arrived_at <= ? THEN 1 ELSE 2 END,
                   v.feedback, count(*) {scope} AND v.feedback > 0 GROUP BY 1, 2""",
        [amber, red, *params],
    ).fetchall()


def faces_by_step(
    db: Database, start: int, end: int, staff_id: int | None = None
) -> list[tuple[str, str, int, int, int]]:
    """(step key, its label as the visits ran it, 1 done / 0 not done, sum of faces, visits)
    of answered visits."""
    scope, params = _scope(start, end, staff_id, "JOIN visit_steps s ON s.visit_id = v.id")
    return db.execute(
        f"""SELECT s.step_key, max(s.label), s.status = 'done', sum(v.feedback), count(*) {scope}
            AND v.feedback > 0 GROUP BY 1, 3""",
        params,
    ).fetchall()


def poor_by_staff(
    db: Database, start: int, end: int, staff_id: int | None = None
) -> list[tuple[int, int]]:
    """(staff id or 0, answers with face 1 or 2)."""
    scope, params = _scope(start, end, staff_id)
    return db.execute(
        f"SELECT coalesce(v.staff_id, 0), count(*) {scope} AND v.feedback IN (1, 2) GROUP BY 1",
        params,
    ).fetchall()


def given_reasons(db: Database) -> list[str]:
    """Every reason a customer ever gave (built-in keys and store texts, also retired ones)."""
    return [
        row[0]
        for row in db.execute(
            "SELECT DISTINCT feedback_reason FROM visits INDEXED BY visits_feedback "
            "WHERE feedback IS NOT NULL AND feedback_reason != '' ORDER BY 1"
        ).fetchall()
    ]
