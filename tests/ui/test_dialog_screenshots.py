"""``make screenshots`` photographs every dialog in every UI language; it is not part of
``make test``, so a dialog whose way of opening changed (``open()`` instead of ``exec()``)
once broke it unnoticed. Here it runs for one language, in a process of its own, and every
picture it promises is there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_dialog_is_photographed(tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "COUNTER_SETTINGS_DIR": str(tmp_path / "settings"),
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    script = str(ROOT / "scripts" / "dialog_screenshots.py")
    done = subprocess.run(
        [sys.executable, script, "--ui", "en", "--out", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    written = sorted(p.name for p in (tmp_path / "en").glob("*.png"))
    for name in ("shortcuts", "phrase-editor", "walk-in", "idle-lock", "sign-in", "restore"):
        assert f"{name}.png" in written
    assert all((tmp_path / "en" / name).stat().st_size > 1000 for name in written)
