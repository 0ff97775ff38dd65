"""Store settings: a small key/value table with typed accessors and defaults."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from counter.errors import Problem, ValidationError
from counter.i18n import N_, available_languages
from counter.roles import require_manager
from counter.storage import backup_sql, health_sql, settings_sql, write_transaction
from counter.text import clean_line, length_problem

if TYPE_CHECKING:
    from sqlite_utils import Database

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
    # Reasons offered after a face that is not happy, per language, as JSON {"tr": [...]};
    # '' or a language missing = the built-in ones (counter.feedback).
    "feedback_reasons": "",
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
    return settings_from(settings_sql.all_settings(db))


def read_settings_file(path: Path) -> StoreSettings:
    """The settings of the database at ``path``, read with plain sqlite3 on a read-only
    connection: start-up reads them before sqlite-utils is loaded (the file is checked and
    migrated already; see counter.integrity.check_database)."""
    conn = backup_sql.connect_read_only(Path(path))
    try:
        return settings_from(health_sql.settings(conn))
    finally:
        conn.close()


def settings_from(stored: Mapping[str, str]) -> StoreSettings:
    values = {**DEFAULTS, **stored}
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


# Whole minutes a manager may choose (the settings screen offers the same ranges).
MINUTE_RANGES: dict[str, tuple[int, int]] = {
    "wait_amber_minutes": (1, 120),
    "wait_red_minutes": (2, 240),
    "service_target_minutes": (1, 240),
    "idle_lock_minutes": (0, 120),  # 0: never lock
}
MAX_STORE_NAME = 80


def phone_regions() -> list[str]:
    """The country codes (ISO 3166) phone numbers can be read for, sorted."""
    import phonenumbers  # its metadata is large: loaded when settings are edited, not at start

    return sorted(phonenumbers.SUPPORTED_REGIONS)


def _minutes(key: str, value: str, problems: list[Problem]) -> str:
    low, high = MINUTE_RANGES[key]
    try:
        number = int(str(value).strip())
    except ValueError:
        problems.append(Problem(key, N_("Enter a whole number of minutes.")))
        return value
    if not low <= number <= high:
        problems.append(
            Problem(key, N_("Choose from {low} to {high} minutes."), {"low": low, "high": high})
        )
    return str(number)


def validate_store_settings(db: Database, values: dict[str, str]) -> dict[str, str]:
    """The values cleaned and checked (whole minutes in range, amber before red, a catalog
    language, a known phone country, a store name, a backup folder Counter can write to);
    raises ValidationError."""
    unknown = set(values) - MANAGER_SETTINGS
    if unknown:
        raise KeyError(sorted(unknown))
    problems: list[Problem] = []
    cleaned: dict[str, str] = {}
    for key, value in values.items():
        value = str(value)
        if key in MINUTE_RANGES:
            value = _minutes(key, value, problems)
        elif key == "store_name":
            value = clean_line(value)
            if not value:
                problems.append(Problem(key, N_("Enter the store's name.")))
            elif problem := length_problem(key, value, MAX_STORE_NAME):
                problems.append(problem)
        elif key == "store_language" and value not in available_languages():
            problems.append(Problem(key, N_("Choose one of the languages Counter speaks.")))
        elif key == "phone_region":
            value = value.strip().upper()
            if value not in phone_regions():
                problems.append(Problem(key, N_("Choose a country for phone numbers.")))
        elif key == "backup_folder":
            from counter.backup import folder_problem  # not at start-up: ui/early_start.py

            value = clean_line(value)
            if problem := folder_problem(key, value):
                problems.append(problem)
        cleaned[key] = value
    if not any(p.field in ("wait_amber_minutes", "wait_red_minutes") for p in problems):
        stored = {**DEFAULTS, **settings_sql.all_settings(db), **cleaned}
        try:
            amber, red = int(stored["wait_amber_minutes"]), int(stored["wait_red_minutes"])
        except ValueError:  # a bad value stored by hand: the one given here is checked above
            amber, red = 0, 1
        if amber >= red:
            problems.append(
                Problem(
                    "wait_red_minutes",
                    N_("The red wait must be longer than the amber wait ({minutes} min)."),
                    {"minutes": amber},
                )
            )
    if problems:
        raise ValidationError(problems)
    return cleaned


def save_store_settings(db: Database, session: object, values: dict[str, str], *, now: int) -> None:
    """Change store settings (name, language, targets...) in one transaction, all checked
    first (nothing is stored if one is wrong). Manager only. On a counter that joined a hub,
    the store's name, language and targets go to the hub at the next sync (the store's other
    counters and the office follow)."""
    manager = require_manager(db, session)
    with write_transaction(db):
        values = validate_store_settings(db, values)
        before = {**DEFAULTS, **settings_sql.all_settings(db)}
        for key, value in values.items():
            settings_sql.put_setting(db, key, value)
        if settings_sql.joined_hub(db):
            # Only what changed here: the form saves every field, and one the office changed
            # since this counter's last sync must not go back up as it was.
            mark_for_hub(db, [k for k, v in values.items() if before.get(k) != v], "set")
        from counter import audit  # not needed to read the settings at start-up

        audit.record(
            db,
            at=now,
            staff_id=manager.staff_id,
            action="settings_changed",
            detail=", ".join(sorted(values)),
        )


# The store's settings the hub keeps per store ------------------------------------------------
# On a counter that joined a hub the store's name, language and targets are the store's, kept
# on the hub (counter.hub.targets_sql; the office sets them too): every sync writes the hub's
# values here, after sending up the ones changed here (counter.sync.store_targets).
HUB_SETTINGS: dict[str, str] = {  # local key -> the hub's column
    "store_name": "display_name",
    "store_language": "language",
    "wait_amber_minutes": "wait_amber_minutes",
    "wait_red_minutes": "wait_red_minutes",
    "service_target_minutes": "service_target_minutes",
}
# Keys waiting to go to the hub, as JSON {key: mode}: "set" (changed here: the store's value
# from now on) or "seed" (a counter joining with its own settings: taken only where the store
# has none of its own yet). Not a setting a manager edits: kept out of DEFAULTS.
PENDING_KEY = "hub_settings_pending"


def pending_for_hub(db: Database) -> dict[str, str]:
    text = settings_sql.all_settings(db).get(PENDING_KEY, "")
    try:
        pending = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(pending, dict):
        return {}
    return {k: v for k, v in pending.items() if k in HUB_SETTINGS and v in ("set", "seed")}


def mark_for_hub(db: Database, keys: Iterable[str], mode: str) -> None:
    """Queue ``keys`` (those the hub keeps) for the next sync; "set" wins over "seed"."""
    pending = pending_for_hub(db)
    for key in keys:
        if key in HUB_SETTINGS and pending.get(key) != "set":
            pending[key] = mode
    settings_sql.put_setting(db, PENDING_KEY, json.dumps(pending, sort_keys=True))


def mark_joined(db: Database) -> None:
    """A counter joins a hub: the language and targets its manager changed from Counter's
    defaults become its store's where the store has none of its own on the hub yet (the
    store's name on the hub stays the one joined with); anything left takes the store's or
    the hub's defaults at the first sync."""
    stored = settings_sql.all_settings(db)
    own = [
        key
        for key in HUB_SETTINGS
        if key != "store_name" and key in stored and stored[key] != DEFAULTS[key]
    ]
    mark_for_hub(db, own, "seed")


def take_from_hub(db: Database, values: Mapping[str, str], sent: Mapping[str, str]) -> list[str]:
    """Write the hub's ``values`` (local keys) here; ``sent``: what this sync sent up, no
    longer pending unless changed here meanwhile (a key still pending keeps its value here).
    A value Counter would not accept from a manager (out of range, amber not before red, an
    unknown language) is left as it is here. Returns the keys changed. In the caller's
    transaction."""
    stored = {**DEFAULTS, **settings_sql.all_settings(db)}
    pending = pending_for_hub(db)
    if sent:
        for key, value in sent.items():
            if stored.get(key) == value:
                pending.pop(key, None)
        settings_sql.put_setting(db, PENDING_KEY, json.dumps(pending, sort_keys=True))
    wanted = {
        key: str(value)
        for key, value in values.items()
        if key in HUB_SETTINGS and key not in pending and str(value) != stored.get(key)
    }
    for _attempt in range(3):
        if not wanted:
            return []
        try:
            cleaned = validate_store_settings(db, wanted)
            break
        except ValidationError as e:
            bad = {p.field for p in e.problems}
            if "wait_red_minutes" in bad:  # amber not before red: the pair stays as it is
                bad.add("wait_amber_minutes")
            wanted = {k: v for k, v in wanted.items() if k not in bad}
    else:
        return []
    for key, value in cleaned.items():
        settings_sql.put_setting(db, key, value)
    return sorted(cleaned)
