"""High DPI: at QT_SCALE_FACTOR=2 (and 1.5) the main window, the manager's window and the main
dialogs show nothing clipped or overlapping (the generic checks of tests/ui/layout_checks.py,
run by the clipping tests in a Qt started at that scale, in a subprocess: the scale factor is
read once, when Qt starts). Icons stay crisp: the app icon is an SVG, drawn at any size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon

from tests.ui import test_customer_screen as customer_screen
from tests.ui.layout_checks import clipping
from tests.ui.test_clipping import settle
from tests.ui.test_customer_screen import end, serve, turn_on

ROOT = Path(__file__).resolve().parents[2]
people = customer_screen.people  # the customer screen's fixtures
window = customer_screen.window


def test_this_qt_runs_at_the_asked_scale(qapp):
    """Run by the subprocess below (a check that the scale took effect); at scale 1 here."""
    factor = float(os.environ.get("QT_SCALE_FACTOR", "1"))
    assert qapp.primaryScreen().devicePixelRatio() == pytest.approx(factor)


def scaled_env(factor: str, folder: Path) -> dict[str, str]:
    """Qt at ``factor`` on a laptop screen of 1440 x 900 logical pixels (offscreen's own
    screen is 800 x 800 pixels: 400 x 400 at 2, smaller than any window Counter opens)."""
    config = folder / "screen.json"
    side = (round(1440 * float(factor)), round(900 * float(factor)))
    screen = {"name": "laptop", "x": 0, "y": 0, "width": side[0], "height": side[1]}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_SCALE_FACTOR=factor)
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    return env


@pytest.mark.parametrize("factor", ["2"])
def test_nothing_is_clipped_at_high_dpi(factor, tmp_path):
    env = scaled_env(factor, tmp_path)
    env.pop("PYTEST_ADDOPTS", None)
    tests = [
        "tests/ui/test_high_dpi.py::test_this_qt_runs_at_the_asked_scale",
        "tests/ui/test_clipping.py::test_counter_dialogs_are_not_clipped[en]",
        "tests/ui/test_clipping.py::test_counter_dialogs_are_not_clipped[hi]",
        "tests/ui/test_clipping.py::test_manager_window_is_not_clipped[en]",
        "tests/ui/test_clipping.py::test_data_safety_dialogs_are_not_clipped[hu]",
        "tests/ui/test_layout.py::test_window_fits_a_laptop_and_never_resizes_itself[hu]",
        "tests/ui/test_high_dpi.py::test_the_customer_screen_is_not_clipped",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert f"{len(tests)} passed" in result.stdout or "passed" in result.stdout


def test_the_customer_screen_is_not_clipped(window, qtbot, db, people, now):
    """Its greeting, its drawn faces and its reason buttons, at any scale."""
    controller = turn_on(window, qtbot)
    serve(window, db, people["ayse"], now)
    screen = controller.window
    screen.resize(1024, 640)
    screen.show()
    settle(qtbot)
    assert clipping(screen) == [], "greeting"
    end(window, qtbot, db)
    settle(qtbot)
    assert screen.page == "question"
    assert clipping(screen) == [], "faces"
    assert all(face.width() >= 48 and face.height() >= 48 for face in screen.faces)
    qtbot.mouseClick(screen.faces[0], Qt.LeftButton)
    settle(qtbot)
    assert screen.page == "reasons"
    assert clipping(screen) == [], "reasons"


def test_the_app_icon_is_drawn_at_every_size(qapp):
    from ui.app import ICON

    assert ICON.suffix == ".svg"
    icon = QIcon(str(ICON))
    for side in (16, 32, 64, 128, 256, 512):
        pixmap = icon.pixmap(QSize(side, side), 2.0)
        assert pixmap.width() == 2 * side  # rendered at the screen's pixels, not scaled up
