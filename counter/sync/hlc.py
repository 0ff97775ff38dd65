"""The hybrid logical clock that orders edits between counters whose wall clocks drift.

A clock value is ``milliseconds since the epoch << 16 | n``: it never goes back on a counter
(the next value is at least the last one + 1) and never falls behind a value the counter has
seen from the hub, so an edit made after seeing another is always later than it, whatever the
two computers' clocks say. Ties between counters are broken by the counter's id.

The SQLite triggers of migration m009 compute the same expression (``_M009_TICK``); these
functions are for Python's side of it and for tests.
"""

from __future__ import annotations

SHIFT = 16

Clock = tuple[int, str]  # (hlc, counter gid)
ZERO: Clock = (0, "")


def tick(last: int, now_ms: int) -> int:
    return max(last + 1, now_ms << SHIFT)


def receive(last: int, seen: int) -> int:
    return max(last, seen)


def wall_ms(value: int) -> int:
    return value >> SHIFT
