"""Timing many runs of something: monotonic nanoseconds in, median and p95 out."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


def percentile(ordered: list[float], q: float) -> float:
    """The q-quantile (0..1) of sorted values, linear between the two nearest ranks."""
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Stats:
    """Summary of one measurement, in the unit it was taken in (ms, s or MB)."""

    samples: int
    median: float
    p95: float
    worst: float

    @classmethod
    def of(cls, values: Iterable[float]) -> Stats:
        ordered = sorted(values)
        return cls(
            samples=len(ordered),
            median=percentile(ordered, 0.5),
            p95=percentile(ordered, 0.95),
            worst=ordered[-1] if ordered else float("nan"),
        )


def time_ms(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter_ns()
    result = fn()
    return result, (time.perf_counter_ns() - start) / 1e6


def run_each(items: Iterable[T], fn: Callable[[T], object], *, passes: int = 1) -> list[float]:
    """Milliseconds of ``fn(item)`` for every item, ``passes`` times over the list."""
    items = list(items)
    times: list[float] = []
    for _ in range(passes):
        for item in items:
            times.append(time_ms(functools.partial(fn, item))[1])
    return times
