"""Writes about classes, children and staff: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, permits, require_actor, require_create
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.people.actions import PLACE_CHILD
from tuoyu.kernel.people.models import Child, StaffMember
from tuoyu.kernel.registry.models import Institution


class OperationsError(StrEnum):
    CLASS_OF_OTHER_INSTITUTION = "class_of_other_institution"
    LEFT_BEFORE_HIRED = "left_before_hired"
    ALREADY_IN_POST = "already_in_post"


STAFF_FIELDS = (
    "name",
    "id_number",
    "phone",
    "role",
    "care_class",
    "education",
    "relevant_background",
    "management_years",
    "training_passed",
    "certificates",
    "professional_title",
    "licensed_company",
    "full_time",
    "health_exam_date",
    "criminal_record_checked_on",
    "criminal_record_clear",
    "hired_on",
)


def child_fields_for(actor: Actor) -> tuple[str, ...]:
    """Guardians keep their child's care needs current; the institution also places the child in a class."""
    return ("allergies", "care_class") if permits(actor, PLACE_CHILD) else ("allergies",)


def _check_staff(staff: StaffMember) -> None:
    # full_clean also enforces one active post per person (StaffMember's constraint), whose message
    # speaks of another institution; a second registration in the same one is told so instead.
    number = StaffMember._meta.get_field("id_number").canonical(staff.id_number)
    if (
        staff.left_on is None
        and StaffMember.objects.filter(
            institution_id=staff.institution_id, id_number=number, left_on__isnull=True
        )
        .exclude(pk=staff.pk)
        .exists()
    ):
        raise DomainError(
            OperationsError.ALREADY_IN_POST, "该人员已在本机构在岗登记，无需重复登记。", field="id_number"
        )
    staff.full_clean()
    if staff.care_class_id and staff.care_class.institution_id != staff.institution_id:
        raise DomainError(
            OperationsError.CLASS_OF_OTHER_INSTITUTION, "所选班级不属于本机构。", field="care_class"
        )


def staff_create(*, actor: Actor, institution: Institution, data: dict[str, Any]) -> StaffMember:
    with transaction.atomic():
        require_create(actor, StaffMember, institution)
        staff = StaffMember(institution=institution, **{k: v for k, v in data.items() if k in STAFF_FIELDS})
        _check_staff(staff)
        staff.save()
        record(actor, Verb.CREATE, staff)
    return staff


def staff_update(*, actor: Actor, staff: StaffMember, data: dict[str, Any]) -> StaffMember:
    with transaction.atomic():
        current = StaffMember.objects.select_for_update().get(pk=staff.pk)
        require_actor(actor, current, Action.CHANGE)
        changed = [k for k in data if k in STAFF_FIELDS and getattr(current, k) != data[k]]
        if not changed:
            return current
        before = snapshot(current)
        for name in changed:
            setattr(current, name, data[name])
        _check_staff(current)
        current.save(update_fields=changed)
        record(actor, Verb.UPDATE, current, before=before)
    return current


def staff_leave(*, actor: Actor, staff: StaffMember, left_on: dt.date) -> StaffMember:
    with transaction.atomic():
        current = StaffMember.objects.select_for_update().get(pk=staff.pk)
        require_actor(actor, current, Action.CHANGE)
        if left_on < current.hired_on:
            raise DomainError(
                OperationsError.LEFT_BEFORE_HIRED, "离职日期不能早于入职日期。", field="left_on"
            )
        before = snapshot(current)
        current.left_on = left_on
        current.care_class = None
        current.save(update_fields=["left_on", "care_class"])
        record(actor, Verb.UPDATE, current, before=before, note="办理离职")
    return current


def child_update(*, actor: Actor, child: Child, data: dict[str, Any]) -> Child:
    fields = child_fields_for(actor)
    with transaction.atomic():
        current = Child.objects.select_for_update().get(pk=child.pk)
        require_actor(actor, current, Action.CHANGE)
        changed = [k for k in data if k in fields and getattr(current, k) != data[k]]
        if not changed:
            return current
        before = snapshot(current)
        for name in changed:
            setattr(current, name, data[name])
        if current.care_class_id and current.care_class.institution_id != current.institution_id:
            raise ValidationError({"care_class": "所选班级不属于孩子所在机构。"})
        current.full_clean()
        current.save(update_fields=changed)
        record(actor, Verb.UPDATE, current, before=before)
    return current


def people_release(*, actor: Actor, institution_id: int, on: dt.date) -> None:
    """On closure the children leave the institution and the staff leave their posts, as placed.
    The caller (the closure filing's decision) has authorised this."""
    for child in Child.objects.filter(institution_id=institution_id):
        before = snapshot(child)
        child.institution = None
        child.care_class = None
        child.save(update_fields=["institution", "care_class"])
        record(actor, Verb.UPDATE, child, before=before, note="机构注销，按安置方案离园")
    for staff in StaffMember.objects.filter(institution_id=institution_id, left_on__isnull=True):
        before = snapshot(staff)
        staff.left_on = max(on, staff.hired_on)
        staff.care_class = None
        staff.save(update_fields=["left_on", "care_class"])
        record(actor, Verb.UPDATE, staff, before=before, note="机构注销，按安置方案离职")
