"""SQL for settings and staff members."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def all_settings(db: Database) -> dict[str, str]:
    return {row["key"]: row["value"] for row in db.query("SELECT key, value FROM settings")}


def put_setting(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def insert_staff(db: Database, name: str, role: str, pin_hash: str, now: int) -> int:
    cursor = db.execute(
        "INSERT INTO staff (name, role, pin_hash, created_at) VALUES (?, ?, ?, ?)",
        [name, role, pin_hash, now],
    )
    return int(cursor.lastrowid)


def list_staff(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT id, name, role, active FROM staff ORDER BY name"))
