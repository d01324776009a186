"""Reads of what an institution has published, scoped by the reader (kernel access)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from tuoyu.domains.disclosure.models import FeeItem, MealAccount, Notice, WeeklyMenu
from tuoyu.kernel.accounts.access import scoped
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.registry.models import Institution


def fees(user: User, institution: Institution, on: dt.date) -> list[FeeItem]:
    current = Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)
    return list(scoped(user, FeeItem.objects.filter(current, institution=institution)).order_by("pk"))


def menu(user: User, institution: Institution, week: dt.date) -> WeeklyMenu | None:
    return scoped(user, WeeklyMenu.objects.filter(institution=institution, week_of=week)).first()


def accounts(user: User, institution: Institution, last: int = 12) -> list[MealAccount]:
    return list(scoped(user, MealAccount.objects.filter(institution=institution)).order_by("-month")[:last])


def notices(user: User, institution: Institution, last: int = 20) -> list[Notice]:
    rows = scoped(user, Notice.objects.filter(institution=institution)).select_related("care_class")
    return list(rows.order_by("-published_at")[:last])
