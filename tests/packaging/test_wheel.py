"""The built wheel carries its languages: build it, install it into a fresh virtual environment
and start Counter from there in Turkish (offscreen), reading the text on screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = ("tr", "sk", "hu", "hi")

# Runs inside the fresh environment, from a folder outside the repository.
START_IN_TURKISH = r"""
import json, os, sys
from pathlib import Path

import counter
from counter.demo import create_demo_database
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

db = Path(sys.argv[1])
create_demo_database(db, customers=20)


def read_screen():
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    if not shown:
        return
    texts = []
    for top in shown:
        texts.append(top.windowTitle())
        for widget in [top, *top.findChildren(QLabel), *top.findChildren(QAbstractButton)]:
            if widget.isVisible() and hasattr(widget, "text"):
                texts.append(widget.text())
    print(json.dumps({"package": counter.__file__, "texts": texts}), flush=True)
    os._exit(0)


app = QApplication(sys.argv)
poll = QTimer()
poll.timeout.connect(read_screen)
poll.start(100)
QTimer.singleShot(60_000, lambda: os._exit(3))
from ui.app import run_app

run_app(db, ui_language="tr")
os._exit(4)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(REPO),
        ],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("counter-*.whl")
    return built


def test_wheel_holds_every_catalog(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in LANGUAGES:
        assert f"counter/locales/{language}/LC_MESSAGES/counter.mo" in names


def test_installed_wheel_starts_in_turkish(wheel, tmp_path):
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    target = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The fresh environment borrows this one's third-party packages (PySide6 is large) through
    # a path entry: a .pth file's folder is on sys.path, but the editable install's own .pth
    # inside it is not read, so `counter` can only come from the wheel.
    (Path(target) / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            target,
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COUNTER"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path),
    )
    done = subprocess.run(
        [python, "-c", START_IN_TURKISH, str(tmp_path / "shop.db")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    screen = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(screen["package"]).is_relative_to(env_dir), screen["package"]
    assert "Bekleyen kimse yok" in screen["texts"], screen["texts"]  # "Nobody waiting"
