import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuoyu.engines.calendar import add_working_days, is_working_day, working_days_between

FRIDAY = dt.date(2026, 11, 20)


def test_weekends_are_not_working_days():
    assert is_working_day(FRIDAY)
    assert not is_working_day(FRIDAY + dt.timedelta(days=1))
    assert not is_working_day(FRIDAY + dt.timedelta(days=2))


def test_five_working_days_from_a_friday_end_the_next_friday():
    assert add_working_days(FRIDAY, 5) == dt.date(2026, 11, 27)


def test_fifteen_working_days_span_three_weeks():
    assert add_working_days(FRIDAY, 15) == dt.date(2026, 12, 11)


def test_a_public_holiday_pushes_the_deadline_back():
    holiday = {dt.date(2026, 11, 25): False}
    assert add_working_days(FRIDAY, 5, holiday) == dt.date(2026, 11, 30)


def test_an_adjusted_working_saturday_counts():
    worked_saturday = {dt.date(2026, 11, 21): True}
    assert add_working_days(FRIDAY, 5, worked_saturday) == dt.date(2026, 11, 26)


def test_counting_between_dates_excludes_the_start_and_includes_the_end():
    assert working_days_between(FRIDAY, dt.date(2026, 11, 27)) == 5
    assert working_days_between(dt.date(2026, 11, 27), FRIDAY) == -5
    assert working_days_between(FRIDAY, FRIDAY) == 0


def test_negative_day_counts_are_refused():
    with pytest.raises(ValueError):
        add_working_days(FRIDAY, -1)


@given(
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.integers(min_value=0, max_value=40),
)
def test_adding_then_counting_working_days_round_trips(start, days):
    due = add_working_days(start, days)
    assert working_days_between(start, due) == days
    assert days == 0 or is_working_day(due)
