"""Runs tests/ui/real_display (real key presses through xdotool) in a process of its own at an
Xvfb display of its own: Qt's platform is chosen once per process, and this suite's is
offscreen. Xvfb and xdotool come from scripts/system-deps.sh; without them this is skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


@pytest.fixture(scope="module")
def display():
    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb is not installed (scripts/system-deps.sh installs it)")
    if not shutil.which("xdotool"):
        pytest.skip("xdotool is not installed (scripts/system-deps.sh installs it)")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()  # written once the server is ready
    try:
        if not number:
            pytest.fail("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_real_key_presses(display):
    env = dict(os.environ, DISPLAY=display, COUNTER_TEST_QPA="xcb", QT_QPA_PLATFORM="xcb")
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(HERE / "real_display"),
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-20_000:] + result.stderr[-5_000:]
