"""Today and now as the people using the platform read their calendars: China Standard Time.

Servers often run on UTC, where "today" changes at 08:00 in Beijing: a deadline, a child's age in
months or the policy in force would then be a day out for the first eight hours of every day. Every
date and time the platform takes from the system clock comes from here (a test finds any other),
model fields' timestamps included (their default is ``tuoyu.clock.now``).

Plain Python and the standard library only, so the engines can use it as well as Django code;
``settings.TIME_ZONE`` is this zone too, so ``django.utils.timezone.localdate()`` agrees.

``replaying(moment)`` makes the clock read ``moment`` for the code it wraps. Only the demo county
uses it, to build its history through the same services people use, each step on its own date
(a test keeps it out of every other package).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

ZONE_NAME = "Asia/Shanghai"
ZONE = ZoneInfo(ZONE_NAME)

_replayed: ContextVar[dt.datetime | None] = ContextVar("replayed", default=None)


def now() -> dt.datetime:
    """The current moment, aware, in China Standard Time."""
    return _replayed.get() or dt.datetime.now(ZONE)


def today() -> dt.date:
    """The date in China now, whatever zone the server runs in."""
    return now().date()


def local(moment: dt.datetime) -> dt.datetime:
    """An aware moment (as the database returns it, often in UTC) on China Standard Time."""
    return moment.astimezone(ZONE)


@contextmanager
def replaying(moment: dt.datetime | dt.date) -> Iterator[None]:
    """Read ``moment`` as now (a date means 10:30 that day, office hours) until the block ends."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(10, 30))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZONE)
    token = _replayed.set(moment.astimezone(ZONE))
    try:
        yield
    finally:
        _replayed.reset(token)
