"""The conditions standards are made of, evaluated for every row of a batch at once.

A condition's outcome is an int8 array of status codes (``findings.CODE``), one per subject row.
A condition whose parameter the profile does not set is not applicable; one whose fact is not
reported is unknown, never a pass. Fact columns mark "not reported" with -1 (see ``columns``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from tuoyu.engines.policy.dates import add_months
from tuoyu.engines.policy.findings import CODE
from tuoyu.engines.policy.vocabulary import CERTIFICATE_BITS, EDUCATION, EDUCATION_RANK

PASS, FAIL, UNKNOWN, NA = (np.int8(CODE[s]) for s in ("pass", "fail", "unknown", "not_applicable"))

Conds = list[tuple[str, np.ndarray]]

_EDUCATION_RANK = np.array([EDUCATION_RANK[e] for e in EDUCATION], dtype=np.int8)


def full(size: int, code: np.int8) -> np.ndarray:
    return np.full(size, code, dtype=np.int8)


def decide(missing: np.ndarray, ok: np.ndarray) -> np.ndarray:
    status = np.where(ok, PASS, FAIL).astype(np.int8)
    status[missing] = UNKNOWN
    return status


# Status of a yes/no fact by its column value: 0 (no) fails, 1 (yes) passes, -1 (not reported, so
# the table's last entry) is unknown.
_FLAG_STATUS = np.array([FAIL, PASS, UNKNOWN], dtype=np.int8)


def flag(required: object, tri: np.ndarray) -> np.ndarray:
    """A yes/no fact the profile requires (only ``True`` requires it)."""
    if required is not True:
        return full(len(tri), NA)
    return _FLAG_STATUS[tri]


def at_least(value: np.ndarray, limit: object, missing: np.ndarray) -> np.ndarray:
    if limit is None:
        return full(len(value), NA)
    return decide(missing, value >= float(limit))  # type: ignore[arg-type]


def at_most(value: np.ndarray, limit: object, missing: np.ndarray) -> np.ndarray:
    if limit is None:
        return full(len(value), NA)
    return decide(missing, value <= float(limit))  # type: ignore[arg-type]


def only_where(applies: np.ndarray, status: np.ndarray) -> np.ndarray:
    return np.where(applies, status, NA).astype(np.int8)


def area_per_place(centi: np.ndarray, places: np.ndarray, limit: object) -> np.ndarray:
    """``area ≥ limit × places``, in hundredths of a square metre so the comparison is exact."""
    if limit is None:
        return full(len(centi), NA)
    return decide((centi < 0) | (places < 0), centi >= int(limit * 100) * places.astype(np.int64))  # type: ignore[operator]


def education_at_least(education: np.ndarray, minimum: str | None) -> np.ndarray:
    if minimum is None:
        return full(len(education), NA)
    rank = np.where(education >= 0, _EDUCATION_RANK[np.maximum(education, 0)], -1)
    return decide(education < 0, rank >= EDUCATION_RANK[minimum])


def holds(certs: np.ndarray, codes: Sequence[str]) -> np.ndarray:
    """Whether each person holds any of ``codes`` (False where certificates are not reported)."""
    mask = sum(CERTIFICATE_BITS[c] for c in codes)
    return (certs >= 0) & (certs & mask != 0)


def trained(training: np.ndarray, certs: np.ndarray, certificate: str) -> np.ndarray:
    """Training passed, by the record or by holding its certificate (a tri-state column)."""
    return np.where((training == 1) | holds(certs, [certificate]), 1, np.where(training == 0, 0, -1)).astype(
        np.int8
    )


def within_months(days: np.ndarray, months: object, on: dt.date) -> np.ndarray:
    """A dated check still valid on ``on``: on or after the same day ``months`` earlier."""
    if months is None:
        return full(len(days), NA)
    cutoff = add_months(on, -int(months)).toordinal()  # type: ignore[call-overload]
    return decide(days < 0, days >= cutoff)


def add_years(ordinals: np.ndarray, years: int) -> np.ndarray:
    """The same day ``years`` later, on proleptic ordinals; 29 February becomes 28 February in a
    common year, as the day a lease of whole years ends is counted."""
    offset = dt.date(1970, 1, 1).toordinal()
    days = (ordinals - offset).astype("datetime64[D]")
    month = days.astype("datetime64[M]")
    day0 = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + 12 * years
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    result = target.astype("datetime64[D]") + np.minimum(day0, length - 1)
    return result.astype(np.int64) + offset


# Combining conditions: fail beats unknown beats pass beats not applicable.
_PRIORITY = np.array([1, 3, 2, 0], dtype=np.int8)  # indexed by status code
_FROM_PRIORITY = np.array([NA, PASS, UNKNOWN, FAIL], dtype=np.int8)


def combine(conds: Conds) -> np.ndarray:
    top = _PRIORITY[conds[0][1]]
    for _, status in conds[1:]:
        top = np.maximum(top, _PRIORITY[status])
    return _FROM_PRIORITY[top]
