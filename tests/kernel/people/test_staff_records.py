"""A staff member's health examinations, criminal-record queries, certificates and training, and
what falls due (P11–P13, P17, N04, N14, N15)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f
from tuoyu import clock
from tuoyu.engines.policy.dates import add_months
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.messaging.models import OutboxMessage, Topic
from tuoyu.kernel.people import credentials
from tuoyu.kernel.people.facts import institution_facts
from tuoyu.kernel.people.models import StaffCertificate, StaffCheck, StaffMember, StaffRole, StaffTraining

TODAY = clock.today()


def _manager(world, name="manager_a"):
    return Actor(user=world.user(name))


def _exam(world, staff, checked_on, passed=True, kind="health_exam"):
    return credentials.staff_check_record(
        actor=_manager(world),
        staff=staff,
        kind=kind,
        checked_on=checked_on,
        passed=passed,
        issuer="区妇幼保健院",
    )


def test_a_passed_health_exam_becomes_the_date_the_standards_read(world):
    _exam(world, world.staff_a, TODAY - dt.timedelta(days=10))
    world.staff_a.refresh_from_db()
    assert world.staff_a.health_exam_date == TODAY - dt.timedelta(days=10)
    assert AuditEvent.objects.filter(model="operations.staffcheck").count() == 1
    # an older exam recorded later does not move the date back
    _exam(world, world.staff_a, TODAY - dt.timedelta(days=200))
    world.staff_a.refresh_from_db()
    assert world.staff_a.health_exam_date == TODAY - dt.timedelta(days=10)


def test_a_failed_exam_is_kept_but_renews_nothing_and_the_manager_is_told(world):
    _exam(world, world.staff_a, TODAY, passed=False)
    world.staff_a.refresh_from_db()
    assert world.staff_a.health_exam_date is None
    told = OutboxMessage.objects.get(topic=Topic.STAFF_DUE)
    assert told.recipients == [world.user("manager_a").pk] and "不合格" in told.title


def test_a_query_that_finds_a_record_stands_whatever_came_before(world):
    _exam(world, world.staff_a, TODAY - dt.timedelta(days=30), kind="criminal_record")
    _exam(world, world.staff_a, TODAY, passed=False, kind="criminal_record")
    world.staff_a.refresh_from_db()
    assert world.staff_a.criminal_record_clear is False
    facts = institution_facts(world.inst_a)
    assert facts["staff"][0]["criminal_record_clear"] is False


def test_a_lapsed_certificate_is_no_longer_held(world):
    credentials.staff_certificate_record(
        actor=_manager(world),
        staff=world.staff_a,
        certificate="infant_carer",
        number="YY-001",
        issued_on=dt.date(2020, 1, 1),
        expires_on=TODAY - dt.timedelta(days=1),
    )
    staff = StaffMember.objects.get(pk=world.staff_a.pk)
    assert "infant_carer" in staff.certificates  # shown on the staff form
    assert staff.certificates_held(TODAY - dt.timedelta(days=2)) == ["childcare_worker", "infant_carer"]
    assert staff.certificates_held(TODAY) == ["childcare_worker"]
    assert institution_facts(world.inst_a)["staff"][0]["certificates"] == ["childcare_worker"]


def test_pre_service_training_hours_add_up_for_the_manager_standard(world):
    manager = f.StaffFactory(institution=world.inst_a, role=StaffRole.MANAGER, certificates=[])
    for hours, stage in ((40, "pre_service"), (20, "pre_service"), (16, "continuing")):
        credentials.staff_training_record(
            actor=_manager(world),
            staff=manager,
            stage=stage,
            course="托育机构负责人岗位培训",
            hours=hours,
            finished_on=TODAY - dt.timedelta(days=5),
            provider="市托育指导中心",
        )
    assert manager.training_hours(TODAY) == 60
    row = next(s for s in institution_facts(world.inst_a)["staff"] if s["role"] == "manager")
    assert row["training_hours"] == 60


def test_what_falls_due_cites_the_interval_and_counts_from_the_last_passed_check(world):
    staff = world.staff_a
    _exam(world, staff, add_months(TODAY, -12) + dt.timedelta(days=20))  # lapses in 20 days
    _exam(world, staff, TODAY - dt.timedelta(days=3), kind="criminal_record")
    staff = credentials.staff_with_records(world.user("manager_a")).get(pk=staff.pk)
    (due,) = credentials.staff_dues(staff, TODAY)
    assert due.what == "健康检查" and not due.overdue
    assert due.last_valid_on == TODAY + dt.timedelta(days=20)
    assert "76号令" in due.basis and "20 天后到期" in due.state
    assert credentials.staff_dues(staff, TODAY, within_days=19) == []


def test_a_staff_member_never_examined_is_overdue(world):
    staff = credentials.staff_with_records(world.user("manager_a")).get(pk=world.staff_a.pk)
    kinds = {due.what: due for due in credentials.staff_dues(staff, TODAY)}
    assert kinds["健康检查"].overdue and kinds["健康检查"].state == "未登记"
    assert kinds["违法犯罪记录查询"].overdue
    assert credentials.roster_marks([staff], TODAY) == {staff.pk: "体检已过期"}


def test_reminders_go_to_the_managers_once_per_due_date(world):
    _exam(world, world.staff_a, add_months(TODAY, -12) + dt.timedelta(days=20))
    first = credentials.dues_remind(TODAY)
    assert first >= 1
    assert credentials.dues_remind(TODAY) == 0
    reminders = OutboxMessage.objects.filter(topic=Topic.STAFF_DUE, title__contains="健康检查")
    assert {tuple(m.recipients) for m in reminders} >= {(world.user("manager_a").pk,)}
    # the exam renewed: a new due date, a new reminder when it comes near
    _exam(world, world.staff_a, TODAY)
    assert not any(d.what == "健康检查" for d in credentials.dues([world.staff_a], TODAY))


@pytest.mark.parametrize("persona", ["manager_b", "caregiver_a", "regulator_a", "police_a", "guardian_a"])
def test_only_the_institution_s_manager_records_and_a_refusal_changes_nothing(world, persona):
    with pytest.raises(AccessDenied):
        credentials.staff_check_record(
            actor=Actor(user=world.user(persona)),
            staff=world.staff_a,
            kind="health_exam",
            checked_on=TODAY,
            passed=True,
            issuer="区妇幼保健院",
        )
    assert not StaffCheck.objects.exists() and not AuditEvent.objects.exists()
    world.staff_a.refresh_from_db()
    assert world.staff_a.health_exam_date is None


def test_a_date_in_the_future_or_a_staff_member_who_left_is_refused(world):
    with pytest.raises(DomainError, match="日期不能晚于今天"):
        _exam(world, world.staff_a, TODAY + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="有效期不能早于发证日期"):
        credentials.staff_certificate_record(
            actor=_manager(world),
            staff=world.staff_a,
            certificate="infant_carer",
            number="",
            issued_on=TODAY,
            expires_on=TODAY - dt.timedelta(days=1),
        )
    StaffMember.objects.filter(pk=world.staff_a.pk).update(left_on=TODAY)
    with pytest.raises(DomainError, match="已离职"):
        _exam(world, world.staff_a, TODAY)
    assert not StaffCheck.objects.exists() and not StaffCertificate.objects.exists()


def test_the_records_page_records_and_refuses_in_chinese(world, login):
    client = login(world.user("manager_a"))
    page = client.get(reverse("operations:staff_records", args=[world.staff_a.pk]))
    assert page.status_code == 200 and "登记培训" in page.content.decode()
    bad = client.post(
        reverse("operations:staff_training_new", args=[world.staff_a.pk]),
        {
            "training-stage": "pre_service",
            "training-course": "岗前培训",
            "training-hours": "0",
            "training-finished_on": TODAY.isoformat(),
            "training-provider": "市托育指导中心",
        },
    )
    assert bad.status_code == 400 and "学时至少为 1" in bad.content.decode()
    assert not StaffTraining.objects.exists()
    missing = client.post(
        reverse("operations:staff_check_new", args=[world.staff_a.pk]),
        {"check-kind": "health_exam", "check-checked_on": TODAY.isoformat(), "check-issuer": "区医院"},
    )
    assert missing.status_code == 400 and not StaffCheck.objects.exists()  # no conclusion, no record
    good = client.post(
        reverse("operations:staff_check_new", args=[world.staff_a.pk]),
        {
            "check-kind": "health_exam",
            "check-checked_on": TODAY.isoformat(),
            "check-passed": "1",
            "check-issuer": "区医院",
        },
    )
    assert good.status_code == 302 and StaffCheck.objects.get().passed is True


def test_others_read_the_records_page_without_its_forms_or_not_at_all(world, login):
    url = reverse("operations:staff_records", args=[world.staff_a.pk])
    regulator = login(world.user("regulator_a")).get(url)
    assert regulator.status_code == 200 and "staff-check-form" not in regulator.content.decode()
    assert login(world.user("regulator_b")).get(url).status_code == 404
    assert login(world.user("manager_b")).get(url).status_code == 404
    post = reverse("operations:staff_check_new", args=[world.staff_a.pk])
    data = {
        "check-kind": "health_exam",
        "check-checked_on": TODAY.isoformat(),
        "check-passed": "1",
        "check-issuer": "区医院",
    }
    assert login(world.user("regulator_a")).post(post, data).status_code in (403, 404)
    assert not StaffCheck.objects.exists()


def test_the_county_list_shows_only_its_own_staff(world, login):
    page = login(world.user("regulator_a")).get(reverse("operations:staff_dues"))
    html = page.content.decode()
    assert page.status_code == 200
    assert world.inst_a.name in html and world.inst_b.name not in html
    assert world.staff_a.name in html and "未登记" in html


def test_police_see_only_security_guards_due(world, login):
    guard = f.StaffFactory(institution=world.inst_a, role=StaffRole.SECURITY_GUARD, certificates=[])
    html = login(world.user("police_a")).get(reverse("operations:staff_dues")).content.decode()
    assert guard.name in html and world.staff_a.name not in html


def test_the_roster_flags_a_lapsed_health_exam(world, login):
    client = login(world.user("manager_a"))
    html = client.get(reverse("operations:classes", args=[world.inst_a.pk])).content.decode()
    assert 'data-qa="staff-mark"' in html
    _exam(world, world.staff_a, TODAY)
    html = client.get(reverse("operations:classes", args=[world.inst_a.pk])).content.decode()
    assert 'data-qa="staff-mark"' not in html


def test_a_newest_examination_that_failed_is_overdue_whatever_passed_before(world):
    _exam(world, world.staff_a, TODAY - dt.timedelta(days=100))
    _exam(world, world.staff_a, TODAY - dt.timedelta(days=1), passed=False)
    staff = credentials.staff_with_records(world.user("manager_a")).get(pk=world.staff_a.pk)
    (due,) = [d for d in credentials.staff_dues(staff, TODAY) if d.what == "健康检查"]
    assert due.overdue and "不合格" in due.state
    assert credentials.roster_marks([staff], TODAY) == {staff.pk: "体检不合格"}


def test_a_query_that_found_a_record_is_listed_as_due(world):
    _exam(world, world.staff_a, TODAY - dt.timedelta(days=100), kind="criminal_record")
    _exam(world, world.staff_a, TODAY, passed=False, kind="criminal_record")
    staff = credentials.staff_with_records(world.user("regulator_a")).get(pk=world.staff_a.pk)
    (due,) = [d for d in credentials.staff_dues(staff, TODAY) if d.what == "违法犯罪记录查询"]
    assert due.overdue and "有不得从业的记录" in due.state


def test_the_facts_of_a_past_day_do_not_count_a_check_recorded_after_it(world):
    _exam(world, world.staff_a, TODAY - dt.timedelta(days=5))
    earlier = institution_facts(world.inst_a, TODAY - dt.timedelta(days=10))["staff"][0]
    later = institution_facts(world.inst_a, TODAY)["staff"][0]
    assert earlier["health_exam_date"] is None
    assert later["health_exam_date"] == (TODAY - dt.timedelta(days=5)).isoformat()


def test_a_lapsed_certificate_is_not_shown_as_held_on_the_staff_table(world):
    credentials.staff_certificate_record(
        actor=_manager(world),
        staff=world.staff_a,
        certificate="childcare_worker",
        number="BY-9",
        issued_on=dt.date(2020, 1, 1),
        expires_on=TODAY - dt.timedelta(days=1),
    )
    staff = StaffMember.objects.get(pk=world.staff_a.pk)
    assert staff.certificate_labels() == []


def test_a_staff_member_with_a_record_is_marked_not_to_work_on_the_roster(world, login):
    _exam(world, world.staff_a, TODAY, kind="criminal_record", passed=False)
    _exam(world, world.staff_a, TODAY, passed=False)
    html = (
        login(world.user("manager_a"))
        .get(reverse("operations:classes", args=[world.inst_a.pk]))
        .content.decode()
    )
    assert "不得上岗（违法犯罪记录）" in html
    staff = credentials.staff_with_records(world.user("manager_a")).get(pk=world.staff_a.pk)
    assert credentials.roster_marks([staff], TODAY) == {staff.pk: "不得上岗（违法犯罪记录）"}
    # the examination is overdue too; the roster shows the stronger mark
    assert any(d.what == "健康检查" and d.overdue for d in credentials.staff_dues(staff, TODAY))
