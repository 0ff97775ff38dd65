"""Waits and service times as a manager reads them: the median, the 90th percentile and how
many were within the store's target, for one store's dashboard (:mod:`counter.dashboard`)
and for the office's comparison of stores (:mod:`counter.office`) alike.

Durations are whole seconds: wait = service started - arrived, service = ended - service
started. Percentiles are linear between the two nearest values (like spreadsheets'
PERCENTILE.INC), computed from a histogram of (seconds, visits) pairs that SQL aggregates.

The summary tables (the local m004 and the hub's) count durations by minute: minute m holds
the seconds 60m-59 .. 60m (ceil(s / 60)), and a duration of zero or less is its own minute.
:func:`minutes_needed` says which minutes decide the figures; with those minutes' exact
seconds, :func:`refined` gives a histogram whose figures are the exact ones.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter.settings import StoreSettings


@dataclass(frozen=True)
class Targets:
    """What good looks like, in seconds: a wait is over target past the amber threshold."""

    wait: int
    service: int

    @classmethod
    def from_settings(cls, settings: StoreSettings) -> Targets:
        return cls(
            wait=settings.wait_amber_minutes * 60, service=settings.service_target_minutes * 60
        )


def percentile(histogram: Sequence[tuple[int, int]], p: float) -> float | None:
    """The p-quantile (0..1) of values given as sorted (value, count) pairs, interpolated
    linearly between the two nearest ranks (PERCENTILE.INC). None when there are no values."""
    return _quantile(
        [v for v, _n in histogram], list(itertools.accumulate(n for _v, n in histogram)), p
    )


def _quantile(values: Sequence[int], ends: Sequence[int], p: float) -> float | None:
    """:func:`percentile` of sorted ``values`` whose running total of counts is ``ends``."""
    total = ends[-1] if ends else 0
    if total == 0:
        return None
    position = (total - 1) * p
    lower_rank, fraction = int(position), position - int(position)
    low = values[bisect.bisect_right(ends, lower_rank)]  # ranks are 0-based
    if fraction == 0:
        return float(low)
    return low + (values[bisect.bisect_right(ends, lower_rank + 1)] - low) * fraction


@dataclass(frozen=True)
class Durations:
    """Median and 90th percentile of a duration, and how many were within the target."""

    count: int
    median: float | None
    p90: float | None
    target: int
    within_target: int

    @property
    def within_share(self) -> float | None:
        return self.within_target / self.count if self.count else None

    @classmethod
    def of(cls, histogram: Iterable[tuple[int, int]], target: int) -> Durations:
        """From (value, count) pairs in any order, a value any number of times."""
        counts: dict[int, int] = {}
        for value, n in histogram:
            counts[value] = counts.get(value, 0) + n
        values = sorted(counts)
        ends = list(itertools.accumulate(counts[v] for v in values))
        within = bisect.bisect_right(values, target)
        return cls(
            count=ends[-1] if ends else 0,
            median=_quantile(values, ends, 0.5),
            p90=_quantile(values, ends, 0.9),
            target=target,
            within_target=ends[within - 1] if within else 0,
        )


# minute histograms ----------------------------------------------------------------------------
def minute_of(seconds: int) -> int:
    """The histogram minute a duration falls in."""
    return (seconds + 59) // 60 if seconds > 0 else seconds


def minute_seconds(minute: int) -> range:
    """The seconds a histogram minute holds."""
    return range(60 * minute - 59, 60 * minute + 1) if minute > 0 else range(minute, minute + 1)


def minute_top(minute: int) -> int:
    """The greatest second a histogram minute holds."""
    return 60 * minute if minute > 0 else minute


def minutes_needed(histogram: Iterable[tuple[int, int]], target: int) -> set[int]:
    """The minutes of a (minute, visits) histogram whose exact seconds decide the median, the
    90th percentile (the ranks :func:`percentile` reads) and the count within ``target``."""
    ordered = sorted(histogram)
    total = sum(n for _m, n in ordered)
    needed = set()
    if total:
        ends = list(itertools.accumulate(n for _m, n in ordered))
        for p in (0.5, 0.9):
            position = (total - 1) * p
            ranks = {int(position)} | ({int(position) + 1} if position != int(position) else set())
            needed |= {ordered[bisect.bisect_right(ends, r)][0] for r in ranks}
    if target > 0 and target % 60:
        needed.add(minute_of(target))
    return needed


def refined(
    minutes: Iterable[tuple[int, int]],
    needed: Collection[int],
    exact: Iterable[tuple[int, int]],
) -> list[tuple[int, int]]:
    """A (minute, visits) histogram as (seconds, visits) pairs for :meth:`Durations.of`:
    ``exact``, the exact seconds of the ``needed`` minutes (at least those of
    :func:`minutes_needed`), and every other minute standing in as its greatest second (the
    same order, and the same count within a target of whole minutes)."""
    return [*exact, *((minute_top(m), n) for m, n in minutes if m not in needed)]
