"""Wrong attempts are counted over the last hour, not since the hour began."""

import datetime as dt

import pytest
from django.core.cache import cache

from tuoyu import clock
from tuoyu.kernel.accounts import attempts

HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _fail(times: int, at: dt.datetime) -> None:
    with clock.replaying(at):
        for _ in range(times):
            attempts.failure_record("test", "user:1", HOUR)


def _refused(at: dt.datetime) -> bool:
    with clock.replaying(at):
        return attempts.refused("test", "user:1", 10, HOUR)


def test_the_eleventh_attempt_within_the_hour_is_refused():
    start = dt.datetime(2026, 3, 2, 9, 20, tzinfo=clock.ZONE)
    _fail(9, start)
    assert not _refused(start)
    _fail(1, start)
    assert _refused(start)


def test_failures_just_before_the_hour_still_count_just_after_it():
    _fail(10, dt.datetime(2026, 3, 2, 9, 59, tzinfo=clock.ZONE))
    assert _refused(dt.datetime(2026, 3, 2, 10, 1, tzinfo=clock.ZONE))


def test_failures_are_forgotten_once_an_hour_has_passed():
    _fail(10, dt.datetime(2026, 3, 2, 9, 5, tzinfo=clock.ZONE))
    assert not _refused(dt.datetime(2026, 3, 2, 11, 6, tzinfo=clock.ZONE))


def test_each_key_is_counted_apart():
    at = dt.datetime(2026, 3, 2, 9, 30, tzinfo=clock.ZONE)
    _fail(10, at)
    with clock.replaying(at):
        assert not attempts.refused("test", "user:2", 10, HOUR)


def test_the_wait_ends_when_enough_failures_have_left_the_hour():
    _fail(4, dt.datetime(2026, 3, 2, 9, 2, tzinfo=clock.ZONE))
    _fail(6, dt.datetime(2026, 3, 2, 9, 40, tzinfo=clock.ZONE))
    with clock.replaying(dt.datetime(2026, 3, 2, 9, 50, tzinfo=clock.ZONE)):
        # the four of 9:02 (slice 9:00–9:05) leave the count at 10:05
        assert attempts.wait("test", "user:1", 10, HOUR) == dt.timedelta(minutes=15)
        assert attempts.wait("test", "user:1", 11, HOUR) == dt.timedelta(0)


def test_rates_are_read_as_settings_write_them():
    assert attempts.rate("10/h") == (10, HOUR)
    assert attempts.rate("6/10m") == (6, dt.timedelta(minutes=10))
    with pytest.raises(ValueError):
        attempts.rate("ten an hour")
