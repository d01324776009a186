"""Today and now as the people using the platform read their calendars: China Standard Time.

Servers often run on UTC, where "today" changes at 08:00 in Beijing: a deadline, a child's age in
months or the policy in force would then be a day out for the first eight hours of every day. Every
date and time the platform takes from the system clock comes from here (a test finds any other).

Plain Python and the standard library only, so the engines can use it as well as Django code;
``settings.TIME_ZONE`` is this zone too, so ``django.utils.timezone.localdate()`` agrees. Model
fields still default to ``django.utils.timezone.now``: the same instant, and migrations record the
default by name.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

ZONE_NAME = "Asia/Shanghai"
ZONE = ZoneInfo(ZONE_NAME)


def now() -> dt.datetime:
    """The current moment, aware, in China Standard Time."""
    return dt.datetime.now(ZONE)


def today() -> dt.date:
    """The date in China now, whatever zone the server runs in."""
    return now().date()
