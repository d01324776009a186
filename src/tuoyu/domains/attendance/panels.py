"""The attendance domain's block of a family's home page: today at the door for each child in care."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tuoyu import clock
from tuoyu.domains.attendance.models import Attendance
from tuoyu.kernel.accounts.access import scoped
from tuoyu.kernel.people.selectors import children_for


def child_door(request: HttpRequest) -> dict[str, Any] | None:
    children = [c for c in children_for(request.user).order_by("birth_date") if c.institution_id]
    if not children:
        return None
    today = clock.today()
    rows = scoped(request.user, Attendance.objects.filter(child__in=children, date=today)).select_related(
        "collected_by_guardian", "collected_by_person"
    )
    day = {row.child_id: row for row in rows}
    return {"rows": [{"child": c, "day": day.get(c.pk)} for c in children], "today": today}
