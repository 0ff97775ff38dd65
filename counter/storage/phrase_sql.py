"""SQL for the manager's phrase overrides (table ``phrase_overrides``).

A row with ``msgid = ''`` is a phrase the manager added; a row with a catalog msgid replaces
that phrase's text (``text``) or hides it (``hidden = 1``) in one language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


_COLUMNS = "id, language, step_key, msgid, text, hidden, updated_at, updated_by"


def overrides_for(db: Database, languages: list[str], step_key: str) -> list[dict[str, Any]]:
    marks = ", ".join("?" for _ in languages)
    return list(
        db.query(
            f"SELECT {_COLUMNS} FROM phrase_overrides "
            f"WHERE language IN ({marks}) AND step_key = ? ORDER BY id",
            [*languages, step_key],
        )
    )


def list_overrides(db: Database, language: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            f"SELECT {_COLUMNS} FROM phrase_overrides WHERE language = ? ORDER BY step_key, id",
            [language],
        )
    )


def get_override(db: Database, override_id: int) -> dict[str, Any] | None:
    rows = list(db.query(f"SELECT {_COLUMNS} FROM phrase_overrides WHERE id = ?", [override_id]))
    return rows[0] if rows else None


def find_catalog_override(
    db: Database, language: str, step_key: str, msgid: str
) -> dict[str, Any] | None:
    rows = list(
        db.query(
            f"SELECT {_COLUMNS} FROM phrase_overrides "
            "WHERE language = ? AND step_key = ? AND msgid = ? AND msgid != '' "
            "ORDER BY id DESC LIMIT 1",
            [language, step_key, msgid],
        )
    )
    return rows[0] if rows else None


def insert_override(db: Database, values: dict[str, Any]) -> int:
    cursor = db.execute(
        "INSERT INTO phrase_overrides "
        "(language, step_key, msgid, text, hidden, updated_at, updated_by) "
        "VALUES (:language, :step_key, :msgid, :text, :hidden, :updated_at, :updated_by)",
        values,
    )
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


def update_override(db: Database, override_id: int, values: dict[str, Any]) -> bool:
    cursor = db.execute(
        "UPDATE phrase_overrides SET text = :text, hidden = :hidden, "
        "updated_at = :updated_at, updated_by = :updated_by WHERE id = :id",
        {**values, "id": override_id},
    )
    return cursor.rowcount > 0


def delete_override(db: Database, override_id: int) -> bool:
    cursor = db.execute("DELETE FROM phrase_overrides WHERE id = ?", [override_id])
    return cursor.rowcount > 0
