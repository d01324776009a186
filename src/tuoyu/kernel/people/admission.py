"""Admission health (N12): before a child's first day the vaccination certificate is checked and a
health check passed; a child away longer than the profile's months is checked again. Every page
that marks a child present asks ``admission_problems`` first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum

from django.db import transaction

from tuoyu import clock
from tuoyu.engines import policy
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied, require_create
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, record_created
from tuoyu.kernel.people.models import AdmissionCheck, Child
from tuoyu.kernel.people.services import may_keep
from tuoyu.kernel.registry.models import Institution

_MONTHS = "health.admission.recheck_after_absence_months"


class AdmissionError(StrEnum):
    FUTURE = "future"
    BEFORE_BIRTH = "before_birth"
    NO_HOSPITAL = "no_hospital"


def months_between(earlier: dt.date, later: dt.date) -> float:
    """Whole and part months from one day to another (30.44 days a month)."""
    return (later - earlier).days / 30.44


def admission_problem(
    checked_on: Iterable[dt.date], on: dt.date, last_present: dt.date | None, months: int, citation: str
) -> str | None:
    """Why a child cannot be marked present on ``on``, or None. ``checked_on`` are the days of the
    child's admission health checks, ``last_present`` the last day they were present before."""
    done = [day for day in checked_on if day <= on]
    if not done:
        return f"尚未登记预防接种证查验和入园健康检查（{citation}）"
    if last_present is not None and months_between(last_present, on) > months and max(done) <= last_present:
        return f"离园已超过{months}个月，须重新进行入园健康检查（{citation}）"
    return None


def admission_problems(
    children: Iterable[Child], on: dt.date, last_present: Mapping[int, dt.date | None]
) -> dict[int, str]:
    """The children of one institution that may not be marked present on ``on``, with the reason."""
    children = list(children)
    if not children:
        return {}
    institution = children[0].institution or (
        children[0].care_class.institution if children[0].care_class else None
    )
    profile = policy.load_profile(
        institution.subdistrict.effective_policy_profile() if institution else "national"
    )
    param = profile.lookup(_MONTHS, on)  # required: every profile inherits the national value
    checked: dict[int, list[dt.date]] = {}
    for child_id, day in AdmissionCheck.objects.filter(child__in=children).values_list(
        "child_id", "health_check_on"
    ):
        checked.setdefault(child_id, []).append(day)
    found = {}
    for child in children:
        problem = admission_problem(
            checked.get(child.pk, []), on, last_present.get(child.pk), param.value, param.source.citation()
        )
        if problem:
            found[child.pk] = problem
    return found


def admission_check_record(
    *, actor: Actor, child: Child, vaccination_checked_on: dt.date, health_check_on: dt.date, hospital: str
) -> AdmissionCheck:
    """Record a child's admission (or re-admission) health check and vaccination-certificate check."""
    with transaction.atomic():
        current = Child.objects.select_related("care_class__institution").get(pk=child.pk)
        if actor.user is not None and (current.care_class is None or not may_keep(actor, current.care_class)):
            raise AccessDenied
        check = AdmissionCheck(
            child=current,
            vaccination_checked_on=vaccination_checked_on,
            health_check_on=health_check_on,
            hospital=hospital.strip(),
            recorded_by=actor.user,
        )
        _validate(check, current)
        check.save()
        record(actor, Verb.CREATE, check, note=f"{current.name}入园健康检查 {health_check_on:%Y-%m-%d}")
    return check


def _validate(check: AdmissionCheck, child: Child) -> None:
    today = clock.today()
    for field, day in (
        ("health_check_on", check.health_check_on),
        ("vaccination_checked_on", check.vaccination_checked_on),
    ):
        if day > today:
            raise DomainError(AdmissionError.FUTURE, "日期不能晚于今天。", field=field)
        if day < child.birth_date:
            raise DomainError(AdmissionError.BEFORE_BIRTH, "日期不能早于出生日期。", field=field)
    if not check.hospital:
        raise DomainError(AdmissionError.NO_HOSPITAL, "请填写体检机构。", field="hospital")
    check.full_clean(exclude=["child", "recorded_by"])


def admission_checks_take_in(*, actor: Actor, institution: Institution, checks: list[AdmissionCheck]) -> int:
    """Take in the admission checks of a roster (the paper records of children already in care),
    all or none; returns how many."""
    with transaction.atomic():
        require_create(actor, AdmissionCheck, institution)
        for check in checks:
            if check.child.institution_id != institution.pk:
                raise AccessDenied
            check.recorded_by = actor.user
            _validate(check, check.child)
        AdmissionCheck.objects.bulk_create(checks, batch_size=500)
        return record_created(actor, checks, note="入园健康检查（纸质记录录入）")
