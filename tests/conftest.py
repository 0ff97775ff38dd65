"""Shared fixtures. Qt runs offscreen: set before anything imports Qt. The tests of real key
presses (tests/ui/real_display) run in a process of their own at an Xvfb display, started by
tests/ui/test_real_display.py with COUNTER_TEST_QPA=xcb."""

import os
import tempfile

# Offscreen unless a test run asks for a real display (COUNTER_TEST_QPA=xcb); an offscreen
# platform with options ("offscreen:configfile=…": a screen of a size) is kept.
_inherited = os.environ.get("QT_QPA_PLATFORM", "")
os.environ["QT_QPA_PLATFORM"] = os.environ.get("COUNTER_TEST_QPA") or (
    _inherited if _inherited.startswith("offscreen") else "offscreen"
)
# Window sizes and column widths (ui/window_state.py) go to a temporary folder, never to the
# real user's settings; a test that needs a clean slate points it at its own tmp_path.
os.environ["COUNTER_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="counter-settings-")

import pytest  # noqa: E402 (after the environment above)

from counter.storage import open_memory_database  # noqa: E402

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
