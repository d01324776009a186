"""A staff member's checks, certificates and training, and what falls due (P11–P13, P17, N04, N14, N15).

Each staff member is examined before starting and again within the profile's
``staff.health_exam_interval_months``; their criminal record is queried on hiring and again within
``staff.criminal_record_recheck_months``; a certificate with an end date lapses on it. What is due
is worked out from the records on the day asked (``dues``), so nothing has to be swept or kept in
step; the managers hear of each item ``NOTICE_DAYS`` ahead (``dues_remind``), once per due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from tuoyu import clock
from tuoyu.engines import policy
from tuoyu.engines.policy.dates import add_months
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, can, require_actor, scoped
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import notify
from tuoyu.kernel.people.models import (
    StaffCertificate,
    StaffCheck,
    StaffCheckKind,
    StaffMember,
    StaffTraining,
)
from tuoyu.kernel.people.selectors import institution_accounts
from tuoyu.kernel.people.services import OperationsError

# How far ahead a manager is told that a check or certificate is about to lapse: a month leaves
# time to book an examination or a renewal. A platform choice, not a standard.
NOTICE_DAYS = 30

INTERVALS = {
    StaffCheckKind.HEALTH_EXAM: "staff.health_exam_interval_months",
    StaffCheckKind.CRIMINAL_RECORD: "staff.criminal_record_recheck_months",
}


@dataclass(frozen=True)
class Due:
    """One check or certificate of one staff member that has lapsed or lapses soon."""

    staff: StaffMember
    what: str
    last_valid_on: dt.date | None  # None: never done, due since the day the person was hired
    basis: str  # the clause that sets the interval, or the certificate's own end date
    on: dt.date
    finding: str = ""  # the newest check failed: its day and conclusion

    @property
    def overdue(self) -> bool:
        return bool(self.finding) or self.last_valid_on is None or self.last_valid_on < self.on

    @property
    def state(self) -> str:
        if self.finding:
            return self.finding
        if self.last_valid_on is None:
            return "未登记"
        if self.overdue:
            return f"已于 {self.last_valid_on:%Y-%m-%d} 到期"
        days = (self.last_valid_on - self.on).days
        return "今天到期" if days == 0 else f"{days} 天后到期（{self.last_valid_on:%Y-%m-%d}）"

    @property
    def key(self) -> str:
        """The same item on the same due date: one reminder, however often the reminders run."""
        stamp = self.finding or (self.last_valid_on.isoformat() if self.last_valid_on else "never")
        return f"staff-due:{self.staff.pk}:{self.what}:{stamp}"


def _intervals(staff: StaffMember, on: dt.date, known: dict | None = None) -> dict[str, tuple[int, str]]:
    """The re-check intervals of the staff member's profile, in months, with their clauses (``known``
    keeps them per subdistrict across a list, whose staff mostly share a few profiles)."""
    known = {} if known is None else known
    if staff.institution.subdistrict_id in known:
        return known[staff.institution.subdistrict_id]
    profile = policy.load_profile(staff.institution.subdistrict.effective_policy_profile())
    found = known[staff.institution.subdistrict_id] = {}
    for kind, key in INTERVALS.items():
        param = profile.lookup(key, on)
        if param is not None and param.value is not None:
            found[kind] = (int(param.value), param.source.citation())
    return found


def staff_dues(
    staff: StaffMember, on: dt.date, *, within_days: int = NOTICE_DAYS, known: dict | None = None
) -> list[Due]:
    """What of one staff member has lapsed by ``on`` or lapses within ``within_days`` of it."""
    horizon = on + dt.timedelta(days=within_days)
    found = []
    for kind, (months, basis) in _intervals(staff, on, known).items():
        what = StaffCheckKind(kind).label
        last = staff.passed_check_on(kind, on)
        newest = staff.last_check(kind, on)
        if newest is not None and not newest.passed and (last is None or newest.checked_on >= last):
            # The newest check failed: the post is not to be kept, whatever an earlier check said.
            found.append(
                Due(staff, what, None, basis, on, finding=f"{newest.checked_on:%Y-%m-%d} {newest.verdict}")
            )
            continue
        valid = None if last is None else add_months(last, months)
        if valid is None or valid <= horizon:
            found.append(Due(staff, what, valid, basis, on))
    latest: dict[str, StaffCertificate] = {}
    for held in staff.certificate_records.all():
        if held.certificate not in latest or held.issued_on > latest[held.certificate].issued_on:
            latest[held.certificate] = held
    for held in latest.values():
        if held.expires_on is not None and held.expires_on <= horizon:
            found.append(Due(staff, held.get_certificate_display(), held.expires_on, "证书有效期", on))
    return found


def dues(staff: Iterable[StaffMember], on: dt.date, *, within_days: int = NOTICE_DAYS) -> list[Due]:
    """What has lapsed or lapses soon, overdue first, then by date."""
    known: dict = {}
    found = [due for member in staff for due in staff_dues(member, on, within_days=within_days, known=known)]
    return sorted(found, key=lambda d: (not d.overdue, d.last_valid_on or dt.date.min, d.staff.pk))


def staff_with_records(user: User):
    """Active staff the user may see, with what ``dues`` reads loaded."""
    return (
        scoped(user, StaffMember.objects.filter(left_on__isnull=True))
        .select_related("institution__subdistrict", "care_class")
        .prefetch_related("checks", "certificate_records")
        .order_by("institution__name", "name")
    )


def roster_marks(staff: Iterable[StaffMember], on: dt.date) -> dict[int, str]:
    """What the rosters say beside a staff member who should not be with children today: a health
    examination lapsed, never recorded or failed (N14), or a record query that found a record (N15)."""
    marks: dict[int, str] = {}
    for due in dues(staff, on, within_days=0):
        if due.what == StaffCheckKind.HEALTH_EXAM.label and due.overdue:
            marks.setdefault(due.staff.pk, "体检不合格" if due.finding else "体检已过期")
        elif due.what == StaffCheckKind.CRIMINAL_RECORD.label and due.finding:
            marks[due.staff.pk] = "不得上岗（违法犯罪记录）"
    return marks


# --- writes --------------------------------------------------------------------------------------


def _locked(actor: Actor, staff: StaffMember) -> StaffMember:
    current = StaffMember.objects.select_for_update().get(pk=staff.pk)
    require_actor(actor, current, Action.CHANGE)
    if current.left_on is not None:
        raise DomainError(OperationsError.STAFF_LEFT, "该人员已离职，不能再登记记录。")
    return current


def _not_in_future(day: dt.date, field: str) -> None:
    if day > clock.today():
        raise DomainError(OperationsError.DATE_IN_FUTURE, "日期不能晚于今天。", field=field)


def staff_check_record(
    *, actor: Actor, staff: StaffMember, kind: str, checked_on: dt.date, passed: bool, issuer: str
) -> StaffCheck:
    """Record a health examination or criminal-record query; a passed one that is the latest
    becomes the date the standards check reads."""
    with transaction.atomic():
        current = _locked(actor, staff)
        _not_in_future(checked_on, "checked_on")
        check = StaffCheck(
            staff=current,
            kind=kind,
            checked_on=checked_on,
            passed=passed,
            issuer=issuer.strip(),
            recorded_by=actor.user,
        )
        check.full_clean(exclude=["staff", "recorded_by"])
        check.save()
        record(actor, Verb.CREATE, check)
        before = snapshot(current)
        if kind == StaffCheckKind.HEALTH_EXAM:
            changed = _latest_health_exam(current, check)
        else:
            changed = _latest_record_query(current, check)
        if changed:
            current.save(update_fields=changed)
            record(actor, Verb.UPDATE, current, before=before, note=f"登记{check.get_kind_display()}")
        if not passed:
            _tell_managers(current, check)
    return check


def _latest_health_exam(staff: StaffMember, check: StaffCheck) -> list[str]:
    if check.passed and (staff.health_exam_date is None or check.checked_on >= staff.health_exam_date):
        staff.health_exam_date = check.checked_on
        return ["health_exam_date"]
    return []


def _latest_record_query(staff: StaffMember, check: StaffCheck) -> list[str]:
    # A query that found a record stands as the latest whatever earlier ones said (N15: do not hire).
    if staff.criminal_record_checked_on is None or check.checked_on >= staff.criminal_record_checked_on:
        staff.criminal_record_checked_on = check.checked_on
        staff.criminal_record_clear = check.passed
        return ["criminal_record_checked_on", "criminal_record_clear"]
    return []


def _managers(staff: StaffMember) -> list[User]:
    """The institution's accounts that keep its staff records."""
    return [user for user in institution_accounts(staff.institution) if can(user, staff, Action.CHANGE)]


def _tell_managers(staff: StaffMember, check: StaffCheck) -> None:
    notify(
        users=_managers(staff),
        topic=Topic.STAFF_DUE,
        title=f"{staff.name}的{check.get_kind_display()}结论：{check.verdict}",
        body=f"{check.checked_on:%Y-%m-%d} {check.issuer}：{check.verdict}。请按规定安排该人员调离岗位。",
        link=reverse("operations:staff_records", args=[staff.pk]),
        region_path=staff.institution.subdistrict.path,
    )


def staff_certificate_record(
    *,
    actor: Actor,
    staff: StaffMember,
    certificate: str,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date | None,
) -> StaffCertificate:
    """Record a certificate with its validity; the staff member then holds it (while it is valid)."""
    with transaction.atomic():
        current = _locked(actor, staff)
        _not_in_future(issued_on, "issued_on")
        if expires_on is not None and expires_on < issued_on:
            raise DomainError(
                OperationsError.EXPIRES_BEFORE_ISSUED, "有效期不能早于发证日期。", field="expires_on"
            )
        held = StaffCertificate(
            staff=current,
            certificate=certificate,
            number=number.strip(),
            issued_on=issued_on,
            expires_on=expires_on,
        )
        held.full_clean(exclude=["staff"])
        held.save()
        record(actor, Verb.CREATE, held)
        if certificate not in current.certificates:
            before = snapshot(current)
            current.certificates = [*current.certificates, certificate]
            current.save(update_fields=["certificates"])
            record(actor, Verb.UPDATE, current, before=before, note="登记资格证书")
    return held


def staff_training_record(
    *,
    actor: Actor,
    staff: StaffMember,
    stage: str,
    course: str,
    hours: int,
    finished_on: dt.date,
    provider: str,
) -> StaffTraining:
    with transaction.atomic():
        current = _locked(actor, staff)
        _not_in_future(finished_on, "finished_on")
        training = StaffTraining(
            staff=current,
            stage=stage,
            course=course.strip(),
            hours=hours,
            finished_on=finished_on,
            provider=provider.strip(),
        )
        training.full_clean(exclude=["staff"])
        training.save()
        record(actor, Verb.CREATE, training)
    return training


# --- reminders (run by the background worker) ----------------------------------------------------


def dues_remind(on: dt.date | None = None) -> int:
    """Tell each institution's managers of every check or certificate of their staff that lapses
    within ``NOTICE_DAYS`` or has lapsed; once per item and due date. Returns how many were queued."""
    on = on or clock.today()
    staff = (
        StaffMember.objects.filter(left_on__isnull=True)
        .select_related("institution__subdistrict")
        .prefetch_related("checks", "certificate_records")
    )
    queued = 0
    managers: dict[int, list[User]] = {}
    for due in dues(staff, on):
        institution = due.staff.institution
        if institution.pk not in managers:
            managers[institution.pk] = _managers(due.staff)
        with transaction.atomic():
            sent = notify(
                users=managers[institution.pk],
                topic=Topic.STAFF_DUE,
                title=f"{due.staff.name}的{due.what}：{due.state}",
                body=f"{due.staff.name}（{due.staff.get_role_display()}）的{due.what}：{due.state}。依据：{due.basis}。",
                link=reverse("operations:staff_records", args=[due.staff.pk]),
                region_path=institution.subdistrict.path,
                key=due.key,
            )
        queued += sent is not None
    return queued
