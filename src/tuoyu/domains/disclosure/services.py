"""Publishing fees, menus and meal accounts, and sending notices; every change audited, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.disclosure.actions import PUBLISH
from tuoyu.domains.disclosure.models import (
    WEEKDAYS,
    FeeItem,
    Meal,
    MealAccount,
    Notice,
    NoticeRecipient,
    WeeklyMenu,
)
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied, authorize
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import notify
from tuoyu.kernel.people.models import CareClass
from tuoyu.kernel.registry.models import Institution
from tuoyu.kernel.registry.models import Status as InstitutionStatus

DISH_LENGTH = 60


class DisclosureError(StrEnum):
    CLOSED = "closed"
    BAD_VALUE = "bad_value"
    WITHDRAWN = "withdrawn"
    NOT_MONDAY = "not_monday"
    FUTURE_MONTH = "future_month"
    CLASS_ELSEWHERE = "class_elsewhere"
    NOBODY = "nobody"
    EMPTY_MENU = "empty_menu"


def _locked(institution: Institution, actor: Actor) -> Institution:
    current = (
        Institution.objects.select_for_update(of=("self",))
        .select_related("subdistrict")
        .get(pk=institution.pk)
    )
    authorize(actor, PUBLISH, current)
    if current.status == InstitutionStatus.CLOSED:
        raise DomainError(DisclosureError.CLOSED, f"{current.name}已注销。")
    return current


def _clean(row, exclude: list[str]) -> None:
    try:
        row.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        raise DomainError(DisclosureError.BAD_VALUE, "；".join(error.messages)) from None


_FEE_FIELDS = ("name", "amount", "unit", "prepaid_months", "note")
_AMOUNTS = ("income", "food_cost", "other_cost")


def _money(value: Any) -> Any:
    """An amount as stored (two places), so "1800" typed over 1800.00 is the same amount."""
    return value.quantize(Decimal("0.01")) if isinstance(value, Decimal) and value.is_finite() else value


def fee_item_save(
    *, actor: Actor, institution: Institution, values: Mapping[str, Any], item: FeeItem | None = None
) -> FeeItem:
    """Publish a fee item, or change one (``item``). Its prepaid months are checked against the
    profile by the standards check (P15), not refused here: the manager sees the finding."""
    with transaction.atomic():
        current = _locked(institution, actor)
        if item is not None:
            row = FeeItem.objects.select_for_update().get(pk=item.pk)
            if row.institution_id != current.pk:
                raise AccessDenied
            if row.withdrawn_on is not None:
                raise DomainError(DisclosureError.WITHDRAWN, f"“{row.name}”已停止收取，不能再修改。")
            before = snapshot(row)
        else:
            row, before = FeeItem(institution=current), None
        for name in _FEE_FIELDS:
            if name in values:
                setattr(row, name, _money(values[name]) if name == "amount" else values[name])
        _clean(row, ["institution"])
        if before is not None and snapshot(row) == before:
            return row
        row.save()
        record(actor, Verb.UPDATE if before else Verb.CREATE, row, before=before)
    return row


def fee_item_withdraw(*, actor: Actor, item: FeeItem) -> FeeItem:
    with transaction.atomic():
        current = _locked(item.institution, actor)
        row = FeeItem.objects.select_for_update().get(pk=item.pk)
        if row.institution_id != current.pk:
            raise AccessDenied
        if row.withdrawn_on is not None:
            raise DomainError(DisclosureError.WITHDRAWN, f"“{row.name}”已停止收取。")
        before = snapshot(row)
        row.withdrawn_on = clock.today()
        row.save(update_fields=["withdrawn_on"])
        record(actor, Verb.UPDATE, row, before=before, note=f"停止收取{row.name}")
    return row


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def menu_publish(
    *, actor: Actor, institution: Institution, week: dt.date, dishes: Mapping[int, Mapping[str, str]]
) -> WeeklyMenu | None:
    """Publish (or correct) the menu of the week starting on Monday ``week``: ``dishes`` maps a
    weekday (0 = Monday) to its meals' dishes; blank meals are left out."""
    if week.weekday() != 0:
        raise DomainError(DisclosureError.NOT_MONDAY, "食谱按周公布，日期应为星期一。", field="week")
    cleaned: dict[str, dict[str, str]] = {}
    for weekday, meals in dishes.items():
        if not 0 <= weekday <= 6:
            raise DomainError(DisclosureError.BAD_VALUE, "星期应在星期一至星期日之间。")
        for meal, text in meals.items():
            if meal not in Meal.values:
                raise DomainError(DisclosureError.BAD_VALUE, f"没有“{meal}”这一餐。")
            text = (text or "").strip()
            if len(text) > DISH_LENGTH:
                raise DomainError(
                    DisclosureError.BAD_VALUE,
                    f"{WEEKDAYS[weekday]}{Meal(meal).label}不能超过 {DISH_LENGTH} 个字符。",
                    field=f"d{weekday}-{meal}",
                )
            if text:
                cleaned.setdefault(str(weekday), {})[meal] = text
    with transaction.atomic():
        current = _locked(institution, actor)
        row = WeeklyMenu.objects.select_for_update().filter(institution=current, week_of=week).first()
        if not cleaned:
            if row is None:
                raise DomainError(DisclosureError.EMPTY_MENU, "请至少填写一餐的菜品。")
            # Every box cleared: the week's menu is withdrawn, not kept as an empty one.
            record(actor, Verb.DELETE, row, before=snapshot(row), note="撤回本周食谱")
            row.delete()
            return None
        if row is not None and row.dishes == cleaned:
            return row  # saved again unchanged
        before = snapshot(row) if row is not None else None
        row = row or WeeklyMenu(institution=current, week_of=week)
        row.dishes, row.published_at = cleaned, clock.now()
        row.save()
        record(actor, Verb.UPDATE if before else Verb.CREATE, row, before=before)
    return row


def meal_account_publish(
    *, actor: Actor, institution: Institution, month: dt.date, values: Mapping[str, Any]
) -> MealAccount:
    """Publish (or correct) a month's meal account; a month not yet begun is refused."""
    month = month.replace(day=1)
    if month > clock.today():
        raise DomainError(DisclosureError.FUTURE_MONTH, "不能公布尚未开始的月份的账目。", field="month")
    with transaction.atomic():
        current = _locked(institution, actor)
        row = MealAccount.objects.select_for_update().filter(institution=current, month=month).first()
        before = snapshot(row) if row is not None else None
        row = row or MealAccount(institution=current, month=month)
        for name in ("income", "food_cost", "other_cost", "child_days", "note"):
            if name in values:
                setattr(row, name, _money(values[name]) if name in _AMOUNTS else values[name])
        _clean(row, ["institution"])
        if before is not None and snapshot(row) == before:
            return row
        row.published_at = clock.now()
        row.save()
        record(actor, Verb.UPDATE if before else Verb.CREATE, row, before=before)
    return row


def _guardians(institution: Institution, care_class: CareClass | None) -> list[User]:
    children = Q(guardianships__child__institution=institution)
    if care_class is not None:
        children &= Q(guardianships__child__care_class=care_class)
    return list(User.objects.filter(children, is_active=True).distinct().order_by("pk"))


def notice_send(
    *, actor: Actor, institution: Institution, title: str, body: str, care_class: CareClass | None = None
) -> Notice:
    """Send a notice to the guardians of a class, or of every child in care; they are told at once."""
    with transaction.atomic():
        current = _locked(institution, actor)
        if care_class is not None and (care_class.institution_id != current.pk or care_class.closed_on):
            raise DomainError(DisclosureError.CLASS_ELSEWHERE, "请选择本机构在办的班级。", field="care_class")
        people = _guardians(current, care_class)
        if not people:
            raise DomainError(DisclosureError.NOBODY, "这一范围内还没有关联家长账号，通知无人可收。")
        notice = Notice(
            institution=current,
            care_class=care_class,
            title=title.strip(),
            body=body.strip(),
            published_by=actor.user,
        )
        _clean(notice, ["institution", "care_class", "published_by"])
        notice.save()
        NoticeRecipient.objects.bulk_create([NoticeRecipient(notice=notice, user=u) for u in people])
        record(actor, Verb.CREATE, notice, note=f"发送通知给{len(people)}位家长")
        notify(
            users=people,
            topic=Topic.INSTITUTION_NOTICE,
            title=f"{current.name}：{notice.title}",
            body=notice.body,
            link=reverse("disclosure:notice", args=[notice.pk]),
            region_path=current.subdistrict.path,
        )
    return notice
