"""SQL for visits, their checklist steps and follow-ups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


VISIT_COLUMNS = (
    "customer_id",
    "walk_in_name",
    "staff_id",
    "status",
    "arrived_at",
    "started_at",
    "ended_at",
    "language",
    "need",
    "solution",
    "outcome",
    "complaint",
    "discard_reason",
    "updated_at",
    "feedback",
    "feedback_reason",
    "feedback_at",
)


def insert_visit(db: Database, values: Mapping[str, Any]) -> int:
    cols = [c for c in VISIT_COLUMNS if c in values]
    cursor = db.execute(
        f"INSERT INTO visits ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


def insert_visit_steps(
    db: Database, rows: Iterable[tuple[int, int, str, str, str, int | None]]
) -> None:
    """Rows of (visit_id, position, step_key, label, status, at); nobody ticked them yet."""
    db.conn.executemany(
        "INSERT INTO visit_steps (visit_id, position, step_key, label, status, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def set_step_servers(db: Database, visit_id: int, staff_id: int | None) -> None:
    """Every step of a visit that was ticked or skipped at a moment was served by
    ``staff_id`` (visits written whole: the demo, imports of history)."""
    db.execute(
        "UPDATE visit_steps SET staff_id = ? "
        "WHERE visit_id = ? AND at IS NOT NULL AND status != 'pending'",
        [staff_id, visit_id],
    )


def insert_follow_up(db: Database, values: Mapping[str, Any]) -> int:
    cols = list(values)
    cursor = db.execute(
        f"INSERT INTO follow_ups ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


def checklist_steps(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT step_key, position, builtin, hidden FROM checklist_steps ORDER BY position"
        )
    )


def set_step_label(db: Database, step_key: str, language: str, label: str, hint: str) -> None:
    db.execute(
        "INSERT INTO checklist_step_labels (step_key, language, label, hint) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (step_key, language) DO UPDATE SET label = excluded.label, "
        "hint = excluded.hint",
        [step_key, language, label, hint],
    )


def delete_step_label(db: Database, step_key: str, language: str) -> None:
    db.execute(
        "DELETE FROM checklist_step_labels WHERE step_key = ? AND language = ?",
        [step_key, language],
    )


def step_labels(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT step_key, language, label, hint FROM checklist_step_labels"))


def insert_checklist_step(db: Database, step_key: str, position: int) -> None:
    db.execute(
        "INSERT INTO checklist_steps (step_key, position, builtin, hidden) VALUES (?, ?, 0, 0)",
        [step_key, position],
    )


def set_step_position(db: Database, step_key: str, position: int) -> None:
    db.execute("UPDATE checklist_steps SET position = ? WHERE step_key = ?", [position, step_key])


def set_step_hidden(db: Database, step_key: str, hidden: bool) -> int:
    cursor = db.execute(
        "UPDATE checklist_steps SET hidden = ? WHERE step_key = ?", [int(hidden), step_key]
    )
    return cursor.rowcount


# Visits ------------------------------------------------------------------------------------
# A visit moves waiting -> in_progress -> ended, or to discarded from either open state. Each
# UPDATE names the state it expects, so two counters racing for one visit cannot both win.

_VISIT_SELECT = """
    SELECT v.*, c.given_name, c.family_name, c.native_name, c.language AS customer_language,
           c.title, c.formality, s.name AS staff_name
    FROM visits v
    LEFT JOIN customers c ON c.id = v.customer_id
    LEFT JOIN staff s ON s.id = v.staff_id
"""


def get_visit(db: Database, visit_id: int) -> dict[str, Any] | None:
    rows = list(db.query(f"{_VISIT_SELECT} WHERE v.id = ?", [visit_id]))
    return rows[0] if rows else None


def visits_with_status(db: Database, status: str) -> list[dict[str, Any]]:
    """Open visits of one status, longest waiting first (uses the partial index visits_open)."""
    return list(
        # The IN term repeats the partial index's own WHERE: SQLite uses a partial index only
        # when the query states its condition, and `status = ?` alone scans every visit.
        db.query(
            f"{_VISIT_SELECT} WHERE v.status = ? AND v.status IN ('waiting', 'in_progress') "
            "ORDER BY v.arrived_at, v.id",
            [status],
        )
    )


def visit_steps(db: Database, visit_id: int) -> list[dict[str, Any]]:
    """A visit's steps in checklist order, with who ticked or skipped each (``staff_id``,
    ``staff_name``; NULL and '' for nobody)."""
    return list(
        db.query(
            "SELECT x.step_key, x.position, x.label, x.status, x.at, x.staff_id, "
            "coalesce(s.name, '') AS staff_name "
            "FROM visit_steps x LEFT JOIN staff s ON s.id = x.staff_id "
            "WHERE x.visit_id = ? ORDER BY x.position, x.step_key",
            [visit_id],
        )
    )


def oldest_waiting_visit(db: Database) -> int | None:
    row = db.execute(
        "SELECT id FROM visits WHERE status = 'waiting' AND status IN ('waiting', 'in_progress') "
        "ORDER BY arrived_at, id LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def open_visit_of_customer(db: Database, customer_id: int) -> dict[str, Any] | None:
    rows = list(
        db.query(
            "SELECT id, status FROM visits WHERE customer_id = ? "
            "AND status IN ('waiting', 'in_progress') ORDER BY arrived_at LIMIT 1",
            [customer_id],
        )
    )
    return rows[0] if rows else None


def start_visit(db: Database, visit_id: int, staff_id: int | None, now: int) -> bool:
    cursor = db.execute(
        "UPDATE visits SET status = 'in_progress', started_at = ?, staff_id = ?, updated_at = ? "
        "WHERE id = ? AND status = 'waiting'",
        [now, staff_id, now, visit_id],
    )
    return cursor.rowcount == 1


_EDITABLE = ("need", "solution", "outcome", "complaint")


def update_open_visit(db: Database, visit_id: int, values: Mapping[str, Any], now: int) -> bool:
    """Set need/solution/outcome/complaint on a visit being served."""
    cols = [c for c in _EDITABLE if c in values]
    assignments = "".join(f"{c} = ?, " for c in cols)
    cursor = db.execute(
        f"UPDATE visits SET {assignments}updated_at = ? WHERE id = ? AND status = 'in_progress'",
        [*(values[c] for c in cols), now, visit_id],
    )
    return cursor.rowcount == 1


def set_step_status(
    db: Database, visit_id: int, step_key: str, status: str, at: int | None, staff_id: int | None
) -> bool:
    """``staff_id``: who ticked or skipped it (None when it goes back to pending)."""
    cursor = db.execute(
        "UPDATE visit_steps SET status = ?, at = ?, staff_id = ? "
        "WHERE visit_id = ? AND step_key = ?",
        [status, at, staff_id, visit_id, step_key],
    )
    return cursor.rowcount == 1


def touch_visit(db: Database, visit_id: int, now: int) -> None:
    db.execute("UPDATE visits SET updated_at = ? WHERE id = ?", [now, visit_id])


def skip_pending_steps(db: Database, visit_id: int) -> None:
    """At the end of a visit, steps never ticked become skipped with no time (``at`` NULL);
    a step skipped on purpose carries the moment it was skipped."""
    db.execute(
        "UPDATE visit_steps SET status = 'skipped', at = NULL, staff_id = NULL "
        "WHERE visit_id = ? AND status = 'pending'",
        [visit_id],
    )


def end_visit(db: Database, visit_id: int, now: int) -> bool:
    cursor = db.execute(
        "UPDATE visits SET status = 'ended', ended_at = ?, updated_at = ? "
        "WHERE id = ? AND status = 'in_progress'",
        [now, now, visit_id],
    )
    return cursor.rowcount == 1


def discard_visit(db: Database, visit_id: int, reason: str, now: int) -> bool:
    cursor = db.execute(
        "UPDATE visits SET status = 'discarded', ended_at = ?, discard_reason = ?, "
        "updated_at = ? WHERE id = ? AND status IN ('waiting', 'in_progress')",
        [now, reason, now, visit_id],
    )
    return cursor.rowcount == 1


def data_version(db: Database) -> int:
    """Changes when another connection (another counter) commits; cheap enough to poll."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])


# Follow-ups --------------------------------------------------------------------------------

_FOLLOW_UP_SELECT = """
    SELECT f.*, c.given_name, c.family_name, c.native_name, c.language AS customer_language,
           c.phone, o.name AS owner_name, cb.name AS closed_by_name
    FROM follow_ups f
    JOIN customers c ON c.id = f.customer_id
    LEFT JOIN staff o ON o.id = f.owner_id
    LEFT JOIN staff cb ON cb.id = f.closed_by
"""


def get_follow_up(db: Database, follow_up_id: int) -> dict[str, Any] | None:
    rows = list(db.query(f"{_FOLLOW_UP_SELECT} WHERE f.id = ?", [follow_up_id]))
    return rows[0] if rows else None


def open_follow_ups(
    db: Database,
    *,
    due_before: int | None = None,
    owner_id: int | None = None,
    customer_id: int | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Open follow-ups, soonest due first (the partial indexes follow_ups_open/_due)."""
    clauses, params = ["f.closed_at IS NULL", "c.erased_at IS NULL"], []
    if due_before is not None:
        clauses.append("f.due_at < ?")
        params.append(due_before)
    if owner_id is not None:
        clauses.append("f.owner_id = ?")
        params.append(owner_id)
    if customer_id is not None:
        clauses.append("f.customer_id = ?")
        params.append(customer_id)
    sql = f"{_FOLLOW_UP_SELECT} WHERE {' AND '.join(clauses)} ORDER BY f.due_at, f.id LIMIT ?"
    return list(db.query(sql, [*params, limit]))


def close_follow_up(db: Database, follow_up_id: int, by: int | None, now: int, note: str) -> bool:
    cursor = db.execute(
        "UPDATE follow_ups SET closed_at = ?, closed_by = ?, close_note = ? "
        "WHERE id = ? AND closed_at IS NULL",
        [now, by, note, follow_up_id],
    )
    return cursor.rowcount == 1
