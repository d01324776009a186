"""The demo county's institution keeps its staff records and measures its children: the manager has
a certificate about to lapse to renew, the county's list of what is due is not empty, and one
child's growth is flagged."""

from tuoyu import clock
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.messaging.models import OutboxMessage, Topic
from tuoyu.kernel.people import credentials
from tuoyu.kernel.people.models import StaffCertificate, StaffCheck, StaffTraining


def test_the_demo_manager_is_reminded_of_a_certificate_about_to_lapse(shared_demo_county, db):
    manager = User.objects.get(username="manager")
    assert StaffCheck.objects.exists() and StaffTraining.objects.exists()
    lapsing = StaffCertificate.objects.order_by("expires_on").first()
    reminders = [m for m in OutboxMessage.objects.filter(topic=Topic.STAFF_DUE) if manager.pk in m.recipients]
    assert any(lapsing.get_certificate_display() in m.title for m in reminders)


def test_the_county_sees_what_is_due_across_its_institutions(shared_demo_county, db):
    regulator = User.objects.get(username="regulator")
    due = credentials.dues(credentials.staff_with_records(regulator), clock.today())
    assert len({d.staff.institution_id for d in due}) > 1
    assert any(d.overdue for d in due)


def test_the_demo_class_is_measured_and_one_child_is_flagged(shared_demo_county, db):
    from tuoyu.domains.growth.models import Measurement

    caregiver = User.objects.get(username="caregiver")
    assert Measurement.objects.filter(recorded_by=caregiver).values("measured_on").distinct().count() == 2
    flagged = OutboxMessage.objects.filter(topic=Topic.GROWTH_FLAG)
    assert flagged.exists() and all("生长迟缓" in m.title for m in flagged)
    assert len({m.title.split("生长监测")[0] for m in flagged}) == 1  # one child
