"""Z-scores of measurements against a growth reference, whole columns at a time.

For a measurement ``y`` at a day of age with parameters L, M, S the z-score is
``((y / M) ** L - 1) / (L * S)`` (``ln(y / M) / S`` when L is 0). For weight-based indicators WHO
restricts the formula beyond ±3: there the z-score is measured in steps of the distance between
the 2 and 3 SD lines, so that a very heavy or light child is not pulled towards the median by the
skew of the curve (WHO Child Growth Standards, Methods and development, 2006, chapter 7).
"""

from __future__ import annotations

import numpy as np

from tuoyu.engines.growth.tables import WEIGHT_BASED, Scheme

# Length measured standing reads about 0.7 cm less than lying down (WHO 2006): a child under two
# measured standing, or over two measured lying, is moved onto the table's way of measuring.
STANDING_OFFSET_CM = 0.7
TWO_YEARS_DAYS = 731


def sd_line(lms: np.ndarray, sd: float) -> np.ndarray:
    """The measurement at ``sd`` standard deviations from the median, for each row of L, M, S."""
    power, median, spread = lms[:, 0], lms[:, 1], lms[:, 2]
    safe = np.where(power == 0, 1.0, power)  # L = 0 is the log-normal limit, M·exp(S·sd)
    with np.errstate(invalid="ignore"):
        return np.where(
            power == 0, median * np.exp(spread * sd), median * (1 + safe * spread * sd) ** (1 / safe)
        )


def zscores(
    scheme: Scheme, indicator: str, sex: np.ndarray, age_days: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """The z-score of each measurement; NaN where the age is outside the reference, the sex is
    not ``male``/``female`` or the value is missing or not positive."""
    sex = np.asarray(sex)
    age = np.asarray(age_days, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    out = np.full(len(values), np.nan)
    for name in ("male", "female"):
        table = scheme.lms.get((indicator, name))
        if table is None:
            continue  # a scheme loaded as data may give one sex only
        rows = (sex == name) & (age >= 0) & (age < len(table)) & (values > 0)
        if not rows.any():
            continue
        lms = table[age[rows]]
        y = values[rows]
        power, median, spread = lms[:, 0], lms[:, 1], lms[:, 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(
                power == 0, np.log(y / median) / spread, ((y / median) ** power - 1) / (power * spread)
            )
        if indicator in WEIGHT_BASED:
            high, low = z > 3, z < -3
            if high.any():
                sd3, sd2 = sd_line(lms[high], 3), sd_line(lms[high], 2)
                z[high] = 3 + (y[high] - sd3) / (sd3 - sd2)
            if low.any():
                sd3, sd2 = sd_line(lms[low], -3), sd_line(lms[low], -2)
                z[low] = -3 + (y[low] - sd3) / (sd2 - sd3)
        out[rows] = z
    return out


def length_on_table(length_cm: np.ndarray, age_days: np.ndarray, standing: np.ndarray | None) -> np.ndarray:
    """Lengths moved onto the table's way of measuring (lying under two years, standing from two)."""
    length = np.asarray(length_cm, dtype=np.float64)
    if standing is None:
        return length
    under_two = np.asarray(age_days) < TWO_YEARS_DAYS
    standing = np.asarray(standing, dtype=bool)
    return (
        length
        + np.where(under_two & standing, STANDING_OFFSET_CM, 0.0)
        - np.where(~under_two & ~standing, STANDING_OFFSET_CM, 0.0)
    )
