"""A caregiver records a class's morning or midday check (P18): everyone present and 正常 unless
tapped otherwise; guardians hear of findings; a child sent home with a suspected infectious disease
comes back only with a doctor's certificate."""

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories as f
from tuoyu import clock
from tuoyu.domains.health.models import ChildCheck, ClassCheck, ReturnCertificate
from tuoyu.domains.health.services import Result, certificate_receive, class_check_record
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.messaging.models import OutboxMessage, Topic


def _keep(world, user_name="caregiver_a"):
    world.class_a.keepers.add(world.user(user_name))


def _record(world, results=None, who="caregiver_a", on=None, sitting="morning", care_class=None):
    return class_check_record(
        actor=Actor(world.user(who)),
        care_class=care_class or world.class_a,
        date=on or clock.today(),
        sitting=sitting,
        results=results or {},
    )


def test_an_untouched_class_is_recorded_all_present_and_normal(world):
    _keep(world)
    check = _record(world)
    row = ChildCheck.objects.get(class_check=check)
    assert row.child == world.child_a and row.present and not row.abnormal
    assert AuditEvent.objects.get(model="health.classcheck").note.endswith("到园1人，缺勤0人，异常0人")
    assert not OutboxMessage.objects.filter(topic=Topic.CHECK_FINDING).exists()


def test_a_temperature_at_the_fever_line_is_fever_under_observation(world):
    _keep(world)
    _record(world, {world.child_a.pk: Result(temperature=Decimal("37.3"))})
    row = ChildCheck.objects.get()
    assert row.symptoms == ["fever"] and row.action == "observe"  # national profile: 37.3 ℃ (P18)


def test_a_temperature_below_the_line_is_only_a_reading(world):
    _keep(world)
    _record(world, {world.child_a.pk: Result(temperature=Decimal("37.2"))})
    row = ChildCheck.objects.get()
    assert row.symptoms == [] and row.action == ""


def test_the_guardian_is_told_of_a_finding_once(world):
    _keep(world)
    found = {world.child_a.pk: Result(symptoms=frozenset({"rash"}), action="guardian_notified")}
    _record(world, found)
    _record(world, found)  # saved again unchanged: nobody is told twice
    notices = OutboxMessage.objects.filter(topic=Topic.CHECK_FINDING)
    assert notices.count() == 1
    assert notices.get().recipients == [world.user("guardian_a").pk]
    assert "皮疹" in notices.get().body


def test_a_child_sent_home_with_a_suspected_disease_needs_a_certificate_to_come_back(world):
    _keep(world)
    yesterday = clock.today() - dt.timedelta(days=1)
    sent_home = Result(symptoms=frozenset({"fever", "rash"}), diagnosis="hfmd", action="sent_home")
    _record(world, {world.child_a.pk: sent_home}, on=yesterday)
    notice = OutboxMessage.objects.get(topic=Topic.CHECK_FINDING)
    assert notice.title.startswith("请尽快接") and "复课证明" in notice.body
    awaited = ReturnCertificate.objects.get(child=world.child_a, received_on__isnull=True)

    with pytest.raises(DomainError, match="复课证明"):
        _record(world)  # present by default: refused
    assert not ClassCheck.objects.filter(date=clock.today()).exists()
    _record(world, {world.child_a.pk: Result(present=False)})  # absent is fine

    certificate_receive(
        actor=Actor(world.user("caregiver_a")),
        certificate=awaited,
        received_on=clock.today(),
        issued_by="区妇幼保健院",
    )
    _record(world, sitting="midday")
    assert ChildCheck.objects.filter(class_check__sitting="midday", present=True).count() == 1


def test_an_absent_child_carries_no_finding(world):
    _keep(world)
    _record(
        world,
        {world.child_a.pk: Result(present=False, temperature=Decimal("38.5"), symptoms=frozenset({"cough"}))},
    )
    row = ChildCheck.objects.get()
    assert not row.present and not row.abnormal and row.temperature is None


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (Result(temperature=Decimal("3.7")), "请核对"),
        (Result(symptoms=frozenset({"headache"})), "规定的选项"),
        (Result(diagnosis="plague"), "规定的选项"),
        (Result(action="ignore"), "规定的选项"),
    ],
)
def test_bad_entries_are_refused_in_chinese_and_save_nothing(world, result, message):
    _keep(world)
    with pytest.raises(DomainError, match=message):
        _record(world, {world.child_a.pk: result})
    assert not ClassCheck.objects.exists() and not ChildCheck.objects.exists()


def test_a_check_cannot_be_dated_tomorrow_or_more_than_a_week_back(world):
    _keep(world)
    with pytest.raises(DomainError, match="以后"):
        _record(world, on=clock.today() + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="近7天"):
        _record(world, on=clock.today() - dt.timedelta(days=8))


def test_a_child_of_another_class_is_refused(world):
    _keep(world)
    with pytest.raises(DomainError, match="不在"):
        _record(world, {world.child_b.pk: Result()})


@pytest.mark.parametrize("who", ["caregiver_a", "manager_b", "regulator_a", "guardian_a"])
def test_only_the_classes_keepers_and_its_manager_record_it(world, who):
    # caregiver_a works at the institution but does not keep the class
    with pytest.raises(AccessDenied):
        _record(world, who=who)
    assert not ClassCheck.objects.exists()


def test_a_caregiver_of_class_a_cannot_record_class_b_of_the_same_institution(world):
    other = f.CareClassFactory(institution=world.inst_a, name="托大1班", class_type="older_toddler")
    _keep(world)
    _record(world)
    with pytest.raises(AccessDenied):
        _record(world, care_class=other)
    assert ClassCheck.objects.count() == 1


def test_the_manager_records_any_class(world):
    check = _record(world, who="manager_a")
    assert check.recorded_by == world.user("manager_a")


def test_a_correction_replaces_the_sitting_and_is_audited_as_an_update(world):
    _keep(world)
    _record(world)
    _record(world, {world.child_a.pk: Result(symptoms=frozenset({"cough"}))})
    assert ClassCheck.objects.count() == 1
    assert ChildCheck.objects.get().symptoms == ["cough"]
    assert list(
        AuditEvent.objects.filter(model="health.classcheck").order_by("pk").values_list("verb", flat=True)
    ) == [
        "create",
        "update",
    ]
