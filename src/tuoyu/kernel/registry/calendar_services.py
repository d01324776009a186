"""The working-day calendar the filing clocks count with (备案办法: 5 and 15 working days): public
holidays and adjusted working days, kept by the platform's administrators. Audited like every
regulated record, because it moves legal deadlines."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.db import transaction

from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import authorize
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.regions.models import CalendarDay
from tuoyu.kernel.registry.actions import MANAGE_CALENDAR
from tuoyu.text import problem


class CalendarError(StrEnum):
    NOT_CONFIGURED = "not_configured"
    BAD_NAME = "bad_name"


def calendar_day_set(*, actor: Actor, day: dt.date, working: bool, name: str) -> CalendarDay:
    """Record a holiday (working=False) or an adjusted working weekend day (working=True)."""
    authorize(actor, MANAGE_CALENDAR)
    name = name.strip()
    if not name or len(name) > 40 or problem(name):
        raise DomainError(
            CalendarError.BAD_NAME, "请填写说明（40个字以内），如“国庆节”或“国庆节调休”。", field="name"
        )
    with transaction.atomic():
        existing = CalendarDay.objects.select_for_update().filter(date=day).first()
        if existing is None:
            created = CalendarDay.objects.create(date=day, working=working, name=name)
            record(actor, Verb.CREATE, created)
            return created
        if (existing.working, existing.name) == (working, name):
            return existing
        before = snapshot(existing)
        existing.working, existing.name = working, name
        existing.save(update_fields=["working", "name"])
        record(actor, Verb.UPDATE, existing, before=before)
        return existing


def calendar_day_remove(*, actor: Actor, day: dt.date) -> None:
    authorize(actor, MANAGE_CALENDAR)
    with transaction.atomic():
        existing = CalendarDay.objects.select_for_update().filter(date=day).first()
        if existing is None:
            raise DomainError(CalendarError.NOT_CONFIGURED, f"{day:%Y-%m-%d} 没有配置。")
        record(actor, Verb.DELETE, existing, before=snapshot(existing))  # before delete(): it keeps its pk
        existing.delete()
