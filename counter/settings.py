"""Store settings: a small key/value table with typed accessors and defaults."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from counter import audit
from counter.roles import require_manager
from counter.storage import settings_sql, write_transaction

DEFAULTS: dict[str, str] = {
    "store_name": "",
    "store_language": "en",
    "phone_region": "GB",  # numbers typed without +country code are read as this country's
    "wait_amber_minutes": "3",
    "wait_red_minutes": "8",
    "service_target_minutes": "10",
    # Outcome keys offered at the end of a visit, in order (counter.outcomes has their labels).
    "outcomes": "bought,returned,repaired,informed,complaint_resolved,nothing_today",
    "ui_language": "",
    "backup_folder": "",  # '' = a backups/ folder beside the database (counter.backup)
    "idle_lock_minutes": "5",  # hide customer data after this long without input; 0 = never
}


@dataclass(frozen=True)
class StoreSettings:
    store_name: str
    store_language: str
    phone_region: str
    wait_amber_minutes: int
    wait_red_minutes: int
    service_target_minutes: int
    ui_language: str
    backup_folder: str = ""
    idle_lock_minutes: int = 5


def _int(value: str, default: str) -> int:
    try:
        return int(value)
    except ValueError:
        return int(default)


def load_settings(db: Database) -> StoreSettings:
    values = {**DEFAULTS, **settings_sql.all_settings(db)}
    return StoreSettings(
        store_name=values["store_name"],
        store_language=values["store_language"],
        phone_region=values["phone_region"],
        wait_amber_minutes=int(values["wait_amber_minutes"]),
        wait_red_minutes=int(values["wait_red_minutes"]),
        service_target_minutes=int(values["service_target_minutes"]),
        ui_language=values["ui_language"],
        backup_folder=values["backup_folder"],
        idle_lock_minutes=max(0, _int(values["idle_lock_minutes"], DEFAULTS["idle_lock_minutes"])),
    )


def save_setting(db: Database, key: str, value: str) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    with write_transaction(db):
        settings_sql.put_setting(db, key, value)


# Store-wide settings only a manager may change (the UI language is each counter's own choice).
MANAGER_SETTINGS = frozenset(DEFAULTS) - {"ui_language"}


def save_store_settings(db: Database, session, values: dict[str, str], *, now: int) -> None:
    """Change store settings (name, language, targets...) in one transaction. Manager only."""
    require_manager(db, session)
    unknown = set(values) - MANAGER_SETTINGS
    if unknown:
        raise KeyError(sorted(unknown))
    with write_transaction(db):
        for key, value in values.items():
            settings_sql.put_setting(db, key, value)
        audit.record(
            db,
            at=now,
            staff_id=session.staff_id,
            action="settings_changed",
            detail=", ".join(sorted(values)),
        )
