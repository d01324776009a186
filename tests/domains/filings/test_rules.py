import datetime as dt

from tuoyu.domains.filings.rules import clock_days, deadlines, next_state, required_materials
from tuoyu.engines import policy


def test_only_listed_transitions_are_legal():
    assert next_state("draft", "submit") == "submitted"
    assert next_state("returned", "submit") == "submitted"
    assert next_state("submitted", "accept") == "accepted"
    assert next_state("submitted", "return") == "returned"
    assert next_state("draft", "accept") is None
    assert next_state("accepted", "return") is None
    assert next_state("submitted", "withdraw") is None


def test_meals_add_the_food_licence_to_the_required_materials():
    assert "food_licence" not in required_materials("initial", provides_meals=False)
    assert "food_licence" in required_materials("initial", provides_meals=True)
    assert required_materials("closure", provides_meals=True) == ["closure_statement"]


def test_clocks_are_the_profiles_five_and_fifteen_working_days():
    friday = dt.date(2026, 11, 20)
    days = clock_days(policy.load_profile("sichuan-luzhou-longmatan"), friday)
    assert days == {"receipt_days": 5, "notice_days": 15}  # 备案办法, inherited from the national profile
    assert deadlines(friday, **days) == (dt.date(2026, 11, 27), dt.date(2026, 12, 11))
    holiday = {dt.date(2026, 11, 23): False}
    assert deadlines(friday, **days, overrides=holiday)[0] == dt.date(2026, 11, 30)
