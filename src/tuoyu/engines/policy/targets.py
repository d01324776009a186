"""Planning norms and targets (P35–P45; N31, N32) as parameters, for the planning engine and dashboards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tuoyu.engines.policy.catalogue import CATALOGUE
from tuoyu.engines.policy.profiles import Param, Profile
from tuoyu.engines.policy.vocabulary import AREA_TYPES

TARGET_KEYS = tuple(key for key in CATALOGUE if key.startswith(("planning.", "target.", "stat.")))
# The area types the catalogue has a planning norm for (rural areas have none in the seeds).
NORMED_AREA_TYPES = tuple(area for area in AREA_TYPES if f"planning.places_per_1000.{area}" in CATALOGUE)


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


def target_year(years: Iterable[int], on: dt.date) -> int | None:
    """Which year of a yearly target applies on ``on``: that year's own target when there is one,
    else the next one still ahead (a target "by 2025" is what 2023 works towards), else the last
    one (its deadline has passed, and it is still what was set). None when there are no years."""
    years = sorted(years)
    if not years:
        return None
    if on.year in years:
        return on.year
    ahead = [y for y in years if y > on.year]
    return ahead[0] if ahead else years[-1]


def target_on(profile: Profile | str, key: str, on: dt.date | str) -> TargetValue | None:
    """The yearly target (``target.*``) that applies on ``on`` (see ``target_year``), or None.

    Each target key is judged on its own years: on 2023-06-01 Longmatan's places total is the 2023
    target (1525, 003 §三) while its subdistricts' 4.7 per 1000 is the 2025 one (003 附件2 #26).
    """
    from tuoyu.engines.policy import resolve

    if not CATALOGUE[key].kind.startswith("by_year:"):
        raise KeyError(f"{key} is not a yearly target")
    profile, on = resolve(profile, on)
    param = profile.lookup(key, on)
    if param is None:
        return None
    year = target_year(param.value, on)
    return None if year is None else target_for_year(profile, key, year, on)


def planning_norm(profile: Profile | str, area_type: str, on: dt.date | str) -> Param | None:
    """Places per 1000 residents a residential area must plan for (P35 new, P36 built-up), or None.

    Some norms are to be met by a year rather than at once; ``norm_deadline`` gives that year.
    """
    from tuoyu.engines.policy import resolve

    if area_type not in NORMED_AREA_TYPES:
        return None
    profile, on = resolve(profile, on)
    return profile.lookup(f"planning.places_per_1000.{area_type}", on)


def norm_deadline(profile: Profile | str, area_type: str, on: dt.date | str) -> Param | None:
    """The year by whose end an area type must meet its planning norm, when the profile sets one
    (Jiangxi's old and built-up areas, "2025年前", 002 §二(三)1); None when the norm binds at once.

    Until the end of that year the norm is a goal to build towards, not a shortfall to report.
    """
    from tuoyu.engines.policy import resolve

    key = f"planning.places_per_1000.{area_type}_by_year"
    if area_type not in NORMED_AREA_TYPES or key not in CATALOGUE:
        return None
    profile, on = resolve(profile, on)
    return profile.lookup(key, on)


def norm_binding(deadline: Param | None, on: dt.date) -> bool:
    """Whether a planning norm binds on ``on``: at once without a deadline, else after its year ends."""
    return deadline is None or on.year > deadline.value
