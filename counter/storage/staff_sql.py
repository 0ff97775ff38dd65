"""SQL for staff members: sign-in look-ups, PIN hashes, the wrong-PIN counter and lockout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


Row = dict[str, Any]

_COLUMNS = "id, name, role, pin_hash, active, created_at, failed_sign_ins, locked_until"


def get_staff(db: Database, staff_id: int) -> Row | None:
    rows = list(db.query(f"SELECT {_COLUMNS} FROM staff WHERE id = ?", [staff_id]))
    return rows[0] if rows else None


def all_staff(db: Database, *, active_only: bool) -> list[Row]:
    where = "WHERE active = 1" if active_only else ""
    return list(db.query(f"SELECT {_COLUMNS} FROM staff {where} ORDER BY name COLLATE NOCASE, id"))


def first_active_staff(db: Database) -> int | None:
    row = db.execute("SELECT id FROM staff WHERE active = 1 ORDER BY id LIMIT 1").fetchone()
    return row[0] if row else None


def first_active_manager(db: Database) -> Row | None:
    """The longest-serving active manager who can sign in (has a PIN)."""
    rows = list(
        db.query(
            f"SELECT {_COLUMNS} FROM staff WHERE role = 'manager' AND active = 1 "
            "AND pin_hash != '' ORDER BY id LIMIT 1"
        )
    )
    return rows[0] if rows else None


def count_managers_with_pin(db: Database, *, excluding: int | None = None) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM staff WHERE role = 'manager' AND active = 1 AND pin_hash != '' "
            "AND id IS NOT ?",
            [excluding],
        ).fetchone()[0]
    )


def insert_staff(db: Database, name: str, role: str, pin_hash: str, now: int) -> int:
    cursor = db.execute(
        "INSERT INTO staff (name, role, pin_hash, created_at) VALUES (?, ?, ?, ?)",
        [name, role, pin_hash, now],
    )
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


def set_pin_hash(db: Database, staff_id: int, pin_hash: str) -> None:
    db.execute(
        "UPDATE staff SET pin_hash = ?, failed_sign_ins = 0, locked_until = NULL WHERE id = ?",
        [pin_hash, staff_id],
    )


def update_staff(db: Database, staff_id: int, *, name: str, role: str, active: bool) -> None:
    db.execute(
        "UPDATE staff SET name = ?, role = ?, active = ? WHERE id = ?",
        [name, role, int(active), staff_id],
    )


def record_success(db: Database, staff_id: int) -> None:
    db.execute("UPDATE staff SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?", [staff_id])


def record_failure(db: Database, staff_id: int, *, max_failures: int, locked_until: int) -> Row:
    """Count one wrong PIN; the ``max_failures``-th locks until ``locked_until`` and starts
    the count again. Returns the new ``failed_sign_ins`` and ``locked_until``."""
    db.execute(
        """
        UPDATE staff SET
            locked_until = CASE WHEN failed_sign_ins + 1 >= ? THEN ? ELSE locked_until END,
            failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= ? THEN 0
                                   ELSE failed_sign_ins + 1 END
        WHERE id = ?
        """,
        [max_failures, locked_until, max_failures, staff_id],
    )
    return next(
        db.query("SELECT failed_sign_ins, locked_until FROM staff WHERE id = ?", [staff_id])
    )
