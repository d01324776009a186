"""Taking in an institution's classes, children, staff and guardians through services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests import factories as f
from tuoyu.engines.identifiers import make_id_number
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.people.models import CareClass, Child, Guardianship, StaffMember
from tuoyu.kernel.people.services import (
    care_class_create,
    children_enrol,
    family_child_register,
    guardianship_add,
    staff_enrol,
)


def _child(n: int, **overrides):
    birth = dt.date(2025, 1, 1) + dt.timedelta(days=n)
    return {
        "name": f"测试{n}",
        "id_number": make_id_number("510591", birth, 100 + n),
        "birth_date": birth,
        "sex": "female",
        **overrides,
    }


def _staff(n: int, **overrides):
    return {
        "name": f"员工{n}",
        "id_number": make_id_number("510591", dt.date(1990, 1, 1), 300 + n),
        "role": "caregiver",
        "education": "college",
        "hired_on": dt.date(2025, 9, 1),
        **overrides,
    }


def test_a_manager_creates_a_class_and_it_is_audited(world):
    actor = Actor(user=world.user("manager_a"))
    care_class = care_class_create(
        actor=actor, institution=world.inst_a, name=" 乳儿1班 ", class_type="infant"
    )
    assert care_class.name == "乳儿1班" and care_class.institution == world.inst_a
    assert AuditEvent.objects.filter(model="operations.careclass", verb="create").count() == 1


def test_a_manager_cannot_create_a_class_in_another_institution(world):
    with pytest.raises(AccessDenied):
        care_class_create(
            actor=Actor(user=world.user("manager_a")),
            institution=world.inst_b,
            name="新班",
            class_type="infant",
        )
    assert not CareClass.objects.filter(name="新班").exists()


def test_a_roster_is_taken_in_whole_with_one_audit_event_a_child(world):
    actor = Actor(user=world.user("manager_a"))
    children = children_enrol(
        actor=actor,
        institution=world.inst_a,
        roster=[_child(1, care_class=world.class_a), _child(2, enrolled_on=dt.date(2026, 3, 1))],
    )
    assert [c.institution for c in children] == [world.inst_a, world.inst_a]
    assert children[1].enrolled_on == dt.date(2026, 3, 1)
    assert AuditEvent.objects.filter(model="operations.child", verb="create").count() == 2


def test_a_roster_with_one_bad_row_saves_nothing_and_names_the_row(world):
    before = Child.objects.count()
    with pytest.raises(ValidationError) as refused:
        children_enrol(
            actor=Actor(user=world.user("manager_a")),
            institution=world.inst_a,
            roster=[_child(1), _child(2, care_class=world.class_b)],
        )
    assert "第2名婴幼儿" in refused.value.messages[0] and "不属于本机构" in refused.value.messages[0]
    assert Child.objects.count() == before and not AuditEvent.objects.exists()


def test_enrolment_before_birth_is_refused(world):
    with pytest.raises(ValidationError, match="入托日期不能早于出生日期"):
        children_enrol(
            actor=Actor.system("测试"),
            institution=world.inst_a,
            roster=[_child(1, enrolled_on=dt.date(2024, 12, 1))],
        )


def test_a_staff_list_is_registered_whole_or_not_at_all(world):
    actor = Actor(user=world.user("manager_a"))
    staff = staff_enrol(
        actor=actor, institution=world.inst_a, rows=[_staff(1), _staff(2, care_class=world.class_a)]
    )
    assert len(staff) == 2 and AuditEvent.objects.filter(model="operations.staffmember").count() == 2
    with pytest.raises(DomainError, match="已在其他机构在岗登记"):
        staff_enrol(
            actor=Actor(user=world.user("manager_b")), institution=world.inst_b, rows=[_staff(3), _staff(1)]
        )
    assert not StaffMember.objects.filter(name="员工3").exists()
    with pytest.raises(ValidationError, match="第2名工作人员：身份证号与前面的人员重复"):
        staff_enrol(actor=actor, institution=world.inst_a, rows=[_staff(4), _staff(4)])


def test_a_guardian_registers_their_own_child_and_becomes_its_guardian(world):
    guardian = world.user("guardian_a")
    child = family_child_register(
        actor=Actor(user=guardian), data={**_child(5), "residence": world.sub_a}, relation="mother"
    )
    assert child.institution is None and child.residence == world.sub_a
    assert Guardianship.objects.filter(child=child, user=guardian, relation="mother").exists()


def test_only_a_guardian_registers_a_child_of_their_own(world):
    with pytest.raises(DomainError, match="只有家长账号"):
        family_child_register(actor=Actor(user=world.user("manager_a")), data=_child(6), relation="mother")
    assert not Child.objects.filter(name="测试6").exists()


def test_only_the_institution_links_a_guardian_and_only_a_guardian_account(world):
    guardian_b = world.user("guardian_b")
    with pytest.raises(AccessDenied):  # a guardian cannot add another guardian to their child
        guardianship_add(
            actor=Actor(user=world.user("guardian_a")),
            child=world.child_a,
            user=guardian_b,
            relation="father",
        )
    manager = Actor(user=world.user("manager_a"))
    with pytest.raises(DomainError, match="只能关联家长账号"):
        guardianship_add(
            actor=manager, child=world.child_a, user=world.user("caregiver_a"), relation="father"
        )
    link = guardianship_add(actor=manager, child=world.child_a, user=guardian_b, relation="father")
    assert link.user == guardian_b
    assert AuditEvent.objects.filter(model="operations.guardianship", verb="create").count() == 1
    with pytest.raises(DomainError, match="已与孩子关联"):
        guardianship_add(actor=manager, child=world.child_a, user=guardian_b, relation="father")


def test_a_class_name_is_unique_within_its_institution(world):
    with pytest.raises(ValidationError):
        care_class_create(
            actor=Actor(user=world.user("manager_a")),
            institution=world.inst_a,
            name=world.class_a.name,
            class_type="young_toddler",
        )
    assert f.CareClassFactory._meta.model.objects.filter(institution=world.inst_a).count() == 1
