"""Admission health (N12; 76号令 art. 15, 18): no child is marked present before the vaccination
certificate is checked and the admission health check recorded; a child away more than 3 months
is checked again."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f
from tuoyu import clock
from tuoyu.domains.attendance.services import arrival_record
from tuoyu.domains.health.models import ChildCheck, ClassCheck
from tuoyu.domains.health.services import Result, class_check_record
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.people.admission import admission_check_record, admission_problem
from tuoyu.kernel.people.models import AdmissionCheck

DAY = dt.date(2026, 9, 1)


def test_no_check_recorded_is_a_problem_citing_the_rule():
    assert admission_problem([], DAY, None, 3, "76号令 第15条").startswith(
        "尚未登记预防接种证查验和入园健康检查"
    )


def test_a_check_after_the_day_does_not_count():
    assert admission_problem([DAY + dt.timedelta(days=1)], DAY, None, 3, "x") is not None


def test_three_months_away_is_fine_and_more_needs_a_new_check():
    checked = [dt.date(2026, 1, 5)]
    assert admission_problem(checked, DAY, DAY - dt.timedelta(days=91), 3, "x") is None
    assert "超过3个月" in admission_problem(checked, DAY, DAY - dt.timedelta(days=95), 3, "x")
    assert (
        admission_problem([*checked, DAY - dt.timedelta(days=2)], DAY, DAY - dt.timedelta(days=95), 3, "x")
        is None
    )


@pytest.fixture
def newcomer(world):
    world.class_a.keepers.add(world.user("caregiver_a"))
    return f.ChildFactory(institution=world.inst_a, care_class=world.class_a, name="新来的", admitted=False)


def test_a_newcomer_without_the_check_is_neither_checked_present_nor_let_in(world, newcomer):
    keeper = Actor(world.user("caregiver_a"))
    with pytest.raises(DomainError, match="入园健康检查"):
        class_check_record(
            actor=keeper, care_class=world.class_a, date=clock.today(), sitting="morning", results={}
        )
    with pytest.raises(DomainError, match="入园健康检查"):
        arrival_record(actor=keeper, child=newcomer)
    class_check_record(
        actor=keeper,
        care_class=world.class_a,
        date=clock.today(),
        sitting="morning",
        results={newcomer.pk: Result(present=False)},
    )
    assert ChildCheck.objects.get(child=newcomer).present is False

    admission_check_record(
        actor=keeper,
        child=newcomer,
        vaccination_checked_on=clock.today(),
        health_check_on=clock.today(),
        hospital="区妇幼保健院",
    )
    arrival_record(actor=keeper, child=newcomer)


def test_the_check_page_starts_a_newcomer_absent_and_links_the_admission_page(world, newcomer, login):
    client = login(world.user("caregiver_a"))
    page = client.get(
        reverse("health:check", args=[world.class_a.pk]), {"sitting": "morning"}
    ).content.decode()
    assert (
        'data-qa="held-reason"' in page and reverse("operations:child_admission", args=[newcomer.pk]) in page
    )
    assert f'name="c{newcomer.pk}-absent" id="id_c{newcomer.pk}-absent" checked' in page


def test_the_keeper_records_the_admission_check_on_its_page(world, newcomer, login):
    client = login(world.user("caregiver_a"))
    url = reverse("operations:child_admission", args=[newcomer.pk])
    response = client.post(
        url,
        {
            "vaccination_checked_on": clock.today().isoformat(),
            "health_check_on": "2099-01-01",
            "hospital": "医院",
        },
    )
    assert response.status_code == 400 and not AdmissionCheck.objects.filter(child=newcomer).exists()
    today = clock.today().isoformat()
    response = client.post(
        url, {"vaccination_checked_on": today, "health_check_on": today, "hospital": "区妇幼保健院"}
    )
    assert response.status_code == 302
    assert AdmissionCheck.objects.get(child=newcomer).hospital == "区妇幼保健院"


def test_another_institution_cannot_record_it(world, newcomer, login):
    with pytest.raises(AccessDenied):
        admission_check_record(
            actor=Actor(world.user("manager_b")),
            child=newcomer,
            vaccination_checked_on=clock.today(),
            health_check_on=clock.today(),
            hospital="医院",
        )
    client = login(world.user("manager_b"))
    assert client.get(reverse("operations:child_admission", args=[newcomer.pk])).status_code == 404
    assert not ClassCheck.objects.exists()
