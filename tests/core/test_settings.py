"""Store settings a manager saves are checked at the boundary: whole minutes in range, amber
before red, a language Counter speaks, a known phone country; nothing is stored otherwise."""

from __future__ import annotations

import os

import pytest

from counter.errors import PermissionDenied, ValidationError
from counter.i18n import Translator
from counter.outcomes import outcome_key
from counter.roles import Session
from counter.settings import load_settings, save_store_settings
from counter.storage import staff_sql


@pytest.fixture
def boss(db, now):
    manager_id = staff_sql.insert_staff(db, "Sarah", "manager", "pin-hash", now)
    return Session(manager_id, "Sarah", "manager", now)


def fields(error: ValidationError) -> list[str]:
    return [p.field for p in error.problems]


def test_saves_cleaned_values(db, boss, now):
    save_store_settings(
        db,
        boss,
        {
            "store_name": "  Köşe   Eczanesi ",
            "store_language": "tr",
            "phone_region": "tr",
            "wait_amber_minutes": " 4",
            "wait_red_minutes": 9,
            "service_target_minutes": "12",
            "idle_lock_minutes": "0",
        },
        now=now,
    )
    settings = load_settings(db)
    assert settings.store_name == "Köşe Eczanesi"
    assert (settings.store_language, settings.phone_region) == ("tr", "TR")
    assert (settings.wait_amber_minutes, settings.wait_red_minutes) == (4, 9)
    assert (settings.service_target_minutes, settings.idle_lock_minutes) == (12, 0)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"wait_amber_minutes": "three"}, "wait_amber_minutes"),
        ({"wait_amber_minutes": "0"}, "wait_amber_minutes"),
        ({"wait_red_minutes": "-5"}, "wait_red_minutes"),
        ({"service_target_minutes": "100000"}, "service_target_minutes"),
        ({"idle_lock_minutes": "-1"}, "idle_lock_minutes"),
        ({"wait_amber_minutes": "8"}, "wait_red_minutes"),  # the stored red is 8
        ({"wait_amber_minutes": "10", "wait_red_minutes": "9"}, "wait_red_minutes"),
        ({"store_language": "xx"}, "store_language"),
        ({"store_language": "de"}, "store_language"),  # a language, but no catalog
        ({"phone_region": "ZZ"}, "phone_region"),
        ({"store_name": "   "}, "store_name"),
        ({"store_name": "x" * 81}, "store_name"),
    ],
)
def test_bad_values_store_nothing(db, boss, now, values, field):
    before = load_settings(db)
    with pytest.raises(ValidationError) as caught:
        save_store_settings(db, boss, {"store_name": "Mine", **values}, now=now)
    assert field in fields(caught.value)
    assert load_settings(db) == before
    for problem in caught.value.problems:  # every message formats with its values
        text = problem.msgid.format(**problem.params)
        assert "{" not in text and text.endswith(".")


def test_amber_and_red_checked_together(db, boss, now):
    save_store_settings(db, boss, {"wait_amber_minutes": "10", "wait_red_minutes": "15"}, now=now)
    assert (load_settings(db).wait_amber_minutes, load_settings(db).wait_red_minutes) == (10, 15)


def test_unknown_setting_is_a_programming_error(db, boss, now):
    with pytest.raises(KeyError):
        save_store_settings(db, boss, {"ui_language": "tr"}, now=now)


def test_staff_cannot_change_settings(db, now):
    clerk_id = staff_sql.insert_staff(db, "Zeynep", "staff", "", now)
    with pytest.raises(PermissionDenied):
        save_store_settings(
            db, Session(clerk_id, "Zeynep", "staff", now), {"wait_red_minutes": "20"}, now=now
        )
    assert load_settings(db).wait_red_minutes == 8


def test_outcome_key_finds_builtin_outcomes():
    tr = Translator("tr").gettext
    assert outcome_key("  bought ", tr) == "bought"
    assert outcome_key("Nothing today", tr) == "nothing_today"
    assert outcome_key(tr("Repaired"), tr) == "repaired"
    assert outcome_key("Sipariş   verildi", tr) == "Sipariş verildi"


# backup folder -----------------------------------------------------------------------------
def backup_problems(db, boss, now, folder: str) -> list[str]:
    before = load_settings(db)
    with pytest.raises(ValidationError) as caught:
        save_store_settings(db, boss, {"backup_folder": folder}, now=now)
    assert load_settings(db) == before
    assert fields(caught.value) == ["backup_folder"]
    return [p.msgid.format(**p.params) for p in caught.value.problems]


def test_backup_folder_that_exists_or_can_be_created_is_saved(db, boss, now, tmp_path):
    save_store_settings(db, boss, {"backup_folder": f"  {tmp_path} "}, now=now)
    assert load_settings(db).backup_folder == str(tmp_path)
    later = tmp_path / "usb" / "counter backups"
    save_store_settings(db, boss, {"backup_folder": str(later)}, now=now)
    assert load_settings(db).backup_folder == str(later)
    assert not later.exists()  # checked, not created: the first backup makes it
    save_store_settings(db, boss, {"backup_folder": ""}, now=now)  # back to the default
    assert load_settings(db).backup_folder == ""


def test_backup_folder_must_be_a_full_path(db, boss, now):
    assert backup_problems(db, boss, now, "backups") == [
        "Enter the full path of a folder, or use the default."
    ]


def test_backup_folder_cannot_be_a_file(db, boss, now, tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("x")
    assert backup_problems(db, boss, now, str(file)) == [f"{file} is a file, not a folder."]
    assert backup_problems(db, boss, now, str(file / "backups")) == [
        f"{file} is a file, not a folder."
    ]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_backup_folder_must_be_writable(db, boss, now, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert backup_problems(db, boss, now, str(locked)) == [
            f"Counter cannot write to the folder {locked}."
        ]
        assert backup_problems(db, boss, now, str(locked / "new")) == [
            f"The folder {locked / 'new'} cannot be created: Counter cannot write there."
        ]
    finally:
        locked.chmod(0o700)


def test_backup_folder_probe_failure_is_a_problem(db, boss, now, tmp_path, monkeypatch):
    """Where permissions cannot be taken away (running as root), a failing write stands in."""

    def refuse(*_args, **_kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr("counter.backup.tempfile.TemporaryFile", refuse)
    assert backup_problems(db, boss, now, str(tmp_path)) == [
        f"Counter cannot write to the folder {tmp_path}."
    ]
    assert backup_problems(db, boss, now, str(tmp_path / "new")) == [
        f"The folder {tmp_path / 'new'} cannot be created: Counter cannot write there."
    ]
