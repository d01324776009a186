"""The fee and disclosure facts as the institution's publications show them, laid over the ledger's
self-declaration for whatever the institution has started publishing here (kernel manifest ``facts``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Q

from tuoyu.domains.disclosure.models import FeeItem, MealAccount, WeeklyMenu
from tuoyu.domains.disclosure.services import week_of
from tuoyu.kernel.registry.models import Institution


def published_facts(institution: Institution, on: dt.date) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    disclosure: dict[str, bool] = {}
    ever = FeeItem.objects.filter(institution=institution, created_at__date__lte=on)
    if ever.exists():
        # Once the institution publishes its fees here, what is in force is the answer, even none.
        in_force = ever.filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        most = in_force.aggregate(most=Max("prepaid_months"))["most"]
        disclosure["fees"] = most is not None
        # P15: the most months any fee may be collected ahead.
        facts["prepaid_fee_months"] = most
    menus = WeeklyMenu.objects.filter(institution=institution, published_at__date__lte=on)
    if menus.exists():
        # This week's menu is out; on a Monday, last week's still counts until the day is over.
        weeks = [week_of(on)] + ([week_of(on) - dt.timedelta(days=7)] if on.weekday() == 0 else [])
        disclosure["meals"] = menus.filter(week_of__in=weeks).exists()
    accounts = MealAccount.objects.filter(institution=institution, published_at__date__lte=on)
    if accounts.exists():
        # Monthly: last month's account is out by the tenth of this month (until then, the month
        # before last's still counts); a running account of this month does not stand in for it.
        last_month = (on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        due = last_month if on.day > 10 else (last_month - dt.timedelta(days=1)).replace(day=1)
        disclosure["meal_accounts_monthly"] = accounts.filter(month__gte=due, month__lte=last_month).exists()
    if disclosure:
        facts["disclosure"] = disclosure
    return facts
