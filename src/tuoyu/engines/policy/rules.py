"""Standards rules: each turns facts and a profile's parameters on a date into findings.

Every rule is split in three so that the one-by-one path here and the vectorised path in
``batch.py`` give identical findings:

- ``keys(raw)``: the parameter keys it looks up for one subject (the lookups become the sources);
- ``evaluate(raw, p, on)``: the status of each of its conditions (the batch path vectorises this);
- ``render(raw, p, conds)``: value, limit and the Chinese message (shared by both paths).

``raw`` is a plain dict of one subject's facts (``institution_raw``, ``class_raw``, ``staff_raw``);
``p`` maps each looked-up key to its value, or None when the profile sets none. A condition whose
parameter is not set is ``not_applicable``; a condition whose fact is missing is ``unknown``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tuoyu.engines.policy.dates import add_months, add_years
from tuoyu.engines.policy.facts import CareClass, Facts, StaffMember, load_facts
from tuoyu.engines.policy.findings import (
    FAIL,
    NOT_APPLICABLE,
    PASS,
    UNKNOWN,
    Finding,
    combine,
    num,
    per,
    text,
)
from tuoyu.engines.policy.profiles import Params, Profile, Recorder, jsonable
from tuoyu.engines.policy.vocabulary import (
    CERTIFICATES,
    CLASS_TYPES,
    EDUCATION,
    EDUCATION_RANK,
    LEGAL_FORMS,
    NATURES,
    REGISTRATION_AUTHORITIES,
    ROLES,
)

Conds = list[tuple[str, str]]
P = dict[str, Any]


@dataclass(frozen=True)
class Rule:
    id: str
    provisions: tuple[str, ...]  # what it enforces, for documentation and not-applicable findings
    title: str  # Chinese, starts every message
    scope: str  # institution | home_point | any: which providers it applies to
    subject: str  # institution | class | staff
    keys: Callable[[dict], list[str]]
    evaluate: Callable[[dict, P, dt.date], Conds]
    render: Callable[[dict, P, Conds], tuple[Any, Any, str]]
    role: str | None = None  # staff rules: only staff in this role (None = everyone)
    all_keys: tuple[str, ...] = ()  # every key it may look up (docs, coverage, missing lists)


RULES: list[Rule] = []


def _register(rule: Rule) -> Rule:
    RULES.append(rule)
    return rule


# --- condition helpers ----------------------------------------------------------------------------


def _flag(required: Any, fact: bool | None) -> str:
    if required is not True:
        return NOT_APPLICABLE
    if fact is None:
        return UNKNOWN
    return PASS if fact else FAIL


def _at_least(value: Any, limit: Any) -> str:
    if limit is None:
        return NOT_APPLICABLE
    if value is None:
        return UNKNOWN
    return PASS if value >= limit else FAIL


def _at_most(value: Any, limit: Any) -> str:
    if limit is None:
        return NOT_APPLICABLE
    if value is None:
        return UNKNOWN
    return PASS if value <= limit else FAIL


def _education_at_least(education: str | None, minimum: str | None) -> str:
    if minimum is None:
        return NOT_APPLICABLE
    if education is None:
        return UNKNOWN
    return PASS if EDUCATION_RANK[education] >= EDUCATION_RANK[minimum] else FAIL


# Chinese message: the rule's title, the verdict and the phrase of each condition that decided it.
def _message(title: str, conds: Conds, phrases: dict[str, Callable[[str], str]], unset: str = "") -> str:
    status = combine([s for _, s in conds])
    if status == NOT_APPLICABLE:
        return f"{title}：{unset or '本配置未设定此项要求'}"
    if status == FAIL:
        failed = [phrases[name](s) for name, s in conds if s == FAIL]
        unknown = [phrases[name](s) for name, s in conds if s == UNKNOWN]
        tail = f"；另有未核实：{'；'.join(unknown)}" if unknown else ""
        return f"{title}不符合要求：{'；'.join(failed)}{tail}"
    if status == UNKNOWN:
        return f"{title}无法核实：{'；'.join(phrases[name](s) for name, s in conds if s == UNKNOWN)}"
    return f"{title}符合要求：{'；'.join(phrases[name](s) for name, s in conds if s == PASS)}"


# Phrase for a yes/no fact: present, absent or not reported.
def _yes(fact_zh: str, missing_zh: str) -> Callable[[str], str]:
    return lambda s: fact_zh if s == PASS else (f"未{fact_zh}" if s == FAIL else f"{missing_zh}未填报")


def _date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _area(value: Decimal | None) -> str:
    return "未填报" if value is None else f"{text(value)} ㎡"


# --- raw subjects -----------------------------------------------------------------------------------


def institution_raw(f: Facts) -> dict:
    """The institution-level facts the rules read, as plain values (the batch path rebuilds the same)."""
    staff = f.staff
    health = None if staff is None else [s for s in staff if s.role == "health_staff"]
    return {
        "home_point": f.home_childcare_point,
        "service_centre": f.service_centre,
        "tenure": f.premises.tenure,
        "lease_start": f.premises.lease_start,
        "lease_end": f.premises.lease_end,
        "indoor": f.premises.indoor_area_m2,
        "outdoor": f.premises.outdoor_area_m2,
        "building": f.premises.building_area_m2,
        "floor": f.premises.floor_of_child_rooms,
        "below_ground": f.premises.child_rooms_below_ground,
        "window": f.premises.window_area_ratio,
        "places": f.places,
        "children": f.children_total(),
        "carers": f.caregivers_total(),
        "roles": None if staff is None else tuple(r for r in ROLES if any(s.role == r for s in staff)),
        "n_health": None if health is None else len(health),
        "n_health_ft": None if health is None else sum(1 for s in health if s.full_time is True),
        "n_health_ft_unknown": None if health is None else sum(1 for s in health if s.full_time is None),
        "n_guards": None if staff is None else sum(1 for s in staff if s.role == "security_guard"),
        "video_covers": f.video.covers_child_areas,
        "video_armed": f.video.armed_24h,
        "video_retention": f.video.retention_days,
        "video_live": f.video.parent_live_view,
        "video_alarm": f.video.one_button_alarm,
        "prepaid": f.prepaid_fee_months,
        "scope": f.business_scope,
        "nature": f.nature,
        "legal_form": f.legal_form,
        "registered_with": f.registered_with,
        "parents_committee": f.parents_committee,
        "service_types": f.service_types,
        "outdoor_minutes": f.outdoor_minutes_per_day,
        "h_daily": f.health.daily_checks,
        "h_disinfection": f.health.disinfection,
        "h_isolation": f.health.sick_child_isolation,
        "s_pickup": f.safety.authorised_pickup,
        "s_plan": f.safety.emergency_plan,
        "s_drills": f.safety.regular_drills,
        "s_fire_manager": f.safety.fire_safety_manager,
        "s_fire_checks": f.safety.monthly_fire_checks,
        "s_insurance": f.safety.liability_insurance,
        "d_fees": f.disclosure.fees,
        "d_care": f.disclosure.care,
        "d_meals": f.disclosure.meals,
        "d_health": f.disclosure.health_safety,
        "d_meal_accounts": f.disclosure.meal_accounts_monthly,
    }


def class_raw(c: CareClass) -> dict:
    return {
        "type": c.type,
        "children": c.children,
        "caregivers": c.caregivers,
        "youngest": c.youngest_months,
        "oldest": c.oldest_months,
    }


def staff_raw(s: StaffMember) -> dict:
    return {
        "role": s.role,
        "education": s.education,
        "background": s.relevant_background,
        "years": s.management_years,
        "training": s.training_passed,
        "hours": s.training_hours,
        # in vocabulary order, so the value shown does not depend on the order they were listed in
        "certs": None if s.certificates is None else tuple(c for c in CERTIFICATES if c in s.certificates),
        "title": s.professional_title,
        "company": s.licensed_company,
        "full_time": s.full_time,
        "exam": s.health_exam_date,
        "crim_on": s.criminal_record_checked_on,
        "crim_clear": s.criminal_record_clear,
    }


# === premises and scale ==============================================================================


def _lease_conds(raw: dict, years: Any, on: dt.date) -> Conds:
    if years is None:
        return [("term", NOT_APPLICABLE)]
    tenure, start, end = raw["tenure"], raw["lease_start"], raw["lease_end"]
    if tenure is None:
        return [("term", UNKNOWN)]
    if tenure == "owned":
        return [("term", PASS)]
    if start is None or end is None:
        return [("term", UNKNOWN)]
    # lease_end is the last day of the lease, so the lease runs until end + 1 day.
    term = PASS if add_years(start, years) <= end + dt.timedelta(days=1) else FAIL
    return [("term", term), ("current", PASS if end >= on else FAIL)]


def _lease_render(raw: dict, years: Any, conds: Conds, title: str) -> tuple[Any, Any, str]:
    value = {"tenure": raw["tenure"], "lease_start": _date(raw["lease_start"]), "lease_end": _date(raw["lease_end"])}
    span = f"租期 {_date(raw['lease_start'])} 至 {_date(raw['lease_end'])}"

    def term(s: str) -> str:
        if s == UNKNOWN:
            return "场地性质未填报" if raw["tenure"] is None else "租期起止日期未填报"
        if raw["tenure"] == "owned":
            return "场地为自有"
        return f"{span}，{'不少于' if s == PASS else '不足'} {years} 年"

    def current(s: str) -> str:
        return f"租期至 {_date(raw['lease_end'])}，{'尚在租期内' if s == PASS else '已届满'}"

    return value, years, _message(title, conds, {"term": term, "current": current})


_register(
    Rule(
        id="premises.tenure",
        provisions=("P01", "N03"),
        title="场地",
        scope="institution",
        subject="institution",
        keys=lambda raw: ["premises.min_lease_years"],
        evaluate=lambda raw, p, on: _lease_conds(raw, p["premises.min_lease_years"], on),
        render=lambda raw, p, conds: _lease_render(raw, p["premises.min_lease_years"], conds, "场地"),
        all_keys=("premises.min_lease_years",),
    )
)


def _area_cond(area: Decimal | None, places: int | None, limit: Any) -> str:
    if limit is None:
        return NOT_APPLICABLE
    if area is None or places is None:
        return UNKNOWN
    return PASS if area >= limit * places else FAIL


def _area_phrase(label: str, area: Decimal | None, places: int | None, limit: Any) -> Callable[[str], str]:
    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return f"{label}未填报" if area is None else "托位数未填报"
        ratio = f"，每托位 {text(per(area, places))} ㎡" if places else ""  # type: ignore[arg-type]
        need = f"（应不少于 {text(limit)} ㎡ × {places} 托位 = {text(limit * places)} ㎡）"
        return f"{label} {text(area)} ㎡{ratio}{'' if s == PASS else need}"  # type: ignore[arg-type]

    return phrase


def _area_value(area: Decimal | None, places: int | None) -> float | int | None:
    if area is None or not places:
        return None
    return num(per(area, places))


def _simple_area_rule(rule_id: str, provisions: tuple[str, ...], title: str, key: str, fact: str, label: str) -> None:
    _register(
        Rule(
            id=rule_id,
            provisions=provisions,
            title=title,
            scope="institution",
            subject="institution",
            keys=lambda raw: [key],
            evaluate=lambda raw, p, on: [("area", _area_cond(raw[fact], raw["places"], p[key]))],
            render=lambda raw, p, conds: (
                _area_value(raw[fact], raw["places"]),
                num(p[key]),
                _message(title, conds, {"area": _area_phrase(label, raw[fact], raw["places"], p[key])}),
            ),
            all_keys=(key,),
        )
    )


_simple_area_rule(
    "premises.indoor_area_per_place", ("P02", "N08"), "每托位室内使用面积", "premises.indoor_area_per_place_min", "indoor", "室内使用面积"
)
_simple_area_rule(
    "premises.outdoor_area_per_place", ("P03",), "每托位室外场地面积", "premises.outdoor_area_per_place_min", "outdoor", "室外场地面积"
)

_CENTRE_KEYS = ["premises.centre_building_area_per_place_min", "premises.centre_outdoor_area_per_place_min"]


def _centre_eval(raw: dict, p: P, on: dt.date) -> Conds:
    if not raw["service_centre"]:
        return [("centre", NOT_APPLICABLE)]
    return [
        ("building", _area_cond(raw["building"], raw["places"], p[_CENTRE_KEYS[0]])),
        ("outdoor", _area_cond(raw["outdoor"], raw["places"], p[_CENTRE_KEYS[1]])),
    ]


def _centre_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    title = "区级托育综合服务中心每托位面积"
    if not raw["service_centre"]:
        return None, None, f"{title}：非区级托育综合服务中心，不适用"
    value = {"building": _area_value(raw["building"], raw["places"]), "outdoor": _area_value(raw["outdoor"], raw["places"])}
    limit = {"building": num(p[_CENTRE_KEYS[0]]), "outdoor": num(p[_CENTRE_KEYS[1]])}
    phrases = {
        "building": _area_phrase("建筑面积", raw["building"], raw["places"], p[_CENTRE_KEYS[0]]),
        "outdoor": _area_phrase("室外场地面积", raw["outdoor"], raw["places"], p[_CENTRE_KEYS[1]]),
    }
    return value, limit, _message(title, conds, phrases)


_register(
    Rule(
        id="premises.centre_area_per_place",
        provisions=("P04",),
        title="区级托育综合服务中心每托位面积",
        scope="institution",
        subject="institution",
        keys=lambda raw: list(_CENTRE_KEYS) if raw["service_centre"] else [],
        evaluate=_centre_eval,
        render=_centre_render,
        all_keys=tuple(_CENTRE_KEYS),
    )
)

_FLOOR_KEYS = ["premises.max_child_room_floor", "premises.child_rooms_above_ground_required"]


def _floor_eval(raw: dict, p: P, on: dt.date) -> Conds:
    ground = p[_FLOOR_KEYS[1]]
    below = raw["below_ground"]
    return [
        ("highest", _at_most(raw["floor"], p[_FLOOR_KEYS[0]])),
        ("ground", _flag(ground, None if below is None else not below)),
    ]


def _floor_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    top = p[_FLOOR_KEYS[0]]
    phrases = {
        "highest": lambda s: "婴幼儿用房所在楼层未填报"
        if s == UNKNOWN
        else f"婴幼儿用房最高在第 {raw['floor']} 层（{'不高于' if s == PASS else '高于'}第 {top} 层）",
        "ground": lambda s: "是否设在地下未填报" if s == UNKNOWN else ("婴幼儿用房均在地上" if s == PASS else "婴幼儿用房设在地下"),
    }
    value = {"floor": raw["floor"], "below_ground": raw["below_ground"]}
    limit = {"max_floor": top, "above_ground": p[_FLOOR_KEYS[1]]}
    return value, limit, _message("婴幼儿用房楼层", conds, phrases)


_register(
    Rule(
        id="premises.child_room_floor",
        provisions=("N09",),
        title="婴幼儿用房楼层",
        scope="institution",
        subject="institution",
        keys=lambda raw: list(_FLOOR_KEYS),
        evaluate=_floor_eval,
        render=_floor_render,
        all_keys=tuple(_FLOOR_KEYS),
    )
)


def _window_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    limit = p["premises.window_area_ratio_min"]

    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return "窗地面积比未填报"
        return f"窗地面积比 {text(raw['window'])}（{'不低于' if s == PASS else '低于'} {text(limit)}）"

    return num(raw["window"]), num(limit), _message("婴幼儿用房采光", conds, {"ratio": phrase})


_register(
    Rule(
        id="premises.window_area",
        provisions=("N09",),
        title="婴幼儿用房采光",
        scope="institution",
        subject="institution",
        keys=lambda raw: ["premises.window_area_ratio_min"],
        evaluate=lambda raw, p, on: [("ratio", _at_least(raw["window"], p["premises.window_area_ratio_min"]))],
        render=_window_render,
        all_keys=("premises.window_area_ratio_min",),
    )
)


# Phrase for ``value`` against a ceiling (above=False) or a floor (above=True).
def _count_phrase(label: str, value: Any, limit: Any, unit: str, above: bool) -> Callable[[str], str]:

    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return f"{label}未填报"
        words = ("不少于", "少于") if above else ("未超过", "超过")
        word = words[0] if s == PASS else words[1]
        return f"{label} {text(value)} {unit}（{word} {text(limit)} {unit}）"

    return phrase


_register(
    Rule(
        id="scale.max_places",
        provisions=("P05", "N07"),
        title="托位规模",
        scope="institution",
        subject="institution",
        keys=lambda raw: ["scale.max_places"],
        evaluate=lambda raw, p, on: [("places", _at_most(raw["places"], p["scale.max_places"]))],
        render=lambda raw, p, conds: (
            raw["places"],
            p["scale.max_places"],
            _message("托位规模", conds, {"places": _count_phrase("托位数", raw["places"], p["scale.max_places"], "个", False)}),
        ),
        all_keys=("scale.max_places",),
    )
)


def _capacity_eval(raw: dict, p: P, on: dt.date) -> Conds:
    if p["enrolment.within_capacity_required"] is not True:
        return [("capacity", NOT_APPLICABLE)]
    children, places = raw["children"], raw["places"]
    if children is None or places is None:
        return [("capacity", UNKNOWN)]
    return [("capacity", PASS if children <= places else FAIL)]


def _capacity_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return "收托人数未填报" if raw["children"] is None else "托位数未填报"
        return f"收托 {raw['children']} 人，备案托位 {raw['places']} 个（{'未超过' if s == PASS else '超过'}托位数）"

    return raw["children"], raw["places"], _message("收托人数", conds, {"capacity": phrase})


_register(
    Rule(
        id="enrolment.within_capacity",
        provisions=("N11",),
        title="收托人数",
        scope="institution",
        subject="institution",
        keys=lambda raw: ["enrolment.within_capacity_required"],
        evaluate=_capacity_eval,
        render=_capacity_render,
        all_keys=("enrolment.within_capacity_required",),
    )
)


# === staffing at institution level ===================================================================


def _roles_eval(raw: dict, p: P, on: dt.date) -> Conds:
    required = p["staff.roles_required"]
    if required is None:
        return [("roles", NOT_APPLICABLE)]
    if raw["roles"] is None:
        return [("roles", UNKNOWN)]
    return [("roles", PASS if all(r in raw["roles"] for r in required) else FAIL)]


def _roles_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    required = p["staff.roles_required"] or ()
    present = raw["roles"]
    missing = [] if present is None else [r for r in required if r not in present]

    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return "工作人员名单未填报"
        if s == PASS:
            return "已配备" + "、".join(ROLES[r] for r in required)
        return "缺少" + "、".join(ROLES[r] for r in missing)

    value = None if present is None else list(present)
    return value, list(required) or None, _message("岗位配备", conds, {"roles": phrase})


_register(
    Rule(
        id="staff.roles_present",
        provisions=("P09",),
        title="岗位配备",
        scope="institution",
        subject="institution",
        keys=lambda raw: ["staff.roles_required"],
        evaluate=_roles_eval,
        render=_roles_render,
        all_keys=("staff.roles_required",),
    )
)

_HEALTH_COUNT_KEYS = ["staff.health_staff.min_count", "staff.health_staff.full_time_from_children"]


def _health_count_eval(raw: dict, p: P, on: dt.date) -> Conds:
    minimum, threshold = p[_HEALTH_COUNT_KEYS[0]], p[_HEALTH_COUNT_KEYS[1]]
    if minimum is None:
        return [("count", NOT_APPLICABLE)]
    n = raw["n_health"]
    if n is None:
        return [("count", UNKNOWN)]
    if n < minimum:
        return [("count", FAIL)]
    if threshold is None:
        return [("count", PASS)]
    full, maybe = raw["n_health_ft"], raw["n_health_ft_unknown"]
    children = raw["children"]
    if children is None:
        return [("count", PASS if full >= minimum else UNKNOWN)]
    if children < threshold:
        return [("count", PASS)]
    if full >= minimum:
        return [("count", PASS)]
    return [("count", UNKNOWN if full + maybe >= minimum else FAIL)]


def _health_count_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    minimum, threshold = p[_HEALTH_COUNT_KEYS[0]], p[_HEALTH_COUNT_KEYS[1]]
    n, full, children = raw["n_health"], raw["n_health_ft"], raw["children"]

    def phrase(s: str) -> str:
        if n is None:
            return "工作人员名单未填报"
        have = f"卫生保健人员 {n} 名（其中专职 {full} 名）"
        if n < minimum:
            return f"{have}，应至少 {minimum} 名"
        if s == UNKNOWN:
            return f"{have}；收托人数未填报" if children is None else f"{have}；部分人员是否专职未填报"
        if threshold is not None and children is not None and children >= threshold:
            return f"{have}；收托 {children} 人，达到 {threshold} 人，应至少 {minimum} 名专职"
        return have

    value = {"health_staff": n, "full_time": full, "children": children}
    limit = {"min_count": minimum, "full_time_from_children": threshold}
    return value, limit, _message("卫生保健人员配备", conds, {"count": phrase})


_register(
    Rule(
        id="staff.health_staff_count",
        provisions=("N05",),
        title="卫生保健人员配备",
        scope="institution",
        subject="institution",
        keys=lambda raw: list(_HEALTH_COUNT_KEYS),
        evaluate=_health_count_eval,
        render=_health_count_render,
        all_keys=tuple(_HEALTH_COUNT_KEYS),
    )
)

_register(
    Rule(
        id="staff.security_guard_count",
        provisions=("N06",),
        title="保安员配备",
        scope="institution",
        subject="institution",
        keys=lambda raw: ["staff.security_guard.min_on_duty"],
        evaluate=lambda raw, p, on: [("count", _at_least(raw["n_guards"], p["staff.security_guard.min_on_duty"]))],
        render=lambda raw, p, conds: (
            raw["n_guards"],
            p["staff.security_guard.min_on_duty"],
            _message(
                "保安员配备",
                conds,
                {"count": _count_phrase("保安员", raw["n_guards"], p["staff.security_guard.min_on_duty"], "名", True)},
            ),
        ),
        all_keys=("staff.security_guard.min_on_duty",),
    )
)


# === video, fees, registration, governance, care ======================================================

_VIDEO_KEYS = [
    "video.child_area_coverage_required",
    "video.armed_24h_required",
    "video.min_retention_days",
    "video.parent_live_view_required",
    "video.one_button_alarm_required",
]


def _video_eval(raw: dict, p: P, on: dt.date) -> Conds:
    return [
        ("covers", _flag(p[_VIDEO_KEYS[0]], raw["video_covers"])),
        ("armed", _flag(p[_VIDEO_KEYS[1]], raw["video_armed"])),
        ("retention", _at_least(raw["video_retention"], p[_VIDEO_KEYS[2]])),
        ("live", _flag(p[_VIDEO_KEYS[3]], raw["video_live"])),
        ("alarm", _flag(p[_VIDEO_KEYS[4]], raw["video_alarm"])),
    ]


def _video_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    phrases = {
        "covers": _yes("覆盖婴幼儿生活和活动区域", "监控覆盖范围"),
        "armed": _yes("24小时设防", "是否24小时设防"),
        "retention": _count_phrase("录像保存", raw["video_retention"], p[_VIDEO_KEYS[2]], "天", True),
        "live": _yes("向家长实时推送", "是否向家长实时推送"),
        "alarm": _yes("配备一键报警", "是否配备一键报警"),
    }
    value = {
        "covers_child_areas": raw["video_covers"],
        "armed_24h": raw["video_armed"],
        "retention_days": raw["video_retention"],
        "parent_live_view": raw["video_live"],
        "one_button_alarm": raw["video_alarm"],
    }
    limit = {
        "covers_child_areas": p[_VIDEO_KEYS[0]],
        "armed_24h": p[_VIDEO_KEYS[1]],
        "retention_days": p[_VIDEO_KEYS[2]],
        "parent_live_view": p[_VIDEO_KEYS[3]],
        "one_button_alarm": p[_VIDEO_KEYS[4]],
    }
    return value, limit, _message("视频监控", conds, phrases)


_register(
    Rule(
        id="video.surveillance",
        provisions=("P14", "N10"),
        title="视频监控",
        scope="institution",
        subject="institution",
        keys=lambda raw: list(_VIDEO_KEYS),
        evaluate=_video_eval,
        render=_video_render,
        all_keys=tuple(_VIDEO_KEYS),
    )
)

_register(
    Rule(
        id="fees.prepaid_months",
        provisions=("P15",),
        title="预收费",
        scope="any",
        subject="institution",
        keys=lambda raw: ["fees.max_prepaid_months"],
        evaluate=lambda raw, p, on: [("months", _at_most(raw["prepaid"], p["fees.max_prepaid_months"]))],
        render=lambda raw, p, conds: (
            raw["prepaid"],
            p["fees.max_prepaid_months"],
            _message("预收费", conds, {"months": _count_phrase("预收费", raw["prepaid"], p["fees.max_prepaid_months"], "个月", False)}),
        ),
        all_keys=("fees.max_prepaid_months",),
    )
)


def _scope_eval(raw: dict, p: P, on: dt.date) -> Conds:
    terms = p["registration.business_scope_terms"]
    if terms is None:
        return [("scope", NOT_APPLICABLE)]
    if raw["scope"] is None:
        return [("scope", UNKNOWN)]
    return [("scope", PASS if any(t in raw["scope"] for t in terms) else FAIL)]


def _scope_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    terms = p["registration.business_scope_terms"] or ()
    wanted = "或".join(f"“{t}”" for t in terms)

    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return "登记的业务范围未填报"
        return f"业务范围{'已' if s == PASS else '未'}注明{wanted}"

    return raw["scope"], list(terms) or None, _message("登记业务范围", conds, {"scope": phrase})


_register(
    Rule(
        id="registration.business_scope",
        provisions=("P16",),
        title="登记业务范围",
        scope="any",
        subject="institution",
        keys=lambda raw: ["registration.business_scope_terms"],
        evaluate=_scope_eval,
        render=_scope_render,
        all_keys=("registration.business_scope_terms",),
    )
)


def authority_entry(table: dict | None, nature: str | None, legal_form: str | None) -> str | None:
    """The key of the authority table that governs an institution: its legal form when the table
    names it (003 附件2 distinguishes 个体工商户 from 法人), else its nature; None when neither applies."""
    if table is None:
        return None
    if legal_form is not None and legal_form in table:
        return legal_form
    if nature is not None and nature in table:
        return nature
    return None


def _authority_eval(raw: dict, p: P, on: dt.date) -> Conds:
    table = p["registration.authority_by_nature"]
    if table is None:
        return [("authority", NOT_APPLICABLE)]
    entry, authority = authority_entry(table, raw["nature"], raw["legal_form"]), raw["registered_with"]
    if entry is None or authority is None:
        return [("authority", UNKNOWN)]
    return [("authority", PASS if authority in table[entry] else FAIL)]


def _authority_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    table = p["registration.authority_by_nature"]
    nature, form, authority = raw["nature"], raw["legal_form"], raw["registered_with"]
    entry = authority_entry(table, nature, form)
    allowed = None if entry is None else list(table[entry])  # type: ignore[index]

    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return "机构性质未填报" if entry is None else "登记机关未填报"
        if entry in LEGAL_FORMS:
            who = LEGAL_FORMS[entry] + (f"（{NATURES[nature]}）" if nature else "")
        else:
            who = f"{NATURES[entry]}机构"  # type: ignore[index]
        should = "或".join(REGISTRATION_AUTHORITIES[a] for a in allowed or ())
        return f"{who}在{REGISTRATION_AUTHORITIES[authority]}登记（应在{should}登记）"

    return authority, allowed, _message("登记机关", conds, {"authority": phrase})


_register(
    Rule(
        id="registration.authority",
        provisions=("P21",),
        title="登记机关",
        scope="any",
        subject="institution",
        keys=lambda raw: ["registration.authority_by_nature"],
        evaluate=_authority_eval,
        render=_authority_render,
        all_keys=("registration.authority_by_nature",),
    )
)


def _one_flag_rule(rule_id: str, provisions: tuple[str, ...], title: str, scope: str, key: str, fact: str, phrase: tuple[str, str]) -> None:
    _register(
        Rule(
            id=rule_id,
            provisions=provisions,
            title=title,
            scope=scope,
            subject="institution",
            keys=lambda raw: [key],
            evaluate=lambda raw, p, on: [("flag", _flag(p[key], raw[fact]))],
            render=lambda raw, p, conds: (raw[fact], p[key], _message(title, conds, {"flag": _yes(*phrase)})),
            all_keys=(key,),
        )
    )


_one_flag_rule(
    "governance.parents_committee",
    ("P20",),
    "家长委员会",
    "any",
    "governance.parents_committee_required",
    "parents_committee",
    ("成立家长委员会", "是否成立家长委员会"),
)
_one_flag_rule(
    "safety.authorised_pickup",
    ("P19",),
    "接送制度",
    "any",
    "safety.authorised_pickup_required",
    "s_pickup",
    ("落实由监护人或其委托的成年人接送", "接送制度"),
)


def _multi_flag_rule(rule_id: str, provisions: tuple[str, ...], title: str, scope: str, key: str, facts: dict[str, tuple[str, str]]) -> None:
    def evaluate(raw: dict, p: P, on: dt.date) -> Conds:
        return [(fact, _flag(p[key], raw[fact])) for fact in facts]

    def render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
        value = {fact: raw[fact] for fact in facts}
        return value, p[key], _message(title, conds, {fact: _yes(*words) for fact, words in facts.items()})

    _register(Rule(rule_id, provisions, title, scope, "institution", lambda raw: [key], evaluate, render, all_keys=(key,)))


_multi_flag_rule(
    "health.daily_routines",
    ("P18",),
    "卫生保健制度",
    "any",
    "health.daily_routines_required",
    {
        "h_daily": ("落实每日晨午检", "晨午检"),
        "h_disinfection": ("落实卫生消毒", "卫生消毒"),
        "h_isolation": ("落实病儿隔离", "病儿隔离"),
    },
)
_multi_flag_rule(
    "disclosure.published",
    ("N16",),
    "信息公示",
    "institution",
    "disclosure.required",
    {
        "d_fees": ("公示收费", "收费公示"),
        "d_care": ("公示保育照护", "保育照护公示"),
        "d_meals": ("公示膳食", "膳食公示"),
        "d_health": ("公示卫生安全信息", "卫生安全信息公示"),
        "d_meal_accounts": ("每月公布伙食账目", "伙食账目公布"),
    },
)
_multi_flag_rule(
    "safety.duties",
    ("N17",),
    "安全管理",
    "institution",
    "safety.duties_required",
    {
        "s_plan": ("制定应急预案", "应急预案"),
        "s_drills": ("定期演练", "演练"),
        "s_fire_manager": ("明确消防安全管理人", "消防安全管理人"),
        "s_fire_checks": ("每月检查设施设备和消防", "月度消防检查"),
        "s_insurance": ("投保责任保险", "责任保险"),
    },
)


def _outdoor_eval(raw: dict, p: P, on: dt.date) -> Conds:
    hours = p["care.min_outdoor_hours_full_day"]
    if hours is None:
        return [("outdoor", NOT_APPLICABLE)]
    types = raw["service_types"]
    if types is None:
        return [("outdoor", UNKNOWN)]
    if "full_day" not in types:
        return [("outdoor", NOT_APPLICABLE)]
    minutes = raw["outdoor_minutes"]
    if minutes is None:
        return [("outdoor", UNKNOWN)]
    return [("outdoor", PASS if minutes >= hours * 60 else FAIL)]


def _outdoor_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    hours = p["care.min_outdoor_hours_full_day"]
    limit = None if hours is None else num(hours * 60)
    if hours is not None and raw["service_types"] is not None and "full_day" not in raw["service_types"]:
        return raw["outdoor_minutes"], limit, "户外活动时间：不提供全日托，不适用"

    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return "服务类型未填报" if raw["service_types"] is None else "每日户外活动时间未填报"
        return f"全日托每日户外活动 {raw['outdoor_minutes']} 分钟（{'不少于' if s == PASS else '少于'} {text(hours * 60)} 分钟）"

    return raw["outdoor_minutes"], limit, _message("户外活动时间", conds, {"outdoor": phrase})


_register(
    Rule(
        id="care.outdoor_time",
        provisions=("N13",),
        title="户外活动时间",
        scope="any",
        subject="institution",
        keys=lambda raw: ["care.min_outdoor_hours_full_day"],
        evaluate=_outdoor_eval,
        render=_outdoor_render,
        all_keys=("care.min_outdoor_hours_full_day",),
    )
)


# === home childcare points (N18) =====================================================================

_register(
    Rule(
        id="home_point.max_children",
        provisions=("N18",),
        title="家庭托育点收托规模",
        scope="home_point",
        subject="institution",
        keys=lambda raw: ["home_point.max_children"],
        evaluate=lambda raw, p, on: [("children", _at_most(raw["children"], p["home_point.max_children"]))],
        render=lambda raw, p, conds: (
            raw["children"],
            p["home_point.max_children"],
            _message(
                "家庭托育点收托规模",
                conds,
                {
                    "children": lambda s: (
                        _count_phrase("收托", raw["children"], p["home_point.max_children"], "人", False)(s)
                        + ("，应按托育机构备案" if s == FAIL else "")
                    )
                },
            ),
        ),
        all_keys=("home_point.max_children",),
    )
)


def _home_ratio_eval(raw: dict, p: P, on: dt.date) -> Conds:
    per_carer = p["home_point.max_children_per_carer"]
    if per_carer is None:
        return [("ratio", NOT_APPLICABLE)]
    children, carers = raw["children"], raw["carers"]
    if children is None or carers is None:
        return [("ratio", UNKNOWN)]
    return [("ratio", PASS if children <= carers * per_carer else FAIL)]


def _ratio_phrase(children: Any, carers: Any, per_carer: Any, who: str) -> Callable[[str], str]:
    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return "婴幼儿人数未填报" if children is None else f"{who}人数未填报"
        word = "不超过" if s == PASS else "超过"
        return f"{children} 名婴幼儿、{carers} 名{who}（每名{who}照护{word} {per_carer} 人）"

    return phrase


_register(
    Rule(
        id="home_point.ratio",
        provisions=("N18",),
        title="家庭托育点照护比",
        scope="home_point",
        subject="institution",
        keys=lambda raw: ["home_point.max_children_per_carer"],
        evaluate=_home_ratio_eval,
        render=lambda raw, p, conds: (
            {"children": raw["children"], "carers": raw["carers"]},
            p["home_point.max_children_per_carer"],
            _message(
                "家庭托育点照护比",
                conds,
                {"ratio": _ratio_phrase(raw["children"], raw["carers"], p["home_point.max_children_per_carer"], "照护人员")},
            ),
        ),
        all_keys=("home_point.max_children_per_carer",),
    )
)

_register(
    Rule(
        id="home_point.tenure",
        provisions=("N18",),
        title="家庭托育点住宅",
        scope="home_point",
        subject="institution",
        keys=lambda raw: ["home_point.min_lease_years"],
        evaluate=lambda raw, p, on: _lease_conds(raw, p["home_point.min_lease_years"], on),
        render=lambda raw, p, conds: _lease_render(raw, p["home_point.min_lease_years"], conds, "家庭托育点住宅"),
        all_keys=("home_point.min_lease_years",),
    )
)

_HOME_VIDEO_KEYS = ["home_point.video_full_coverage_required", "home_point.min_video_retention_days"]


def _home_video_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    phrases = {
        "covers": _yes("监控全覆盖", "监控覆盖范围"),
        "retention": _count_phrase("录像保存", raw["video_retention"], p[_HOME_VIDEO_KEYS[1]], "天", True),
    }
    value = {"covers_child_areas": raw["video_covers"], "retention_days": raw["video_retention"]}
    limit = {"full_coverage": p[_HOME_VIDEO_KEYS[0]], "retention_days": p[_HOME_VIDEO_KEYS[1]]}
    return value, limit, _message("家庭托育点视频监控", conds, phrases)


_register(
    Rule(
        id="home_point.video",
        provisions=("N18",),
        title="家庭托育点视频监控",
        scope="home_point",
        subject="institution",
        keys=lambda raw: list(_HOME_VIDEO_KEYS),
        evaluate=lambda raw, p, on: [
            ("covers", _flag(p[_HOME_VIDEO_KEYS[0]], raw["video_covers"])),
            ("retention", _at_least(raw["video_retention"], p[_HOME_VIDEO_KEYS[1]])),
        ],
        render=_home_video_render,
        all_keys=tuple(_HOME_VIDEO_KEYS),
    )
)


# === classes (P06–P08; N01, N02) ======================================================================


def _class_size_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    key = f"class.max_size.{raw['type']}"
    limit = p[key]
    title = f"{CLASS_TYPES[raw['type']]}班额"
    phrase = _count_phrase("招托", raw["children"], limit, "人", False)
    return raw["children"], limit, _message(title, conds, {"size": phrase})


_register(
    Rule(
        id="class.size",
        provisions=("P07", "N01"),
        title="班额",
        scope="institution",
        subject="class",
        keys=lambda raw: [f"class.max_size.{raw['type']}"],
        evaluate=lambda raw, p, on: [("size", _at_most(raw["children"], p[f"class.max_size.{raw['type']}"]))],
        render=_class_size_render,
        all_keys=tuple(f"class.max_size.{t}" for t in CLASS_TYPES),
    )
)


def _ratio_keys(raw: dict) -> list[str]:
    # N02 sets no ratio for mixed classes; the catalogue has no such key.
    return [] if raw["type"] == "mixed" else [f"class.max_children_per_caregiver.{raw['type']}"]


def _class_ratio_eval(raw: dict, p: P, on: dt.date) -> Conds:
    keys = _ratio_keys(raw)
    per_carer = p[keys[0]] if keys else None
    if per_carer is None:
        return [("ratio", NOT_APPLICABLE)]
    children, carers = raw["children"], raw["caregivers"]
    if children is None or carers is None:
        return [("ratio", UNKNOWN)]
    return [("ratio", PASS if children <= carers * per_carer else FAIL)]


def _class_ratio_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    keys = _ratio_keys(raw)
    per_carer = p[keys[0]] if keys else None
    title = f"{CLASS_TYPES[raw['type']]}保育比"
    limit = None if per_carer is None else f"1:{per_carer}"
    value = None if raw["children"] is None or raw["caregivers"] is None else f"{raw['caregivers']}:{raw['children']}"
    unset = "混龄班未规定保育比" if raw["type"] == "mixed" else ""
    phrases = {"ratio": _ratio_phrase(raw["children"], raw["caregivers"], per_carer, "保育人员")}
    return value, limit, _message(title, conds, phrases, unset)


_register(
    Rule(
        id="class.ratio",
        provisions=("P08", "N02"),
        title="保育比",
        scope="institution",
        subject="class",
        keys=_ratio_keys,
        evaluate=_class_ratio_eval,
        render=_class_ratio_render,
        all_keys=tuple(f"class.max_children_per_caregiver.{t}" for t in CLASS_TYPES if t != "mixed"),
    )
)


def _age_eval(raw: dict, p: P, on: dt.date) -> Conds:
    band = p[f"class.age_months.{raw['type']}"]
    if band is None:
        return [("youngest", NOT_APPLICABLE), ("oldest", NOT_APPLICABLE)]
    return [("youngest", _at_least(raw["youngest"], band[0])), ("oldest", _at_most(raw["oldest"], band[1]))]


def _age_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    band = p[f"class.age_months.{raw['type']}"]
    title = f"{CLASS_TYPES[raw['type']]}月龄"
    phrases = {
        "youngest": lambda s: "最小月龄未填报"
        if s == UNKNOWN
        else f"最小 {raw['youngest']} 月龄（{'不小于' if s == PASS else '小于'} {band[0]} 月龄）",
        "oldest": lambda s: "最大月龄未填报"
        if s == UNKNOWN
        else f"最大 {raw['oldest']} 月龄（{'不大于' if s == PASS else '大于'} {band[1]} 月龄）",
    }
    value = {"youngest_months": raw["youngest"], "oldest_months": raw["oldest"]}
    return value, None if band is None else list(band), _message(title, conds, phrases)


_register(
    Rule(
        id="class.age_range",
        provisions=("P06", "N01"),
        title="班级月龄",
        scope="institution",
        subject="class",
        keys=lambda raw: [f"class.age_months.{raw['type']}"],
        evaluate=_age_eval,
        render=_age_render,
        all_keys=tuple(f"class.age_months.{t}" for t in CLASS_TYPES),
    )
)


# === staff (P10–P13, P17; N04, N05, N14, N15) ==========================================================


def _education_phrase(education: str | None, minimum: str | None) -> Callable[[str], str]:
    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return "学历未填报"
        word = "达到" if s == PASS else "低于"
        return f"学历{EDUCATION[education]}（{word}{EDUCATION[minimum]}）"  # type: ignore[index]

    return phrase


def _has(certs: tuple[str, ...] | None, code: str) -> bool:
    return certs is not None and code in certs


# Training passed, by the record or by holding its certificate.
def _trained(training: bool | None, certs: tuple[str, ...] | None, code: str) -> bool | None:
    if training is True or _has(certs, code):
        return True
    return False if training is False else None


_MANAGER_KEYS = [
    "staff.manager.min_education",
    "staff.manager.min_management_years",
    "staff.manager.training_required",
    "staff.manager.min_training_hours",
]


def _manager_eval(raw: dict, p: P, on: dt.date) -> Conds:
    hours_limit = p[_MANAGER_KEYS[3]]
    if hours_limit is None:
        hours = NOT_APPLICABLE
    elif raw["hours"] is not None:
        hours = PASS if raw["hours"] >= hours_limit else FAIL
    else:
        # The post-training certificate is issued for the full course (N04: ≥ 60 hours).
        hours = PASS if _has(raw["certs"], "manager_training") else UNKNOWN
    return [
        ("education", _education_at_least(raw["education"], p[_MANAGER_KEYS[0]])),
        ("years", _at_least(raw["years"], p[_MANAGER_KEYS[1]])),
        ("training", _flag(p[_MANAGER_KEYS[2]], _trained(raw["training"], raw["certs"], "manager_training"))),
        ("hours", hours),
    ]


def _manager_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    hours_limit = p[_MANAGER_KEYS[3]]

    def hours(s: str) -> str:
        if s == UNKNOWN:
            return "岗位培训学时未填报"
        if raw["hours"] is None:
            return "持负责人岗位培训合格证明"
        return f"岗位培训 {raw['hours']} 学时（{'不少于' if s == PASS else '少于'} {hours_limit} 学时）"

    phrases = {
        "education": _education_phrase(raw["education"], p[_MANAGER_KEYS[0]]),
        "years": _count_phrase("管理经验", raw["years"], p[_MANAGER_KEYS[1]], "年", True),
        "training": _yes("岗位培训合格", "岗位培训情况"),
        "hours": hours,
    }
    value = {
        "education": raw["education"],
        "management_years": num(raw["years"]),
        "training_passed": _trained(raw["training"], raw["certs"], "manager_training"),
        "training_hours": raw["hours"],
    }
    limit = {
        "education": p[_MANAGER_KEYS[0]],
        "management_years": num(p[_MANAGER_KEYS[1]]),
        "training_passed": p[_MANAGER_KEYS[2]],
        "training_hours": hours_limit,
    }
    return value, limit, _message("负责人资质", conds, phrases)


_register(
    Rule(
        id="staff.manager_qualification",
        provisions=("P10", "N04"),
        title="负责人资质",
        scope="institution",
        subject="staff",
        role="manager",
        keys=lambda raw: list(_MANAGER_KEYS),
        evaluate=_manager_eval,
        render=_manager_render,
        all_keys=tuple(_MANAGER_KEYS),
    )
)

_CAREGIVER_KEYS = [
    "staff.caregiver.min_education",
    "staff.caregiver.relevant_background_required",
    "staff.caregiver.certificates_any",
]


def _caregiver_eval(raw: dict, p: P, on: dt.date) -> Conds:
    wanted = p[_CAREGIVER_KEYS[2]]
    if wanted is None:
        cert = NOT_APPLICABLE
    elif raw["certs"] is None:
        cert = UNKNOWN
    else:
        cert = PASS if any(c in raw["certs"] for c in wanted) else FAIL
    return [
        ("education", _education_at_least(raw["education"], p[_CAREGIVER_KEYS[0]])),
        ("background", _flag(p[_CAREGIVER_KEYS[1]], raw["background"])),
        ("certificate", cert),
    ]


def _caregiver_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    wanted = p[_CAREGIVER_KEYS[2]] or ()
    names = "或".join(CERTIFICATES[c] for c in wanted)
    phrases = {
        "education": _education_phrase(raw["education"], p[_CAREGIVER_KEYS[0]]),
        "background": _yes("具有相关专业背景", "专业背景"),
        "certificate": lambda s: "资格证书未填报" if s == UNKNOWN else (f"持有{names}" if s == PASS else f"未持有{names}"),
    }
    value = {
        "education": raw["education"],
        "relevant_background": raw["background"],
        "certificates": None if raw["certs"] is None else list(raw["certs"]),
    }
    limit = {
        "education": p[_CAREGIVER_KEYS[0]],
        "relevant_background": p[_CAREGIVER_KEYS[1]],
        "certificates_any": list(wanted) or None,
    }
    return value, limit, _message("保育人员资质", conds, phrases)


_register(
    Rule(
        id="staff.caregiver_qualification",
        provisions=("P11",),
        title="保育人员资质",
        scope="institution",
        subject="staff",
        role="caregiver",
        keys=lambda raw: list(_CAREGIVER_KEYS),
        evaluate=_caregiver_eval,
        render=_caregiver_render,
        all_keys=tuple(_CAREGIVER_KEYS),
    )
)

_HEALTH_KEYS = [
    "staff.health_staff.min_education",
    "staff.health_staff.relevant_background_required",
    "staff.health_staff.title_required",
    "staff.health_staff.training_required",
]


def _health_eval(raw: dict, p: P, on: dt.date) -> Conds:
    title = raw["title"]
    return [
        ("education", _education_at_least(raw["education"], p[_HEALTH_KEYS[0]])),
        ("background", _flag(p[_HEALTH_KEYS[1]], raw["background"])),
        ("title", _flag(p[_HEALTH_KEYS[2]], None if title is None else bool(title.strip()))),
        ("training", _flag(p[_HEALTH_KEYS[3]], _trained(raw["training"], raw["certs"], "health_care_training"))),
    ]


def _health_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    phrases = {
        "education": _education_phrase(raw["education"], p[_HEALTH_KEYS[0]]),
        "background": _yes("具有相关专业背景", "专业背景"),
        "title": lambda s: "职称未填报" if s == UNKNOWN else (f"职称：{raw['title'].strip()}" if s == PASS else "无相应职称"),
        "training": _yes("卫生保健培训合格", "卫生保健培训情况"),
    }
    value = {
        "education": raw["education"],
        "relevant_background": raw["background"],
        "professional_title": raw["title"],
        "training_passed": _trained(raw["training"], raw["certs"], "health_care_training"),
    }
    limit = {
        "education": p[_HEALTH_KEYS[0]],
        "relevant_background": p[_HEALTH_KEYS[1]],
        "professional_title": p[_HEALTH_KEYS[2]],
        "training_passed": p[_HEALTH_KEYS[3]],
    }
    return value, limit, _message("卫生保健人员资质", conds, phrases)


_register(
    Rule(
        id="staff.health_staff_qualification",
        provisions=("P12", "N05"),
        title="卫生保健人员资质",
        scope="institution",
        subject="staff",
        role="health_staff",
        keys=lambda raw: list(_HEALTH_KEYS),
        evaluate=_health_eval,
        render=_health_render,
        all_keys=tuple(_HEALTH_KEYS),
    )
)

_GUARD_KEYS = ["staff.security_guard.licence_required", "staff.security_guard.licensed_company_required"]


def _guard_eval(raw: dict, p: P, on: dt.date) -> Conds:
    licence = None if raw["certs"] is None else "security_guard_licence" in raw["certs"]
    return [
        ("licence", _flag(p[_GUARD_KEYS[0]], licence)),
        ("company", _flag(p[_GUARD_KEYS[1]], raw["company"])),
    ]


def _guard_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    phrases = {
        "licence": _yes("持保安员证", "保安员证"),
        "company": _yes("由持证保安公司派驻", "派驻单位"),
    }
    value = {
        "security_guard_licence": None if raw["certs"] is None else "security_guard_licence" in raw["certs"],
        "licensed_company": raw["company"],
    }
    limit = {"security_guard_licence": p[_GUARD_KEYS[0]], "licensed_company": p[_GUARD_KEYS[1]]}
    return value, limit, _message("保安员资质", conds, phrases)


_register(
    Rule(
        id="staff.security_guard_licence",
        provisions=("P13", "N06"),
        title="保安员资质",
        scope="institution",
        subject="staff",
        role="security_guard",
        keys=lambda raw: list(_GUARD_KEYS),
        evaluate=_guard_eval,
        render=_guard_render,
        all_keys=tuple(_GUARD_KEYS),
    )
)


def _recent(day: dt.date | None, months: Any, on: dt.date) -> str:
    if months is None:
        return NOT_APPLICABLE
    if day is None:
        return UNKNOWN
    # Valid while no more than ``months`` have passed: on or after the same day ``months`` earlier.
    return PASS if day >= add_months(on, -months) else FAIL


def _recent_phrase(label: str, day: dt.date | None, months: Any, on_missing: str) -> Callable[[str], str]:
    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return on_missing
        return f"最近一次{label}在 {day.isoformat()}（{'未超过' if s == PASS else '已超过'} {months} 个月）"  # type: ignore[union-attr]

    return phrase


_register(
    Rule(
        id="staff.annual_health_exam",
        provisions=("P17", "N14"),
        title="工作人员健康检查",
        scope="any",
        subject="staff",
        keys=lambda raw: ["staff.health_exam_interval_months"],
        evaluate=lambda raw, p, on: [("exam", _recent(raw["exam"], p["staff.health_exam_interval_months"], on))],
        render=lambda raw, p, conds: (
            _date(raw["exam"]),
            p["staff.health_exam_interval_months"],
            _message(
                "工作人员健康检查",
                conds,
                {"exam": _recent_phrase("健康检查", raw["exam"], p["staff.health_exam_interval_months"], "健康检查日期未填报")},
            ),
        ),
        all_keys=("staff.health_exam_interval_months",),
    )
)

_CRIMINAL_KEYS = ["staff.criminal_record_recheck_months", "staff.criminal_record_clear_required"]


def _criminal_render(raw: dict, p: P, conds: Conds) -> tuple[Any, Any, str]:
    phrases = {
        "checked": _recent_phrase("违法犯罪记录查询", raw["crim_on"], p[_CRIMINAL_KEYS[0]], "违法犯罪记录查询日期未填报"),
        "clear": lambda s: "查询结果未填报" if s == UNKNOWN else ("无不得录用的记录" if s == PASS else "有性侵、虐待、拐卖、暴力伤害等记录，不得录用"),
    }
    value = {"checked_on": _date(raw["crim_on"]), "clear": raw["crim_clear"]}
    limit = {"recheck_months": p[_CRIMINAL_KEYS[0]], "clear_required": p[_CRIMINAL_KEYS[1]]}
    return value, limit, _message("违法犯罪记录查询", conds, phrases)


_register(
    Rule(
        id="staff.criminal_record_check",
        provisions=("N15",),
        title="违法犯罪记录查询",
        scope="any",
        subject="staff",
        keys=lambda raw: list(_CRIMINAL_KEYS),
        evaluate=lambda raw, p, on: [
            ("checked", _recent(raw["crim_on"], p[_CRIMINAL_KEYS[0]], on)),
            ("clear", _flag(p[_CRIMINAL_KEYS[1]], raw["crim_clear"])),
        ],
        render=_criminal_render,
        all_keys=tuple(_CRIMINAL_KEYS),
    )
)

RULES_BY_ID = {rule.id: rule for rule in RULES}


# --- running -----------------------------------------------------------------------------------------

SCOPE_MESSAGE = {
    "institution": "家庭托育点不适用本项（适用家庭托育点的规定）",
    "home_point": "非家庭托育点，不适用",
}
MISSING_LIST = {"class": ("classes", "班级信息未填报"), "staff": ("staff", "工作人员名单未填报")}


def provision_of(rule: Rule, sources: tuple) -> str:
    seen: list[str] = []
    for source in sources:
        if source.provision not in seen:
            seen.append(source.provision)
    return "/".join(seen or rule.provisions)


def out_of_scope(rule: Rule, home_point: bool) -> bool:
    return (rule.scope == "institution" and home_point) or (rule.scope == "home_point" and not home_point)


def scope_finding(rule: Rule) -> Finding:
    return Finding.cited(rule.id, "/".join(rule.provisions), NOT_APPLICABLE, "institution", None, None, f"{rule.title}：{SCOPE_MESSAGE[rule.scope]}")


def missing_list_finding(rule: Rule, recorder: Recorder) -> Finding:
    """One finding for a rule over classes or staff when the whole list is missing from the facts."""
    for key in rule.all_keys:
        recorder.get(key)
    sources = tuple(p.source for p in recorder.used)
    subject, what = MISSING_LIST[rule.subject]
    status = UNKNOWN if sources else NOT_APPLICABLE
    message = f"{rule.title}无法核实：{what}" if sources else f"{rule.title}：本配置未设定此项要求"
    return Finding.cited(rule.id, provision_of(rule, sources), status, subject, None, None, message, sources)


def subject_finding(rule: Rule, subject: str, raw: dict, params: Params, on: dt.date) -> Finding:
    recorder = params.recorder()
    p = {key: recorder.value(key) for key in rule.keys(raw)}
    conds = rule.evaluate(raw, p, on)
    value, limit, message = rule.render(raw, p, conds)
    sources = tuple(param.source for param in recorder.used)
    return Finding.cited(rule.id, provision_of(rule, sources), combine([s for _, s in conds]), subject, jsonable(value), jsonable(limit), message, sources)


def run_rule(rule: Rule, facts: Facts, params: Params, on: dt.date, inst: dict | None = None) -> list[Finding]:
    """One rule over one institution's facts: ``(facts, params, on) -> [Finding]``."""
    if out_of_scope(rule, facts.home_childcare_point):
        return [scope_finding(rule)]
    if rule.subject == "institution":
        return [subject_finding(rule, "institution", inst or institution_raw(facts), params, on)]
    if rule.subject == "class":
        if facts.classes is None:
            return [missing_list_finding(rule, params.recorder())]
        return [subject_finding(rule, f"class[{i}]", class_raw(c), params, on) for i, c in enumerate(facts.classes)]
    if facts.staff is None:
        return [missing_list_finding(rule, params.recorder())]
    return [
        subject_finding(rule, f"staff[{i}]", staff_raw(s), params, on)
        for i, s in enumerate(facts.staff)
        if rule.role is None or s.role == rule.role
    ]


def check(facts: Facts | dict, profile: Profile | str, on: dt.date | str) -> list[Finding]:
    """Every standards rule over one institution's facts, with the profile in force on ``on``.

    ``facts`` may be the parsed JSON (dict) or ``Facts``; ``profile`` a name or a ``Profile``;
    ``on`` a date or an ISO string. Raises PolicyInputError for bad facts, names or dates.
    Findings come in rule order (``RULES``), then subject order.
    """
    from tuoyu.engines.policy import resolve

    profile, on = resolve(profile, on)
    facts = load_facts(facts)
    params = profile.params(on)
    inst = institution_raw(facts)
    out: list[Finding] = []
    for rule in RULES:
        out += run_rule(rule, facts, params, on, inst)
    return out
