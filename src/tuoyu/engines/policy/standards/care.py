"""Daily care: health routines and outdoor time (P18; N13)."""

from __future__ import annotations

import math

import numpy as np

from tuoyu.engines.policy.findings import PASS, UNKNOWN, num, text
from tuoyu.engines.policy.standards import conditions as cond
from tuoyu.engines.policy.standards.columns import SERVICE_BIT, Institution
from tuoyu.engines.policy.standards.conditions import NA, full
from tuoyu.engines.policy.standards.duties import duties
from tuoyu.engines.policy.standards.rule import Explained, Values, standard

daily_routines = duties(
    "health.daily_routines",
    "卫生保健制度",
    ("P18",),
    "health.daily_routines_required",
    {
        "h_daily": ("落实每日晨午检", "晨午检"),
        "h_disinfection": ("落实卫生消毒", "卫生消毒"),
        "h_isolation": ("落实病儿隔离", "病儿隔离"),
    },
    scope="any",
)

_OUTDOOR = "care.min_outdoor_hours_full_day"


def _outdoor_explained(s: Institution, p: Values) -> Explained:
    hours, types, minutes = p[_OUTDOOR], s.facts.service_types, s.facts.outdoor_minutes_per_day
    limit = None if hours is None else num(hours * 60)
    if hours is not None and types is not None and "full_day" not in types:
        return Explained(minutes, limit, {}, "不提供全日托，不适用")

    def phrase(st: str) -> str:
        if st == UNKNOWN:
            return "服务类型未填报" if types is None else "每日户外活动时间未填报"
        return f"全日托每日户外活动 {minutes} 分钟（{'不少于' if st == PASS else '少于'} {text(hours * 60)} 分钟）"

    return Explained(minutes, limit, {"outdoor": phrase})


@standard("care.outdoor_time", "户外活动时间", ("N13",), (_OUTDOOR,), explain=_outdoor_explained, scope="any")
def outdoor_time(b, p, on):
    hours = p[_OUTDOOR]
    if hours is None:
        return [("outdoor", full(b.n, NA))]
    types, minutes = b.inst["service_types"], b.inst["outdoor_minutes"]
    # whole minutes: at least ceil(hours × 60) is the same as at least hours × 60
    need = math.ceil(hours * 60)
    status = np.where(
        types < 0,
        cond.UNKNOWN,
        np.where(
            types & SERVICE_BIT["full_day"] == 0,
            NA,
            np.where(minutes < 0, cond.UNKNOWN, np.where(minutes >= need, cond.PASS, cond.FAIL)),
        ),
    )
    return [("outdoor", status.astype(np.int8))]
