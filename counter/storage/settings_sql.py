"""SQL for the store's key/value settings (table ``settings``); staff members are in
``staff_sql``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def all_settings(db: Database) -> dict[str, str]:
    return {row["key"]: row["value"] for row in db.query("SELECT key, value FROM settings")}


def put_setting(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def joined_hub(db: Database) -> bool:
    """Whether this counter joined a hub (sync_state, m009)."""
    row = db.execute("SELECT joined FROM sync_state WHERE id = 1").fetchone()
    return bool(row and row[0])
