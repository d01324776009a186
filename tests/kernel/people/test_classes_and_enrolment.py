"""Managers keep their classes and take children in and out, within the profile's class sizes and
age bands (P06–P08, 设置标准 art. 19)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f
from tuoyu import clock
from tuoyu.engines.identifiers import make_id_number
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.people.models import CareClass, Child
from tuoyu.kernel.people.services import care_class_close, child_enrol, child_leave


def _months_old(months: int) -> dt.date:
    today = clock.today()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, 1)


def _enrol_form(world, care_class, months=18, n=1, **overrides):
    birth = _months_old(months)
    return {
        "name": f"新生{n}",
        "id_number": make_id_number("510591", birth, 200 + n),
        "birth_date": birth.isoformat(),
        "sex": "male",
        "residence": world.sub_a.pk,
        "care_class": care_class.pk,
        "enrolled_on": clock.today().isoformat(),
        "allergies": "",
        **overrides,
    }


def test_the_class_page_says_what_each_class_takes_and_adds_a_class(world, login):
    client = login(world.user("manager_a"))
    page = client.get(reverse("operations:classes", args=[world.inst_a.pk])).content.decode()
    assert "12–24 月龄，班额 15 人，现有 1 人" in page  # the national profile's 托小班
    response = client.post(
        reverse("operations:classes", args=[world.inst_a.pk]), {"name": "乳儿1班", "class_type": "infant"}
    )
    assert response.status_code == 302
    assert CareClass.objects.filter(institution=world.inst_a, name="乳儿1班").exists()
    assert AuditEvent.objects.filter(model="operations.careclass", verb="create").count() == 1


def test_a_manager_enrols_a_child_into_a_class_that_takes_them(world, login):
    client = login(world.user("manager_a"))
    response = client.post(
        reverse("operations:child_enrol", args=[world.inst_a.pk]), _enrol_form(world, world.class_a)
    )
    assert response.status_code == 302
    child = Child.objects.get(name="新生1")
    assert child.institution == world.inst_a and child.care_class == world.class_a
    assert AuditEvent.objects.get(model="operations.child", verb="create").note == "入托登记"


def test_a_child_of_the_wrong_age_is_not_placed_and_the_clause_is_named(world, login):
    client = login(world.user("manager_a"))
    response = client.post(
        reverse("operations:child_enrol", args=[world.inst_a.pk]),
        _enrol_form(world, world.class_a, months=30),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "孩子 30 月龄，托小班收 12–24 月龄的婴幼儿" in page and "第19条" in page
    assert not Child.objects.filter(name="新生1").exists() and not AuditEvent.objects.exists()


def test_a_full_class_takes_no_one_more(world):
    actor = Actor(user=world.user("manager_a"))
    infants = f.CareClassFactory(institution=world.inst_a, name="乳儿1班", class_type="infant")
    for _ in range(10):
        f.ChildFactory(institution=world.inst_a, care_class=infants, birth_date=_months_old(8))
    birth = _months_old(8)
    with pytest.raises(DomainError, match="乳儿1班已有 10 人，乳儿班班额不超过 10 人"):
        child_enrol(
            actor=actor,
            institution=world.inst_a,
            data={"name": "第十一", "birth_date": birth, "sex": "female", "care_class": infants},
        )
    assert infants.children.count() == 10


def test_moving_a_child_into_a_class_of_another_age_band_is_refused(world, login):
    older = f.CareClassFactory(institution=world.inst_a, name="托大1班", class_type="older_toddler")
    response = login(world.user("manager_a")).post(
        reverse("operations:child_edit", args=[world.child_a.pk]), {"allergies": "", "care_class": older.pk}
    )
    assert response.status_code == 400 and "托大班收 24–36 月龄" in response.content.decode()
    world.child_a.refresh_from_db()
    assert world.child_a.care_class == world.class_a


def test_a_class_with_children_cannot_be_closed_an_empty_one_can(world):
    actor = Actor(user=world.user("manager_a"))
    with pytest.raises(DomainError, match="还有 1 名婴幼儿"):
        care_class_close(actor=actor, care_class=world.class_a)
    spare = f.CareClassFactory(institution=world.inst_a, name="托小2班")
    caregiver = f.StaffFactory(institution=world.inst_a, care_class=spare)
    closed = care_class_close(actor=actor, care_class=spare, on=dt.date(2026, 8, 31))
    assert closed.closed_on == dt.date(2026, 8, 31)
    caregiver.refresh_from_db()
    assert caregiver.care_class is None
    # A closed class is offered to no one, and its name is free for a new class.
    assert f.CareClassFactory(institution=world.inst_a, name="托小2班").pk != spare.pk
    with pytest.raises(DomainError, match="已撤销"):
        child_enrol(
            actor=actor,
            institution=world.inst_a,
            data={"name": "x", "birth_date": _months_old(18), "sex": "male", "care_class": closed},
        )


def test_a_closed_class_is_not_offered_on_the_enrolment_form(world, login):
    spare = f.CareClassFactory(institution=world.inst_a, name="即将撤销班")
    care_class_close(actor=Actor(user=world.user("manager_a")), care_class=spare)
    page = login(world.user("manager_a")).get(reverse("operations:child_enrol", args=[world.inst_a.pk]))
    assert "即将撤销班" not in page.content.decode() and world.class_a.name in page.content.decode()


def test_a_child_leaves_the_institution_and_the_day_is_recorded(world, login):
    response = login(world.user("manager_a")).post(
        reverse("operations:child_leave", args=[world.child_a.pk]),
        {"left_on": "2026-11-30", "reason": "随父母迁居外地"},
    )
    assert response.status_code == 302
    world.child_a.refresh_from_db()
    assert world.child_a.institution is None and world.child_a.care_class is None
    event = AuditEvent.objects.get(model="operations.child", verb="update")
    assert event.note == "2026-11-30 离开甲托育园：随父母迁居外地"


def test_leaving_before_enrolment_is_refused(world):
    world.child_a.enrolled_on = dt.date(2026, 9, 1)
    world.child_a.save()
    with pytest.raises(DomainError, match="离园日期不能早于入托日期"):
        child_leave(
            actor=Actor(user=world.user("manager_a")), child=world.child_a, left_on=dt.date(2026, 8, 1)
        )


@pytest.mark.parametrize(
    ("persona", "route", "args"),
    [
        ("manager_b", "operations:classes", "inst_a"),
        ("manager_b", "operations:child_enrol", "inst_a"),
        ("caregiver_a", "operations:classes", "inst_a"),
        ("caregiver_a", "operations:child_enrol", "inst_a"),
        ("guardian_a", "operations:child_leave", "child_a"),
        ("regulator_a", "operations:class_close", "class_a"),
    ],
)
def test_only_the_institution_s_manager_keeps_its_classes_and_children(world, login, persona, route, args):
    client = login(world.user(persona))
    response = client.post(
        reverse(route, args=[getattr(world, args).pk]),
        {"name": "越权班", "class_type": "infant", "left_on": "2026-11-30"},
    )
    assert response.status_code in (403, 404)
    assert not CareClass.objects.filter(name="越权班").exists()
    world.child_a.refresh_from_db()
    assert world.child_a.institution == world.inst_a and not AuditEvent.objects.exists()
