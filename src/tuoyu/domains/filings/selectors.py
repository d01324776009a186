"""Reads of filings: the institution's own, the regulator's queue with its clocks, the public notices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet

from tuoyu.domains.filings.models import Event, Filing, Material, State
from tuoyu.engines.calendar import working_days_between
from tuoyu.kernel.accounts.access import Action, get_for, published, scoped
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.regions.selectors import calendar_overrides
from tuoyu.kernel.registry.models import Institution


def filings_for(user: User) -> QuerySet[Filing]:
    return scoped(user, Filing.objects.select_related("institution__subdistrict"))


def filing_for(user: User, pk: int, action: Action = Action.VIEW) -> Filing:
    return get_for(user, Filing.objects.select_related("institution__subdistrict", "decided_by"), pk, action)


def material_for(user: User, pk: int) -> Material:
    return get_for(user, Material.objects.select_related("filing"), pk)


@dataclass(frozen=True)
class Clock:
    due: dt.date
    remaining: int  # working days left after today; negative when overdue
    today: dt.date

    @classmethod
    def of(cls, due: dt.date, today: dt.date, overrides) -> Clock:
        if today > due:
            # Overdue from the first day after the due date, a weekend or holiday included.
            return cls(due, -max(1, working_days_between(due, today, overrides)), today)
        return cls(due, working_days_between(today, due, overrides), today)

    @property
    def overdue(self) -> bool:
        return self.today > self.due

    @property
    def label(self) -> str:
        if self.overdue:
            return f"已逾期 {-self.remaining} 个工作日"
        if self.remaining == 0:
            return "今日到期"
        return f"剩余 {self.remaining} 个工作日"


@dataclass(frozen=True)
class QueueRow:
    filing: Filing
    receipt: Clock
    notice: Clock


def review_queue(user: User, today: dt.date) -> list[QueueRow]:
    """Submitted filings awaiting the regulator, most urgent first, with the 5- and 15-working-day clocks."""
    rows = list(filings_for(user).filter(state=State.SUBMITTED).order_by("receipt_due", "submitted_at"))
    if not rows:
        return []
    earliest = min(r.receipt_due for r in rows)
    latest = max(r.notice_due for r in rows)
    overrides = calendar_overrides(min(earliest, today), max(latest, today))
    return [
        QueueRow(
            filing=r,
            receipt=Clock.of(r.receipt_due, today, overrides),
            notice=Clock.of(r.notice_due, today, overrides),
        )
        for r in rows
    ]


def public_receipts(limit: int = 200) -> QuerySet[Filing]:
    """Filings that ended in a receipt, newest first."""
    return published(Filing.objects.select_related("institution__subdistrict")).order_by("-decided_at")[
        :limit
    ]


def public_refusals(limit: int = 200) -> QuerySet[Event]:
    """Every notice that a filing did not meet the standards, with its reasons (备案办法 art. 4)."""
    return published(Event.objects.select_related("filing__institution__subdistrict")).order_by("-at")[:limit]


def readable_changes(filing: Filing) -> list[tuple[str, str]]:
    """A change filing's changes as people read them: (field name, new value), choices by label."""
    rows = []
    for name, value in filing.changes.items():
        try:
            field = Institution._meta.get_field(name)
        except FieldDoesNotExist:
            rows.append(("其他信息", str(value)))
            continue
        if isinstance(value, bool):
            text = "是" if value else "否"
        elif field.choices:
            text = str(dict(field.flatchoices).get(value, value))
        else:
            text = "（空）" if value in (None, "") else str(value)
        rows.append((str(field.verbose_name), text))
    return rows
