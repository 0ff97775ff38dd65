"""Store settings: a small key/value table with typed accessors and defaults."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from counter.storage import settings_sql, write_transaction

DEFAULTS: dict[str, str] = {
    "store_name": "",
    "store_language": "en",
    "phone_region": "GB",  # numbers typed without +country code are read as this country's
    "wait_amber_minutes": "3",
    "wait_red_minutes": "8",
    "service_target_minutes": "10",
    "ui_language": "",
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
    )


def save_setting(db: Database, key: str, value: str) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    with write_transaction(db):
        settings_sql.put_setting(db, key, value)
