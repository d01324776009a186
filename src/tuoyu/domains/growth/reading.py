"""Measurements read against the institution's profile: the reference, the cut-offs and the
schedule it sets, and what the growth engine makes of each measurement."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from tuoyu.engines import growth, policy
from tuoyu.engines.identifiers import age_in_months
from tuoyu.engines.policy.dates import add_months
from tuoyu.engines.policy.vocabulary import GROWTH_FLAGS, GROWTH_REFERENCES
from tuoyu.errors import DomainError
from tuoyu.kernel.registry.models import Institution

INDICATOR_LABELS = {
    "weight_for_age": "年龄别体重",
    "length_for_age": "年龄别身长",
    "bmi_for_age": "年龄别体质指数",
}


@dataclass(frozen=True)
class Reference:
    """What an institution's profile says about growth on a day."""

    scheme: growth.Scheme
    cutoffs: growth.Cutoffs
    every_under_1: int
    every_from_1: int
    basis: str  # the citation of the reference

    @property
    def title(self) -> str:
        return self.scheme.title


@dataclass(frozen=True)
class Reading:
    measurement: object  # a growth Measurement
    age_days: int
    z: dict[str, float | None]
    flags: tuple[str, ...]

    @property
    def flag_labels(self) -> list[str]:
        return [GROWTH_FLAGS[code] for code in self.flags]

    @property
    def age_text(self) -> str:
        """The age at the measurement in completed calendar months and days, as 月龄 is read."""
        birth, on = self.measurement.child.birth_date, self.measurement.measured_on
        months = age_in_months(birth, on)
        days = (on - add_months(birth, months)).days
        return f"{months}个月{days}天" if months else f"{days}天"


def _scheme(code: str) -> growth.Scheme:
    if code == "who_2006":
        return growth.who_2006()
    directory = getattr(settings, "GROWTH_TABLES_DIR", "")
    path = Path(directory) / f"{code}.csv" if directory else None
    if path is None or not path.exists():
        raise DomainError(
            "growth_reference_missing", f"本地政策配置的生长标准“{GROWTH_REFERENCES[code]}”尚未载入数据表。"
        )
    return growth.from_csv(path, name=code, title=GROWTH_REFERENCES[code])


def reference_for(institution: Institution, on: dt.date) -> Reference:
    profile = policy.load_profile(institution.subdistrict.effective_policy_profile())
    # Required keys: every profile inherits the national values.
    code = profile.lookup("growth.reference", on)
    return Reference(
        scheme=_scheme(code.value),
        cutoffs=growth.Cutoffs(
            below_sd=float(profile.lookup("growth.flag.below_sd", on).value),
            overweight_sd=float(profile.lookup("growth.flag.overweight_sd", on).value),
        ),
        every_under_1=int(profile.lookup("growth.measure_every_months.under_1", on).value),
        every_from_1=int(profile.lookup("growth.measure_every_months.from_1", on).value),
        basis=code.source.citation(),
    )


def readings(measurements: list, reference: Reference) -> list[Reading]:
    """Each measurement (with its child loaded) with its z-scores and flags, in one engine call."""
    if not measurements:
        return []
    ages = np.array([(m.measured_on - m.child.birth_date).days for m in measurements])
    assessed = growth.assess(
        reference.scheme,
        reference.cutoffs,
        sex=np.array([str(m.child.sex) for m in measurements]),
        age_days=ages,
        weight_kg=np.array([float(m.weight_kg) for m in measurements]),
        length_cm=np.array([float(m.length_cm) for m in measurements]),
    )
    out = []
    for row, m in enumerate(measurements):
        z = {
            name: (None if math.isnan(values[row]) else round(float(values[row]), 2))
            for name, values in assessed.z.items()
        }
        out.append(Reading(m, int(ages[row]), z, tuple(assessed.flags_of(row))))
    return out


def next_due(birth_date: dt.date, last_measured: dt.date | None, reference: Reference) -> dt.date:
    return growth.next_measurement(
        birth_date,
        last_measured,
        every_under_1=reference.every_under_1,
        every_from_1=reference.every_from_1,
    )
