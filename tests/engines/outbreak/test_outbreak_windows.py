"""The window counting on its own: sorting and deduplicating records, whatever the size of their codes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tuoyu.engines.outbreak.windows import _sorted_distinct, distinct, runs

SOME = settings(max_examples=150, deadline=None)
HUGE = 2**40  # codes this large leave no room for one sort key: the four-column sort is used


@st.composite
def records(draw, max_records=40):
    n = draw(st.integers(1, max_records))
    column = lambda high: np.array(draw(st.lists(st.integers(0, high), min_size=n, max_size=n)), np.int64)  # noqa: E731
    return column(2), column(3), column(5), column(9) + 739_000


@SOME
@given(records())
def test_records_are_sorted_and_kept_once_by_either_sort(columns):
    rule, group, child, day = columns
    expected = sorted(set(zip(*(c.tolist() for c in columns), strict=True)))
    assert list(zip(*(c.tolist() for c in _sorted_distinct(*columns)), strict=True)) == expected
    wide = _sorted_distinct(rule, group + HUGE, child, day)
    assert (
        list(
            zip(wide[0].tolist(), (wide[1] - HUGE).tolist(), wide[2].tolist(), wide[3].tolist(), strict=True)
        )
        == expected
    )


@SOME
@given(
    records(),
    st.lists(st.integers(1, 4), min_size=3, max_size=3),
    st.lists(st.integers(1, 4), min_size=3, max_size=3),
)
def test_runs_do_not_depend_on_how_large_the_group_codes_are(columns, days, cases):
    rule, group, child, day = columns
    limits = dict(days=np.array(days), cases=np.array(cases), lo=np.full(3, 739_000), hi=np.full(3, 739_009))
    small, large = runs(rule, group, child, day, **limits), runs(rule, group + HUGE, child, day, **limits)
    assert np.array_equal(small.group + HUGE, large.group)
    for name in ("rule", "first", "last", "triggered", "cases"):
        assert np.array_equal(getattr(small, name), getattr(large, name)), name


def test_distinct_values_come_sorted():
    assert distinct(np.array([5, 3, 5, 1, 3])).tolist() == [1, 3, 5]
    assert distinct(np.array([], dtype=np.int64)).tolist() == []
