"""Checks raise outbreak alerts by the profile's thresholds (P18; 2012规范: 3 cases with similar
symptoms in one class on one day → report to the CDC within 24 h): the institution, the county health
bureau and the CDC are told at once; the alert stays open until someone records the report."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f
from tuoyu import clock
from tuoyu.domains.health.models import OutbreakAlert
from tuoyu.domains.health.outbreaks import outbreak_report_record
from tuoyu.domains.health.selectors import alerts_for
from tuoyu.domains.health.services import Result, class_check_record
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Department, Role
from tuoyu.kernel.messaging.models import OutboxMessage, Topic
from tuoyu.kernel.messaging.services import recipients

FEVER = Result(symptoms=frozenset({"fever"}))


@pytest.fixture
def sick_class(world):
    """Class A with three more children; caregiver_a keeps it."""
    world.class_a.keepers.add(world.user("caregiver_a"))
    others = [f.ChildFactory(institution=world.inst_a, care_class=world.class_a) for _ in range(3)]
    return [world.child_a, *others]


def _check(world, results, on=None):
    return class_check_record(
        actor=Actor(world.user("caregiver_a")),
        care_class=world.class_a,
        date=on or clock.today(),
        sitting="morning",
        results={child.pk: result for child, result in results},
    )


def test_two_fevers_in_a_class_raise_nothing(world, sick_class):
    _check(world, [(child, FEVER) for child in sick_class[:2]])
    assert not OutbreakAlert.objects.exists()


def test_a_third_fever_in_a_class_on_one_day_raises_an_alert_with_its_24_hour_clock(world, sick_class):
    _check(world, [(child, FEVER) for child in sick_class[:3]])
    alert = OutbreakAlert.objects.get()
    assert alert.care_class == world.class_a and alert.cases == 3 and alert.is_open
    assert alert.report_due_at - alert.raised_at == dt.timedelta(hours=24)
    assert "托儿所幼儿园卫生保健工作规范" in alert.rule_text and "发热" in alert.rule_text


def test_the_alert_reaches_the_institution_the_county_health_bureau_and_the_cdc(world, sick_class):
    cdc_a = f.UserFactory(
        username="cdc_a", role=Role.DEPARTMENT, region=world.county_a, department=Department.DISEASE_CONTROL
    )
    cdc_b = f.UserFactory(
        username="cdc_b", role=Role.DEPARTMENT, region=world.county_b, department=Department.DISEASE_CONTROL
    )
    _check(world, [(child, FEVER) for child in sick_class[:3]])
    to_people, to_departments = OutboxMessage.objects.filter(topic=Topic.OUTBREAK_ALERT).order_by("pk")
    assert set(to_people.recipients) == {world.user("manager_a").pk, world.user("caregiver_a").pk}
    told = set(recipients(to_departments))
    assert {world.user("regulator_a"), world.user("city_regulator"), cdc_a} <= told
    assert world.user("regulator_b") not in told and cdc_b not in told and world.user("police_a") not in told
    assert "须于" in to_departments.body and "前报告疾病预防控制机构" in to_departments.body


def test_a_fourth_case_extends_the_alert_rather_than_raising_another(world, sick_class):
    _check(world, [(child, FEVER) for child in sick_class[:3]])
    _check(world, [(child, FEVER) for child in sick_class])
    alert = OutbreakAlert.objects.get()
    assert alert.cases == 4
    assert OutboxMessage.objects.filter(topic=Topic.OUTBREAK_ALERT).count() == 2  # the first one's only


def test_the_county_sees_its_alerts_and_the_next_county_does_not(world, sick_class):
    _check(world, [(child, FEVER) for child in sick_class[:3]])
    assert alerts_for(world.user("regulator_a")).count() == 1
    assert alerts_for(world.user("regulator_b")).count() == 0
    assert alerts_for(world.user("manager_b")).count() == 0
    assert alerts_for(world.user("guardian_a")).count() == 0


def test_recording_the_report_closes_the_alert_once(world, sick_class):
    _check(world, [(child, FEVER) for child in sick_class[:3]])
    alert = OutbreakAlert.objects.get()
    with pytest.raises(AccessDenied):
        outbreak_report_record(actor=Actor(world.user("regulator_b")), alert=alert, note="已报告")
    with pytest.raises(DomainError, match="报告情况"):
        outbreak_report_record(actor=Actor(world.user("manager_a")), alert=alert, note="  ")
    alert.refresh_from_db()
    assert alert.is_open
    outbreak_report_record(actor=Actor(world.user("manager_a")), alert=alert, note="已电话报告区疾控中心")
    alert.refresh_from_db()
    assert not alert.is_open and alert.reported_by == world.user("manager_a")
    with pytest.raises(DomainError, match="已登记"):
        outbreak_report_record(actor=Actor(world.user("regulator_a")), alert=alert, note="再次")


def test_the_county_page_shows_the_clock_and_records_the_report(world, sick_class, login):
    _check(world, [(child, FEVER) for child in sick_class[:3]])
    client = login(world.user("regulator_a"))
    home = client.get(reverse("home")).content.decode()
    assert 'data-qa="panel-alerts"' in home and "剩余 24 小时" in home
    page = client.get(reverse("health:alerts")).content.decode()
    assert "甲托育园" in page and 'data-qa="report-form"' in page
    alert = OutbreakAlert.objects.get()
    response = client.post(reverse("health:alert_report", args=[alert.pk]), {"note": "区疾控中心已接报"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.report_note == "区疾控中心已接报"
    assert 'data-qa="no-open-alerts"' in client.get(reverse("health:alerts")).content.decode()


def test_another_county_cannot_report_or_open_the_page_for_the_alert(world, sick_class, login):
    _check(world, [(child, FEVER) for child in sick_class[:3]])
    alert = OutbreakAlert.objects.get()
    client = login(world.user("regulator_b"))
    assert "甲托育园" not in client.get(reverse("health:alerts")).content.decode()
    assert client.post(reverse("health:alert_report", args=[alert.pk]), {"note": "x"}).status_code == 404
    alert.refresh_from_db()
    assert alert.is_open
