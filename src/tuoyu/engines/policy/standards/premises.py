"""Premises: tenure, area per place, and the floor and daylight of children's rooms (P01–P04; N03, N08, N09)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

from tuoyu.engines.policy.facts import Facts
from tuoyu.engines.policy.findings import PASS, UNKNOWN, num, per, text
from tuoyu.engines.policy.standards import conditions as cond
from tuoyu.engines.policy.standards.columns import NO_FLOOR, FactsBatch, Institution
from tuoyu.engines.policy.standards.conditions import (
    NA,
    Conds,
    add_years,
    area_per_place,
    at_least,
    at_most,
    flag,
    full,
    only_where,
)
from tuoyu.engines.policy.standards.rule import Explained, Rule, Values, standard
from tuoyu.engines.policy.standards.wording import area_for_places, iso
from tuoyu.engines.policy.vocabulary import TENURES

_OWNED, _LEASED = (list(TENURES).index(t) for t in ("owned", "leased"))


def lease_conditions(b: FactsBatch, years: Any, on: dt.date) -> Conds:
    """Owned, or leased for at least ``years`` and not yet expired (also used for home childcare points)."""
    if years is None:
        return [("term", full(b.n, NA))]
    tenure, start, end = b.inst["tenure"], b.inst["lease_start"], b.inst["lease_end"]
    dated = (start >= 0) & (end >= 0)
    # lease_end is the lease's last day, so the lease runs until the day after; undated rows get any
    # real date so the calendar arithmetic stays valid (their status is unknown regardless)
    long_enough = add_years(np.where(dated, start, dt.date(2000, 1, 1).toordinal()), int(years)) <= end + 1
    term = np.where(
        tenure < 0,
        cond.UNKNOWN,
        np.where(
            tenure == _OWNED,
            cond.PASS,
            np.where(~dated, cond.UNKNOWN, np.where(long_enough, cond.PASS, cond.FAIL)),
        ),
    ).astype(np.int8)
    current = np.where(
        (tenure == _LEASED) & dated, np.where(end >= on.toordinal(), cond.PASS, cond.FAIL), NA
    ).astype(np.int8)
    return [("term", term), ("current", current)]


def lease_explained(facts: Facts, years: Any) -> Explained:
    p = facts.premises
    start, end = iso(p.lease_start), iso(p.lease_end)

    def term(s: str) -> str:
        if s == UNKNOWN:
            return "场地性质未填报" if p.tenure is None else "租期起止日期未填报"
        if p.tenure == "owned":
            return "场地为自有"
        return f"租期 {start} 至 {end}，{'不少于' if s == PASS else '不足'} {years} 年"

    def current(s: str) -> str:
        return f"租期至 {end}，{'尚在租期内' if s == PASS else '已届满'}"

    value = {"tenure": p.tenure, "lease_start": start, "lease_end": end}
    return Explained(value, years, {"term": term, "current": current})


@standard(
    "premises.tenure",
    "场地",
    ("P01", "N03"),
    ("premises.min_lease_years",),
    explain=lambda s, p: lease_explained(s.facts, p["premises.min_lease_years"]),
)
def tenure(b, p, on):
    return lease_conditions(b, p["premises.min_lease_years"], on)


def _per_place(area: Decimal | None, places: int | None) -> int | float | None:
    return None if area is None or not places else num(per(area, places))


def _area_rule(
    rule_id: str, title: str, provisions: tuple[str, ...], key: str, column: str, label: str
) -> Rule:
    def explain(s: Institution, p: Values) -> Explained:
        area, places = getattr(s.facts.premises, f"{column}_area_m2"), s.facts.places
        return Explained(
            _per_place(area, places), num(p[key]), {"area": area_for_places(label, area, places, p[key])}
        )

    @standard(rule_id, title, provisions, (key,), explain=explain)
    def conditions(b, p, on):
        return [("area", area_per_place(b.inst[column], b.inst["places"], p[key]))]

    return conditions


indoor = _area_rule(
    "premises.indoor_area_per_place",
    "每托位室内使用面积",
    ("P02", "N08"),
    "premises.indoor_area_per_place_min",
    "indoor",
    "室内使用面积",
)
outdoor = _area_rule(
    "premises.outdoor_area_per_place",
    "每托位室外场地面积",
    ("P03",),
    "premises.outdoor_area_per_place_min",
    "outdoor",
    "室外场地面积",
)

_CENTRE = ("premises.centre_building_area_per_place_min", "premises.centre_outdoor_area_per_place_min")


def _centre_explained(s: Institution, p: Values) -> Explained:
    f = s.facts
    if not f.service_centre:
        return Explained(None, None, {}, "非区级托育综合服务中心，不适用")
    building, outdoor, places = f.premises.building_area_m2, f.premises.outdoor_area_m2, f.places
    value = {"building": _per_place(building, places), "outdoor": _per_place(outdoor, places)}
    limit = {"building": num(p[_CENTRE[0]]), "outdoor": num(p[_CENTRE[1]])}
    phrases = {
        "building": area_for_places("建筑面积", building, places, p[_CENTRE[0]]),
        "outdoor": area_for_places("室外场地面积", outdoor, places, p[_CENTRE[1]]),
    }
    return Explained(value, limit, phrases)


@standard(
    "premises.centre_area_per_place",
    "区级托育综合服务中心每托位面积",
    ("P04",),
    _CENTRE,
    explain=_centre_explained,
    keys_for=lambda s: _CENTRE if s.facts.service_centre else (),
)
def centre(b, p, on):
    a, centre = b.inst, b.inst["centre"]
    return [
        ("building", only_where(centre, area_per_place(a["building"], a["places"], p[_CENTRE[0]]))),
        ("outdoor", only_where(centre, area_per_place(a["outdoor"], a["places"], p[_CENTRE[1]]))),
    ]


_FLOOR = ("premises.max_child_room_floor", "premises.child_rooms_above_ground_required")


def _floor_explained(s: Institution, p: Values) -> Explained:
    floor, below = s.facts.premises.floor_of_child_rooms, s.facts.premises.child_rooms_below_ground
    top = p[_FLOOR[0]]
    phrases = {
        "highest": lambda st: (
            "婴幼儿用房所在楼层未填报"
            if st == UNKNOWN
            else f"婴幼儿用房最高在第 {floor} 层（{'不高于' if st == PASS else '高于'}第 {top} 层）"
        ),
        "ground": lambda st: (
            "是否设在地下未填报"
            if st == UNKNOWN
            else ("婴幼儿用房均在地上" if st == PASS else "婴幼儿用房设在地下")
        ),
    }
    return Explained(
        {"floor": floor, "below_ground": below}, {"max_floor": top, "above_ground": p[_FLOOR[1]]}, phrases
    )


@standard("premises.child_room_floor", "婴幼儿用房楼层", ("N09",), _FLOOR, explain=_floor_explained)
def floor(b, p, on):
    floor, below = b.inst["floor"], b.inst["below_ground"]
    above = np.where(below < 0, -1, 1 - below).astype(np.int8)
    return [
        ("highest", at_most(floor, p[_FLOOR[0]], floor == NO_FLOOR)),
        ("ground", flag(p[_FLOOR[1]], above)),
    ]


_WINDOW = "premises.window_area_ratio_min"


def _window_explained(s: Institution, p: Values) -> Explained:
    ratio, limit = s.facts.premises.window_area_ratio, p[_WINDOW]

    def phrase(st: str) -> str:
        if st == UNKNOWN:
            return "窗地面积比未填报"
        return f"窗地面积比 {text(ratio)}（{'不低于' if st == PASS else '低于'} {text(limit)}）"  # type: ignore[arg-type]

    return Explained(num(ratio), num(limit), {"ratio": phrase})


@standard("premises.window_area", "婴幼儿用房采光", ("N09",), (_WINDOW,), explain=_window_explained)
def window(b, p, on):
    window = b.inst["window"]
    return [("ratio", at_least(window, p[_WINDOW], np.isnan(window)))]
