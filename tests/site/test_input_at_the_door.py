"""Input normalised at the door: nonsense is refused with a Chinese message and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.walk import database_state
from tuoyu.domains.filings import services as filings
from tuoyu.domains.filings.models import Kind, Placement
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.registry.account_services import account_create
from tuoyu.kernel.registry.models import Institution


def _edit_post(client, inst, **changes):
    from tests.walk import forms_in

    page = client.get(reverse("registry:edit", args=[inst.pk])).content.decode()
    form = next(form for form in forms_in(page) if form.method == "post" and not form.action)
    data = form.data()
    for name, value in changes.items():
        data[name] = [value]
    return client.post(reverse("registry:edit", args=[inst.pk]), data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("monthly_fee", "-100", "0"),
        ("indoor_area_m2", "-5", "0"),
        ("window_area_ratio", "1.5", "1"),
        ("floor_of_child_rooms", "-1", "1"),
        ("places", "٣", "半角数字"),
        ("name", "甲托育园\u202e", "文字方向"),
        ("address", "测试路\x1b1号", "控制字符"),
        ("lease_start", "1899-12-31", "1900-01-01"),
    ],
)
def test_an_edit_form_refuses_nonsense_and_saves_nothing(world, login, field, value, message):
    from tuoyu.kernel.registry.models import Status

    Institution.objects.filter(pk=world.inst_a.pk).update(
        status=Status.REGISTERED
    )  # registration fields editable
    client = login(world.user("manager_a"))
    before = database_state()
    response = _edit_post(client, Institution.objects.get(pk=world.inst_a.pk), **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert database_state() == before


def test_a_name_is_stored_without_surrounding_blanks_and_in_one_unicode_form(world, login):
    from tuoyu.kernel.registry.models import Status

    Institution.objects.filter(pk=world.inst_a.pk).update(status=Status.REGISTERED)
    response = _edit_post(
        login(world.user("manager_a")),
        Institution.objects.get(pk=world.inst_a.pk),
        name="  甲托育园（e\u0301）  ",
    )
    assert response.status_code == 302
    assert Institution.objects.get(pk=world.inst_a.pk).name == "甲托育园（\u00e9）"


def test_usernames_differing_only_in_case_are_one_account(world):
    with pytest.raises(DomainError, match="已被使用"):
        account_create(
            actor=Actor(user=world.user("regulator_a")),
            username="MANAGER_A",
            display_name="重复",
            role="guardian",
            region=world.sub_a,
        )


def test_a_database_constraint_refuses_a_case_variant_username_written_directly(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        f.UserFactory(username="Regulator_A")


def test_a_round_dated_1900_is_refused(world, login):
    client = login(world.user("regulator_a"))
    response = client.post(
        reverse("enrollment:rounds"),
        {
            "name": "古代批次",
            "admission_date": "1900-03-01",
            "opens_on": "1900-01-01",
            "closes_on": "1900-01-10",
            "max_choices": "3",
            "respond_days": "5",
        },
    )
    assert response.status_code == 400 and "应在" in response.content.decode()
    from tuoyu.domains.enrollment.models import Round

    assert not Round.objects.exists()


def test_a_round_admitting_before_its_applications_close_is_refused(world, login):
    today = timezone.localdate()
    response = login(world.user("regulator_a")).post(
        reverse("enrollment:rounds"),
        {
            "name": "倒置批次",
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=10)).isoformat(),
            "admission_date": (today + dt.timedelta(days=5)).isoformat(),
            "max_choices": "3",
            "respond_days": "5",
        },
    )
    assert response.status_code == 400 and "入托日期不能早于申请截止日期" in response.content.decode()


def test_placements_are_refused_on_a_filing_that_is_not_a_closure(world):
    manager = Actor(user=world.user("manager_a"))
    change = filings.filing_start(actor=manager, institution=world.inst_a, kind=Kind.CHANGE)
    with pytest.raises(DomainError, match="注销备案"):
        filings.filing_update(actor=manager, filing=change, placements={("child", world.child_a.pk): "回家"})
    assert not Placement.objects.exists()


def test_placements_posted_to_a_change_filing_page_create_nothing(world, login):
    change = filings.filing_start(
        actor=Actor(user=world.user("manager_a")), institution=world.inst_a, kind=Kind.CHANGE
    )
    login(world.user("manager_a")).post(
        reverse("filings:placements", args=[change.pk]), {f"child__{world.child_a.pk}": "回家"}
    )
    assert not Placement.objects.exists()
