"""SQL for visits, their checklist steps and follow-ups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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
)


def insert_visit(db: Database, values: Mapping[str, Any]) -> int:
    cols = [c for c in VISIT_COLUMNS if c in values]
    cursor = db.execute(
        f"INSERT INTO visits ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )
    return int(cursor.lastrowid)


def insert_visit_steps(db: Database, rows: Iterable[tuple[int, int, str, str, str, int | None]]):
    """Rows of (visit_id, position, step_key, label, status, at)."""
    db.conn.executemany(
        "INSERT INTO visit_steps (visit_id, position, step_key, label, status, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def insert_follow_up(db: Database, values: Mapping[str, Any]) -> int:
    cols = list(values)
    cursor = db.execute(
        f"INSERT INTO follow_ups ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )
    return int(cursor.lastrowid)


def checklist_steps(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT step_key, position, builtin, hidden FROM checklist_steps ORDER BY position"
        )
    )
