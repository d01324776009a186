"""Calendar arithmetic the rules share, so the one-by-one and batch paths agree to the day."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier if negative), clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def parse_date(text: object) -> dt.date:
    """An ISO date (``YYYY-MM-DD``); raises ValueError for anything else."""
    if isinstance(text, dt.datetime):
        raise ValueError("a date, not a date-time, is expected")
    if isinstance(text, dt.date):
        return text
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"not an ISO date: {text!r}")
    return dt.date.fromisoformat(text)


def parse_month(text: object) -> dt.date:
    """``YYYY-MM`` as the first day of that month; raises ValueError for anything else."""
    match = _MONTH.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return dt.date(year, month, 1)
