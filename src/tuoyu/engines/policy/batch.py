"""The standards check for many institutions at once, vectorised with NumPy.

``FactsBatch`` holds the facts of many institutions as columns (classes and staff as flat rows with
offsets). ``check_batch`` computes every rule's condition statuses as arrays; ``BatchResult`` gives
the status counts per institution at once and turns any institution's statuses into the very same
``Finding`` objects as ``rules.check`` (it reuses the rules' ``keys`` and ``render``; only
``evaluate`` is vectorised here, condition by condition, mirroring ``rules.py``).

Column conventions: tri-state booleans are int8 (-1 unknown, 0 false, 1 true); counts and dates
(proleptic ordinals) use -1 for unknown; areas are integer hundredths of a square metre so that
``area >= limit × places`` is exact, as it is with Decimal in the one-by-one path.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from tuoyu.engines.policy.dates import add_months
from tuoyu.engines.policy.errors import PolicyInputError
from tuoyu.engines.policy.facts import Facts, load_facts
from tuoyu.engines.policy.findings import CODE, STATUS_OF, Finding, combine
from tuoyu.engines.policy.profiles import Params, Profile, jsonable
from tuoyu.engines.policy.rules import (
    RULES,
    Rule,
    missing_list_finding,
    out_of_scope,
    provision_of,
    scope_finding,
)
from tuoyu.engines.policy.vocabulary import (
    CERTIFICATE_BITS,
    CERTIFICATES,
    CLASS_TYPES,
    EDUCATION,
    EDUCATION_RANK,
    LEGAL_FORMS,
    NATURES,
    REGISTRATION_AUTHORITIES,
    ROLES,
    SERVICE_TYPES,
    TENURES,
)

PASS, FAIL, UNKNOWN, NA = (np.int8(CODE[s]) for s in ("pass", "fail", "unknown", "not_applicable"))
_ROLE = {r: i for i, r in enumerate(ROLES)}
_TYPE = {t: i for i, t in enumerate(CLASS_TYPES)}
_EDU = {e: i for i, e in enumerate(EDUCATION)}
_EDU_RANK = np.array([EDUCATION_RANK[e] for e in EDUCATION], dtype=np.int8)
_NATURE = {n: i for i, n in enumerate(NATURES)}
_FORM = {f: i for i, f in enumerate(LEGAL_FORMS)}
# Rows of the registration-authority table: the natures, then the legal forms.
_ENTRY = {**_NATURE, **{f: len(NATURES) + i for f, i in _FORM.items()}}
_AUTH = {a: i for i, a in enumerate(REGISTRATION_AUTHORITIES)}
_TENURE = {t: i for i, t in enumerate(TENURES)}
_SERVICE_BIT = {s: 1 << i for i, s in enumerate(SERVICE_TYPES)}


def _tri(value: bool | None) -> int:
    return -1 if value is None else int(value)


def _opt(value: int | None) -> int:
    if value is None:
        return -1
    if value < 0:
        # -1 stands for unknown here; load_facts never lets a negative count through
        raise PolicyInputError(f"不应为负数：{value}", f"a count cannot be negative: {value}")
    return value


def _ord(day: dt.date | None) -> int:
    return -1 if day is None else day.toordinal()


def _centi(value: Decimal | None) -> int:
    if value is None:
        return -1
    centi = value * 100
    if centi < 0 or centi != centi.to_integral_value():
        # load_facts allows two places; anything finer would compare differently here than in rules.py
        raise PolicyInputError(f"面积应为非负数、最多两位小数：{value}", f"an area must be ≥ 0 with at most two decimals: {value}")
    return int(centi)


@dataclass
class FactsBatch:
    """Columns for ``n`` institutions, their classes and staff (rows ordered by institution)."""

    n: int
    inst: dict[str, np.ndarray]
    cls: dict[str, np.ndarray]  # includes "start": offsets of each institution's classes (n + 1)
    staff: dict[str, np.ndarray]  # includes "start": offsets of each institution's staff (n + 1)
    scope_text: np.ndarray  # business scope ("" when unknown; see inst["scope_known"])
    titles: list[str | None]  # staff professional titles, for messages

    @classmethod
    def from_facts(cls, items: Sequence[Facts | dict]) -> FactsBatch:
        facts = [load_facts(f) for f in items]
        n = len(facts)
        cols: dict[str, list] = {name: [] for name in _INST_COLUMNS}
        c: dict[str, list] = {name: [] for name in ("inst", "pos", "type", "children", "caregivers", "youngest", "oldest")}
        s: dict[str, list] = {name: [] for name in _STAFF_COLUMNS}
        titles: list[str | None] = []
        c_start, s_start, scopes = [0], [0], []
        for i, f in enumerate(facts):
            pr = f.premises
            row = (
                f.home_childcare_point,
                f.service_centre,
                -1 if pr.tenure is None else _TENURE[pr.tenure],
                _ord(pr.lease_start),
                _ord(pr.lease_end),
                _centi(pr.indoor_area_m2),
                _centi(pr.outdoor_area_m2),
                _centi(pr.building_area_m2),
                -32768 if pr.floor_of_child_rooms is None else pr.floor_of_child_rooms,
                _tri(pr.child_rooms_below_ground),
                math.nan if pr.window_area_ratio is None else float(pr.window_area_ratio),
                _opt(f.places),
                _opt(f.enrolled),
                f.classes is not None,
                f.staff is not None,
                _tri(f.video.covers_child_areas),
                _tri(f.video.armed_24h),
                _opt(f.video.retention_days),
                _tri(f.video.parent_live_view),
                _tri(f.video.one_button_alarm),
                _opt(f.prepaid_fee_months),
                f.business_scope is not None,
                -1 if f.nature is None else _NATURE[f.nature],
                -1 if f.legal_form is None else _FORM[f.legal_form],
                -1 if f.registered_with is None else _AUTH[f.registered_with],
                _tri(f.parents_committee),
                -1 if f.service_types is None else sum(_SERVICE_BIT[t] for t in set(f.service_types)),
                _opt(f.outdoor_minutes_per_day),
                _tri(f.health.daily_checks),
                _tri(f.health.disinfection),
                _tri(f.health.sick_child_isolation),
                _tri(f.safety.authorised_pickup),
                _tri(f.safety.emergency_plan),
                _tri(f.safety.regular_drills),
                _tri(f.safety.fire_safety_manager),
                _tri(f.safety.monthly_fire_checks),
                _tri(f.safety.liability_insurance),
                _tri(f.disclosure.fees),
                _tri(f.disclosure.care),
                _tri(f.disclosure.meals),
                _tri(f.disclosure.health_safety),
                _tri(f.disclosure.meal_accounts_monthly),
            )
            for name, value in zip(_INST_COLUMNS, row, strict=True):
                cols[name].append(value)
            scopes.append(f.business_scope or "")
            for j, k in enumerate(f.classes or ()):
                c["inst"].append(i)
                c["pos"].append(j)
                c["type"].append(_TYPE[k.type])
                c["children"].append(_opt(k.children))
                c["caregivers"].append(_opt(k.caregivers))
                c["youngest"].append(_opt(k.youngest_months))
                c["oldest"].append(_opt(k.oldest_months))
            c_start.append(len(c["inst"]))
            for j, m in enumerate(f.staff or ()):
                certs = -1 if m.certificates is None else sum(CERTIFICATE_BITS[x] for x in m.certificates)
                title = -1 if m.professional_title is None else int(bool(m.professional_title.strip()))
                values = (
                    i,
                    j,
                    _ROLE[m.role],
                    -1 if m.education is None else _EDU[m.education],
                    _tri(m.relevant_background),
                    math.nan if m.management_years is None else float(m.management_years),
                    _tri(m.training_passed),
                    _opt(m.training_hours),
                    certs,
                    title,
                    _tri(m.licensed_company),
                    _tri(m.full_time),
                    _ord(m.health_exam_date),
                    _ord(m.criminal_record_checked_on),
                    _tri(m.criminal_record_clear),
                )
                for name, value in zip(_STAFF_COLUMNS, values, strict=True):
                    s[name].append(value)
                titles.append(m.professional_title)
            s_start.append(len(s["inst"]))
        inst = {name: np.asarray(cols[name], dtype=_INST_DTYPES.get(name, np.int8)) for name in _INST_COLUMNS}
        cls_cols = {name: np.asarray(v, dtype=np.int32 if name in ("inst", "pos", "children", "caregivers") else np.int16) for name, v in c.items()}
        cls_cols["type"] = cls_cols["type"].astype(np.int8)
        cls_cols["start"] = np.asarray(c_start, dtype=np.int64)
        staff_cols = {name: np.asarray(s[name], dtype=_STAFF_DTYPES.get(name, np.int8)) for name in _STAFF_COLUMNS}
        staff_cols["start"] = np.asarray(s_start, dtype=np.int64)
        return cls(n, inst, cls_cols, staff_cols, np.asarray(scopes, dtype=np.str_), titles)

    # --- raw subjects for rendering (the same dicts as rules.institution_raw & co.) ---------------

    def facts_of(self, i: int) -> dict:
        """Institution ``i``'s institution-level raw dict, identical to ``rules.institution_raw``."""
        a = {name: col[i] for name, col in self.inst.items()}
        d = self._derived
        staff_known = bool(a["staff_known"])
        roles = None
        if staff_known:
            bits = int(d["roles"][i])
            roles = tuple(r for r, k in _ROLE.items() if bits >> k & 1)

        def tri(name: str) -> bool | None:
            v = int(a[name])
            return None if v < 0 else bool(v)

        def opt(name: str) -> int | None:
            v = int(a[name])
            return None if v < 0 else v

        def day(name: str) -> dt.date | None:
            v = int(a[name])
            return None if v < 0 else dt.date.fromordinal(v)

        def area(name: str) -> Decimal | None:
            v = int(a[name])
            return None if v < 0 else Decimal(v).scaleb(-2)

        types = int(a["service_types"])
        window = float(a["window"])
        return {
            "home_point": bool(a["home"]),
            "service_centre": bool(a["centre"]),
            "tenure": None if a["tenure"] < 0 else list(TENURES)[int(a["tenure"])],
            "lease_start": day("lease_start"),
            "lease_end": day("lease_end"),
            "indoor": area("indoor"),
            "outdoor": area("outdoor"),
            "building": area("building"),
            "floor": None if a["floor"] == -32768 else int(a["floor"]),
            "below_ground": tri("below_ground"),
            "window": None if math.isnan(window) else Decimal(repr(window)),
            "places": opt("places"),
            "children": None if d["children"][i] < 0 else int(d["children"][i]),
            "carers": None if d["carers"][i] < 0 else int(d["carers"][i]),
            "roles": roles,
            "n_health": int(d["n_health"][i]) if staff_known else None,
            "n_health_ft": int(d["n_health_ft"][i]) if staff_known else None,
            "n_health_ft_unknown": int(d["n_health_ft_unknown"][i]) if staff_known else None,
            "n_guards": int(d["n_guards"][i]) if staff_known else None,
            "video_covers": tri("video_covers"),
            "video_armed": tri("video_armed"),
            "video_retention": opt("video_retention"),
            "video_live": tri("video_live"),
            "video_alarm": tri("video_alarm"),
            "prepaid": opt("prepaid"),
            "scope": str(self.scope_text[i]) if a["scope_known"] else None,
            "nature": None if a["nature"] < 0 else list(NATURES)[int(a["nature"])],
            "legal_form": None if a["legal_form"] < 0 else list(LEGAL_FORMS)[int(a["legal_form"])],
            "registered_with": None if a["registered_with"] < 0 else list(REGISTRATION_AUTHORITIES)[int(a["registered_with"])],
            "parents_committee": tri("parents_committee"),
            "service_types": None if types < 0 else tuple(t for t, bit in _SERVICE_BIT.items() if types & bit),
            "outdoor_minutes": opt("outdoor_minutes"),
            **{name: tri(name) for name in _FLAG_FACTS},
        }

    def class_of(self, row: int) -> dict:
        c = self.cls

        def opt(name: str) -> int | None:
            v = int(c[name][row])
            return None if v < 0 else v

        return {
            "type": list(CLASS_TYPES)[int(c["type"][row])],
            "children": opt("children"),
            "caregivers": opt("caregivers"),
            "youngest": opt("youngest"),
            "oldest": opt("oldest"),
        }

    def staff_of(self, row: int) -> dict:
        s = self.staff

        def tri(name: str) -> bool | None:
            v = int(s[name][row])
            return None if v < 0 else bool(v)

        def day(name: str) -> dt.date | None:
            v = int(s[name][row])
            return None if v < 0 else dt.date.fromordinal(v)

        certs = int(s["certs"][row])
        years = float(s["years"][row])
        hours = int(s["hours"][row])
        education = int(s["education"][row])
        return {
            "role": list(ROLES)[int(s["role"][row])],
            "education": None if education < 0 else list(EDUCATION)[education],
            "background": tri("background"),
            "years": None if math.isnan(years) else Decimal(repr(years)),
            "training": tri("training"),
            "hours": None if hours < 0 else hours,
            "certs": None if certs < 0 else tuple(code for code in CERTIFICATES if certs & CERTIFICATE_BITS[code]),
            "title": self.titles[row],
            "company": tri("company"),
            "full_time": tri("full_time"),
            "exam": day("exam"),
            "crim_on": day("crim_on"),
            "crim_clear": tri("crim_clear"),
        }

    # --- facts derived from the rows (the same as Facts.children_total & co.) ----------------------

    @property
    def _derived(self) -> dict[str, np.ndarray]:
        cached = getattr(self, "_derived_cache", None)
        if cached is None:
            cached = self._derived_cache = _derive(self)
        return cached


_FLAG_FACTS = (
    "h_daily", "h_disinfection", "h_isolation",
    "s_pickup", "s_plan", "s_drills", "s_fire_manager", "s_fire_checks", "s_insurance",
    "d_fees", "d_care", "d_meals", "d_health", "d_meal_accounts",
)  # fmt: skip
_INST_COLUMNS = (
    "home", "centre", "tenure", "lease_start", "lease_end", "indoor", "outdoor", "building", "floor",
    "below_ground", "window", "places", "enrolled", "classes_known", "staff_known",
    "video_covers", "video_armed", "video_retention", "video_live", "video_alarm", "prepaid",
    "scope_known", "nature", "legal_form", "registered_with", "parents_committee", "service_types",
    "outdoor_minutes", *_FLAG_FACTS,
)  # fmt: skip
_INST_DTYPES = {
    "home": np.bool_, "centre": np.bool_, "classes_known": np.bool_, "staff_known": np.bool_, "scope_known": np.bool_,
    "lease_start": np.int64, "lease_end": np.int64, "indoor": np.int64, "outdoor": np.int64, "building": np.int64,
    "floor": np.int16, "window": np.float64, "places": np.int32, "enrolled": np.int32, "video_retention": np.int32,
    "prepaid": np.int32, "outdoor_minutes": np.int32,
}  # fmt: skip
_STAFF_COLUMNS = (
    "inst", "pos", "role", "education", "background", "years", "training", "hours", "certs", "title",
    "company", "full_time", "exam", "crim_on", "crim_clear",
)  # fmt: skip
_STAFF_DTYPES = {"inst": np.int32, "pos": np.int32, "years": np.float64, "hours": np.int32, "certs": np.int32, "exam": np.int64, "crim_on": np.int64}


# Per-institution aggregates of the class and staff rows.
def _derive(b: FactsBatch) -> dict[str, np.ndarray]:
    n, c, s = b.n, b.cls, b.staff
    ci = c["inst"]
    known = c["children"] >= 0
    child_sum = np.bincount(ci, weights=np.where(known, c["children"], 0), minlength=n).astype(np.int64)
    child_missing = np.bincount(ci, weights=~known, minlength=n) > 0
    enrolled = b.inst["enrolled"].astype(np.int64)
    children = np.where(enrolled >= 0, enrolled, np.where(b.inst["classes_known"] & ~child_missing, child_sum, -1))
    carers_known = c["caregivers"] >= 0
    carer_sum = np.bincount(ci, weights=np.where(carers_known, c["caregivers"], 0), minlength=n).astype(np.int64)
    carer_missing = np.bincount(ci, weights=~carers_known, minlength=n) > 0
    n_classes = np.diff(c["start"])
    si, role = s["inst"].astype(np.int64), s["role"]
    # one pass over the staff rows: how many of each role every institution has
    per_role = np.bincount(si * len(_ROLE) + role, minlength=n * len(_ROLE)).reshape(n, len(_ROLE))
    carers = np.where(
        (n_classes > 0) & ~carer_missing,
        carer_sum,
        np.where(b.inst["staff_known"], per_role[:, _ROLE["caregiver"]], -1),
    )
    health = role == _ROLE["health_staff"]
    roles = ((per_role > 0).astype(np.int64) << np.arange(len(_ROLE), dtype=np.int64)).sum(axis=1)
    return {
        "children": children,
        "carers": carers,
        "roles": roles,
        "n_health": per_role[:, _ROLE["health_staff"]].astype(np.int64),
        "n_health_ft": np.bincount(si[health & (s["full_time"] == 1)], minlength=n).astype(np.int64),
        "n_health_ft_unknown": np.bincount(si[health & (s["full_time"] < 0)], minlength=n).astype(np.int64),
        "n_guards": per_role[:, _ROLE["security_guard"]].astype(np.int64),
    }


# --- vectorised condition helpers (mirroring rules.py) ---------------------------------------------


def _full(size: int, code: np.int8) -> np.ndarray:
    return np.full(size, code, dtype=np.int8)


def _flag(required: object, tri: np.ndarray) -> np.ndarray:
    if required is not True:
        return _full(len(tri), NA)
    return np.where(tri < 0, UNKNOWN, np.where(tri > 0, PASS, FAIL)).astype(np.int8)


def _cmp(value: np.ndarray, missing: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(missing, UNKNOWN, np.where(ok, PASS, FAIL)).astype(np.int8)


def _at_least(value: np.ndarray, limit: object, missing: np.ndarray) -> np.ndarray:
    if limit is None:
        return _full(len(value), NA)
    return _cmp(value, missing, value >= float(limit))  # type: ignore[arg-type]


def _at_most(value: np.ndarray, limit: object, missing: np.ndarray) -> np.ndarray:
    if limit is None:
        return _full(len(value), NA)
    return _cmp(value, missing, value <= float(limit))  # type: ignore[arg-type]


def _area(area: np.ndarray, places: np.ndarray, limit: Decimal | None) -> np.ndarray:
    if limit is None:
        return _full(len(area), NA)
    return _cmp(area, (area < 0) | (places < 0), area >= int(limit * 100) * places.astype(np.int64))


# ``dates.add_years`` on proleptic ordinals (29 February → 28 February in a common year).
def _add_years(ordinals: np.ndarray, years: int) -> np.ndarray:
    offset = dt.date(1970, 1, 1).toordinal()
    days = (ordinals - offset).astype("datetime64[D]")
    month = days.astype("datetime64[M]")
    day0 = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + 12 * years
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    result = target.astype("datetime64[D]") + np.minimum(day0, length - 1)
    return result.astype(np.int64) + offset


def _lease(b: FactsBatch, years: object, on: dt.date) -> list[tuple[str, np.ndarray]]:
    n = b.n
    if years is None:
        return [("term", _full(n, NA))]
    a = b.inst
    tenure, start, end = a["tenure"], a["lease_start"], a["lease_end"]
    dates_known = (start >= 0) & (end >= 0)
    safe_start = np.where(dates_known, start, dt.date(2000, 1, 1).toordinal())
    long_enough = _add_years(safe_start, int(years)) <= end + 1  # type: ignore[call-overload]
    term = np.where(
        tenure < 0, UNKNOWN, np.where(tenure == _TENURE["owned"], PASS, np.where(~dates_known, UNKNOWN, np.where(long_enough, PASS, FAIL)))
    ).astype(np.int8)
    leased = (tenure == _TENURE["leased"]) & dates_known
    current = np.where(leased, np.where(end >= on.toordinal(), PASS, FAIL), NA).astype(np.int8)
    return [("term", term), ("current", current)]


def _education(edu: np.ndarray, minimum: str | None) -> np.ndarray:
    if minimum is None:
        return _full(len(edu), NA)
    rank = np.where(edu >= 0, _EDU_RANK[np.maximum(edu, 0)], -1)
    return _cmp(rank, edu < 0, rank >= EDUCATION_RANK[minimum])


def _cert_mask(codes: Sequence[str]) -> int:
    return sum(CERTIFICATE_BITS[c] for c in codes)


def _trained(training: np.ndarray, certs: np.ndarray, code: str) -> np.ndarray:
    has = (certs >= 0) & (certs & CERTIFICATE_BITS[code] != 0)
    return np.where((training == 1) | has, 1, np.where(training == 0, 0, -1)).astype(np.int8)


def _recent(days: np.ndarray, months: object, on: dt.date) -> np.ndarray:
    if months is None:
        return _full(len(days), NA)
    cutoff = add_months(on, -int(months)).toordinal()  # type: ignore[call-overload]
    return _cmp(days, days < 0, days >= cutoff)


# --- each rule's conditions, vectorised ----------------------------------------------------------------

Conds = list[tuple[str, np.ndarray]]
_BATCH: dict[str, Callable[[FactsBatch, dict, dt.date], Conds]] = {}


def _vector(rule_id: str):
    def wrap(fn):
        _BATCH[rule_id] = fn
        return fn

    return wrap


@_vector("premises.tenure")
def _(b, p, on):
    return _lease(b, p["premises.min_lease_years"], on)


@_vector("premises.indoor_area_per_place")
def _(b, p, on):
    return [("area", _area(b.inst["indoor"], b.inst["places"], p["premises.indoor_area_per_place_min"]))]


@_vector("premises.outdoor_area_per_place")
def _(b, p, on):
    return [("area", _area(b.inst["outdoor"], b.inst["places"], p["premises.outdoor_area_per_place_min"]))]


@_vector("premises.centre_area_per_place")
def _(b, p, on):
    a, centre = b.inst, b.inst["centre"]
    building = _area(a["building"], a["places"], p["premises.centre_building_area_per_place_min"])
    outdoor = _area(a["outdoor"], a["places"], p["premises.centre_outdoor_area_per_place_min"])
    return [("building", np.where(centre, building, NA).astype(np.int8)), ("outdoor", np.where(centre, outdoor, NA).astype(np.int8))]


@_vector("premises.child_room_floor")
def _(b, p, on):
    floor, below = b.inst["floor"], b.inst["below_ground"]
    above = np.where(below < 0, -1, 1 - below).astype(np.int8)
    return [
        ("highest", _at_most(floor, p["premises.max_child_room_floor"], floor == -32768)),
        ("ground", _flag(p["premises.child_rooms_above_ground_required"], above)),
    ]


@_vector("premises.window_area")
def _(b, p, on):
    window = b.inst["window"]
    return [("ratio", _at_least(window, p["premises.window_area_ratio_min"], np.isnan(window)))]


@_vector("scale.max_places")
def _(b, p, on):
    places = b.inst["places"]
    return [("places", _at_most(places, p["scale.max_places"], places < 0))]


@_vector("enrolment.within_capacity")
def _(b, p, on):
    if p["enrolment.within_capacity_required"] is not True:
        return [("capacity", _full(b.n, NA))]
    children, places = b._derived["children"], b.inst["places"]
    return [("capacity", _cmp(children, (children < 0) | (places < 0), children <= places))]


@_vector("staff.roles_present")
def _(b, p, on):
    required = p["staff.roles_required"]
    if required is None:
        return [("roles", _full(b.n, NA))]
    mask = sum(1 << _ROLE[r] for r in required)
    return [("roles", _cmp(b._derived["roles"], ~b.inst["staff_known"], b._derived["roles"] & mask == mask))]


@_vector("staff.health_staff_count")
def _(b, p, on):
    minimum, threshold = p["staff.health_staff.min_count"], p["staff.health_staff.full_time_from_children"]
    if minimum is None:
        return [("count", _full(b.n, NA))]
    d, known = b._derived, b.inst["staff_known"]
    n, full, maybe, children = d["n_health"], d["n_health_ft"], d["n_health_ft_unknown"], d["children"]
    if threshold is None:
        status = np.where(n < minimum, FAIL, PASS)
    else:
        status = np.where(
            n < minimum,
            FAIL,
            np.where(
                children < 0,
                np.where(full >= minimum, PASS, UNKNOWN),
                np.where(
                    (children < threshold) | (full >= minimum),
                    PASS,
                    np.where(full + maybe >= minimum, UNKNOWN, FAIL),
                ),
            ),
        )
    return [("count", np.where(known, status, UNKNOWN).astype(np.int8))]


@_vector("staff.security_guard_count")
def _(b, p, on):
    return [("count", _at_least(b._derived["n_guards"], p["staff.security_guard.min_on_duty"], ~b.inst["staff_known"]))]


@_vector("video.surveillance")
def _(b, p, on):
    a = b.inst
    return [
        ("covers", _flag(p["video.child_area_coverage_required"], a["video_covers"])),
        ("armed", _flag(p["video.armed_24h_required"], a["video_armed"])),
        ("retention", _at_least(a["video_retention"], p["video.min_retention_days"], a["video_retention"] < 0)),
        ("live", _flag(p["video.parent_live_view_required"], a["video_live"])),
        ("alarm", _flag(p["video.one_button_alarm_required"], a["video_alarm"])),
    ]


@_vector("fees.prepaid_months")
def _(b, p, on):
    prepaid = b.inst["prepaid"]
    return [("months", _at_most(prepaid, p["fees.max_prepaid_months"], prepaid < 0))]


@_vector("registration.business_scope")
def _(b, p, on):
    terms = p["registration.business_scope_terms"]
    if terms is None:
        return [("scope", _full(b.n, NA))]
    found = np.zeros(b.n, dtype=bool)
    for term in terms:
        found |= np.strings.find(b.scope_text, term) >= 0
    return [("scope", _cmp(found, ~b.inst["scope_known"], found))]


@_vector("registration.authority")
def _(b, p, on):
    table = p["registration.authority_by_nature"]
    if table is None:
        return [("authority", _full(b.n, NA))]
    allowed = np.zeros((len(_ENTRY), len(REGISTRATION_AUTHORITIES)), dtype=bool)
    covered = np.zeros(len(_ENTRY), dtype=bool)
    for entry, authorities in table.items():
        covered[_ENTRY[entry]] = True
        for authority in authorities:
            allowed[_ENTRY[entry], _AUTH[authority]] = True
    nature, form, authority = b.inst["nature"], b.inst["legal_form"], b.inst["registered_with"]
    # rules.authority_entry: the legal form's row when the table has one, else the nature's
    form_row = np.where(form >= 0, form + len(NATURES), 0)
    by_form = (form >= 0) & covered[form_row]
    by_nature = (nature >= 0) & covered[np.maximum(nature, 0)]
    entry = np.where(by_form, form_row, np.where(by_nature, np.maximum(nature, 0), -1))
    missing = (entry < 0) | (authority < 0)
    ok = allowed[np.maximum(entry, 0), np.maximum(authority, 0)]
    return [("authority", _cmp(entry, missing, ok))]


def _flags(key: str, facts: Sequence[str]):
    def fn(b, p, on):
        return [(fact, _flag(p[key], b.inst[fact])) for fact in facts]

    return fn


_BATCH["safety.authorised_pickup"] = lambda b, p, on: [("flag", _flag(p["safety.authorised_pickup_required"], b.inst["s_pickup"]))]
_BATCH["governance.parents_committee"] = lambda b, p, on: [
    ("flag", _flag(p["governance.parents_committee_required"], b.inst["parents_committee"]))
]
_BATCH["health.daily_routines"] = _flags("health.daily_routines_required", ["h_daily", "h_disinfection", "h_isolation"])
_BATCH["disclosure.published"] = _flags("disclosure.required", ["d_fees", "d_care", "d_meals", "d_health", "d_meal_accounts"])
_BATCH["safety.duties"] = _flags("safety.duties_required", ["s_plan", "s_drills", "s_fire_manager", "s_fire_checks", "s_insurance"])


@_vector("care.outdoor_time")
def _(b, p, on):
    hours = p["care.min_outdoor_hours_full_day"]
    if hours is None:
        return [("outdoor", _full(b.n, NA))]
    types, minutes = b.inst["service_types"], b.inst["outdoor_minutes"]
    need = math.ceil(hours * 60)
    status = np.where(
        types < 0,
        UNKNOWN,
        np.where(types & _SERVICE_BIT["full_day"] == 0, NA, np.where(minutes < 0, UNKNOWN, np.where(minutes >= need, PASS, FAIL))),
    )
    return [("outdoor", status.astype(np.int8))]


@_vector("home_point.max_children")
def _(b, p, on):
    children = b._derived["children"]
    return [("children", _at_most(children, p["home_point.max_children"], children < 0))]


@_vector("home_point.ratio")
def _(b, p, on):
    per_carer = p["home_point.max_children_per_carer"]
    if per_carer is None:
        return [("ratio", _full(b.n, NA))]
    children, carers = b._derived["children"], b._derived["carers"]
    return [("ratio", _cmp(children, (children < 0) | (carers < 0), children <= carers * per_carer))]


@_vector("home_point.tenure")
def _(b, p, on):
    return _lease(b, p["home_point.min_lease_years"], on)


@_vector("home_point.video")
def _(b, p, on):
    a = b.inst
    return [
        ("covers", _flag(p["home_point.video_full_coverage_required"], a["video_covers"])),
        ("retention", _at_least(a["video_retention"], p["home_point.min_video_retention_days"], a["video_retention"] < 0)),
    ]


# Per class type: the limit and whether the profile sets it.
def _by_type(p: dict, prefix: str, types: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    limit = np.zeros(len(CLASS_TYPES), dtype=np.int64)
    present = np.zeros(len(CLASS_TYPES), dtype=bool)
    for t in types:
        value = p.get(f"{prefix}.{t}")
        if value is not None:
            limit[_TYPE[t]], present[_TYPE[t]] = value, True
    return limit, present


@_vector("class.size")
def _(b, p, on):
    c = b.cls
    limit, present = _by_type(p, "class.max_size", CLASS_TYPES)
    children = c["children"]
    status = _cmp(children, children < 0, children <= limit[c["type"]])
    return [("size", np.where(present[c["type"]], status, NA).astype(np.int8))]


@_vector("class.ratio")
def _(b, p, on):
    c = b.cls
    limit, present = _by_type(p, "class.max_children_per_caregiver", [t for t in CLASS_TYPES if t != "mixed"])
    children, carers = c["children"].astype(np.int64), c["caregivers"].astype(np.int64)
    status = _cmp(children, (children < 0) | (carers < 0), children <= carers * limit[c["type"]])
    return [("ratio", np.where(present[c["type"]], status, NA).astype(np.int8))]


@_vector("class.age_range")
def _(b, p, on):
    c = b.cls
    low = np.zeros(len(CLASS_TYPES), dtype=np.int64)
    high = np.zeros(len(CLASS_TYPES), dtype=np.int64)
    present = np.zeros(len(CLASS_TYPES), dtype=bool)
    for t in CLASS_TYPES:
        band = p.get(f"class.age_months.{t}")
        if band is not None:
            low[_TYPE[t]], high[_TYPE[t]], present[_TYPE[t]] = band[0], band[1], True
    t = c["type"]
    youngest, oldest = c["youngest"], c["oldest"]
    young = _cmp(youngest, youngest < 0, youngest >= low[t])
    old = _cmp(oldest, oldest < 0, oldest <= high[t])
    return [("youngest", np.where(present[t], young, NA).astype(np.int8)), ("oldest", np.where(present[t], old, NA).astype(np.int8))]


@_vector("staff.manager_qualification")
def _(b, p, on):
    s = b.staff
    limit = p["staff.manager.min_training_hours"]
    has_cert = (s["certs"] >= 0) & (s["certs"] & CERTIFICATE_BITS["manager_training"] != 0)
    if limit is None:
        hours = _full(len(s["role"]), NA)
    else:
        hours = np.where(s["hours"] >= 0, np.where(s["hours"] >= limit, PASS, FAIL), np.where(has_cert, PASS, UNKNOWN)).astype(np.int8)
    return [
        ("education", _education(s["education"], p["staff.manager.min_education"])),
        ("years", _at_least(s["years"], p["staff.manager.min_management_years"], np.isnan(s["years"]))),
        ("training", _flag(p["staff.manager.training_required"], _trained(s["training"], s["certs"], "manager_training"))),
        ("hours", hours),
    ]


@_vector("staff.caregiver_qualification")
def _(b, p, on):
    s = b.staff
    wanted = p["staff.caregiver.certificates_any"]
    if wanted is None:
        cert = _full(len(s["role"]), NA)
    else:
        certs = s["certs"]
        cert = _cmp(certs, certs < 0, certs & _cert_mask(wanted) != 0)
    return [
        ("education", _education(s["education"], p["staff.caregiver.min_education"])),
        ("background", _flag(p["staff.caregiver.relevant_background_required"], s["background"])),
        ("certificate", cert),
    ]


@_vector("staff.health_staff_qualification")
def _(b, p, on):
    s = b.staff
    return [
        ("education", _education(s["education"], p["staff.health_staff.min_education"])),
        ("background", _flag(p["staff.health_staff.relevant_background_required"], s["background"])),
        ("title", _flag(p["staff.health_staff.title_required"], s["title"])),
        ("training", _flag(p["staff.health_staff.training_required"], _trained(s["training"], s["certs"], "health_care_training"))),
    ]


@_vector("staff.security_guard_licence")
def _(b, p, on):
    s = b.staff
    certs = s["certs"]
    licence = np.where(certs < 0, -1, (certs & CERTIFICATE_BITS["security_guard_licence"] != 0).astype(np.int8)).astype(np.int8)
    return [
        ("licence", _flag(p["staff.security_guard.licence_required"], licence)),
        ("company", _flag(p["staff.security_guard.licensed_company_required"], s["company"])),
    ]


@_vector("staff.annual_health_exam")
def _(b, p, on):
    return [("exam", _recent(b.staff["exam"], p["staff.health_exam_interval_months"], on))]


@_vector("staff.criminal_record_check")
def _(b, p, on):
    s = b.staff
    return [
        ("checked", _recent(s["crim_on"], p["staff.criminal_record_recheck_months"], on)),
        ("clear", _flag(p["staff.criminal_record_clear_required"], s["crim_clear"])),
    ]


assert set(_BATCH) == {r.id for r in RULES}, "every rule needs a vectorised evaluate"

# priority for combining conditions: fail > unknown > pass > not applicable
_PRIORITY = np.array([1, 3, 2, 0], dtype=np.int8)  # indexed by status code
_FROM_PRIORITY = np.array([NA, PASS, UNKNOWN, FAIL], dtype=np.int8)


def _combine(conds: Conds) -> np.ndarray:
    top = _PRIORITY[conds[0][1]]
    for _, arr in conds[1:]:
        top = np.maximum(top, _PRIORITY[arr])
    return _FROM_PRIORITY[top]


# --- running ---------------------------------------------------------------------------------------------


@dataclass
class RuleResult:
    rule: Rule
    conds: Conds  # per subject row (institutions, class rows or staff rows)
    status: np.ndarray
    rows: np.ndarray | None  # class/staff rows this rule covers (staff rules filter by role)
    list_status: np.int8  # status of the one finding when an institution's whole list is missing


class BatchResult:
    """Statuses of every rule for every institution of a batch."""

    def __init__(self, batch: FactsBatch, profile: Profile, on: dt.date, params: Params, results: list[RuleResult], counts: np.ndarray):
        self.batch, self.profile, self.on, self.params = batch, profile, on, params
        self.results = results
        self.counts = counts  # (n, 4): findings per status (pass, fail, unknown, not_applicable)

    def summary(self, i: int) -> dict[str, int]:
        return {STATUS_OF[k]: int(self.counts[i, k]) for k in range(4)}

    def failing(self) -> np.ndarray:
        """Indices of the institutions with at least one ``fail``."""
        return np.flatnonzero(self.counts[:, CODE["fail"]] > 0)

    def findings(self, i: int) -> list[Finding]:
        """Institution ``i``'s findings, identical to ``rules.check`` on its facts."""
        b, out = self.batch, []
        home = bool(b.inst["home"][i])
        inst_raw = None
        for res in self.results:
            rule = res.rule
            if out_of_scope(rule, home):
                out.append(scope_finding(rule))
                continue
            if rule.subject == "institution":
                inst_raw = inst_raw or b.facts_of(i)
                out.append(self._finding(res, i, "institution", inst_raw))
                continue
            known = b.inst["classes_known" if rule.subject == "class" else "staff_known"][i]
            if not known:
                out.append(missing_list_finding(rule, self.params.recorder()))
                continue
            cols = b.cls if rule.subject == "class" else b.staff
            lo, hi = int(cols["start"][i]), int(cols["start"][i + 1])
            for row in range(lo, hi):
                if rule.role is not None and b.staff["role"][row] != _ROLE[rule.role]:
                    continue
                raw = b.class_of(row) if rule.subject == "class" else b.staff_of(row)
                out.append(self._finding(res, row, f"{rule.subject}[{int(cols['pos'][row])}]", raw))
        return out

    def _finding(self, res: RuleResult, row: int, subject: str, raw: dict) -> Finding:
        rule = res.rule
        recorder = self.params.recorder()
        p = {key: recorder.value(key) for key in rule.keys(raw)}
        conds = [(name, STATUS_OF[int(arr[row])]) for name, arr in res.conds]
        value, limit, message = rule.render(raw, p, conds)
        sources = tuple(param.source for param in recorder.used)
        status = STATUS_OF[int(res.status[row])]
        assert status == combine([s for _, s in conds])
        return Finding.cited(rule.id, provision_of(rule, sources), status, subject, jsonable(value), jsonable(limit), message, sources)


def _tally(owners: np.ndarray, statuses: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(owners.astype(np.int64) * 4 + statuses, minlength=4 * n).reshape(n, 4)


def check_batch(batch: FactsBatch, profile: Profile | str, on: dt.date | str) -> BatchResult:
    """Every standards rule over every institution of ``batch``, vectorised.

    The result's ``counts`` (n × 4) are ready at once; ``findings(i)`` materialises one
    institution's findings, identical to ``check(facts_i, profile, on)``.
    """
    from tuoyu.engines.policy import resolve

    profile, on = resolve(profile, on)
    params = profile.params(on)
    n = batch.n
    home = batch.inst["home"]
    counts = np.zeros((n, 4), dtype=np.int64)
    results: list[RuleResult] = []
    for rule in RULES:
        p = {key: params.value(key) for key in rule.all_keys}
        conds = _BATCH[rule.id](batch, p, on)
        status = _combine(conds)
        in_scope = ~home if rule.scope == "institution" else (home if rule.scope == "home_point" else np.ones(n, dtype=bool))
        counts[~in_scope, CODE["not_applicable"]] += 1
        list_status = UNKNOWN if any(v is not None for v in p.values()) else NA
        rows = None
        if rule.subject == "institution":
            counts += _tally(np.flatnonzero(in_scope), status[in_scope], n)
        else:
            cols = batch.cls if rule.subject == "class" else batch.staff
            known = batch.inst["classes_known" if rule.subject == "class" else "staff_known"]
            counts[in_scope & ~known, list_status] += 1
            owner = cols["inst"]
            take = in_scope[owner]
            if rule.role is not None:
                take &= cols["role"] == _ROLE[rule.role]
            rows = np.flatnonzero(take)
            counts += _tally(owner[rows], status[rows], n)
        results.append(RuleResult(rule, conds, status, rows, list_status))
    return BatchResult(batch, profile, on, params, results, counts)


def check_many(items: Sequence[Facts | dict], profile: Profile | str, on: dt.date | str) -> list[list[Finding]]:
    """``check`` for many institutions through the batch path; one list of findings per institution."""
    result = check_batch(FactsBatch.from_facts(items), profile, on)
    return [result.findings(i) for i in range(result.batch.n)]
