from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from tuoyu.accounts.access import scoped
from tuoyu.accounts.models import User
from tuoyu.audit.models import AuditEvent


def trail_for(
    user: User, *, model: str = "", verb: str = "", since: dt.date | None = None, query: str = ""
) -> QuerySet[AuditEvent]:
    """The audit trail of the user's jurisdiction, newest first."""
    rows = scoped(user, AuditEvent.objects.all())
    if model:
        rows = rows.filter(model=model)
    if verb:
        rows = rows.filter(verb=verb)
    if since:
        rows = rows.filter(at__date__gte=since)
    if query:
        rows = rows.filter(object_repr__icontains=query) | rows.filter(actor_name__icontains=query)
    return rows.order_by("-at", "-id")
