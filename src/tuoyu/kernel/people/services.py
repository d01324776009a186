"""Writes about classes, children and staff: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tuoyu import clock
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, authorize, permits, require_actor, require_create
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, record_created, snapshot
from tuoyu.kernel.people.actions import LINK_GUARDIAN, PLACE_CHILD, REGISTER_OWN_CHILD
from tuoyu.kernel.people.models import CareClass, Child, Guardianship, StaffMember
from tuoyu.kernel.registry.models import Institution


class OperationsError(StrEnum):
    CLASS_OF_OTHER_INSTITUTION = "class_of_other_institution"
    LEFT_BEFORE_HIRED = "left_before_hired"
    ALREADY_IN_POST = "already_in_post"
    NOT_A_GUARDIAN = "not_a_guardian"
    ALREADY_LINKED = "already_linked"
    ENROLLED_BEFORE_BIRTH = "enrolled_before_birth"


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


# What an institution records about each child it takes in (its roster, 花名册).
CHILD_FIELDS = (
    "name",
    "id_number",
    "birth_date",
    "sex",
    "residence",
    "care_class",
    "enrolled_on",
    "allergies",
)


def care_class_create(*, actor: Actor, institution: Institution, name: str, class_type: str) -> CareClass:
    with transaction.atomic():
        require_create(actor, CareClass, institution)
        care_class = CareClass(institution=institution, name=name.strip(), class_type=class_type)
        care_class.full_clean()
        care_class.save()
        record(actor, Verb.CREATE, care_class)
    return care_class


def children_enrol(
    *, actor: Actor, institution: Institution, roster: list[dict[str, Any]], note: str = ""
) -> list[Child]:
    """Take in children as the institution's roster lists them, all or none: a row the model refuses
    raises ValidationError naming the row, and nothing is saved."""
    with transaction.atomic():
        require_create(actor, Child, institution)
        children = []
        for line, row in enumerate(roster, start=1):
            child = Child(institution=institution, **{k: v for k, v in row.items() if k in CHILD_FIELDS})
            child.enrolled_on = child.enrolled_on or clock.today()
            try:
                _check_child(child)
            except (ValidationError, DomainError) as error:
                messages = error.messages if isinstance(error, ValidationError) else [str(error)]
                raise ValidationError(f"第{line}名婴幼儿：" + "；".join(messages)) from None
            children.append(child)
        Child.objects.bulk_create(children, batch_size=500)
        record_created(actor, children, note=note)
    return children


def _check_child(child: Child) -> None:
    # The related rows are given as rows, so they exist; not asking the database again for each of
    # them keeps a roster of hundreds quick to take in.
    child.full_clean(exclude=["institution", "care_class", "residence"])
    if child.care_class_id and child.care_class.institution_id != child.institution_id:
        raise DomainError(
            OperationsError.CLASS_OF_OTHER_INSTITUTION, "所选班级不属于本机构。", field="care_class"
        )
    if child.enrolled_on and child.enrolled_on < child.birth_date:
        raise DomainError(
            OperationsError.ENROLLED_BEFORE_BIRTH, "入托日期不能早于出生日期。", field="enrolled_on"
        )


def family_child_register(*, actor: Actor, data: dict[str, Any], relation: str) -> Child:
    """A guardian enters their own child, not yet in care (to apply for a place), as its guardian."""
    user = actor.user
    if user is None or not permits(user, REGISTER_OWN_CHILD):
        raise DomainError(OperationsError.NOT_A_GUARDIAN, "只有家长账号可以登记自己的孩子。")
    fields = ("name", "id_number", "birth_date", "sex", "residence", "allergies")
    with transaction.atomic():
        child = Child(**{k: v for k, v in data.items() if k in fields})
        child.full_clean()
        child.save()
        guardianship = Guardianship(child=child, user=user, relation=relation)
        guardianship.full_clean()
        guardianship.save()
        record_created(actor, [child, guardianship], note="家长登记子女")
    return child


def guardianship_add(*, actor: Actor, child: Child, user: User, relation: str) -> Guardianship:
    """The institution links a guardian's account to a child in its care."""
    with transaction.atomic():
        authorize(actor, LINK_GUARDIAN, child)
        if not permits(user, REGISTER_OWN_CHILD):
            raise DomainError(OperationsError.NOT_A_GUARDIAN, "只能关联家长账号。")
        if Guardianship.objects.filter(child=child, user=user).exists():
            raise DomainError(OperationsError.ALREADY_LINKED, "该家长已与孩子关联。")
        guardianship = Guardianship(child=child, user=user, relation=relation)
        guardianship.full_clean()
        guardianship.save()
        record(actor, Verb.CREATE, guardianship)
    return guardianship


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
    staff.full_clean(exclude=["institution", "care_class"])  # given as rows, so they exist
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


def staff_enrol(
    *, actor: Actor, institution: Institution, rows: list[dict[str, Any]], note: str = ""
) -> list[StaffMember]:
    """Register an institution's staff list at once, all or none (a row refused names its line)."""
    with transaction.atomic():
        require_create(actor, StaffMember, institution)
        staff, seen = [], set()
        number_field = StaffMember._meta.get_field("id_number")
        for line, row in enumerate(rows, start=1):
            member = StaffMember(
                institution=institution, **{k: v for k, v in row.items() if k in STAFF_FIELDS}
            )
            try:
                member.full_clean(exclude=["institution", "care_class"], validate_constraints=False)
            except ValidationError as error:
                raise ValidationError(f"第{line}名工作人员：" + "；".join(error.messages)) from None
            if member.care_class_id and member.care_class.institution_id != institution.pk:
                raise ValidationError(f"第{line}名工作人员：所选班级不属于本机构。")
            number = number_field.canonical(member.id_number)
            if number in seen:
                raise ValidationError(f"第{line}名工作人员：身份证号与前面的人员重复。")
            seen.add(number)
            staff.append(member)
        # One active post per person (StaffMember's constraint), asked once for the whole list.
        taken = StaffMember.objects.filter(id_number__in=seen, left_on__isnull=True).exists()
        if taken:
            raise DomainError(OperationsError.ALREADY_IN_POST, "名单中有人员已在其他机构在岗登记。")
        StaffMember.objects.bulk_create(staff, batch_size=500)
        record_created(actor, staff, note=note)
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
