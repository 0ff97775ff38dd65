"""Medians, 90th percentiles and counts within target, exact from minute histograms refined
where it matters (the local dashboard's summary and the office's comparison both read them)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.durations import (
    Durations,
    minute_of,
    minute_seconds,
    minute_top,
    minutes_needed,
    percentile,
    refined,
)


# percentiles ------------------------------------------------------------------------------
def test_percentile_interpolates_like_spreadsheets():
    values = [(v, 1) for v in (30, 60, 120, 240, 600)]
    assert percentile(values, 0.5) == 120
    assert percentile(values, 0.9) == pytest.approx(456.0)  # 240 + 0.6 * (600 - 240)
    assert percentile([(1, 1), (2, 1), (3, 1), (4, 1)], 0.5) == 2.5
    assert percentile([(7, 3)], 0.9) == 7
    assert percentile([(10, 2), (20, 2)], 0.5) == 15  # counts, not just values
    assert percentile([], 0.5) is None


def test_durations_merge_histograms_of_several_staff():
    d = Durations.of([(60, 1), (120, 1), (60, 2)], target=100)
    assert (d.count, d.median, d.within_target) == (4, 60, 3)


def test_minutes_hold_the_seconds_the_summary_counts_in_them():
    assert [minute_of(s) for s in (-5, 0, 1, 59, 60, 61, 120, 121)] == [-5, 0, 1, 1, 1, 2, 2, 3]
    for minute in (-3, 0, 1, 2, 17):
        seconds = minute_seconds(minute)
        assert {minute_of(s) for s in seconds} == {minute}
        assert max(seconds) == minute_top(minute)


@given(
    seconds=st.lists(st.integers(min_value=-90, max_value=3 * 3600), max_size=60),
    target=st.integers(min_value=0, max_value=3600),
)
def test_a_minute_histogram_refined_where_it_matters_gives_the_exact_figures(seconds, target):
    minutes: dict[int, int] = {}
    for s in seconds:
        minutes[minute_of(s)] = minutes.get(minute_of(s), 0) + 1
    needed = minutes_needed(minutes.items(), target)
    exact = [(s, 1) for s in seconds if minute_of(s) in needed]
    assert Durations.of(refined(minutes.items(), needed, exact), target) == Durations.of(
        [(s, 1) for s in seconds], target
    )
