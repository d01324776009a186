"""Reads of measurements, scoped by the reader (kernel access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tuoyu.domains.growth.models import Measurement
from tuoyu.domains.growth.reading import Reading, Reference, next_due, readings
from tuoyu.kernel.accounts.access import scoped
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.people.models import CareClass, Child


@dataclass(frozen=True)
class ChildRow:
    """A child of a class as its growth page shows it: the latest reading and the next due day."""

    child: Child
    latest: Reading | None
    on_day: Measurement | None  # this day's measurement, for the form
    due_on: dt.date
    on: dt.date

    @property
    def overdue(self) -> bool:
        return self.due_on <= self.on and (
            self.latest is None or self.latest.measurement.measured_on < self.on
        )


def measurements_of(user: User, child: Child) -> list[Measurement]:
    return list(
        scoped(user, Measurement.objects.filter(child=child)).select_related("child").order_by("measured_on")
    )


def class_rows(user: User, care_class: CareClass, on: dt.date, reference: Reference) -> list[ChildRow]:
    children = list(care_class.children.order_by("name", "pk"))
    rows = scoped(user, Measurement.objects.filter(child__in=children, measured_on__lte=on)).select_related(
        "child"
    )
    latest: dict[int, Measurement] = {}
    on_day: dict[int, Measurement] = {}
    for m in rows.order_by("measured_on"):
        latest[m.child_id] = m
        if m.measured_on == on:
            on_day[m.child_id] = m
    read = {r.measurement.child_id: r for r in readings(list(latest.values()), reference)}
    return [
        ChildRow(
            child=child,
            latest=read.get(child.pk),
            on_day=on_day.get(child.pk),
            due_on=next_due(
                child.birth_date, latest[child.pk].measured_on if child.pk in latest else None, reference
            ),
            on=on,
        )
        for child in children
    ]
