"""A real assistive-technology client walks Counter: its own Xvfb, its own D-Bus session with
the AT-SPI bus, Counter with Qt's accessibility bridge on, and tests/ui/atspi_walk.py (pyatspi,
the library screen readers such as Orca use) reading the tree of the counter screen, a visit in
progress, the customer screen and every tab of the manager window. Fails on any focusable
control a screen reader would announce without a name; prints what it found."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")
BUS_LAUNCHERS = (
    "/usr/libexec/at-spi-bus-launcher",
    "/usr/lib/at-spi2-core/at-spi-bus-launcher",
    "/usr/lib/x86_64-linux-gnu/at-spi-bus-launcher",
)


def _python_with_pyatspi() -> str | None:
    for python in (*SYSTEM_PYTHONS, sys.executable):
        if not os.path.exists(python):
            continue
        probe = subprocess.run(
            [python, "-c", "import pyatspi"], capture_output=True, timeout=60, check=False
        )
        if probe.returncode == 0:
            return python
    return None


def _missing() -> str | None:
    for program in ("Xvfb", "dbus-run-session"):
        if shutil.which(program) is None:
            return f"{program} is not installed (scripts/system-deps.sh installs it)"
    if not any(os.path.exists(p) for p in BUS_LAUNCHERS):
        return "at-spi2-core (the AT-SPI bus) is not installed (scripts/system-deps.sh)"
    return None


@pytest.fixture(scope="module")
def display():
    """A display of our own: Xvfb picks a free number and writes it to the pipe we give it."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    try:
        assert number, "Xvfb did not report a display"
        yield f":{number}"
    finally:
        xvfb.send_signal(signal.SIGTERM)
        try:
            xvfb.wait(timeout=10)
        except subprocess.TimeoutExpired:
            xvfb.kill()
            xvfb.wait()


def walk(display: str) -> tuple[int, str, list[dict]]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    python = _python_with_pyatspi()
    if python is None:
        pytest.skip("no Python with pyatspi (Debian: python3-pyatspi, scripts/system-deps.sh)")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DBUS_", "AT_SPI", "QT_", "XDG_SESSION"))
    }
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        QT_ACCESSIBILITY="1",
        NO_AT_BRIDGE="0",
        PYTHONPATH=str(ROOT),
    )
    # dbus-run-session starts a session bus for the walker alone and stops it (and the AT-SPI
    # bus it activated) when the walker exits.
    done = subprocess.run(
        [
            "dbus-run-session",
            "--",
            python,
            str(HERE / "atspi_walk.py"),
            sys.executable,
            str(HERE / "atspi_app.py"),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found = []
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            found.append(json.loads(line))
    return done.returncode, done.stdout + done.stderr[-3000:], found


def test_every_focusable_control_has_a_name(display):
    code, output, found = walk(display)
    summary = [line for line in output.splitlines() if not line.startswith("{")]
    print("\n".join(summary))
    for item in found:
        if item["focusable"] and item["showing"]:
            label = f" (label: {', '.join(item['labelled_by'])})" if item["labelled_by"] else ""
            print(f"{item['state']}: {item['role']} «{item['name']}»{label} {item['description']}")
    assert code != 2, output[-3000:]
    assert code == 0, "\n".join(summary)
    states = {item["state"] for item in found}
    assert "visit in progress" in states and "manager window, tab setup" in states

    # The dashboard's four charts and the satisfaction section's two say their values.
    charts = {
        item["name"]: item["description"]
        for item in found
        if item["state"] == "manager window, tab dashboard" and item["role"] == "filler"
        if item["description"]
    }
    for title in (
        "Visits per day",
        "Visits by hour of day",
        "Outcomes",
        "Checklist steps done, share of visits",
        "Answers by face",
        "Average face per day",
    ):
        assert any(ch.isdigit() for ch in charts.get(title, "")), (title, charts)

    # The customer screen's faces are named in the customer's language (Turkish here).
    faces = [
        item["name"]
        for item in found
        if item["state"] == "customer screen asks" and item["role"] == "push button"
    ]
    assert len(faces) == 5 and "Çok memnun" in faces, faces
    assert not set(faces) & {"Very unhappy", "Unhappy", "Neutral", "Happy", "Very happy"}

    # ↓ in the search box puts the focus on the first result, which says who it is.
    focused = [
        item
        for item in found
        if item["state"] == "search results focused" and item.get("focused_item")
    ]
    assert len(focused) == 1, focused
    result = focused[0]
    assert "Matching customers" in result["path"], result
    assert result["role"] == "table cell", result
    assert ", last visit " in result["name"] or result["name"].endswith(", no visits yet"), result
