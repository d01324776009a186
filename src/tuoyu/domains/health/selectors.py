"""Reads of the health domain, every one through the access layer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, QuerySet

from tuoyu import clock
from tuoyu.domains.health.models import ChildCheck, ClassCheck, OutbreakAlert, ReturnCertificate
from tuoyu.kernel.accounts.access import get_for, scoped
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.people.admission import admission_problems
from tuoyu.kernel.people.models import CareClass, Child
from tuoyu.kernel.people.selectors import open_holds
from tuoyu.kernel.registry.models import Institution


def checks_on(user: User, institution: Institution, on: dt.date) -> dict[tuple[int, str], ClassCheck]:
    """The sittings recorded on a day, by (class id, sitting)."""
    rows = scoped(user, ClassCheck.objects.filter(care_class__institution=institution, date=on))
    return {(row.care_class_id, row.sitting): row for row in rows.select_related("recorded_by")}


def findings_on(user: User, institution: Institution, on: dt.date) -> QuerySet[ChildCheck]:
    """The children with a finding or absent on a day, for the institution's health page."""
    rows = scoped(
        user,
        ChildCheck.objects.filter(class_check__care_class__institution=institution, class_check__date=on),
    )
    return (
        rows.exclude(present=True, symptoms=[], diagnosis="", action="")
        .select_related("child", "class_check__care_class")
        .order_by("class_check__care_class__name", "class_check__sitting", "child__name")
    )


def recorded_results(check: ClassCheck | None) -> dict[int, ChildCheck]:
    return {} if check is None else {row.child_id: row for row in check.results.all()}


def awaited_certificates(user: User, institution: Institution) -> QuerySet[ReturnCertificate]:
    return scoped(
        user,
        ReturnCertificate.objects.filter(child__institution=institution, received_on__isnull=True),
    ).select_related("child__care_class", "sent_home__class_check")


def last_present(children: list[Child], before: dt.date) -> dict[int, dt.date]:
    """The last day before ``before`` each child was checked present."""
    rows = (
        ChildCheck.objects.filter(child__in=children, present=True, class_check__date__lt=before)
        .values("child_id")
        .annotate(last=Max("class_check__date"))
    )
    return {row["child_id"]: row["last"] for row in rows}


def held(children: list[Child], on: dt.date) -> dict[int, str]:
    """Which of these children (already read through access) may not be marked present on ``on``,
    and why: a return certificate awaited, an admission check missing, a hold of another package."""
    found = dict(admission_problems(children, on, last_present(children, on)))
    for certificate in ReturnCertificate.objects.filter(child__in=children, received_on__isnull=True):
        found.setdefault(certificate.child_id, f"待收{certificate.get_diagnosis_display()}复课证明")
    for child_id, holds in open_holds(children).items():
        found.setdefault(child_id, holds[0].reason)
    return found


def alerts_for(user: User, *, institution: Institution | None = None) -> QuerySet[OutbreakAlert]:
    """The alerts this post may see."""
    rows = scoped(
        user, OutbreakAlert.objects.select_related("institution__subdistrict", "care_class", "reported_by")
    )
    if institution is not None:
        rows = rows.filter(institution=institution)
    return rows


def open_alert_count(user: User) -> int:
    return scoped(
        user, OutbreakAlert.objects.filter(reported_at__isnull=True, withdrawn_at__isnull=True)
    ).count()


def hours_left(alert: OutbreakAlert) -> float:
    """Hours until the report falls due (negative once overdue)."""
    return (alert.report_due_at - clock.now()).total_seconds() / 3600


def class_for_check(user: User, pk: int) -> CareClass:
    return get_for(user, CareClass.objects.select_related("institution__subdistrict"), pk)


def child_results_on(user: User, children: list[Child], on: dt.date) -> dict[tuple[int, str], ChildCheck]:
    """Each child's result at each sitting of a day, by (child id, sitting), as this post may see."""
    rows = scoped(user, ChildCheck.objects.filter(child__in=children, class_check__date=on)).select_related(
        "class_check"
    )
    return {(row.child_id, row.class_check.sitting): row for row in rows}
