"""Shared fixtures. Qt runs offscreen: set before anything imports Qt."""

import os
import tempfile

if not os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # "offscreen:configfile=…": a screen of a size
# Window sizes and column widths (ui/window_state.py) go to a temporary folder, never to the
# real user's settings; a test that needs a clean slate points it at its own tmp_path.
os.environ["COUNTER_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="counter-settings-")

import pytest

from counter.storage import open_memory_database

# A fixed "now": Tuesday 2026-11-24 09:30 UTC.
NOW = 1_795_512_600


@pytest.fixture
def now() -> int:
    return NOW


@pytest.fixture
def db():
    database = open_memory_database()
    yield database
    database.close()
