"""``counter bench --quick`` runs end to end (so the command never rots) and prints every row
of its table. No timing is asserted: figures depend on the machine."""

from __future__ import annotations

import pytest

from counter.cli import BENCH_PARTS, build_parser
from ui.main import main

ROWS = (
    "search per keystroke, names (DB side)",
    "search per keystroke, phone tails and cards",
    "open a customer (profile, 20 visits, follow-ups)",
    "manager's 30-day dashboard",
    "keystroke → rows painted (real search panel)",
    "start-up to a usable window (fresh process)",
    "start-up to the first search answered",
    "peak memory (max RSS) at start-up",
    "import 10,000 customers from CSV",
    "visit ended at one counter → shown at another",
    "10,000 changes queued offline → uploaded",
    "first download, 10,000 customers + 50,000 visits",
    # The same rows on a joined counter while it syncs (issue #14).
    "search per keystroke, names (DB side), sync running",
    "search per keystroke, phone tails and cards, sync running",
    "open a customer (profile, 20 visits, follow-ups), sync running",
    "keystroke → rows painted (real search panel), sync running",
)


@pytest.mark.slow
def test_quick_bench_prints_the_whole_table(qapp, tmp_path, capsys):
    assert main(["bench", "--quick", "--db", str(tmp_path / "bench.db")]) == 0
    out = capsys.readouterr().out
    assert "counter bench --quick: 10,000 customers, 50,000 visits" in out
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert table[0].startswith("| measurement")
    for label in ROWS:
        assert any(line.startswith(f"| {label} ") for line in table), label
    assert "NaN" not in out and "nan " not in out


def test_bench_can_measure_one_part():
    args = build_parser().parse_args(["bench", "--only", "startup", "--only", "search"])
    assert args.only == ["startup", "search"] and set(args.only) <= set(BENCH_PARTS)
    assert build_parser().parse_args(["bench"]).only is None  # everything
