"""Growth monitoring: z-scores of weight, length and BMI for age against a growth reference, the
flags they raise (underweight, stunting, wasting, overweight), and when a child is next measured.

Public API:

- ``who_2006()`` → the WHO Child Growth Standards as a ``Scheme`` (daily LMS tables, 0–1856 days);
  ``from_csv(path, name=, title=)`` → any other scheme (WS/T 423—2022) loaded as data;
- ``zscores(scheme, indicator, sex, age_days, values)`` → a column of z-scores (WHO's restricted
  formula beyond ±3 for weight-based indicators);
- ``assess(scheme, cutoffs, sex=, age_days=, weight_kg=, length_cm=)`` → ``Assessment`` (z-scores
  and flags per measurement); ``next_measurement(...)`` → the next due date.

Pure Python and NumPy; no Django.
"""

from tuoyu.engines.growth.assess import FLAGS, Assessment, Cutoffs, assess, next_measurement
from tuoyu.engines.growth.tables import INDICATORS, GrowthTableError, Scheme, from_csv, who_2006
from tuoyu.engines.growth.zscores import sd_line, zscores

__all__ = [
    "FLAGS",
    "INDICATORS",
    "Assessment",
    "Cutoffs",
    "GrowthTableError",
    "Scheme",
    "assess",
    "from_csv",
    "next_measurement",
    "sd_line",
    "who_2006",
    "zscores",
]
