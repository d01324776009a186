"""The health domain's block of the home page: the open outbreak alerts and their clocks, shown
first to whoever must act on them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tuoyu.domains.health import selectors
from tuoyu.domains.health.models import OutbreakAlert
from tuoyu.kernel.accounts.access import can_list


def alerts(request: HttpRequest) -> dict[str, Any] | None:
    if not can_list(request.user, OutbreakAlert):
        return None
    rows = list(
        selectors.alerts_for(request.user)
        .filter(reported_at__isnull=True, withdrawn_at__isnull=True)
        .order_by("report_due_at", "pk")[:10]
    )
    if not rows:
        return None
    return {
        "alerts": [{"alert": a, "hours_left": selectors.hours_left(a)} for a in rows],
        "count": selectors.open_alert_count(request.user),
    }
