from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from tuoyu.kernel.accounts.access import scoped
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.audit.models import AuditEvent


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
        if name in HIDDEN_FIELDS:
            continue
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


# Bookkeeping that means nothing to a reader: the optimistic-locking counter.
HIDDEN_FIELDS = frozenset({"version"})


def _text(field, value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else "（已删除）"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(moment) else value
    if isinstance(value, str) and ("\n" in value.strip() or len(value) > 200):
        return "（已更新）"  # a published file or a long text: the record itself shows it
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
    ):
        return "（已更新）"
    if isinstance(value, list):
        return "、".join(str(choices.get(v, v)) for v in value) or "（空）"
    return str(choices.get(value, value))
