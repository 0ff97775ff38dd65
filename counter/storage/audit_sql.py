"""SQL for the audit log: who did what to whose data, when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


def insert_entry(
    db: Database, *, at: int, staff_id: int | None, action: str, subject: str, detail: str
) -> int:
    cursor = db.execute(
        "INSERT INTO audit_log (at, staff_id, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        [at, staff_id, action, subject, detail],
    )
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


def list_entries(db: Database, *, limit: int, offset: int) -> list[dict[str, Any]]:
    return list(
        db.query(
            """
            SELECT a.id, a.at, a.staff_id, coalesce(s.name, '') AS staff_name, a.action,
                   a.subject, a.detail
            FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
            ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?
            """,
            [limit, offset],
        )
    )


def count_entries(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM audit_log").fetchone()[0])
