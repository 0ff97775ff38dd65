"""The benchmark's result table: one row per measurement, the baseline next to it, the
speed-up, the target and whether it was met."""

from __future__ import annotations

import math
from dataclasses import dataclass

from counter.bench.timing import Stats


@dataclass(frozen=True)
class Result:
    label: str
    stats: Stats
    unit: str = "ms"
    baseline: Stats | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""
    # "faster": the baseline is the naive way, the ratio is how many times faster we are (p95).
    # "of bare": the baseline is the least possible (a bare window), the ratio is ours / it.
    compare: str = "faster"

    @property
    def ratio(self) -> float | None:
        if self.baseline is None:
            return None
        ours, base = self.stats.median, self.baseline.median
        if self.compare == "faster":
            ours, base = self.stats.p95, self.baseline.p95
            return base / ours if ours > 0 else None
        return ours / base if base > 0 else None

    @property
    def ratio_text(self) -> str:
        ratio = self.ratio
        if ratio is None:
            return "—"
        if self.compare == "faster":
            return f"{ratio:,.0f}× faster" if ratio >= 10 else f"{ratio:.1f}× faster"
        return f"{ratio:.2f}× bare"


def _num(value: float) -> str:
    if math.isnan(value):
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


HEADER = ("measurement", "n", "median", "p95", "baseline median", "baseline p95", "ratio")


def format_table(results: list[Result], title: str = "") -> str:
    """A plain-text table, Markdown-compatible, so it pastes into the README as it is."""
    rows = [(*HEADER, "target", "met")]
    for r in results:
        base_med = f"{_num(r.baseline.median)} {r.unit}" if r.baseline else "—"
        base_p95 = f"{_num(r.baseline.p95)} {r.unit}" if r.baseline else "—"
        met = {True: "yes", False: "NO", None: "—"}[r.met]
        rows.append(
            (
                r.label,
                str(r.stats.samples),
                f"{_num(r.stats.median)} {r.unit}",
                f"{_num(r.stats.p95)} {r.unit}",
                base_med,
                base_p95,
                r.ratio_text,
                r.target,
                met,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = {1, 2, 3, 4, 5, 6}

    def line(row: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(cells) + " |"

    out = [title] if title else []
    out.append(line(rows[0]))
    out.append(
        "|"
        + "|".join(
            ("-" * (w + 1) + ":" if i in right else "-" * (w + 2)) for i, w in enumerate(widths)
        )
        + "|"
    )
    out.extend(line(row) for row in rows[1:])
    notes = [f"- {r.label}: {r.note}" for r in results if r.note]
    if notes:
        out.append("")
        out.extend(notes)
    return "\n".join(out)
