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
    fees = FeeItem.objects.filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on),
        institution=institution,
        created_at__date__lte=on,
    )
    if fees.exists():
        disclosure["fees"] = True
        # P15: the most months any fee may be collected ahead.
        facts["prepaid_fee_months"] = fees.aggregate(most=Max("prepaid_months"))["most"]
    if WeeklyMenu.objects.filter(institution=institution).exists():
        # This week's menu is out; on a Monday, last week's still counts until the day is over.
        weeks = [week_of(on)] + ([week_of(on) - dt.timedelta(days=7)] if on.weekday() == 0 else [])
        disclosure["meals"] = WeeklyMenu.objects.filter(institution=institution, week_of__in=weeks).exists()
    if MealAccount.objects.filter(institution=institution).exists():
        # Monthly: last month's account is out by the tenth of this month.
        last_month = (on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        due = last_month if on.day > 10 else (last_month - dt.timedelta(days=1)).replace(day=1)
        disclosure["meal_accounts_monthly"] = MealAccount.objects.filter(
            institution=institution, month__gte=due
        ).exists()
    if disclosure:
        facts["disclosure"] = disclosure
    return facts
