"""A post that may read an institution's classes but not keep them is shown no form it cannot save."""

from django.urls import reverse

from tuoyu.kernel.people.models import CareClass, StaffMember


def test_a_regulator_reads_the_classes_without_forms_it_could_not_save(world, login):
    client = login(world.user("regulator_a"))
    url = reverse("operations:classes", args=[world.inst_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and world.class_a.name in page.content.decode()
    assert 'data-qa="class-form"' not in page.content.decode()
    assert 'data-qa="edit-class"' not in page.content.decode()
    refused = client.post(url, {"name": "托大2班", "class_type": "older_toddler"})
    assert refused.status_code == 403 and "负责人" in refused.content.decode()
    staff = client.get(reverse("operations:staff_create", args=[world.inst_a.pk]))
    assert staff.status_code == 403 and "负责人" in staff.content.decode()
    assert CareClass.objects.filter(institution=world.inst_a).count() == 1
    assert StaffMember.objects.filter(institution=world.inst_a).count() == 1
