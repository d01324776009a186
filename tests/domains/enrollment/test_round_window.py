"""A round's status follows its dates and the clock: a closed window is never advertised, and the
apply form refuses before a family fills it in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tuoyu.domains.enrollment import services
from tuoyu.domains.enrollment.models import Round, RoundState
from tuoyu.kernel.accounts.actor import Actor


@pytest.fixture
def closed_yesterday(world):
    today = timezone.localdate()
    regulator = Actor(user=world.user("regulator_a"))
    round_ = services.round_create(
        actor=regulator,
        region=world.county_a,
        name="已截止批次",
        admission_date=today + dt.timedelta(days=30),
        opens_on=today - dt.timedelta(days=10),
        closes_on=today - dt.timedelta(days=1),
    )
    opened = today - dt.timedelta(days=10)  # organised while the window was open
    services.program_add(
        actor=regulator,
        round_=round_,
        institution=world.inst_a,
        class_type="older_toddler",
        classes=1,
        on=opened,
    )
    services.round_open(actor=regulator, round_=round_, on=opened)
    return Round.objects.get(pk=round_.pk)


def test_a_round_whose_window_closed_yesterday_is_not_advertised(world, client, login, closed_yesterday):
    assert closed_yesterday.state == RoundState.OPEN
    find = client.get(reverse("enrollment:find")).content.decode()
    assert "已截止批次" not in find and "网上申请" not in find
    public = (
        login(world.user("guardian_a"))
        .get(reverse("enrollment:public", args=[closed_yesterday.pk]))
        .content.decode()
    )
    assert "申请已截止" in public and "接受申请<" not in public and 'data-qa="apply-link"' not in public


def test_the_apply_page_of_a_closed_round_refuses_before_the_form(world, login, closed_yesterday):
    page = (
        login(world.user("guardian_a"))
        .get(reverse("enrollment:apply", args=[closed_yesterday.pk]))
        .content.decode()
    )
    assert 'data-qa="apply-closed"' in page and 'data-qa="apply-form"' not in page
    assert closed_yesterday.closes_on.strftime("%Y-%m-%d") in page


def test_posting_to_a_closed_round_saves_nothing(world, login, closed_yesterday):
    from tuoyu.domains.enrollment.models import Application

    child = f.ChildFactory(birth_date=timezone.localdate() - dt.timedelta(days=750))
    from tuoyu.kernel.people.models import Guardianship, Relation

    Guardianship.objects.create(child=child, user=world.user("guardian_a"), relation=Relation.MOTHER)
    program = closed_yesterday.programs.get()
    login(world.user("guardian_a")).post(
        reverse("enrollment:apply", args=[closed_yesterday.pk]), {"child": child.pk, "choice_1": program.pk}
    )
    assert not Application.objects.exists()


def test_a_round_not_yet_open_says_when_it_opens(world, login):
    today = timezone.localdate()
    regulator = Actor(user=world.user("regulator_a"))
    round_ = services.round_create(
        actor=regulator,
        region=world.county_a,
        name="下月批次",
        admission_date=today + dt.timedelta(days=60),
        opens_on=today + dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=15),
    )
    services.program_add(
        actor=regulator, round_=round_, institution=world.inst_a, class_type="older_toddler", classes=1
    )
    services.round_open(actor=regulator, round_=round_)
    page = login(world.user("regulator_a")).get(reverse("enrollment:rounds")).content.decode()
    assert f"{round_.opens_on:%Y-%m-%d}起接受申请" in page


def test_an_offer_is_answered_only_by_its_two_buttons(world, login):
    from tests.walk import build
    from tuoyu.domains.enrollment.models import Response

    site = build(world)
    offer = site.rows["offer"]
    client = login(world.user("guardian_a"))
    response = client.post(reverse("enrollment:respond", args=[offer.pk]), {"answer": "whatever"})
    assert response.status_code == 400
    offer.refresh_from_db()
    assert offer.response == Response.PENDING


def test_a_round_offers_no_more_places_than_the_institution_has(world):
    from tuoyu.kernel.registry.models import Institution

    Institution.objects.filter(pk=world.inst_a.pk).update(places=5)
    today = timezone.localdate()
    regulator = Actor(user=world.user("regulator_a"))
    round_ = services.round_create(
        actor=regulator,
        region=world.county_a,
        name="小机构",
        admission_date=today + dt.timedelta(days=60),
        opens_on=today,
        closes_on=today + dt.timedelta(days=10),
    )
    inst = Institution.objects.get(pk=world.inst_a.pk)
    program = services.program_add(
        actor=regulator, round_=round_, institution=inst, class_type="older_toddler", classes=20
    )
    assert program.capacity == 5


def test_a_class_the_institution_does_not_take_is_refused(world):
    from tuoyu.errors import DomainError
    from tuoyu.kernel.registry.models import Institution

    Institution.objects.filter(pk=world.inst_a.pk).update(min_age_months=12, max_age_months=36)
    today = timezone.localdate()
    regulator = Actor(user=world.user("regulator_a"))
    round_ = services.round_create(
        actor=regulator,
        region=world.county_a,
        name="乳儿",
        admission_date=today + dt.timedelta(days=60),
        opens_on=today,
        closes_on=today + dt.timedelta(days=10),
    )
    with pytest.raises(DomainError, match="不招收乳儿班"):
        services.program_add(
            actor=regulator,
            round_=round_,
            institution=Institution.objects.get(pk=world.inst_a.pk),
            class_type="infant",
            classes=1,
        )


def test_a_round_whose_window_has_passed_cannot_be_opened_or_extended(world, closed_yesterday):
    from tuoyu.errors import DomainError

    regulator = Actor(user=world.user("regulator_a"))
    with pytest.raises(DomainError, match="截止"):
        services.program_add(
            actor=regulator,
            round_=closed_yesterday,
            institution=world.inst_a,
            class_type="young_toddler",
            classes=1,
        )
