"""The health domain's block of the home page: the open outbreak alerts and their clocks, shown
first to whoever must act on them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tuoyu import clock
from tuoyu.domains.health import selectors
from tuoyu.domains.health.models import OutbreakAlert, Sitting
from tuoyu.kernel.accounts.access import can_list
from tuoyu.kernel.people.selectors import children_for


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


def child_day(request: HttpRequest) -> dict[str, Any] | None:
    """A family's children in care: today's checks as the institution recorded them, and any
    certificate awaited."""
    children = [c for c in children_for(request.user).order_by("birth_date") if c.institution_id]
    if not children:
        return None
    today = clock.today()
    results = selectors.child_results_on(request.user, children, today)
    held = selectors.held(children, today)
    rows = [
        {
            "child": child,
            "sittings": [(label, results.get((child.pk, code))) for code, label in Sitting.choices],
            "held": held.get(child.pk, ""),
        }
        for child in children
    ]
    return {"rows": rows, "today": today}
