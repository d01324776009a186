"""Writes about classes, children and staff: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tuoyu import clock
from tuoyu.engines import policy
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, authorize, permits, require_actor, require_create
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, record_created, snapshot
from tuoyu.kernel.people.actions import (
    KEEP_ANY_CLASS,
    KEEP_CLASS_RECORDS,
    LINK_GUARDIAN,
    PLACE_CHILD,
    REGISTER_OWN_CHILD,
)
from tuoyu.kernel.people.models import (
    AttendanceHold,
    CareClass,
    Child,
    GuardianInvitation,
    Guardianship,
    StaffMember,
)
from tuoyu.kernel.people.rules import ClassLimits, admission_problems, class_limits
from tuoyu.kernel.people.selectors import institution_accounts
from tuoyu.kernel.registry.models import Institution


class OperationsError(StrEnum):
    CLASS_OF_OTHER_INSTITUTION = "class_of_other_institution"
    LEFT_BEFORE_HIRED = "left_before_hired"
    ALREADY_IN_POST = "already_in_post"
    NOT_A_GUARDIAN = "not_a_guardian"
    ALREADY_LINKED = "already_linked"
    ENROLLED_BEFORE_BIRTH = "enrolled_before_birth"
    CLASS_CANNOT_TAKE = "class_cannot_take"
    CLASS_CLOSED = "class_closed"
    CLASS_NOT_EMPTY = "class_not_empty"
    NOT_IN_CARE = "not_in_care"
    LEFT_BEFORE_ENROLLED = "left_before_enrolled"
    BAD_INVITATION = "bad_invitation"
    KEEPER_ELSEWHERE = "keeper_elsewhere"
    STAFF_LEFT = "staff_left"
    DATE_IN_FUTURE = "date_in_future"
    EXPIRES_BEFORE_ISSUED = "expires_before_issued"


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


def limits_of(care_class: CareClass, on: dt.date | None = None) -> ClassLimits:
    """The size limit and age band the class's region's profile sets for its type."""
    profile = policy.load_profile(care_class.institution.subdistrict.effective_policy_profile())
    return class_limits(profile, care_class.class_type, on or clock.today())


def _require_room(care_class: CareClass, child: Child, on: dt.date) -> None:
    """A child placed one at a time goes only where the class has room and takes the child's age
    (P06–P08). A roster taken in whole is recorded as it is; the standards check reports on it."""
    if care_class.closed_on is not None:
        raise DomainError(
            OperationsError.CLASS_CLOSED, f"{care_class.name}已撤销，不能再编入婴幼儿。", field="care_class"
        )
    enrolled = Child.objects.filter(care_class=care_class).exclude(pk=child.pk).count()
    problems = admission_problems(
        limits_of(care_class, on),
        class_name=care_class.name,
        enrolled=enrolled,
        age_months=child.age_in_months(on),
    )
    if problems:
        raise DomainError(
            OperationsError.CLASS_CANNOT_TAKE,
            "不能编入该班：" + "；".join(problems) + "。",
            field="care_class",
        )


def care_class_update(*, actor: Actor, care_class: CareClass, data: dict[str, Any]) -> CareClass:
    with transaction.atomic():
        current = CareClass.objects.select_for_update().get(pk=care_class.pk)
        require_actor(actor, current, Action.CHANGE)
        changed = [k for k in ("name", "class_type") if k in data and getattr(current, k) != data[k]]
        keepers = _new_keepers(current, data["keepers"]) if "keepers" in data else None
        if not changed and keepers is None:
            return current
        before = snapshot(current)
        for name in changed:
            setattr(current, name, data[name].strip() if name == "name" else data[name])
        current.full_clean(exclude=["institution"])
        current.save(update_fields=changed)
        related = None
        if keepers is not None:
            related = {
                "keepers": [sorted(current.keepers.values_list("pk", flat=True)), [u.pk for u in keepers]]
            }
            current.keepers.set(keepers)
        record(actor, Verb.UPDATE, current, before=before, related=related)
    return current


def may_keep(actor: Actor | User, care_class: CareClass) -> bool:
    """Whether the actor keeps this class's daily records: the manager any class of the
    institution, a caregiver the classes they keep."""
    if not permits(actor, KEEP_CLASS_RECORDS, care_class):
        return False
    user = actor.user if isinstance(actor, Actor) else actor
    if user is None or permits(actor, KEEP_ANY_CLASS, care_class):
        return True
    return care_class.keepers.filter(pk=user.pk).exists()


def hold_place(*, actor: Actor, child: Child, source: str, reason: str, since: dt.date) -> AttendanceHold:
    """Keep the child from being marked present until ``hold_lift(source=…)``; placing the same
    cause twice keeps the first. Runs in the caller's transaction (the change that causes it)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold_place must run inside the transaction of the change that causes it")
    hold, created = AttendanceHold.objects.get_or_create(
        source=source,
        lifted_on__isnull=True,
        defaults={"child": child, "reason": reason[:200], "since": since},
    )
    if created:
        record(actor, Verb.CREATE, hold, note=reason[:200])
    return hold


def hold_lift(*, actor: Actor, source: str, on: dt.date) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold_lift must run inside the transaction of the change that lifts it")
    for hold in AttendanceHold.objects.select_for_update().filter(source=source, lifted_on__isnull=True):
        before = snapshot(hold)
        hold.lifted_on = on
        hold.save(update_fields=["lifted_on"])
        record(actor, Verb.UPDATE, hold, before=before)


def _new_keepers(care_class: CareClass, wanted) -> list[User] | None:
    """The accounts to keep the class, or None when they are the ones it has. Only accounts that
    work at the class's institution may keep it."""
    wanted = sorted(set(wanted), key=lambda user: user.pk)
    if {user.pk for user in wanted} == set(care_class.keepers.values_list("pk", flat=True)):
        return None
    allowed = set(institution_accounts(care_class.institution).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in wanted):
        raise DomainError(OperationsError.KEEPER_ELSEWHERE, "带班账号须是本机构在岗的账号。", field="keepers")
    return wanted


def care_class_close(*, actor: Actor, care_class: CareClass, on: dt.date | None = None) -> CareClass:
    """Close an empty class; its caregivers are freed for another class."""
    on = on or clock.today()
    with transaction.atomic():
        current = CareClass.objects.select_for_update().get(pk=care_class.pk)
        require_actor(actor, current, Action.CHANGE)
        if current.closed_on is not None:
            raise DomainError(
                OperationsError.CLASS_CLOSED, f"{current.name}已于 {current.closed_on:%Y-%m-%d} 撤销。"
            )
        if left := Child.objects.filter(care_class=current).count():
            raise DomainError(
                OperationsError.CLASS_NOT_EMPTY,
                f"{current.name}还有 {left} 名婴幼儿，请先调至其他班级或办理离园，再撤销班级。",
            )
        for staff in StaffMember.objects.filter(care_class=current):
            staff_before = snapshot(staff)
            staff.care_class = None
            staff.save(update_fields=["care_class"])
            record(actor, Verb.UPDATE, staff, before=staff_before, note=f"{current.name}撤销")
        before = snapshot(current)
        current.closed_on = on
        current.save(update_fields=["closed_on"])
        record(actor, Verb.UPDATE, current, before=before, note="撤销班级")
    return current


def child_enrol(*, actor: Actor, institution: Institution, data: dict[str, Any]) -> Child:
    """Take in one child, into a class with room for a child of that age."""
    with transaction.atomic():
        require_create(actor, Child, institution)
        child = Child(institution=institution, **{k: v for k, v in data.items() if k in CHILD_FIELDS})
        child.enrolled_on = child.enrolled_on or clock.today()
        _check_child(child)
        if child.care_class_id:
            _require_room(child.care_class, child, child.enrolled_on)
        child.save()
        record(actor, Verb.CREATE, child, note="入托登记")
    return child


def child_take_in(
    *, actor: Actor, child: Child, institution: Institution, class_type: str, on: dt.date, note: str
) -> Child:
    """A child given a place (a lottery offer accepted) joins the institution on the start date, in
    the first open class of the type that has room for a child of that age; where none has, the
    manager places the child. Already in care elsewhere, the child leaves there that day."""
    with transaction.atomic():
        require_create(actor, Child, institution)
        current = Child.objects.select_for_update().get(pk=child.pk)
        before = snapshot(current)
        current.institution, current.care_class, current.enrolled_on = institution, None, on
        for care_class in CareClass.objects.filter(
            institution=institution, class_type=class_type, closed_on__isnull=True
        ).order_by("name"):
            try:
                _require_room(care_class, current, on)
            except DomainError:
                continue
            current.care_class = care_class
            break
        current.full_clean(exclude=["institution", "care_class", "residence"])
        current.save(update_fields=["institution", "care_class", "enrolled_on"])
        record(actor, Verb.UPDATE, current, before=before, note=note[:200])
    return current


def child_leave(*, actor: Actor, child: Child, left_on: dt.date, reason: str = "") -> Child:
    """The child leaves the institution: no longer on its roster or in its figures from that day."""
    with transaction.atomic():
        current = Child.objects.select_for_update().get(pk=child.pk)
        authorize(actor, PLACE_CHILD, current)
        if current.institution_id is None:
            raise DomainError(OperationsError.NOT_IN_CARE, "该婴幼儿不在本机构在托。")
        if current.enrolled_on and left_on < current.enrolled_on:
            raise DomainError(
                OperationsError.LEFT_BEFORE_ENROLLED, "离园日期不能早于入托日期。", field="left_on"
            )
        before = snapshot(current)
        name = current.institution.name
        current.institution = current.care_class = None
        current.enrolled_on = None
        current.save(update_fields=["institution", "care_class", "enrolled_on"])
        note = f"{left_on:%Y-%m-%d} 离开{name}" + (f"：{reason.strip()}" if reason.strip() else "")
        record(actor, Verb.UPDATE, current, before=before, note=note[:200])
    return current


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
    if child.care_class_id and child.care_class.closed_on is not None:
        raise DomainError(
            OperationsError.CLASS_CLOSED, f"{child.care_class.name}已撤销。", field="care_class"
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


# Eight characters people can read out over the phone (no 0/O, 1/I/L): 31^8 ≈ 8.5 × 10^11 codes.
INVITATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
INVITATION_DAYS = 14


def _invitation_digest(code: str) -> str:
    return hashlib.sha256(normalised_code(code).encode()).hexdigest()


def normalised_code(code: str) -> str:
    """As typed: spaces, hyphens and lower case are forgiven."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def invitation_issue(*, actor: Actor, child: Child, relation: str) -> tuple[GuardianInvitation, str]:
    """The institution invites a guardian of a child in its care; returns the code, shown only now."""
    with transaction.atomic():
        authorize(actor, LINK_GUARDIAN, child)
        if child.institution_id is None:
            raise DomainError(OperationsError.NOT_IN_CARE, "只能为本机构在托的婴幼儿邀请家长。")
        code = "".join(secrets.choice(INVITATION_ALPHABET) for _ in range(8))
        invitation = GuardianInvitation(
            child=child,
            relation=relation,
            code_sha256=_invitation_digest(code),
            expires_on=clock.today() + dt.timedelta(days=INVITATION_DAYS),
        )
        invitation.full_clean(exclude=["child"])
        invitation.save()
        record(actor, Verb.CREATE, invitation, note="发出家长关联邀请")
    return invitation, f"{code[:4]}-{code[4:]}"


def invitation_redeem(*, actor: Actor, code: str) -> Guardianship:
    """A guardian enters the code the institution gave them: their account is linked to the child."""
    user = actor.user
    if user is None or not permits(user, REGISTER_OWN_CHILD):
        raise DomainError(OperationsError.NOT_A_GUARDIAN, "只有家长账号可以使用邀请码。")
    refused = DomainError(
        OperationsError.BAD_INVITATION, "邀请码无效、已使用或已过期，请向托育机构核对。", field="code"
    )
    if len(normalised_code(code)) != 8:
        raise refused
    with transaction.atomic():
        invitation = (
            GuardianInvitation.objects.select_for_update()
            .select_related("child")
            .filter(code_sha256=_invitation_digest(code), redeemed_at__isnull=True)
            .first()
        )
        if invitation is None or invitation.expires_on < clock.today():
            raise refused
        if Guardianship.objects.filter(child=invitation.child, user=user).exists():
            raise DomainError(OperationsError.ALREADY_LINKED, "您已与该孩子关联。", field="code")
        before = snapshot(invitation)
        invitation.redeemed_by, invitation.redeemed_at = user, clock.now()
        invitation.save(update_fields=["redeemed_by", "redeemed_at"])
        record(actor, Verb.UPDATE, invitation, before=before, note="家长使用邀请码")
        guardianship = Guardianship.objects.create(
            child=invitation.child, user=user, relation=invitation.relation
        )
        record(actor, Verb.CREATE, guardianship, note="凭机构邀请码关联")
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
        if "care_class" in changed and current.care_class_id:
            _require_room(current.care_class, current, clock.today())
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
