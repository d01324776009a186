"""Working days: the clocks of administrative deadlines (备案办法: receipt within 5 working days,
refusal notified within 15 working days).

A day is a working day when it is Monday to Friday, unless the calendar says otherwise: public
holidays are days off, and China's adjusted working days (调休, a Saturday or Sunday worked in
exchange for a longer holiday) are working days. ``overrides`` maps a date to True (working) or
False (day off); the platform keeps it configurable because the State Council publishes each
year's arrangement late in the year before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

Overrides = Mapping[dt.date, bool]
_ONE_DAY = dt.timedelta(days=1)


def is_working_day(day: dt.date, overrides: Overrides | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int, overrides: Overrides | None = None) -> dt.date:
    """The date on which ``days`` working days after ``start`` have passed (``start`` itself not counted).

    A filing submitted on a Friday with 5 working days to answer is due the next Friday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += _ONE_DAY
        if is_working_day(day, overrides):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, overrides: Overrides | None = None) -> int:
    """Working days in (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start, overrides)
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if is_working_day(day, overrides):
            count += 1
    return count
