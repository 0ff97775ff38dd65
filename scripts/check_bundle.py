"""Checks the desktop bundle the way a store would run it: no Python environment on PATH,
a fresh home folder. It must create a demo database, open its window (offscreen) until the
window is on screen, in Turkish, and import a file big enough to start its checking
processes (spawned from the frozen program).

    python scripts/check_bundle.py dist/counter/counter
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROWS = 60_000  # over counter.importing.checking.PARALLEL_FROM_ROWS: worker processes are used


def _environment(home: Path) -> dict[str, str]:
    keep = ("LANG", "LC_ALL", "TZ", "DISPLAY", "XDG_RUNTIME_DIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    # No virtual environment, no Python of the project's: only the system's folders.
    env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home))
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _run(program: Path, args: list[str], env: dict[str, str], timeout: int = 300) -> str:
    done = subprocess.run(
        [str(program), *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise SystemExit(
            f"bundle check: `counter {' '.join(args)}` exited {done.returncode}\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    return done.stdout


def main(argv: list[str]) -> int:
    program = Path(argv[1] if len(argv) > 1 else "dist/counter/counter").resolve()
    if not program.is_file():
        raise SystemExit(f"bundle check: no program at {program} (run `make dist` first)")
    catalogs = {p.parent.parent.name for p in program.parent.rglob("locales/*/LC_MESSAGES/*.mo")}
    if not {"tr", "sk", "hu", "hi"} <= catalogs:
        raise SystemExit(f"bundle check: the bundle carries catalogs for {sorted(catalogs)} only")
    with tempfile.TemporaryDirectory(prefix="counter-bundle-") as folder:
        home = Path(folder)
        env = _environment(home)
        shop = home / "shop.db"
        _run(program, ["--db", str(shop), "demo", "--customers", "50"], env)
        customers = sqlite3.connect(shop).execute("SELECT count(*) FROM customers").fetchone()
        assert customers[0] >= 40, customers

        shown = _run(
            program,
            ["--db", str(shop), "run", "--lang", "tr"],
            {**env, "COUNTER_READY_PROBE": "1"},
            timeout=120,
        )
        assert "counter-ready" in shown, shown

        source = home / "customers.csv"
        lines = ["given_name,family_name,phone"]
        lines += [f"Ayşe{i},Yılmaz,+90 532 {i:07d}" for i in range(ROWS)]
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        bulk = home / "bulk.db"
        _run(program, ["--db", str(bulk), "demo", "--customers", "1"], env)
        before = sqlite3.connect(bulk).execute("SELECT count(*) FROM customers").fetchone()[0]
        _run(program, ["--db", str(bulk), "import", str(source), "--region", "TR"], env)
        after = sqlite3.connect(bulk).execute("SELECT count(*) FROM customers").fetchone()[0]
        assert after - before == ROWS, (before, after)
    print(f"bundle check: {program} made a demo, opened its window and imported {ROWS:,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
