"""Each staff member: qualifications by role, health checks and criminal-record checks (P10–P13, P17; N04–N06, N14, N15)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tuoyu.engines.policy.facts import StaffMember
from tuoyu.engines.policy.findings import PASS, UNKNOWN, num
from tuoyu.engines.policy.standards import conditions as cond
from tuoyu.engines.policy.standards.columns import certificates
from tuoyu.engines.policy.standards.conditions import (
    NA,
    at_least,
    decide,
    education_at_least,
    flag,
    full,
    holds,
    trained,
    within_months,
)
from tuoyu.engines.policy.standards.rule import Explained, Values, standard
from tuoyu.engines.policy.standards.wording import count, iso, since, yes
from tuoyu.engines.policy.vocabulary import CERTIFICATES, EDUCATION


def _education(education: str | None, minimum: str | None) -> Callable[[str], str]:
    def phrase(st: str) -> str:
        if st == UNKNOWN:
            return "学历未填报"
        return f"学历{EDUCATION[education]}（{'达到' if st == PASS else '低于'}{EDUCATION[minimum]}）"  # type: ignore[index]

    return phrase


def _trained(m: StaffMember, certificate: str) -> bool | None:
    """Training passed, by the record or by holding its certificate (as ``conditions.trained``)."""
    if m.training_passed is True or (m.certificates is not None and certificate in m.certificates):
        return True
    return False if m.training_passed is False else None


_MANAGER = (
    "staff.manager.min_education",
    "staff.manager.min_management_years",
    "staff.manager.training_required",
    "staff.manager.min_training_hours",
)


def _manager_explained(m: StaffMember, p: Values) -> Explained:
    hours_limit = p[_MANAGER[3]]

    def hours(st: str) -> str:
        if st == UNKNOWN:
            return "岗位培训学时未填报"
        if m.training_hours is None:
            return "持负责人岗位培训合格证明"
        return f"岗位培训 {m.training_hours} 学时（{'不少于' if st == PASS else '少于'} {hours_limit} 学时）"

    phrases = {
        "education": _education(m.education, p[_MANAGER[0]]),
        "years": count("管理经验", m.management_years, p[_MANAGER[1]], "年", floor=True),
        "training": yes("岗位培训合格", "岗位培训情况"),
        "hours": hours,
    }
    value = {
        "education": m.education,
        "management_years": num(m.management_years),
        "training_passed": _trained(m, "manager_training"),
        "training_hours": m.training_hours,
    }
    limit = {
        "education": p[_MANAGER[0]],
        "management_years": num(p[_MANAGER[1]]),
        "training_passed": p[_MANAGER[2]],
        "training_hours": hours_limit,
    }
    return Explained(value, limit, phrases)


@standard(
    "staff.manager_qualification",
    "负责人资质",
    ("P10", "N04"),
    _MANAGER,
    explain=_manager_explained,
    subject="staff",
    role="manager",
)
def manager_qualification(b, p, on):
    s = b.staff
    limit = p[_MANAGER[3]]
    if limit is None:
        hours = full(len(s["role"]), NA)
    else:
        # without hours on record, the post-training certificate vouches for the full course (N04: ≥ 60 hours)
        certified = np.where(holds(s["certs"], ["manager_training"]), cond.PASS, cond.UNKNOWN)
        hours = np.where(
            s["hours"] >= 0, np.where(s["hours"] >= limit, cond.PASS, cond.FAIL), certified
        ).astype(np.int8)
    return [
        ("education", education_at_least(s["education"], p[_MANAGER[0]])),
        ("years", at_least(s["years"], p[_MANAGER[1]], np.isnan(s["years"]))),
        ("training", flag(p[_MANAGER[2]], trained(s["training"], s["certs"], "manager_training"))),
        ("hours", hours),
    ]


_CAREGIVER = (
    "staff.caregiver.min_education",
    "staff.caregiver.relevant_background_required",
    "staff.caregiver.certificates_any",
)


def _caregiver_explained(m: StaffMember, p: Values) -> Explained:
    wanted = p[_CAREGIVER[2]] or ()
    names = "或".join(CERTIFICATES[c] for c in wanted)
    held = certificates(m)
    phrases = {
        "education": _education(m.education, p[_CAREGIVER[0]]),
        "background": yes("具有相关专业背景", "专业背景"),
        "certificate": lambda st: (
            "资格证书未填报" if st == UNKNOWN else (f"持有{names}" if st == PASS else f"未持有{names}")
        ),
    }
    value = {
        "education": m.education,
        "relevant_background": m.relevant_background,
        "certificates": None if held is None else list(held),
    }
    limit = {
        "education": p[_CAREGIVER[0]],
        "relevant_background": p[_CAREGIVER[1]],
        "certificates_any": list(wanted) or None,
    }
    return Explained(value, limit, phrases)


@standard(
    "staff.caregiver_qualification",
    "保育人员资质",
    ("P11",),
    _CAREGIVER,
    explain=_caregiver_explained,
    subject="staff",
    role="caregiver",
)
def caregiver_qualification(b, p, on):
    s = b.staff
    wanted = p[_CAREGIVER[2]]
    certificate = (
        full(len(s["role"]), NA) if wanted is None else decide(s["certs"] < 0, holds(s["certs"], wanted))
    )
    return [
        ("education", education_at_least(s["education"], p[_CAREGIVER[0]])),
        ("background", flag(p[_CAREGIVER[1]], s["background"])),
        ("certificate", certificate),
    ]


_HEALTH = (
    "staff.health_staff.min_education",
    "staff.health_staff.relevant_background_required",
    "staff.health_staff.title_required",
    "staff.health_staff.training_required",
)


def _health_explained(m: StaffMember, p: Values) -> Explained:
    title = m.professional_title
    phrases = {
        "education": _education(m.education, p[_HEALTH[0]]),
        "background": yes("具有相关专业背景", "专业背景"),
        "title": lambda st: (
            "职称未填报" if st == UNKNOWN else (f"职称：{title.strip()}" if st == PASS else "无相应职称")
        ),  # type: ignore[union-attr]
        "training": yes("卫生保健培训合格", "卫生保健培训情况"),
    }
    value = {
        "education": m.education,
        "relevant_background": m.relevant_background,
        "professional_title": title,
        "training_passed": _trained(m, "health_care_training"),
    }
    limit = {
        "education": p[_HEALTH[0]],
        "relevant_background": p[_HEALTH[1]],
        "professional_title": p[_HEALTH[2]],
        "training_passed": p[_HEALTH[3]],
    }
    return Explained(value, limit, phrases)


@standard(
    "staff.health_staff_qualification",
    "卫生保健人员资质",
    ("P12", "N05"),
    _HEALTH,
    explain=_health_explained,
    subject="staff",
    role="health_staff",
)
def health_staff_qualification(b, p, on):
    s = b.staff
    return [
        ("education", education_at_least(s["education"], p[_HEALTH[0]])),
        ("background", flag(p[_HEALTH[1]], s["background"])),
        ("title", flag(p[_HEALTH[2]], s["title"])),
        ("training", flag(p[_HEALTH[3]], trained(s["training"], s["certs"], "health_care_training"))),
    ]


_GUARD = ("staff.security_guard.licence_required", "staff.security_guard.licensed_company_required")


def _guard_explained(m: StaffMember, p: Values) -> Explained:
    licence = None if m.certificates is None else "security_guard_licence" in m.certificates
    phrases = {"licence": yes("持保安员证", "保安员证"), "company": yes("由持证保安公司派驻", "派驻单位")}
    value = {"security_guard_licence": licence, "licensed_company": m.licensed_company}
    return Explained(
        value, {"security_guard_licence": p[_GUARD[0]], "licensed_company": p[_GUARD[1]]}, phrases
    )


@standard(
    "staff.security_guard_licence",
    "保安员资质",
    ("P13", "N06"),
    _GUARD,
    explain=_guard_explained,
    subject="staff",
    role="security_guard",
)
def security_guard_licence(b, p, on):
    certs = b.staff["certs"]
    licence = np.where(certs < 0, -1, holds(certs, ["security_guard_licence"])).astype(np.int8)
    return [("licence", flag(p[_GUARD[0]], licence)), ("company", flag(p[_GUARD[1]], b.staff["company"]))]


_EXAM = "staff.health_exam_interval_months"


@standard(
    "staff.annual_health_exam",
    "工作人员健康检查",
    ("P17", "N14"),
    (_EXAM,),
    explain=lambda m, p: Explained(
        iso(m.health_exam_date),
        p[_EXAM],
        {"exam": since("健康检查", m.health_exam_date, p[_EXAM], "健康检查日期未填报")},
    ),
    scope="any",
    subject="staff",
)
def annual_health_exam(b, p, on):
    return [("exam", within_months(b.staff["exam"], p[_EXAM], on))]


_CRIMINAL = ("staff.criminal_record_recheck_months", "staff.criminal_record_clear_required")


def _criminal_explained(m: StaffMember, p: Values) -> Explained:
    phrases = {
        "checked": since(
            "违法犯罪记录查询", m.criminal_record_checked_on, p[_CRIMINAL[0]], "违法犯罪记录查询日期未填报"
        ),
        "clear": lambda st: (
            "查询结果未填报"
            if st == UNKNOWN
            else ("无不得录用的记录" if st == PASS else "有性侵、虐待、拐卖、暴力伤害等记录，不得录用")
        ),
    }
    value = {"checked_on": iso(m.criminal_record_checked_on), "clear": m.criminal_record_clear}
    return Explained(value, {"recheck_months": p[_CRIMINAL[0]], "clear_required": p[_CRIMINAL[1]]}, phrases)


@standard(
    "staff.criminal_record_check",
    "违法犯罪记录查询",
    ("N15",),
    _CRIMINAL,
    explain=_criminal_explained,
    scope="any",
    subject="staff",
)
def criminal_record_check(b, p, on):
    s = b.staff
    return [
        ("checked", within_months(s["crim_on"], p[_CRIMINAL[0]], on)),
        ("clear", flag(p[_CRIMINAL[1]], s["crim_clear"])),
    ]
