"""Writes of the attendance domain: arrivals, absences and their follow-up, departures to an
authorised adult (P19), refusals, and the guardians' list of who may collect their child. One
transaction each, audited."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.db import transaction

from tuoyu import clock
from tuoyu.domains.attendance.actions import AUTHORISE_PICKUP, KEEP_ATTENDANCE
from tuoyu.domains.attendance.models import AbsenceReason, Attendance, PickupPerson, RefusedPickup
from tuoyu.domains.attendance.selectors import last_arrivals
from tuoyu.engines import policy
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied, authorize, permits
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import notify
from tuoyu.kernel.people.admission import admission_problems
from tuoyu.kernel.people.models import Child
from tuoyu.kernel.people.selectors import institution_managers, open_holds
from tuoyu.kernel.people.services import may_keep


class AttendanceError(StrEnum):
    NOT_IN_CARE = "not_in_care"
    HELD = "held"
    NOT_ARRIVED = "not_arrived"
    ALREADY_LEFT = "already_left"
    ABSENT = "absent"
    NOT_ON_LIST = "not_on_list"
    BAD_INPUT = "bad_input"
    NOT_SICK = "not_sick"
    NOT_GUARDIAN = "not_guardian"


def may_keep_attendance(actor: Actor | User, child: Child) -> bool:
    care_class = child.care_class
    return (
        care_class is not None and permits(actor, KEEP_ATTENDANCE, care_class) and may_keep(actor, care_class)
    )


def _current(actor: Actor, child: Child) -> Child:
    current = Child.objects.select_related("care_class__institution__subdistrict").get(pk=child.pk)
    if actor.user is None or not may_keep_attendance(actor, current):
        raise AccessDenied
    return current


def _day(child: Child, on: dt.date) -> tuple[Attendance, dict | None]:
    """The child's row for the day, locked, and its state before this change (None when new)."""
    row = Attendance.objects.select_for_update().filter(child=child, date=on).first()
    if row is not None:
        return row, snapshot(row)
    return Attendance(child=child, care_class=child.care_class, date=on), None


def _save(actor: Actor, row: Attendance, before: dict | None, note: str) -> Attendance:
    row.full_clean(exclude=["child", "care_class", "collected_by_guardian", "collected_by_person"])
    row.save()
    record(actor, Verb.CREATE if before is None else Verb.UPDATE, row, before=before, note=note)
    return row


def _today_only(on: dt.date) -> None:
    # The door is kept as it happens: a day already past is corrected by the manager in the audit
    # trail's sight, never typed in afresh.
    if on != clock.today():
        raise DomainError(AttendanceError.BAD_INPUT, "只能记录今天的入园、缺勤和离园。")


def arrival_record(*, actor: Actor, child: Child, at: dt.time | None = None) -> Attendance:
    """The child came in: refused while a hold keeps the child out (a return certificate awaited …)."""
    on = clock.today()
    at = at or clock.now().time().replace(second=0, microsecond=0)
    with transaction.atomic():
        current = _current(actor, child)
        _today_only(on)
        for hold in open_holds([current]).get(current.pk, []):
            raise DomainError(AttendanceError.HELD, f"{current.name}暂不能入园：{hold.reason}。")
        if problem := admission_problems([current], on, last_arrivals([current], on)).get(current.pk):
            raise DomainError(AttendanceError.HELD, f"{current.name}暂不能入园：{problem}。")
        row, before = _day(current, on)
        if row.departed_at is not None:
            raise DomainError(AttendanceError.ALREADY_LEFT, f"{current.name}今天已离园。")
        row.absence, row.absence_note, row.follow_up = "", "", ""
        row.arrived_at = row.arrived_at or at
        return _save(actor, row, before, f"{current.name} {at:%H:%M} 入园")


def absence_record(*, actor: Actor, child: Child, reason: str, note: str = "") -> Attendance:
    on = clock.today()
    if reason not in AbsenceReason.values:
        raise DomainError(AttendanceError.BAD_INPUT, "请选择缺勤原因。", field="reason")
    with transaction.atomic():
        current = _current(actor, child)
        _today_only(on)
        row, before = _day(current, on)
        if row.arrived_at is not None:
            raise DomainError(AttendanceError.BAD_INPUT, f"{current.name}今天已入园，不能记为缺勤。")
        row.absence, row.absence_note = reason, note.strip()
        return _save(actor, row, before, f"{current.name} 缺勤（{row.get_absence_display()}）")


def follow_up_record(*, actor: Actor, child: Child, note: str) -> Attendance:
    """What the same-day call to a sick child's family found (symptoms, doctor, diagnosis)."""
    on = clock.today()
    with transaction.atomic():
        current = _current(actor, child)
        row, before = _day(current, on)
        if row.absence != AbsenceReason.SICK:
            raise DomainError(AttendanceError.NOT_SICK, "只有病假缺勤需要登记随访。")
        if not note.strip():
            raise DomainError(AttendanceError.BAD_INPUT, "请填写随访情况。", field="note")
        row.follow_up = note.strip()
        return _save(actor, row, before, f"{current.name} 病假随访")


def collectors(child: Child) -> list[tuple[str, str]]:
    """Who may collect the child, as (choice value, label): guardians, then the adults they authorised."""
    out = [
        (f"guardian:{g.user_id}", f"{g.user}（{g.get_relation_display()}）")
        for g in child.guardianships.select_related("user").order_by("pk")
        if g.user.is_active
    ]
    out += [
        (f"person:{p.pk}", f"{p.name}（{p.get_relation_display()}）")
        for p in child.pickup_people.filter(revoked_at__isnull=True).order_by("authorised_at", "pk")
    ]
    return out


def departure_record(*, actor: Actor, child: Child, collector: str, at: dt.time | None = None) -> Attendance:
    """Hand the child over to someone on the child's list (``collector`` a value of ``collectors``)."""
    on = clock.today()
    at = at or clock.now().time().replace(second=0, microsecond=0)
    with transaction.atomic():
        current = _current(actor, child)
        _today_only(on)
        allowed = dict(collectors(current))
        if collector not in allowed:
            raise DomainError(
                AttendanceError.NOT_ON_LIST,
                f"接送人不在该婴幼儿的接送名单中，不得交接{_basis(current, on)}。",
                field="collector",
            )
        row, before = _day(current, on)
        if row.arrived_at is None:
            raise DomainError(AttendanceError.NOT_ARRIVED, f"{current.name}今天没有入园记录。")
        if row.departed_at is not None:
            raise DomainError(
                AttendanceError.ALREADY_LEFT, f"{current.name}已于 {row.departed_at:%H:%M} 离园。"
            )
        kind, _, pk = collector.partition(":")
        row.collected_by_guardian_id = int(pk) if kind == "guardian" else None
        row.collected_by_person_id = int(pk) if kind == "person" else None
        row.departed_at = at
        return _save(actor, row, before, f"{current.name} {at:%H:%M} 由{allowed[collector]}接走")


def pickup_refuse(
    *, actor: Actor, child: Child, name: str, phone: str = "", claimed: str = ""
) -> RefusedPickup:
    """Someone not on the list came for the child: the child stays, the refusal is recorded, and
    the institution's manager and the guardians are told at once (P19)."""
    if not name.strip():
        raise DomainError(AttendanceError.BAD_INPUT, "请填写来人姓名。", field="name")
    with transaction.atomic():
        current = _current(actor, child)
        refused = RefusedPickup(
            child=current,
            name=name.strip(),
            phone=phone.strip(),
            claimed=claimed.strip(),
            recorded_by=actor.user,
        )
        refused.full_clean(exclude=["child", "recorded_by"])
        refused.save()
        record(actor, Verb.CREATE, refused, note=f"名单外人员来接{current.name}，已拒绝交接")
        institution = current.care_class.institution
        who = refused.name + (f"（自称{refused.claimed}）" if refused.claimed else "")
        body = (
            f"{clock.local(refused.at):%m-%d %H:%M}，{who}到{institution.name}接{current.name}。"
            f"此人不在孩子的接送名单中，园方已拒绝交接{_basis(current, clock.today())}，孩子仍在园。"
            "如需由此人接送，请家长在平台授权或与园方联系。"
        )
        people = [g.user for g in current.guardianships.select_related("user")]
        people += institution_managers(institution)
        notify(
            users=people,
            topic=Topic.PICKUP_REFUSED,
            title=f"名单外人员来接{current.name}，已拒绝交接",
            body=body,
            region_path=institution.subdistrict.path,
        )
    return refused


def _basis(child: Child, on: dt.date) -> str:
    """The clause the institution's profile gives for handing a child only to a guardian or an
    adult they authorised (P19), in brackets; nothing where the profile sets none."""
    institution = child.care_class.institution
    param = policy.load_profile(institution.subdistrict.effective_policy_profile()).lookup(
        "safety.authorised_pickup_required", on
    )
    return f"（依据 {param.source.citation()}）" if param is not None and param.value else ""


def pickup_person_add(*, actor: Actor, child: Child, name: str, relation: str, phone: str) -> PickupPerson:
    """A guardian authorises another adult to collect their child."""
    with transaction.atomic():
        current = Child.objects.select_related("institution__subdistrict").get(pk=child.pk)
        authorize(actor, AUTHORISE_PICKUP, current)
        person = PickupPerson(
            child=current, name=name.strip(), relation=relation, phone=phone, authorised_by=actor.user
        )
        person.full_clean(exclude=["child", "authorised_by"])
        person.save()
        record(actor, Verb.CREATE, person, note=f"授权{person}接送")
        _tell_institution(
            current, f"{actor.user}授权{person.name}（{person.get_relation_display()}）接送{current.name}"
        )
    return person


def pickup_person_revoke(*, actor: Actor, person: PickupPerson) -> PickupPerson:
    with transaction.atomic():
        current = (
            PickupPerson.objects.select_for_update(of=("self",)).select_related("child").get(pk=person.pk)
        )
        authorize(actor, AUTHORISE_PICKUP, current)
        if current.revoked_at is not None:
            return current
        before = snapshot(current)
        current.revoked_at = clock.now()
        current.save(update_fields=["revoked_at"])
        record(actor, Verb.UPDATE, current, before=before, note=f"撤销{current}的接送授权")
        _tell_institution(current.child, f"{actor.user}撤销了{current.name}接送{current.child.name}的授权")
    return current


def _tell_institution(child: Child, text: str) -> None:
    """The institution keeps the door: the class's keepers hear of every change to the list."""
    if child.care_class_id is None:
        return
    notify(
        users=[*child.care_class.keepers.all(), *institution_managers(child.care_class.institution)],
        topic=Topic.PICKUP_CHANGED,
        title=f"{child.name}的接送名单有变动",
        body=text + "。",
        region_path=child.institution.subdistrict.path if child.institution_id else "",
    )
