"""Reads of the attendance domain, every one through the access layer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, QuerySet

from tuoyu.domains.attendance.models import Attendance, PickupPerson, RefusedPickup
from tuoyu.kernel.accounts.access import scoped
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.people.models import CareClass, Child


def day_of(user: User, care_class: CareClass, on: dt.date) -> dict[int, Attendance]:
    rows = scoped(user, Attendance.objects.filter(care_class=care_class, date=on))
    return {row.child_id: row for row in rows.select_related("collected_by_guardian", "collected_by_person")}


def tallies(user: User, classes: list[CareClass], on: dt.date) -> dict[int, dict[str, int]]:
    """Per class: arrived, absent, left, sick absences not yet followed up."""
    out = {c.pk: {"arrived": 0, "absent": 0, "left": 0, "follow_up": 0} for c in classes}
    rows = scoped(user, Attendance.objects.filter(care_class__in=classes, date=on))
    for row in rows:
        tally = out[row.care_class_id]
        tally["arrived"] += row.arrived_at is not None
        tally["absent"] += bool(row.absence)
        tally["left"] += row.departed_at is not None
        tally["follow_up"] += row.absence == "sick" and not row.follow_up
    return out


def refused_today(user: User, children: list[Child], on: dt.date) -> QuerySet[RefusedPickup]:
    return scoped(user, RefusedPickup.objects.filter(child__in=children, at__date=on)).order_by("-at")


def pickup_people(user: User, child: Child) -> QuerySet[PickupPerson]:
    return scoped(user, PickupPerson.objects.filter(child=child, revoked_at__isnull=True)).order_by(
        "authorised_at", "pk"
    )


def last_arrivals(children: list[Child], before: dt.date) -> dict[int, dt.date]:
    """The last day before ``before`` each child came in."""
    rows = (
        Attendance.objects.filter(child__in=children, arrived_at__isnull=False, date__lt=before)
        .values("child_id")
        .annotate(last=Max("date"))
    )
    return {row["child_id"]: row["last"] for row in rows}
