"""Counting wrong attempts over the last hour (or any period), for limits on guessing.

A fixed window restarts its count on the hour: ten wrong codes just before the boundary and ten
just after would all be let through, and a page that tells people "ten an hour" would be wrong
twice an hour. Here the period is cut into twelve slices and the count covers the current slice
and the twelve before it: never less than the whole period, so no run of attempts slips between
two counts, and a failure is forgotten at most one slice (five minutes in an hour) late. Each slice
is kept with the cache's atomic increment, so requests made in parallel cannot lose a failure.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache

from tuoyu import clock

SLICES = 12
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate(text: str) -> tuple[int, dt.timedelta]:
    """A limit written as settings hold it, ``"10/h"`` or ``"6/10m"``: the count and the period."""
    count, _, per = text.partition("/")
    number, unit = per[:-1] or "1", per[-1:]
    if not count.isdigit() or not number.isdigit() or unit not in UNITS:
        raise ValueError(f"not a rate: {text!r}")
    return int(count), dt.timedelta(seconds=int(number) * UNITS[unit])


def _width(period: dt.timedelta) -> float:
    return period.total_seconds() / SLICES


def _slices(group: str, key: str, period: dt.timedelta) -> list[tuple[int, str]]:
    current = int(clock.now().timestamp() // _width(period))
    # Keys carry what people typed (a username): hashed, so any text makes a short, valid cache key.
    name = hashlib.sha256(f"{group}\0{key}".encode()).hexdigest()[:32]
    return [(index, f"attempts:{name}:{index}") for index in range(current - SLICES, current + 1)]


def failures(group: str, key: str, period: dt.timedelta) -> int:
    """Failures of ``key`` within the last ``period`` (and at most one slice more)."""
    return sum(cache.get_many([name for _, name in _slices(group, key, period)]).values())


def failure_record(group: str, key: str, period: dt.timedelta) -> None:
    _, current = _slices(group, key, period)[-1]
    timeout = int(period.total_seconds() * 2)  # outlives every count that still covers it
    if not cache.add(current, 1, timeout=timeout):
        try:
            cache.incr(current)
        except ValueError:  # expired between add and incr
            cache.add(current, 1, timeout=timeout)


def refused(group: str, key: str, limit: int, period: dt.timedelta) -> bool:
    """Whether ``limit`` failures within ``period`` have been reached: the next attempt is refused."""
    return failures(group, key, period) >= limit


def wait(group: str, key: str, limit: int, period: dt.timedelta) -> dt.timedelta:
    """How long until fewer than ``limit`` failures are counted: zero when the next attempt may go on."""
    slices = _slices(group, key, period)
    counts = cache.get_many([name for _, name in slices])
    total = sum(counts.values())
    if total < limit:
        return dt.timedelta(0)
    for index, name in slices:  # oldest first; a slice leaves the count SLICES + 1 slices after it began
        total -= counts.get(name, 0)
        if total < limit:
            leaves = dt.datetime.fromtimestamp((index + SLICES + 1) * _width(period), tz=clock.ZONE)
            return max(dt.timedelta(0), leaves - clock.now())
    return period  # unreachable: the current slice alone never holds more than the total
