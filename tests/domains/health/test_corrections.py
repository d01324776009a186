"""Corrections of a recorded sitting keep everything built on it true: the certificate awaited,
the guardians' notices, the outbreak alerts, the rows of children who have moved class since."""

import datetime as dt

import pytest

from tests import factories as f
from tuoyu import clock
from tuoyu.domains.health.models import ChildCheck, OutbreakAlert, ReturnCertificate
from tuoyu.domains.health.services import Result, certificate_receive, class_check_record
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.messaging.models import OutboxMessage, Topic
from tuoyu.kernel.people.models import AttendanceHold

FEVER = Result(symptoms=frozenset({"fever"}))
TODAY = clock.today


@pytest.fixture
def keeper(world):
    world.class_a.keepers.add(world.user("caregiver_a"))
    return Actor(world.user("caregiver_a"))


def _record(keeper, world, results, on=None, sitting="morning", seen_at=None):
    return class_check_record(
        actor=keeper,
        care_class=world.class_a,
        date=on or TODAY(),
        sitting=sitting,
        results=results,
        seen_at=seen_at,
    )


def test_correcting_a_sitting_that_sent_a_child_home_withdraws_the_certificate(world, keeper):
    sent = Result(symptoms=frozenset({"rash"}), diagnosis="hfmd", action="sent_home")
    check = _record(keeper, world, {world.child_a.pk: sent})
    assert ReturnCertificate.objects.filter(received_on__isnull=True).count() == 1
    # The wrong child was tapped: corrected to observe only.
    _record(
        keeper, world, {world.child_a.pk: Result(symptoms=frozenset({"rash"}))}, seen_at=check.recorded_at
    )
    assert not ReturnCertificate.objects.exists()
    assert not AttendanceHold.objects.filter(lifted_on__isnull=True).exists()
    assert ChildCheck.objects.get().action == "observe"


def test_a_changed_diagnosis_changes_the_certificate_awaited(world, keeper):
    check = _record(keeper, world, {world.child_a.pk: Result(diagnosis="hfmd", action="sent_home")})
    _record(
        keeper,
        world,
        {world.child_a.pk: Result(diagnosis="varicella", action="sent_home")},
        seen_at=check.recorded_at,
    )
    assert ReturnCertificate.objects.get().diagnosis == "varicella"
    assert "水痘" in AttendanceHold.objects.get(lifted_on__isnull=True).reason


def test_the_sent_home_notice_is_not_lost_behind_an_earlier_notice(world, keeper):
    many = frozenset({"fever", "rash", "diarrhoea", "vomiting", "jaundice"})
    check = _record(keeper, world, {world.child_a.pk: Result(symptoms=many)})
    _record(
        keeper,
        world,
        {world.child_a.pk: Result(symptoms=many, diagnosis="hfmd", action="sent_home")},
        seen_at=check.recorded_at,
    )
    titles = list(OutboxMessage.objects.filter(topic=Topic.CHECK_FINDING).values_list("title", flat=True))
    assert len(titles) == 2 and any(t.startswith("请尽快接") for t in titles)


def test_a_finding_corrected_away_is_told_to_the_guardians(world, keeper):
    check = _record(keeper, world, {world.child_a.pk: Result(symptoms=frozenset({"cough"}))})
    _record(keeper, world, {world.child_a.pk: Result()}, seen_at=check.recorded_at)
    latest = OutboxMessage.objects.filter(topic=Topic.CHECK_FINDING).order_by("pk").last()
    assert "更正" in latest.title and "作废" in latest.body


def test_a_stale_page_does_not_overwrite_a_newer_correction(world, keeper):
    first = _record(keeper, world, {world.child_a.pk: Result(symptoms=frozenset({"cough"}))})
    seen = first.recorded_at
    _record(keeper, world, {world.child_a.pk: Result(symptoms=frozenset({"rash"}))}, seen_at=seen)
    with pytest.raises(DomainError, match="刷新"):
        _record(keeper, world, {world.child_a.pk: Result()}, seen_at=seen)
    assert ChildCheck.objects.get().symptoms == ["rash"]


def test_a_child_who_moved_class_keeps_their_row_in_a_correction(world, keeper):
    other = f.CareClassFactory(institution=world.inst_a, name="托小2班")
    check = _record(keeper, world, {world.child_a.pk: Result(symptoms=frozenset({"cough"}))})
    world.child_a.care_class = other
    world.child_a.save()
    newcomer = f.ChildFactory(institution=world.inst_a, care_class=world.class_a)
    _record(keeper, world, {newcomer.pk: Result(symptoms=frozenset({"rash"}))}, seen_at=check.recorded_at)
    assert ChildCheck.objects.get(child=world.child_a).symptoms == ["cough"]
    assert ChildCheck.objects.filter(class_check=check).count() == 2


def test_a_certificate_cannot_be_dated_before_the_child_was_sent_home(world, keeper):
    _record(
        keeper,
        world,
        {world.child_a.pk: Result(diagnosis="hfmd", action="sent_home")},
        on=TODAY() - dt.timedelta(days=2),
    )
    awaited = ReturnCertificate.objects.get()
    with pytest.raises(DomainError, match="不能早于"):
        certificate_receive(
            actor=keeper, certificate=awaited, received_on=TODAY() - dt.timedelta(days=3), issued_by="区医院"
        )
    certificate_receive(actor=keeper, certificate=awaited, received_on=TODAY(), issued_by="区医院")
    # Yesterday the certificate was not in yet: the child cannot be marked present then.
    with pytest.raises(DomainError, match="复课证明"):
        _record(keeper, world, {}, on=TODAY() - dt.timedelta(days=1))
    _record(keeper, world, {})  # today is fine


@pytest.fixture
def class_of_four(world, keeper):
    return [
        world.child_a,
        *(f.ChildFactory(institution=world.inst_a, care_class=world.class_a) for _ in range(3)),
    ]


def test_a_late_earlier_case_extends_the_alert_rather_than_raising_a_second(world, keeper, class_of_four):
    # Hand-foot-mouth: 2 in one class within 7 days (the national profile's Zhejiang thresholds).
    hfmd = Result(diagnosis="hfmd")
    yesterday, today = TODAY() - dt.timedelta(days=1), TODAY()
    a, b, c, _ = class_of_four
    _record(keeper, world, {a.pk: hfmd, b.pk: hfmd}, on=today)
    check = _record(keeper, world, {c.pk: hfmd}, on=yesterday)  # typed in late
    alert = OutbreakAlert.objects.get(rule="outbreak.disease.hfmd.class")
    assert alert.first_date == yesterday and alert.last_date == today and alert.cases == 3
    assert OutbreakAlert.objects.count() == 1
    assert (
        OutboxMessage.objects.filter(topic=Topic.OUTBREAK_ALERT).count() == 2
    )  # raised once, two addressees
    # Correcting yesterday does not shrink what today still shows, nor raise another.
    _record(keeper, world, {c.pk: Result()}, on=yesterday, seen_at=check.recorded_at)
    alert.refresh_from_db()
    assert (alert.first_date, alert.last_date, alert.cases) == (today, today, 2)
    assert OutbreakAlert.objects.count() == 1 and alert.is_open


def test_correcting_the_cases_away_withdraws_the_alert_and_says_so(world, keeper, class_of_four):
    a, b, c, _ = class_of_four
    check = _record(keeper, world, {a.pk: FEVER, b.pk: FEVER, c.pk: FEVER})
    _record(keeper, world, {a.pk: FEVER, b.pk: FEVER, c.pk: Result()}, seen_at=check.recorded_at)
    alert = OutbreakAlert.objects.get()
    assert alert.withdrawn_at is not None and not alert.is_open
    assert OutboxMessage.objects.filter(topic=Topic.OUTBREAK_ALERT, title__startswith="预警撤销").count() == 2
