"""Distinct children per sliding window of days, and the runs of windows that meet a threshold.

NumPy over case records, one per counted row: ``(rule, group, child, day)``, where ``rule`` indexes
per-rule arrays (window ``days``, threshold ``cases``, and the days ``lo`` … ``hi`` on which its
windows are judged) and ``group`` is what the rule counts within (a class or an institution).
The definitions, which the brute-force reference in the tests follows:

- The window ending on day ``t`` covers ``t - days + 1 … t``. A rule's windows are judged on each day
  ``t`` in ``lo … hi`` on which the group has a record of it; a window is *met* when at least
  ``cases`` distinct children of the group have a record in it (a child counts once, whatever its
  number of rows there).
- The met windows of one rule and group, in order of ``t``, form *runs*: a window joins the run of the
  one before it when the two overlap (``t - t_before < days``), else it starts a new run. So a
  cluster that goes on for days is one alert, not one a day.
- A run's *span* runs from its first window's first day to its last window's last day. Its ``cases``
  are the distinct children with a record in the span, ``first`` and ``last`` the first and last day
  of the span with a record, ``triggered`` the day its first window ends.

How: records are sorted by (rule, group, child, day) and deduplicated; each child's days become
intervals of window ends it is counted in (a record on ``d`` counts in windows ending ``d … d + days -
1``; overlapping or touching ones merge, so a child is never counted twice), and the count at ``t`` is
the number of intervals begun minus the number ended by then — two binary searches over the sorted
interval bounds, every group at once, as each group's days are offset by a stride of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Runs:
    """One entry per run: ``rule`` and ``group`` as given, ``first``, ``last`` and ``triggered`` days
    (in the records' day numbers), ``cases`` the distinct children in the span."""

    rule: np.ndarray
    group: np.ndarray
    first: np.ndarray
    last: np.ndarray
    triggered: np.ndarray
    cases: np.ndarray

    def __len__(self) -> int:
        return int(self.rule.shape[0])


def _empty() -> Runs:
    none = np.zeros(0, dtype=np.int64)
    return Runs(none, none, none, none, none, none)


def _starts(*columns: np.ndarray) -> np.ndarray:
    """True where any column differs from the entry before (and at the first entry)."""
    n = columns[0].shape[0]
    out = np.zeros(n, dtype=bool)
    if n:
        out[0] = True
        for column in columns:
            out[1:] |= column[1:] != column[:-1]
    return out


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values. ``np.unique`` of NumPy 2.3+ hashes, several times slower on these
    integer columns than sorting."""
    ordered = np.sort(values)
    return ordered[_starts(ordered)]


def _sorted_distinct(
    rule: np.ndarray, group: np.ndarray, child: np.ndarray, day: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The records sorted by (rule, group, child, day), each once."""
    groups, children = int(group.max()) + 1, int(child.max()) + 1
    first_day = int(day.min())
    days = int(day.max()) - first_day + 1
    if (int(rule.max()) + 1) * groups * children * days < 2**62:
        # One integer key sorts three times faster than np.lexsort over four columns.
        key = np.sort(((rule * groups + group) * children + child) * days + (day - first_day))
        key = key[_starts(key)]
        key, on = np.divmod(key, days)
        key, child = np.divmod(key, children)
        rule, group = np.divmod(key, groups)
        return rule, group, child, on + first_day
    order = np.lexsort((day, child, group, rule))
    rule, group, child, day = rule[order], group[order], child[order], day[order]
    fresh = _starts(rule, group, child, day)
    return rule[fresh], group[fresh], child[fresh], day[fresh]


def runs(
    rule: np.ndarray,
    group: np.ndarray,
    child: np.ndarray,
    day: np.ndarray,
    *,
    days: np.ndarray,
    cases: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
) -> Runs:
    """The runs of met windows of every rule and group, sorted by rule, group and day.

    ``rule``, ``group``, ``child`` and ``day`` (integers; ``group`` and ``child`` non-negative) have one
    entry per record; ``days`` (≥ 1), ``cases`` (≥ 1), ``lo`` and ``hi`` one per rule.
    """
    rule = np.asarray(rule, dtype=np.int64)
    if rule.size == 0:
        return _empty()
    group = np.asarray(group, dtype=np.int64)
    child = np.asarray(child, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    days = np.asarray(days, dtype=np.int64)
    cases = np.asarray(cases, dtype=np.int64)

    rule, group, child, day = _sorted_distinct(rule, group, child, day)
    n = rule.shape[0]

    # Dense group numbers, so that each group's days can be laid out at a stride of their own.
    group_starts = _starts(rule, group)
    dense = np.cumsum(group_starts) - 1
    group_rule = rule[group_starts]
    group_code = group[group_starts]
    window = days[rule]
    widest = int(days.max())
    origin = int(day.min()) - widest  # relative days stay ≥ 0 even a window before the first record
    rel = day - origin
    stride = int(rel.max()) + widest + 1
    base = dense * stride

    # A child's records whose windows overlap or touch make one interval of window ends.
    begins = _starts(rule, group, child)
    begins[1:] |= (day[1:] - day[:-1]) > window[1:]
    first_of = np.flatnonzero(begins)
    last_of = np.r_[first_of[1:] - 1, n - 1]
    opened = np.sort(base[first_of] + rel[first_of])
    closed = np.sort(base[last_of] + rel[last_of] + window[last_of])  # the first window end past it

    judged = (day >= np.asarray(lo, dtype=np.int64)[rule]) & (day <= np.asarray(hi, dtype=np.int64)[rule])
    at = distinct(base[judged] + rel[judged])
    counted = np.searchsorted(opened, at, side="right") - np.searchsorted(closed, at, side="right")
    at_group = at // stride
    met = counted >= cases[group_rule[at_group]]
    at, at_group = at[met], at_group[met]
    if at.size == 0:
        return _empty()
    at_day = at - at_group * stride
    at_window = days[group_rule[at_group]]

    run_starts = _starts(at_group)
    run_starts[1:] |= (at_day[1:] - at_day[:-1]) >= at_window[1:]
    run_first = np.flatnonzero(run_starts)
    run_last = np.r_[run_first[1:] - 1, at.shape[0] - 1]
    run_group = at_group[run_first]
    triggered = at_day[run_first]
    last = at_day[run_last]
    # Spans of one group are disjoint and in order, so their starts are sorted across all groups.
    span_from = run_group * stride + triggered - at_window[run_first] + 1
    into = np.searchsorted(span_from, base + rel, side="right") - 1
    inside = into >= 0
    safe = np.where(inside, into, 0)
    inside &= (run_group[safe] == dense) & (rel <= last[safe])
    into, counted_child, counted_day = into[inside], child[inside], rel[inside]
    # Records stay sorted by (group, child, day), so one child's records of one run are adjacent.
    first_of_pair = _starts(into, counted_child)
    total = np.bincount(into[first_of_pair], minlength=run_first.shape[0])
    first = np.full(run_first.shape[0], np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, into, counted_day)
    return Runs(
        rule=group_rule[run_group],
        group=group_code[run_group],
        first=first + origin,
        last=last + origin,
        triggered=triggered + origin,
        cases=total,
    )
