"""The disclosure domain's block of a family's home page: each child's institution's latest notices
and this week's menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tuoyu import clock
from tuoyu.domains.disclosure import selectors
from tuoyu.domains.disclosure.services import week_of
from tuoyu.kernel.accounts.access import scoped
from tuoyu.kernel.people.models import Child


def families(request: HttpRequest) -> dict[str, Any] | None:
    kids = scoped(request.user, Child.objects.filter(institution__isnull=False)).select_related("institution")
    places = {kid.institution_id: kid.institution for kid in kids}
    if not places:
        return None
    week = week_of(clock.today())
    rows = [
        {
            "institution": place,
            "notices": selectors.notices(request.user, place, last=3),
            "week_menu": selectors.menu(request.user, place, week),
        }
        for place in places.values()
    ]
    return {"disclosure_rows": rows}
