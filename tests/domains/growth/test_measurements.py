"""A class's weights and lengths, read against the WHO standards: flags go to the institution, the
guardian sees the chart, and only the class's keepers record."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.growth.models import Measurement
from tuoyu.domains.growth.services import class_measurements_record
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.messaging.models import OutboxMessage, Topic
from tuoyu.kernel.people.models import Child

TODAY = clock.today()


def _record(world, rows, persona="manager_a", on=TODAY, care_class=None):
    return class_measurements_record(
        actor=Actor(user=world.user(persona)),
        care_class=care_class or world.class_a,
        measured_on=on,
        rows=rows,
    )


def _child_aged(world, months, sex="female"):
    """Child A, born so that today it is ``months`` old."""
    Child.objects.filter(pk=world.child_a.pk).update(
        birth_date=TODAY - dt.timedelta(days=round(months * 30.4375)), sex=sex
    )


def test_a_normal_child_is_recorded_quietly(world):
    _child_aged(world, 24)
    (row,) = _record(world, {world.child_a.pk: (Decimal("11.50"), Decimal("86.4"))})
    assert row.weight_kg == Decimal("11.50")
    assert AuditEvent.objects.filter(model="growth.measurement").count() == 1
    assert not OutboxMessage.objects.filter(topic=Topic.GROWTH_FLAG).exists()


def test_a_stunted_child_is_flagged_to_the_keepers_and_managers_citing_the_reference(world):
    _child_aged(world, 24)
    world.class_a.keepers.add(world.user("caregiver_a"))
    _record(world, {world.child_a.pk: (Decimal("10.00"), Decimal("78.0"))})
    told = OutboxMessage.objects.get(topic=Topic.GROWTH_FLAG)
    assert "生长迟缓" in told.title
    assert set(told.recipients) == {world.user("caregiver_a").pk, world.user("manager_a").pk}
    assert "世界卫生组织儿童生长标准" in told.body and "2012规范" in told.body
    # saved again unchanged: no second row, no second notice
    _record(world, {world.child_a.pk: (Decimal("10.00"), Decimal("78.0"))})
    assert (
        Measurement.objects.count() == 1
        and OutboxMessage.objects.filter(topic=Topic.GROWTH_FLAG).count() == 1
    )


def test_a_correction_of_the_same_day_updates_the_row(world):
    _child_aged(world, 12)
    _record(world, {world.child_a.pk: (Decimal("9.00"), Decimal("74.0"))})
    _record(world, {world.child_a.pk: (Decimal("9.10"), Decimal("74.0"))})
    assert Measurement.objects.get().weight_kg == Decimal("9.10")
    assert AuditEvent.objects.filter(model="growth.measurement", verb="update").count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ((Decimal("9.00"), None), "同时填写体重和身长"),
        ((Decimal("90.00"), Decimal("74.0")), "体重应在 1 至 40 千克之间"),
        ((Decimal("9.00"), Decimal("7.4")), "身长应在 35 至 130 厘米之间"),
    ],
)
def test_bad_values_are_refused_in_chinese_and_nothing_is_saved(world, value, message):
    with pytest.raises(DomainError, match=message):
        _record(world, {world.child_a.pk: value})
    assert not Measurement.objects.exists() and not AuditEvent.objects.exists()


def test_a_day_in_the_future_or_a_child_of_another_class_is_refused(world):
    with pytest.raises(DomainError, match="不能晚于今天"):
        _record(world, {world.child_a.pk: (Decimal("9"), Decimal("74"))}, on=TODAY + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="不在"):
        _record(world, {world.child_b.pk: (Decimal("9"), Decimal("74"))})
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("persona", ["caregiver_a", "manager_b", "regulator_a", "guardian_a"])
def test_only_the_class_s_keepers_record_and_a_refusal_changes_nothing(world, persona):
    with pytest.raises(AccessDenied):
        _record(world, {world.child_a.pk: (Decimal("9.00"), Decimal("74.0"))}, persona=persona)
    assert not Measurement.objects.exists() and not AuditEvent.objects.exists()


def test_the_class_page_records_and_shows_what_is_due(world, login):
    _child_aged(world, 18)
    client = login(world.user("manager_a"))
    url = reverse("growth:class", args=[world.class_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-qa="due"' in page.content.decode()
    bad = client.post(url, {"measured_on": TODAY.isoformat(), f"c{world.child_a.pk}-weight": "１１"})
    assert bad.status_code == 400 and "半角数字" in bad.content.decode()
    good = client.post(
        url,
        {
            "measured_on": TODAY.isoformat(),
            f"c{world.child_a.pk}-weight": "10.9",
            f"c{world.child_a.pk}-length": "81.2",
        },
    )
    assert good.status_code == 302 and Measurement.objects.get().length_cm == Decimal("81.2")
    assert 'data-qa="due"' not in client.get(url).content.decode()


def test_the_guardian_sees_the_chart_of_their_own_child_only(world, login):
    _child_aged(world, 20)
    _record(world, {world.child_a.pk: (Decimal("10.80"), Decimal("82.0"))})
    guardian = login(world.user("guardian_a"))
    page = guardian.get(reverse("growth:child", args=[world.child_a.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-qa="growth-chart"') == 2 and html.count('data-qa="observation"') == 2
    assert "10.80" in html and "正常范围" in html
    assert guardian.get(reverse("growth:child", args=[world.child_b.pk])).status_code == 404
    home = guardian.get(reverse("home")).content.decode()
    assert 'data-qa="growth-link"' in home


def test_a_county_reads_its_own_institutions_only(world, login):
    assert (
        login(world.user("regulator_a"))
        .get(reverse("growth:institution", args=[world.inst_a.pk]))
        .status_code
        == 200
    )
    assert (
        login(world.user("regulator_b"))
        .get(reverse("growth:institution", args=[world.inst_a.pk]))
        .status_code
        == 404
    )
    assert (
        login(world.user("regulator_a")).get(reverse("growth:class", args=[world.class_a.pk])).status_code
        == 403
    )


def test_a_day_before_the_child_was_born_is_refused(world):
    _child_aged(world, 3)
    with pytest.raises(DomainError, match="早于出生日期"):
        _record(
            world, {world.child_a.pk: (Decimal("5.00"), Decimal("60.0"))}, on=TODAY - dt.timedelta(days=200)
        )
    assert not Measurement.objects.exists()


def test_the_age_is_read_in_calendar_months(world):
    from tuoyu.domains.growth.reading import readings, reference_for

    Child.objects.filter(pk=world.child_a.pk).update(birth_date=dt.date(2024, 1, 31))
    child = Child.objects.get(pk=world.child_a.pk)
    row = Measurement(
        child=child, measured_on=dt.date(2026, 2, 3), weight_kg=Decimal("12"), length_cm=Decimal("88")
    )
    (reading,) = readings([row], reference_for(world.inst_a, TODAY))
    assert reading.age_text == "24个月3天"


def test_a_reference_not_loaded_is_said_in_chinese_on_the_page(world, login, settings, tmp_path):
    from tuoyu.kernel.regions.models import Region

    settings.GROWTH_TABLES_DIR = str(tmp_path)
    Region.objects.filter(pk=world.sub_a.pk).update(policy_profile="growth-test")
    from unittest import mock

    from tuoyu.engines import policy

    national = policy.load_profile("national")

    class Lookup:
        def __init__(self, profile):
            self.profile = profile

        def lookup(self, key, on):
            found = self.profile.lookup(key, on)
            if key == "growth.reference":
                return type(found)(**{**found.__dict__, "value": "wst_423_2022"})
            return found

    with mock.patch("tuoyu.domains.growth.reading.policy.load_profile", return_value=Lookup(national)):
        page = login(world.user("manager_a")).get(reverse("growth:class", args=[world.class_a.pk]))
    assert page.status_code == 503 and "尚未载入数据表" in page.content.decode()


def test_every_child_s_value_out_of_range_is_named_in_kilograms_in_one_save(world, login):
    client = login(world.user("manager_a"))
    url = reverse("growth:class", args=[world.class_a.pk])
    page = client.post(
        url,
        {
            "measured_on": TODAY.isoformat(),
            f"c{world.child_a.pk}-weight": "500",
            f"c{world.child_a.pk}-length": "-3",
        },
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert "体重应在 1 至 40 千克之间" in html and "身长应在 35 至 130 厘米之间" in html
    assert "小数点前" not in html
    assert not Measurement.objects.exists()


def test_a_child_never_measured_is_due_now_not_on_a_past_date(world, login):
    html = (
        login(world.user("guardian_a")).get(reverse("growth:child", args=[world.child_a.pk])).content.decode()
    )
    assert "尚未测量，应尽快测量" in html and "下次测量" not in html
