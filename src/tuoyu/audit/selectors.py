from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
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


def readable_changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """An update's changes as people read them: (field name, before, after), choices by their label,
    yes/no in Chinese. Personal numbers are already masked in the trail."""
    try:
        model = apps.get_model(event.model)
    except (LookupError, ValueError):
        model = None
    rows = []
    for name, pair in event.changes.items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name[:-3] if name.endswith("_id") else name)
            except FieldDoesNotExist:
                field = None
        label = str(field.verbose_name) if field is not None else "其他信息"
        rows.append((label, _text(field, before), _text(field, after)))
    return rows


def _text(field, value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict | list) for v in value)):
        return "（已更新）"
    if isinstance(value, list):
        return "、".join(str(choices.get(v, v)) for v in value) or "（空）"
    return str(choices.get(value, value))
