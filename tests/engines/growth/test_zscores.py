"""Z-scores against the WHO Child Growth Standards, checked against WHO's published tables and
against the rcpchgrowth package."""

import datetime as dt

import numpy as np
import pytest

from tuoyu.engines import growth
from tuoyu.engines.growth import Cutoffs, assess, next_measurement, sd_line, who_2006, zscores

WHO = who_2006()


def _z(indicator, sex, day, values):
    return zscores(
        WHO, indicator, np.array([sex] * len(values)), np.array([day] * len(values)), np.array(values)
    )


def test_the_tables_are_whos_daily_lms_from_birth():
    # WHO expanded tables, weight for age, boys, day 0: L 0.3487, M 3.3464, S 0.14602
    assert WHO.lms[("weight_for_age", "male")][0].tolist() == [0.3487, 3.3464, 0.14602]
    assert WHO.days("length_for_age", "female") == 1857  # 0–1856 days


@pytest.mark.parametrize(
    ("indicator", "sex", "day", "minus2", "median", "plus2"),
    [
        # WHO simplified field tables (values rounded to 0.1): boys and girls at 12 and 24 months
        ("weight_for_age", "male", 365, 7.7, 9.6, 12.0),
        ("length_for_age", "male", 365, 71.0, 75.7, 80.5),
        ("weight_for_age", "female", 365, 7.0, 8.9, 11.5),
        ("length_for_age", "female", 730, 80.0, 86.4, 92.9),
    ],
)
def test_published_sd_values_read_as_their_z_scores(indicator, sex, day, minus2, median, plus2):
    z = _z(indicator, sex, day, [minus2, median, plus2])
    # a value rounded to 0.1 moves the z-score by at most ~0.06
    assert z == pytest.approx([-2, 0, 2], abs=0.08)


def test_the_median_is_zero_and_the_sd_lines_are_their_own_z_scores():
    lms = WHO.lms[("length_for_age", "male")][[100, 500]]
    for sd in (-2, 0, 1.5):
        values = sd_line(lms, sd)
        z = zscores(WHO, "length_for_age", np.array(["male", "male"]), np.array([100, 500]), values)
        assert z == pytest.approx([sd, sd], abs=1e-9)


def test_weight_beyond_three_sd_is_measured_in_steps_of_the_outer_band():
    lms = WHO.lms[("weight_for_age", "female")][[400]]
    sd2, sd3 = sd_line(lms, 2)[0], sd_line(lms, 3)[0]
    heavy = sd3 + 0.5 * (sd3 - sd2)
    assert _z("weight_for_age", "female", 400, [heavy])[0] == pytest.approx(3.5)
    sd_2, sd_3 = sd_line(lms, -2)[0], sd_line(lms, -3)[0]
    light = sd_3 - 0.25 * (sd_2 - sd_3)
    assert _z("weight_for_age", "female", 400, [light])[0] == pytest.approx(-3.25)


def test_what_cannot_be_read_is_nan():
    z = zscores(
        WHO,
        "weight_for_age",
        np.array(["male", "male", "other", "female"]),
        np.array([-1, 5000, 100, 100]),
        np.array([5.0, 5.0, 5.0, 0.0]),
    )
    assert np.isnan(z).all()


def test_agrees_with_rcpchgrowth_on_random_children():
    rcpch = pytest.importorskip("rcpchgrowth")
    rng = np.random.default_rng(7)
    ages = rng.integers(0, 1096, 60)
    sexes = rng.choice(["male", "female"], 60)
    for indicator, method, low, high in (
        ("weight_for_age", "weight", 3, 16),
        ("length_for_age", "height", 48, 100),
    ):
        values = rng.uniform(low, high, 60).round(1)
        ours = zscores(WHO, indicator, sexes, ages, values)
        for i in range(60):
            if abs(ours[i]) > 3:
                continue  # rcpchgrowth leaves the WHO restriction beyond ±3 to its callers
            theirs = rcpch.sds_for_measurement(
                "who", ages[i] / 365.25, method, float(values[i]), str(sexes[i])
            )
            assert ours[i] == pytest.approx(theirs, abs=0.02), (indicator, ages[i], values[i])


def test_a_flag_is_raised_beyond_the_cut_off_not_at_it():
    lms = WHO.lms[("weight_for_age", "male")][[365]]
    at, below = sd_line(lms, -2)[0], sd_line(lms, -2.01)[0]
    result = assess(
        WHO,
        Cutoffs(below_sd=2, overweight_sd=2),
        sex=np.array(["male", "male"]),
        age_days=np.array([365, 365]),
        weight_kg=np.array([at + 1e-9, below]),
        length_cm=np.array([75.7, 75.7]),
    )
    assert "underweight" not in result.flags_of(0) and "underweight" in result.flags_of(1)


def test_stunting_and_overweight_are_flagged():
    result = assess(
        WHO,
        Cutoffs(below_sd=2, overweight_sd=2),
        sex=np.array(["female", "female"]),
        age_days=np.array([730, 730]),
        weight_kg=np.array([10.0, 16.0]),
        length_cm=np.array([78.0, 86.0]),
    )
    assert "stunting" in result.flags_of(0)
    assert result.flags_of(1) == ["overweight"]


def test_a_child_is_measured_every_quarter_in_the_first_year_then_every_half_year():
    birth = dt.date(2025, 1, 1)
    assert next_measurement(birth, None, every_under_1=3, every_from_1=6) == birth
    assert next_measurement(birth, dt.date(2025, 6, 1), every_under_1=3, every_from_1=6) == dt.date(
        2025, 9, 1
    )
    assert next_measurement(birth, dt.date(2026, 3, 1), every_under_1=3, every_from_1=6) == dt.date(
        2026, 9, 1
    )


def test_another_reference_loads_from_a_csv(tmp_path):
    path = tmp_path / "local.csv"
    rows = ["indicator,sex,age_days,L,M,S"] + [
        f"weight_for_age,male,{d},1,{3 + d / 100},0.1" for d in range(3)
    ]
    path.write_text("\n".join(rows), encoding="utf-8")
    scheme = growth.from_csv(path, name="local", title="测试")
    assert zscores(scheme, "weight_for_age", np.array(["male"]), np.array([2]), np.array([3.02 * 1.1]))[
        0
    ] == pytest.approx(1)
    path.write_text("\n".join(rows[:2] + rows[3:]), encoding="utf-8")
    with pytest.raises(growth.GrowthTableError, match="逐日连续"):
        growth.from_csv(path, name="local", title="测试")


def test_sd_lines_of_a_log_normal_row_follow_the_limit():
    lms = np.array([[0.0, 10.0, 0.1]])
    assert sd_line(lms, 2)[0] == pytest.approx(10 * np.exp(0.2))
    assert sd_line(lms, 0)[0] == pytest.approx(10)
