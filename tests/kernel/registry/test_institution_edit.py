import json

from django.urls import reverse

from tuoyu.kernel.audit.models import AuditEvent


def _form(**overrides):
    data = {
        "address": "甲路1号",
        "service_types": ["full_day", "hourly"],
        "min_age_months": 6,
        "max_age_months": 36,
    }
    data.update(overrides)
    return data


def test_manager_corrects_the_institutions_facts(world, login):
    client = login(world.user("manager_a"))
    response = client.post(
        reverse("registry:edit", args=[world.inst_a.pk]),
        _form(video_retention_days=90, parents_committee="true"),
    )
    assert response.status_code == 302
    world.inst_a.refresh_from_db()
    assert world.inst_a.service_types == ["full_day", "hourly"]
    assert world.inst_a.video_retention_days == 90
    assert world.inst_a.parents_committee is True
    assert AuditEvent.objects.filter(object_id=str(world.inst_a.pk)).count() == 1


def test_regulator_of_the_county_may_correct_it_too(world, login):
    response = login(world.user("regulator_a")).post(
        reverse("registry:edit", args=[world.inst_a.pk]), _form()
    )
    assert response.status_code == 302


def test_bad_input_is_refused_in_chinese_and_saves_nothing(world, login):
    client = login(world.user("manager_a"))
    response = client.post(
        reverse("registry:edit", args=[world.inst_a.pk]),
        _form(contact_phone="12345", lease_start="2025-01-01", lease_end="2024-01-01"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "手机号码应为以1开头的11位数字" in page
    assert "租期结束日期必须晚于开始日期" in page
    world.inst_a.refresh_from_db()
    assert world.inst_a.address == "测试路1号"
    assert not AuditEvent.objects.exists()


def test_registration_data_cannot_be_changed_through_the_api(world, login):
    client = login(world.user("manager_a"))
    response = client.patch(
        reverse("registry:api_institution", args=[world.inst_a.pk]),
        json.dumps({"places": 400, "name": "改名"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "不能直接修改" in response.json()["message"]
    world.inst_a.refresh_from_db()
    assert world.inst_a.places == 40


def test_api_patch_validates_like_the_form(world, login):
    client = login(world.user("manager_a"))
    url = reverse("registry:api_institution", args=[world.inst_a.pk])
    bad = client.patch(url, json.dumps({"contact_phone": "999"}), content_type="application/json")
    assert bad.status_code == 400 and "contact_phone" in bad.json()["fields"]
    good = client.patch(url, json.dumps({"video_retention_days": 120}), content_type="application/json")
    assert good.status_code == 200 and good.json()["id"] == world.inst_a.pk
    world.inst_a.refresh_from_db()
    assert world.inst_a.video_retention_days == 120


def test_api_masks_the_contact_phone(world, login):
    data = (
        login(world.user("regulator_a"))
        .get(reverse("registry:api_institution", args=[world.inst_a.pk]))
        .json()
    )
    assert data["contact_phone"] == "138****0001"


def test_malformed_json_is_refused(world, login):
    client = login(world.user("manager_a"))
    response = client.patch(
        reverse("registry:api_institution", args=[world.inst_a.pk]), "{oops", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_json"


def test_registration_data_is_editable_until_the_first_filing_only(world, login):
    from tests import factories as f
    from tuoyu.kernel.registry.models import Membership, Status

    draft = f.InstitutionFactory(
        name="甲筹备园", subdistrict=world.sub_a, status=Status.REGISTERED, filing_number="", filed_on=None
    )
    Membership.objects.filter(user=world.user("manager_a")).update(active=False)
    Membership.objects.create(user=world.user("manager_a"), institution=draft)
    client = login(world.user("manager_a"))
    refused = client.post(
        reverse("registry:edit", args=[draft.pk]), _form(min_age_months=30, max_age_months=12)
    )
    assert refused.status_code == 400 and "最大收托月龄不能小于最小收托月龄" in refused.content.decode()
    registration = {
        "name": draft.name,
        "legal_form": draft.legal_form,
        "nature": draft.nature,
        "operator": draft.operator,
        "provision_model": draft.provision_model,
        "affordable": "on",
        "business_scope": "托育服务",
    }
    saved = client.post(
        reverse("registry:edit", args=[draft.pk]), _form(places=55, address="甲新路1号", **registration)
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.places == 55 and draft.address == "甲新路1号"
    filed_form = client.get(reverse("registry:edit", args=[world.inst_a.pk]))
    assert filed_form.status_code == 404  # manager_a now works at the draft institution only


def test_the_registering_office_is_recorded_with_the_registration_data(world, login):
    from tuoyu.kernel.registry.models import Status

    world.inst_a.status = Status.REGISTERED  # registration data are corrected directly until filed
    world.inst_a.save()
    client = login(world.user("manager_a"))
    page = client.get(reverse("registry:edit", args=[world.inst_a.pk])).content.decode()
    assert 'data-qa="field-registered_with"' in page and "行政审批局" in page
    form = _form(
        name=world.inst_a.name,
        places=40,
        legal_form="enterprise",
        nature="for_profit",
        operator="private",
        provision_model="market",
        business_scope="托育服务",
        registered_with="administrative_approval",
    )
    response = client.post(reverse("registry:edit", args=[world.inst_a.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    world.inst_a.refresh_from_db()
    assert world.inst_a.registered_with == "administrative_approval"
    assert world.inst_a.registration_authority_label == "行政审批局"


def test_saving_the_edit_form_untouched_keeps_every_yes_no_answer(world, login):
    """The stored True once rendered as no choice at all, so an untouched save wrote 未填报 everywhere."""
    from tests.walk import forms_in
    from tuoyu.kernel.registry.models import Institution

    Institution.objects.filter(pk=world.inst_a.pk).update(
        parents_committee=True,
        video_covers_child_areas=True,
        video_armed_24h=False,
        declarations={"health": {"daily_checks": True, "disinfection": False}},
    )
    client = login(world.user("manager_a"))
    page = client.get(reverse("registry:edit", args=[world.inst_a.pk])).content.decode()
    form = next(f for f in forms_in(page) if f.method == "post" and not f.action)
    events = AuditEvent.objects.count()
    client.post(reverse("registry:edit", args=[world.inst_a.pk]), form.data())
    inst = Institution.objects.get(pk=world.inst_a.pk)
    assert (inst.parents_committee, inst.video_covers_child_areas, inst.video_armed_24h) == (
        True,
        True,
        False,
    )
    assert (
        inst.declarations["health"]["daily_checks"] is True
        and inst.declarations["health"]["disinfection"] is False
    )
    assert AuditEvent.objects.count() == events


def test_saving_the_staff_form_untouched_keeps_its_yes_no_answers(world, login):
    from tests.walk import forms_in
    from tuoyu.kernel.people.models import StaffMember

    StaffMember.objects.filter(pk=world.staff_a.pk).update(
        training_passed=True, criminal_record_clear=True, relevant_background=False
    )
    client = login(world.user("manager_a"))
    page = client.get(reverse("operations:staff_edit", args=[world.staff_a.pk])).content.decode()
    form = next(f for f in forms_in(page) if f.method == "post" and not f.action)
    client.post(reverse("operations:staff_edit", args=[world.staff_a.pk]), form.data())
    staff = StaffMember.objects.get(pk=world.staff_a.pk)
    assert (staff.training_passed, staff.criminal_record_clear, staff.relevant_background) == (
        True,
        True,
        False,
    )
