"""The typed facts of many institutions as NumPy columns, the form the standards are evaluated in.

``FactsBatch.from_facts`` keeps the typed facts (``Facts``, ``CareClass``, ``StaffMember``) for the
wording of findings and builds columns from them: one row per institution, and flat rows of classes
and of staff ordered by institution, with offsets. Conventions: yes/no facts are int8 (-1 not
reported, 0 no, 1 yes); counts, codes and dates (proleptic ordinals) are -1 when not reported;
areas are integer hundredths of a square metre, so ``area ≥ limit × places`` compares exactly.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

import numpy as np

from tuoyu.engines.policy.errors import PolicyInputError
from tuoyu.engines.policy.facts import CareClass, Facts, StaffMember, load_facts
from tuoyu.engines.policy.vocabulary import (
    CERTIFICATE_BITS,
    CERTIFICATES,
    CLASS_TYPES,
    EDUCATION,
    LEGAL_FORMS,
    NATURES,
    REGISTRATION_AUTHORITIES,
    ROLES,
    SERVICE_TYPES,
    TENURES,
)

ROLE = {r: i for i, r in enumerate(ROLES)}
CLASS_TYPE = {t: i for i, t in enumerate(CLASS_TYPES)}
SERVICE_BIT = {s: 1 << i for i, s in enumerate(SERVICE_TYPES)}
NO_FLOOR = -32768  # floors may be negative (basements), so "not reported" needs its own mark

# Institution-level yes/no facts: column → where it is in ``Facts``.
FLAGS: dict[str, Callable[[Facts], bool | None]] = {
    column: attrgetter(path)
    for column, path in {
        "below_ground": "premises.child_rooms_below_ground",
        "video_covers": "video.covers_child_areas",
        "video_armed": "video.armed_24h",
        "video_live": "video.parent_live_view",
        "video_alarm": "video.one_button_alarm",
        "parents_committee": "parents_committee",
        "h_daily": "health.daily_checks",
        "h_disinfection": "health.disinfection",
        "h_isolation": "health.sick_child_isolation",
        "s_pickup": "safety.authorised_pickup",
        "s_plan": "safety.emergency_plan",
        "s_drills": "safety.regular_drills",
        "s_fire_manager": "safety.fire_safety_manager",
        "s_fire_checks": "safety.monthly_fire_checks",
        "s_insurance": "safety.liability_insurance",
        "d_fees": "disclosure.fees",
        "d_care": "disclosure.care",
        "d_meals": "disclosure.meals",
        "d_health": "disclosure.health_safety",
        "d_meal_accounts": "disclosure.meal_accounts_monthly",
    }.items()
}
_COUNTS = {
    "places": "places",
    "enrolled": "enrolled",
    "video_retention": "video.retention_days",
    "video_silent": "video.silent_cameras",
    "prepaid": "prepaid_fee_months",
    "outdoor_minutes": "outdoor_minutes_per_day",
}
_DATES = {"lease_start": "premises.lease_start", "lease_end": "premises.lease_end"}
_AREAS = {
    "indoor": "premises.indoor_area_m2",
    "outdoor": "premises.outdoor_area_m2",
    "building": "premises.building_area_m2",
}
_CODES: dict[str, tuple[str, Mapping[str, str]]] = {
    "tenure": ("premises.tenure", TENURES),
    "nature": ("nature", NATURES),
    "legal_form": ("legal_form", LEGAL_FORMS),
    "registered_with": ("registered_with", REGISTRATION_AUTHORITIES),
}


def _tri(value: bool | None) -> int:
    return -1 if value is None else int(value)


def _count(value: int | None) -> int:
    if value is None:
        return -1
    if value < 0:
        # -1 stands for "not reported"; load_facts never lets a negative count through
        raise PolicyInputError(f"不应为负数：{value}", f"a count cannot be negative: {value}")
    return value


def _day(day: dt.date | None) -> int:
    return -1 if day is None else day.toordinal()


def _centi(value: Decimal | None) -> int:
    if value is None:
        return -1
    centi = value * 100
    if centi < 0 or centi != centi.to_integral_value():
        # load_facts allows two places; anything finer could not be compared exactly
        raise PolicyInputError(
            f"面积应为非负数、最多两位小数：{value}",
            f"an area must be ≥ 0 with at most two decimals: {value}",
        )
    return int(centi)


def _code(codes: Mapping[str, str]) -> Callable[[str | None], int]:
    index = {code: i for i, code in enumerate(codes)}
    return lambda value: -1 if value is None else index[value]


def _column(
    rows: Sequence[Any], read: Callable[[Any], Any], encode: Callable[[Any], Any], dtype: Any
) -> np.ndarray:
    return np.fromiter((encode(read(row)) for row in rows), dtype=dtype, count=len(rows))


def _certificates(codes: tuple[str, ...] | None) -> int:
    return -1 if codes is None else sum(CERTIFICATE_BITS[c] for c in codes)


def _has_title(title: str | None) -> int:
    return -1 if title is None else int(bool(title.strip()))


@dataclass(frozen=True)
class FactsBatch:
    """Typed facts and their columns for ``n`` institutions, their classes and their staff."""

    n: int
    facts: tuple[Facts, ...]
    class_facts: tuple[CareClass, ...]  # every institution's classes, in institution order
    staff_facts: tuple[StaffMember, ...]  # likewise its staff
    inst: dict[str, np.ndarray]  # per institution, including the tallies of its classes and staff
    cls: dict[str, np.ndarray]  # per class; "inst" is its institution, "pos" its place in the list
    staff: dict[str, np.ndarray]  # per staff member, likewise
    class_start: np.ndarray  # institution i's classes are rows class_start[i]:class_start[i + 1]
    staff_start: np.ndarray
    scope_text: np.ndarray  # business scope, "" when not reported (see inst["scope_known"])

    @classmethod
    def from_facts(cls, items: Sequence[Facts | dict]) -> FactsBatch:
        facts = tuple(load_facts(f) for f in items)
        n = len(facts)
        inst: dict[str, np.ndarray] = {
            "home": _column(facts, attrgetter("home_childcare_point"), bool, np.bool_),
            "centre": _column(facts, attrgetter("service_centre"), bool, np.bool_),
            "classes_known": _column(facts, attrgetter("classes"), lambda v: v is not None, np.bool_),
            "staff_known": _column(facts, attrgetter("staff"), lambda v: v is not None, np.bool_),
            "scope_known": _column(facts, attrgetter("business_scope"), lambda v: v is not None, np.bool_),
            "floor": _column(
                facts,
                attrgetter("premises.floor_of_child_rooms"),
                lambda v: NO_FLOOR if v is None else v,
                np.int16,
            ),
            "window": _column(
                facts,
                attrgetter("premises.window_area_ratio"),
                lambda v: math.nan if v is None else float(v),
                np.float64,
            ),
            "service_types": _column(
                facts,
                attrgetter("service_types"),
                lambda v: -1 if v is None else sum(SERVICE_BIT[t] for t in set(v)),
                np.int16,
            ),
        }
        inst |= {name: _column(facts, read, _tri, np.int8) for name, read in FLAGS.items()}
        inst |= {name: _column(facts, attrgetter(path), _count, np.int32) for name, path in _COUNTS.items()}
        inst |= {name: _column(facts, attrgetter(path), _day, np.int64) for name, path in _DATES.items()}
        inst |= {name: _column(facts, attrgetter(path), _centi, np.int64) for name, path in _AREAS.items()}
        inst |= {
            name: _column(facts, attrgetter(path), _code(codes), np.int8)
            for name, (path, codes) in _CODES.items()
        }

        class_facts = tuple(c for f in facts for c in f.classes or ())
        staff_facts = tuple(s for f in facts for s in f.staff or ())
        class_start = np.cumsum([0, *(len(f.classes or ()) for f in facts)], dtype=np.int64)
        staff_start = np.cumsum([0, *(len(f.staff or ()) for f in facts)], dtype=np.int64)
        classes = {
            "type": _column(class_facts, attrgetter("type"), CLASS_TYPE.__getitem__, np.int8),
            "children": _column(class_facts, attrgetter("children"), _count, np.int32),
            "caregivers": _column(class_facts, attrgetter("caregivers"), _count, np.int32),
            "youngest": _column(class_facts, attrgetter("youngest_months"), _count, np.int16),
            "oldest": _column(class_facts, attrgetter("oldest_months"), _count, np.int16),
            **_owners(class_start),
        }
        staff = {
            "role": _column(staff_facts, attrgetter("role"), ROLE.__getitem__, np.int8),
            "education": _column(staff_facts, attrgetter("education"), _code(EDUCATION), np.int8),
            "background": _column(staff_facts, attrgetter("relevant_background"), _tri, np.int8),
            "years": _column(
                staff_facts,
                attrgetter("management_years"),
                lambda v: math.nan if v is None else float(v),
                np.float64,
            ),
            "training": _column(staff_facts, attrgetter("training_passed"), _tri, np.int8),
            "hours": _column(staff_facts, attrgetter("training_hours"), _count, np.int32),
            "certs": _column(staff_facts, attrgetter("certificates"), _certificates, np.int32),
            "title": _column(staff_facts, attrgetter("professional_title"), _has_title, np.int8),
            "company": _column(staff_facts, attrgetter("licensed_company"), _tri, np.int8),
            "full_time": _column(staff_facts, attrgetter("full_time"), _tri, np.int8),
            "exam": _column(staff_facts, attrgetter("health_exam_date"), _day, np.int64),
            "crim_on": _column(staff_facts, attrgetter("criminal_record_checked_on"), _day, np.int64),
            "crim_clear": _column(staff_facts, attrgetter("criminal_record_clear"), _tri, np.int8),
            **_owners(staff_start),
        }
        inst |= _tallies(n, inst, classes, class_start, staff)
        scope_text = np.asarray([f.business_scope or "" for f in facts], dtype=np.str_)
        return cls(
            n, facts, class_facts, staff_facts, inst, classes, staff, class_start, staff_start, scope_text
        )

    def institution(self, i: int) -> Institution:
        return Institution(self.facts[i], Tally.of(self.inst, i))


def _owners(start: np.ndarray) -> dict[str, np.ndarray]:
    sizes = np.diff(start)
    owner = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    position = np.arange(int(start[-1]), dtype=np.int32) - np.repeat(start[:-1], sizes).astype(np.int32)
    return {"inst": owner, "pos": position}


# What the class and staff lists add up to, per institution (-1 where the list is not reported).
def _tallies(n: int, inst: dict, c: dict, class_start: np.ndarray, s: dict) -> dict[str, np.ndarray]:
    ci = c["inst"]
    known = c["children"] >= 0
    child_sum = np.bincount(ci, weights=np.where(known, c["children"], 0), minlength=n).astype(np.int64)
    child_missing = np.bincount(ci, weights=~known, minlength=n) > 0
    enrolled = inst["enrolled"].astype(np.int64)
    # ``enrolled`` when given, else the sum over classes when every class reports its children
    children = np.where(
        enrolled >= 0, enrolled, np.where(inst["classes_known"] & ~child_missing, child_sum, -1)
    )
    carers_known = c["caregivers"] >= 0
    carer_sum = np.bincount(ci, weights=np.where(carers_known, c["caregivers"], 0), minlength=n).astype(
        np.int64
    )
    carer_missing = np.bincount(ci, weights=~carers_known, minlength=n) > 0
    si, role = s["inst"].astype(np.int64), s["role"]
    per_role = np.bincount(si * len(ROLE) + role, minlength=n * len(ROLE)).reshape(n, len(ROLE))
    # the sum over classes when every class reports its caregivers, else the caregivers on the staff list
    carers = np.where(
        (np.diff(class_start) > 0) & ~carer_missing,
        carer_sum,
        np.where(inst["staff_known"], per_role[:, ROLE["caregiver"]], -1),
    )
    staff_known = inst["staff_known"]
    health = role == ROLE["health_staff"]

    def per_institution(counts: np.ndarray) -> np.ndarray:
        return np.where(staff_known, counts, -1).astype(np.int64)

    return {
        "children": children.astype(np.int64),
        "carers": carers.astype(np.int64),
        "roles": per_institution(
            ((per_role > 0).astype(np.int64) << np.arange(len(ROLE), dtype=np.int64)).sum(axis=1)
        ),
        "n_health": per_institution(per_role[:, ROLE["health_staff"]]),
        "n_health_ft": per_institution(np.bincount(si[health & (s["full_time"] == 1)], minlength=n)),
        "n_health_ft_unknown": per_institution(np.bincount(si[health & (s["full_time"] < 0)], minlength=n)),
        "n_guards": per_institution(per_role[:, ROLE["security_guard"]]),
    }


def _known(value: Any) -> int | None:
    value = int(value)
    return None if value < 0 else value


@dataclass(frozen=True, slots=True)
class Tally:
    """What one institution's class and staff lists add up to; None where they are not reported."""

    children: int | None
    carers: int | None
    roles: tuple[str, ...] | None  # the roles present, in vocabulary order
    health_staff: int | None
    health_full_time: int | None
    health_full_time_unknown: int | None
    guards: int | None

    @classmethod
    def of(cls, inst: dict[str, np.ndarray], i: int) -> Tally:
        roles = _known(inst["roles"][i])
        return cls(
            children=_known(inst["children"][i]),
            carers=_known(inst["carers"][i]),
            roles=None if roles is None else tuple(r for r, k in ROLE.items() if roles >> k & 1),
            health_staff=_known(inst["n_health"][i]),
            health_full_time=_known(inst["n_health_ft"][i]),
            health_full_time_unknown=_known(inst["n_health_ft_unknown"][i]),
            guards=_known(inst["n_guards"][i]),
        )


@dataclass(frozen=True, slots=True)
class Institution:
    """An institution as its rules explain it: its facts and the tallies of its lists."""

    facts: Facts
    tally: Tally


def certificates(member: StaffMember) -> tuple[str, ...] | None:
    """A person's certificates in vocabulary order, so what is shown does not depend on how they were listed."""
    held = member.certificates
    return None if held is None else tuple(code for code in CERTIFICATES if code in held)
