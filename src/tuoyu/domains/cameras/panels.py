"""The cameras domain's block of a family's home page: the live view of each child's institution,
where the institution's own video system offers one (P14)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tuoyu.domains.cameras.models import VideoSystem
from tuoyu.kernel.accounts.access import scoped
from tuoyu.kernel.people.models import Child


def live_views(request: HttpRequest) -> dict[str, Any] | None:
    kids = list(
        scoped(request.user, Child.objects.filter(institution__isnull=False)).select_related("institution")
    )
    if not kids:
        return None
    systems = {
        s.institution_id: s
        for s in VideoSystem.objects.filter(institution_id__in={k.institution_id for k in kids}).exclude(
            live_view_url=""
        )
    }
    rows = [(kid, systems[kid.institution_id]) for kid in kids if kid.institution_id in systems]
    return {"live_views": rows} if rows else None
