"""The growth domain's block of a family's home page: each child's latest measurement."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tuoyu.domains.growth.models import Measurement
from tuoyu.kernel.accounts.access import scoped
from tuoyu.kernel.people.models import Child


def children(request: HttpRequest) -> dict[str, Any] | None:
    kids = list(scoped(request.user, Child.objects.filter(institution__isnull=False)).order_by("birth_date"))
    if not kids:
        return None
    latest = {}
    for m in scoped(request.user, Measurement.objects.filter(child__in=kids)).order_by("measured_on"):
        latest[m.child_id] = m
    return {"growth_children": [(child, latest.get(child.pk)) for child in kids]}
