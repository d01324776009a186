"""What an institution publishes to its families: fee items checked against the prepaid limit, the
week's menu, the monthly meal account, and notices that reach a class's families only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.disclosure.models import FeeItem, MealAccount, Notice, WeeklyMenu
from tuoyu.domains.disclosure.services import (
    fee_item_save,
    fee_item_withdraw,
    meal_account_publish,
    menu_publish,
    notice_send,
    week_of,
)
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.messaging.models import OutboxMessage, Topic
from tuoyu.kernel.people.facts import institution_facts
from tuoyu.kernel.people.models import CareClass
from tuoyu.kernel.registry.models import Institution

TODAY = clock.today()


def _fee(world, persona="manager_a", **values):
    values = {
        "name": "保育费",
        "amount": Decimal("1800"),
        "unit": "month",
        "prepaid_months": 3,
        "note": "",
        **values,
    }
    return fee_item_save(actor=Actor(user=world.user(persona)), institution=world.inst_a, values=values)


def _facts(world):
    return institution_facts(Institution.objects.get(pk=world.inst_a.pk))


def test_fee_items_become_the_fee_facts_the_prepaid_limit_reads(world):
    _fee(world, prepaid_months=3)
    _fee(world, name="伙食费", amount=Decimal("20"), unit="day", prepaid_months=4)
    facts = _facts(world)
    assert facts["prepaid_fee_months"] == 4 and facts["disclosure"]["fees"] is True
    assert AuditEvent.objects.filter(model="disclosure.feeitem", verb="create").count() == 2


def test_a_withdrawn_fee_no_longer_counts(world):
    long_prepaid = _fee(world, prepaid_months=6)
    _fee(world, name="伙食费", prepaid_months=1)
    fee_item_withdraw(actor=Actor(user=world.user("manager_a")), item=long_prepaid)
    assert _facts(world)["prepaid_fee_months"] == 1
    with pytest.raises(DomainError, match="已停止收取"):
        fee_item_save(
            actor=Actor(user=world.user("manager_a")),
            institution=world.inst_a,
            values={"amount": 1},
            item=long_prepaid,
        )


def test_a_fee_saved_again_unchanged_records_nothing(world):
    item = _fee(world)
    fee_item_save(
        actor=Actor(user=world.user("manager_a")),
        institution=world.inst_a,
        values={"name": "保育费", "amount": Decimal("1800.00")},
        item=item,
    )
    assert not AuditEvent.objects.filter(model="disclosure.feeitem", verb="update").exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"amount": Decimal("-1")}, "金额不能为负数"),
        ({"prepaid_months": 40}, "不能超过 36 个月"),
        ({"name": "保育费\u202e"}, "改变文字方向"),
    ],
)
def test_bad_fees_are_refused_in_chinese_and_nothing_is_saved(world, values, message):
    with pytest.raises(DomainError, match=message):
        _fee(world, **values)
    assert not FeeItem.objects.exists() and not AuditEvent.objects.exists()


def test_this_week_s_menu_is_the_meals_fact(world):
    actor = Actor(user=world.user("manager_a"))
    menu_publish(
        actor=actor,
        institution=world.inst_a,
        week=week_of(TODAY) - dt.timedelta(days=14),
        dishes={0: {"lunch": "番茄炒蛋、米饭"}},
    )
    assert _facts(world)["disclosure"]["meals"] is False
    menu_publish(
        actor=actor, institution=world.inst_a, week=week_of(TODAY), dishes={0: {"lunch": "清蒸鱼、米饭"}}
    )
    assert _facts(world)["disclosure"]["meals"] is True
    again = menu_publish(
        actor=actor, institution=world.inst_a, week=week_of(TODAY), dishes={0: {"lunch": "清蒸鱼、米饭"}}
    )
    assert again.dishes == {"0": {"lunch": "清蒸鱼、米饭"}}
    assert AuditEvent.objects.filter(model="disclosure.weeklymenu").count() == 2


def test_a_menu_must_start_on_a_monday_and_name_a_dish(world):
    actor = Actor(user=world.user("manager_a"))
    monday = week_of(TODAY)
    with pytest.raises(DomainError, match="星期一"):
        menu_publish(actor=actor, institution=world.inst_a, week=monday + dt.timedelta(days=1), dishes={})
    with pytest.raises(DomainError, match="至少填写一餐"):
        menu_publish(actor=actor, institution=world.inst_a, week=monday, dishes={0: {"lunch": "  "}})
    assert not WeeklyMenu.objects.exists()


def test_the_meal_account_of_last_month_is_the_monthly_fact(world):
    actor = Actor(user=world.user("manager_a"))
    last_month = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    values = {
        "income": Decimal("30000"),
        "food_cost": Decimal("25500"),
        "other_cost": Decimal("1000"),
        "child_days": 1500,
        "note": "",
    }
    account = meal_account_publish(actor=actor, institution=world.inst_a, month=last_month, values=values)
    assert account.food_share == Decimal("85.0") and account.per_child_day == Decimal("17.00")
    assert account.balance == Decimal("3500")
    assert _facts(world)["disclosure"]["meal_accounts_monthly"] is True
    with pytest.raises(DomainError, match="尚未开始"):
        meal_account_publish(
            actor=actor,
            institution=world.inst_a,
            month=TODAY.replace(day=1) + dt.timedelta(days=40),
            values=values,
        )
    assert MealAccount.objects.count() == 1


def test_an_institution_that_publishes_nothing_keeps_its_ledger_declaration(world):
    Institution.objects.filter(pk=world.inst_a.pk).update(
        prepaid_fee_months=2, declarations={"disclosure": {"fees": True, "meals": False}}
    )
    facts = _facts(world)
    assert facts["prepaid_fee_months"] == 2
    assert facts["disclosure"]["fees"] is True and facts["disclosure"]["meals"] is False


def test_a_class_notice_reaches_that_class_s_families_only(world, login):
    other = CareClass.objects.create(institution=world.inst_a, name="托大1班", class_type="older_toddler")
    notice = notice_send(
        actor=Actor(user=world.user("manager_a")),
        institution=world.inst_a,
        title="周五停水",
        body="周五上午停水，请自带饮用水。",
        care_class=world.class_a,
    )
    told = OutboxMessage.objects.get(topic=Topic.INSTITUTION_NOTICE)
    assert told.recipients == [world.user("guardian_a").pk] and "停水" in told.title
    assert (
        login(world.user("guardian_a")).get(reverse("disclosure:notice", args=[notice.pk])).status_code == 200
    )
    assert (
        login(world.user("guardian_b")).get(reverse("disclosure:notice", args=[notice.pk])).status_code == 404
    )
    with pytest.raises(DomainError, match="无人可收"):
        notice_send(
            actor=Actor(user=world.user("manager_a")),
            institution=world.inst_a,
            title="t",
            body="b",
            care_class=other,
        )
    assert Notice.objects.count() == 1


def test_a_notice_body_reaches_the_page_as_text(world, login):
    notice = notice_send(
        actor=Actor(user=world.user("manager_a")),
        institution=world.inst_a,
        title="通知",
        body="<script>alert(1)</script>\n第二行",
    )
    page = (
        login(world.user("guardian_a")).get(reverse("disclosure:notice", args=[notice.pk])).content.decode()
    )
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page and "<br>第二行" in page


@pytest.mark.parametrize("persona", ["manager_b", "caregiver_a", "regulator_a", "guardian_a"])
def test_only_the_institution_s_manager_publishes_and_a_refusal_changes_nothing(world, persona):
    actor = Actor(user=world.user(persona))
    with pytest.raises(AccessDenied):
        _fee(world, persona=persona)
    with pytest.raises(AccessDenied):
        menu_publish(
            actor=actor, institution=world.inst_a, week=week_of(TODAY), dishes={0: {"lunch": "面条"}}
        )
    with pytest.raises(AccessDenied):
        notice_send(actor=actor, institution=world.inst_a, title="t", body="b")
    assert not FeeItem.objects.exists() and not WeeklyMenu.objects.exists() and not Notice.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_family_reads_its_own_child_s_institution_only(world, login):
    _fee(world)
    mine = login(world.user("guardian_a"))
    page = mine.get(reverse("disclosure:institution", args=[world.inst_a.pk]))
    assert page.status_code == 200 and "保育费" in page.content.decode()
    assert 'data-qa="fee-form"' not in page.content.decode()
    assert mine.get(reverse("disclosure:institution", args=[world.inst_b.pk])).status_code == 404
    home = mine.get(reverse("home")).content.decode()
    assert 'data-qa="panel-disclosure"' in home and world.inst_a.name in home


def test_the_manager_s_page_publishes_a_fee_and_refuses_full_width_digits(world, login):
    client = login(world.user("manager_a"))
    url = reverse("disclosure:fee_new", args=[world.inst_a.pk])
    bad = client.post(url, {"name": "保育费", "amount": "１８００", "unit": "month", "prepaid_months": "3"})
    assert bad.status_code == 400 and "半角数字" in bad.content.decode() and not FeeItem.objects.exists()
    good = client.post(url, {"name": "保育费", "amount": "1800", "unit": "month", "prepaid_months": "3"})
    assert good.status_code == 302 and FeeItem.objects.get().amount == Decimal("1800")


def test_a_menu_emptied_is_withdrawn_and_no_longer_the_meals_fact(world):
    actor = Actor(user=world.user("manager_a"))
    menu_publish(actor=actor, institution=world.inst_a, week=week_of(TODAY), dishes={0: {"lunch": "面条"}})
    assert (
        menu_publish(actor=actor, institution=world.inst_a, week=week_of(TODAY), dishes={0: {"lunch": ""}})
        is None
    )
    assert not WeeklyMenu.objects.exists()
    assert AuditEvent.objects.filter(model="disclosure.weeklymenu", verb="delete").count() == 1


def test_this_month_s_running_account_does_not_stand_in_for_last_month_s(world):
    actor = Actor(user=world.user("manager_a"))
    values = {"income": Decimal("100"), "food_cost": Decimal("90"), "child_days": 5}
    meal_account_publish(actor=actor, institution=world.inst_a, month=TODAY.replace(day=1), values=values)
    assert _facts(world)["disclosure"]["meal_accounts_monthly"] is False


def test_a_meal_account_retyped_without_its_decimals_records_nothing_new(world):
    actor = Actor(user=world.user("manager_a"))
    month = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    values = {
        "income": Decimal("30000"),
        "food_cost": Decimal("25000"),
        "other_cost": Decimal("0"),
        "child_days": 1,
    }
    meal_account_publish(actor=actor, institution=world.inst_a, month=month, values=values)
    meal_account_publish(actor=actor, institution=world.inst_a, month=month, values=values)
    assert AuditEvent.objects.filter(model="disclosure.mealaccount").count() == 1


def test_when_every_fee_is_withdrawn_no_fee_is_published(world):
    Institution.objects.filter(pk=world.inst_a.pk).update(prepaid_fee_months=6)
    fee_item_withdraw(actor=Actor(user=world.user("manager_a")), item=_fee(world))
    facts = _facts(world)
    assert facts["disclosure"]["fees"] is False and facts["prepaid_fee_months"] is None


def test_posts_that_supervise_fees_read_the_page_and_others_are_told_it_is_not_theirs(world, login):
    _fee(world)
    url = reverse("disclosure:institution", args=[world.inst_a.pk])
    regulator = login(world.user("regulator_a")).get(url)
    assert regulator.status_code == 200 and "保育费" in regulator.content.decode()
    police = login(world.user("police_a")).get(url)
    assert police.status_code == 403 and "收费" in police.content.decode()
