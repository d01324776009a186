"""A column of measurements assessed at once: the three z-scores and the flags they raise, and
when each child is next to be measured.

Wasting and overweight are judged on BMI for age, which WHO gives for every age in its standards
and which classifies children under five much as weight for length does; the platform keeps age,
length and weight, so BMI for age needs no second table indexed by length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from tuoyu.engines.growth.tables import Scheme
from tuoyu.engines.growth.zscores import length_on_table, zscores
from tuoyu.engines.policy.dates import add_months

# flag -> (indicator, side): below is z < -cut, above is z > +cut.
FLAGS = {
    "underweight": ("weight_for_age", "below"),
    "stunting": ("length_for_age", "below"),
    "wasting": ("bmi_for_age", "below"),
    "overweight": ("bmi_for_age", "above"),
}


@dataclass(frozen=True)
class Cutoffs:
    """How far from the median, in standard deviations, a measurement is flagged."""

    below_sd: float
    overweight_sd: float


@dataclass(frozen=True)
class Assessment:
    """Per measurement (aligned with the input): z-scores by indicator, NaN where not computable,
    and flags by name."""

    z: dict[str, np.ndarray]
    flags: dict[str, np.ndarray]

    def flags_of(self, row: int) -> list[str]:
        return [name for name, raised in self.flags.items() if raised[row]]


def assess(
    scheme: Scheme,
    cutoffs: Cutoffs,
    *,
    sex: np.ndarray,
    age_days: np.ndarray,
    weight_kg: np.ndarray,
    length_cm: np.ndarray,
    standing: np.ndarray | None = None,
) -> Assessment:
    """Z-scores and flags of measurements; a missing weight or length is NaN and raises no flag."""
    age = np.asarray(age_days, dtype=np.int64)
    weight = np.asarray(weight_kg, dtype=np.float64)
    length = length_on_table(np.asarray(length_cm, dtype=np.float64), age, standing)
    with np.errstate(divide="ignore", invalid="ignore"):
        bmi = weight / (length / 100) ** 2
    z = {
        "weight_for_age": zscores(scheme, "weight_for_age", sex, age, weight),
        "length_for_age": zscores(scheme, "length_for_age", sex, age, length),
        "bmi_for_age": zscores(scheme, "bmi_for_age", sex, age, bmi),
    }
    flags = {}
    with np.errstate(invalid="ignore"):
        for name, (indicator, side) in FLAGS.items():
            values = z[indicator]
            flags[name] = values > cutoffs.overweight_sd if side == "above" else values < -cutoffs.below_sd
    return Assessment(z, flags)


def next_measurement(
    birth_date: dt.date, last_measured: dt.date | None, *, every_under_1: int, every_from_1: int
) -> dt.date:
    """The day a child is next due to be measured: at once when never measured, else the interval
    of the age the child had at the last measurement, in calendar months."""
    if last_measured is None:
        return birth_date
    under_1 = last_measured < add_months(birth_date, 12)
    return add_months(last_measured, every_under_1 if under_1 else every_from_1)
