"""Staffing of an institution as a whole: the roles present, health staff and guards (P09; N05, N06)."""

from __future__ import annotations

import numpy as np

from tuoyu.engines.policy.findings import PASS, UNKNOWN
from tuoyu.engines.policy.standards import conditions as cond
from tuoyu.engines.policy.standards.columns import ROLE, Institution
from tuoyu.engines.policy.standards.conditions import NA, at_least, decide, full
from tuoyu.engines.policy.standards.rule import Explained, Values, standard
from tuoyu.engines.policy.standards.wording import count
from tuoyu.engines.policy.vocabulary import ROLES

_ROLES = "staff.roles_required"


def _roles_explained(s: Institution, p: Values) -> Explained:
    required, present = p[_ROLES] or (), s.tally.roles
    missing = [] if present is None else [r for r in required if r not in present]

    def phrase(st: str) -> str:
        if st == UNKNOWN:
            return "工作人员名单未填报"
        if st == PASS:
            return "已配备" + "、".join(ROLES[r] for r in required)
        return "缺少" + "、".join(ROLES[r] for r in missing)

    return Explained(None if present is None else list(present), list(required) or None, {"roles": phrase})


@standard("staff.roles_present", "岗位配备", ("P09",), (_ROLES,), explain=_roles_explained)
def roles_present(b, p, on):
    required = p[_ROLES]
    if required is None:
        return [("roles", full(b.n, NA))]
    mask = sum(1 << ROLE[r] for r in required)
    roles = b.inst["roles"]
    return [("roles", decide(roles < 0, roles & mask == mask))]


_HEALTH = ("staff.health_staff.min_count", "staff.health_staff.full_time_from_children")


def _health_count_explained(s: Institution, p: Values) -> Explained:
    minimum, threshold = p[_HEALTH[0]], p[_HEALTH[1]]
    n, full_time, children = s.tally.health_staff, s.tally.health_full_time, s.tally.children

    def phrase(st: str) -> str:
        if n is None:
            return "工作人员名单未填报"
        have = f"卫生保健人员 {n} 名（其中专职 {full_time} 名）"
        if n < minimum:
            return f"{have}，应至少 {minimum} 名"
        if st == UNKNOWN:
            return f"{have}；收托人数未填报" if children is None else f"{have}；部分人员是否专职未填报"
        if threshold is not None and children is not None and children >= threshold:
            return f"{have}；收托 {children} 人，达到 {threshold} 人，应至少 {minimum} 名专职"
        return have

    value = {"health_staff": n, "full_time": full_time, "children": children}
    limit = {"min_count": minimum, "full_time_from_children": threshold}
    return Explained(value, limit, {"count": phrase})


@standard("staff.health_staff_count", "卫生保健人员配备", ("N05",), _HEALTH, explain=_health_count_explained)
def health_staff_count(b, p, on):
    minimum, threshold = p[_HEALTH[0]], p[_HEALTH[1]]
    if minimum is None:
        return [("count", full(b.n, NA))]
    a = b.inst
    n, full_time, maybe, children = a["n_health"], a["n_health_ft"], a["n_health_ft_unknown"], a["children"]
    if threshold is None:
        status = np.where(n < minimum, cond.FAIL, cond.PASS)
    else:
        # from ``threshold`` children on, ``minimum`` of them must be full-time
        status = np.where(
            n < minimum,
            cond.FAIL,
            np.where(
                children < 0,
                np.where(full_time >= minimum, cond.PASS, cond.UNKNOWN),
                np.where(
                    (children < threshold) | (full_time >= minimum),
                    cond.PASS,
                    np.where(full_time + maybe >= minimum, cond.UNKNOWN, cond.FAIL),
                ),
            ),
        )
    return [("count", np.where(n < 0, cond.UNKNOWN, status).astype(np.int8))]


_GUARDS = "staff.security_guard.min_on_duty"


@standard(
    "staff.security_guard_count",
    "保安员配备",
    ("N06",),
    (_GUARDS,),
    explain=lambda s, p: Explained(
        s.tally.guards, p[_GUARDS], {"count": count("保安员", s.tally.guards, p[_GUARDS], "名", floor=True)}
    ),
)
def security_guard_count(b, p, on):
    guards = b.inst["n_guards"]
    return [("count", at_least(guards, p[_GUARDS], guards < 0))]
