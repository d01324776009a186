import datetime as dt

from django.urls import reverse

from tests import factories as f
from tuoyu.engines.identifiers import make_id_number
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.people.models import StaffMember


def _staff_form(**overrides):
    data = {
        "name": "新保育员",
        "id_number": make_id_number("510500", dt.date(1995, 3, 8), 124),
        "phone": "13611112222",
        "role": "caregiver",
        "education": "college",
        "certificates": ["childcare_worker"],
        "hired_on": "2026-09-01",
        "full_time": "on",
    }
    data.update(overrides)
    return data


def test_manager_registers_a_staff_member_and_it_is_audited(world, login):
    response = login(world.user("manager_a")).post(
        reverse("operations:staff_create", args=[world.inst_a.pk]), _staff_form()
    )
    assert response.status_code == 302
    staff = StaffMember.objects.get(name="新保育员")
    assert staff.institution == world.inst_a and staff.certificates == ["childcare_worker"]
    assert AuditEvent.objects.filter(model="operations.staffmember", verb="create").count() == 1


def test_a_person_in_post_elsewhere_cannot_be_registered_again(world, login):
    response = login(world.user("manager_a")).post(
        reverse("operations:staff_create", args=[world.inst_a.pk]),
        _staff_form(id_number=world.staff_b.id_number),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "已在其他机构在岗登记" in page
    assert world.inst_b.name not in page  # the refusal does not reveal where
    assert world.inst_a.staff.count() == 1
    assert not AuditEvent.objects.exists()


def test_after_leaving_a_person_can_be_registered_elsewhere(world, login):
    login(world.user("manager_b")).post(
        reverse("operations:staff_leave", args=[world.staff_b.pk]), {"left_on": "2026-10-31"}
    )
    response = login(world.user("manager_a")).post(
        reverse("operations:staff_create", args=[world.inst_a.pk]),
        _staff_form(id_number=world.staff_b.id_number),
    )
    assert response.status_code == 302


def test_bad_identity_number_is_refused_in_chinese(world, login):
    response = login(world.user("manager_a")).post(
        reverse("operations:staff_create", args=[world.inst_a.pk]),
        _staff_form(id_number="110105194912310021"),
    )
    assert response.status_code == 400
    assert "身份证号校验位不正确" in response.content.decode()


def test_leaving_before_being_hired_is_refused(world, login):
    client = login(world.user("manager_a"))
    client.post(reverse("operations:staff_leave", args=[world.staff_a.pk]), {"left_on": "2020-01-01"})
    world.staff_a.refresh_from_db()
    assert world.staff_a.left_on is None


def test_a_class_of_another_institution_cannot_be_assigned(world, login):
    response = login(world.user("manager_a")).post(
        reverse("operations:staff_create", args=[world.inst_a.pk]), _staff_form(care_class=world.class_b.pk)
    )
    assert response.status_code == 400
    assert world.inst_a.staff.count() == 1


def test_guardian_keeps_the_care_needs_current_but_cannot_move_the_child(world, login):
    other_class = f.CareClassFactory(institution=world.inst_a, name="托大1班", class_type="older_toddler")
    client = login(world.user("guardian_a"))
    response = client.post(
        reverse("operations:child_edit", args=[world.child_a.pk]),
        {"allergies": "花生过敏", "care_class": other_class.pk},
    )
    assert response.status_code == 302
    world.child_a.refresh_from_db()
    assert world.child_a.allergies == "花生过敏"
    assert world.child_a.care_class == world.class_a


def test_manager_places_a_child_in_a_class(world, login):
    # The child is 21 months old: a class of the 12–24 months band takes them (P06–P08).
    other_class = f.CareClassFactory(institution=world.inst_a, name="托小2班", class_type="young_toddler")
    client = login(world.user("manager_a"))
    response = client.post(
        reverse("operations:child_edit", args=[world.child_a.pk]),
        {"allergies": "", "care_class": other_class.pk},
    )
    assert response.status_code == 302
    world.child_a.refresh_from_db()
    assert world.child_a.care_class == other_class
