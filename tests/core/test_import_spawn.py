"""The importer's checking processes work under the ``spawn`` start method (the default on
Windows and macOS, and the one a frozen bundle uses): a script started as ``__main__`` with
spawn forced imports 10,000 rows through two worker processes, exactly as the serial path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, multiprocessing, sys
from pathlib import Path

from counter.importing.columns import guess_mapping
from counter.importing.reading import open_table
from counter.importing.writing import import_customers
from counter.storage import open_database


def main():
    multiprocessing.set_start_method("spawn", force=True)
    folder = Path(sys.argv[1])
    lines = ["given_name,family_name,phone"]
    lines += [f"Ayşe{i},Yılmaz,+90 532 {i:07d}" for i in range(10_000)]
    source = folder / "customers.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = {}
    for workers in (2, 0):
        db = open_database(folder / f"shop-{workers}.db")
        table = open_table(source)
        report = import_customers(
            db, table, guess_mapping(table.headers), phone_region="TR", now=1_750_000_000,
            workers=workers,
        )
        count = db.execute("SELECT count(*) FROM customers").fetchone()[0]
        results[workers] = [report.committed, report.created, report.error_count, count]
    print(json.dumps({"start_method": multiprocessing.get_start_method(), "results": results}))


if __name__ == "__main__":
    main()
"""


def test_import_with_spawned_workers(tmp_path):
    script = tmp_path / "import_main.py"
    script.write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["start_method"] == "spawn"
    assert out["results"]["2"] == [True, 10_000, 0, 10_000]
    assert out["results"]["2"] == out["results"]["0"]
