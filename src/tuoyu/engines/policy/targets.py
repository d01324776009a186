"""Planning norms and targets (P35–P45; N31, N32) as parameters, for the planning engine and dashboards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tuoyu.engines.policy.catalogue import CATALOGUE
from tuoyu.engines.policy.profiles import Param, Profile

TARGET_KEYS = tuple(key for key in CATALOGUE if key.startswith(("planning.", "target.", "stat.")))
AREA_TYPES = ("new_residential", "built_up")  # as regions.AreaType; rural areas have no norm in the seeds


def targets(profile: Profile | str, on: dt.date | str) -> dict[str, Param]:
    """Every planning norm and target in force on ``on``, by key (docs/policy.md lists the keys).

    Keys ``target.*`` hold ``{year: value}``: the value to reach by the end of that year.
    """
    from tuoyu.engines.policy import resolve

    profile, on = resolve(profile, on)
    return {key: param for key in TARGET_KEYS if (param := profile.lookup(key, on)) is not None}


@dataclass(frozen=True)
class TargetValue:
    key: str
    year: int
    value: Any
    param: Param  # the whole schedule, with its source


def target_for_year(profile: Profile | str, key: str, year: int, on: dt.date | str) -> TargetValue | None:
    """The value of a yearly target (``target.*``) for ``year``, or None when the profile sets none."""
    from tuoyu.engines.policy import resolve

    if not CATALOGUE[key].kind.startswith("by_year:"):
        raise KeyError(f"{key} is not a yearly target")
    profile, on = resolve(profile, on)
    param = profile.lookup(key, on)
    if param is None or year not in param.value:
        return None
    return TargetValue(key, year, param.value[year], param)


def planning_norm(profile: Profile | str, area_type: str, on: dt.date | str) -> Param | None:
    """Places per 1000 residents a residential area must plan for (P35 new, P36 built-up), or None."""
    from tuoyu.engines.policy import resolve

    if area_type not in AREA_TYPES:
        return None
    profile, on = resolve(profile, on)
    return profile.lookup(f"planning.places_per_1000.{area_type}", on)
