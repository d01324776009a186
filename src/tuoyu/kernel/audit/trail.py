"""Writing the audit trail. Services call ``record`` inside their transaction, after the write.

with transaction.atomic():
    before = snapshot(institution)
    institution.places = 60
    institution.save(update_fields=["places"])
    record(actor, Verb.UPDATE, institution, before=before)
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from tuoyu.kernel.accounts.access import region_path_of
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.fields import PersonalNumberField
from tuoyu.kernel.audit.models import AuditEvent, Verb


class AuditOutsideTransaction(RuntimeError):
    """A regulated write was attempted without a transaction: it could be half-saved."""


def _plain(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, PersonalNumberField):
        return field.mask(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


# Never copied into the trail: secrets (and the hashes of short ones, which could be searched for),
# and what changes on every login.
_NOT_AUDITED = frozenset({"password", "last_login", "code_sha256", "key_hash"})


def _bookkeeping(field: models.Field) -> bool:
    return (
        field.primary_key
        or field.attname in _NOT_AUDITED
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
    )


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The audited state of a row: its concrete fields but timestamps, personal numbers masked."""
    return {
        field.attname: _plain(field, getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if not _bookkeeping(field)
    }


def _institution_id(obj: models.Model) -> int | None:
    scope = getattr(type(obj), "access_scope", None)
    if scope is None or scope.institution is None:
        return None
    if scope.institution == "pk":
        return obj.pk
    *head, last = scope.institution.split("__")
    value: Any = obj
    for part in head:
        value = getattr(value, part, None)
        if value is None:
            return None
    result = getattr(value, f"{last}_id", None)
    if result is None:
        result = getattr(value, last, None)
    return result if isinstance(result, int) else None


def _event(actor: Actor, verb: Verb, obj: models.Model, changes: dict, note: str) -> AuditEvent:
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    return AuditEvent(
        actor=user,
        actor_name=actor.name[:120],
        ip=actor.ip,
        verb=verb,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        region_path=region_path_of(obj),
        institution_id=_institution_id(obj),
        changes=changes,
        note=note[:200],
    )


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction("regulated writes must run inside transaction.atomic()")


def record(
    actor: Actor,
    verb: Verb,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    note: str = "",
    related: dict[str, list[Any]] | None = None,
) -> AuditEvent | None:
    """Record one change. ``before`` is the snapshot taken before an update or delete; ``related``
    adds changes the row's own columns do not hold (a many-to-many set), as ``{name: [before, after]}``.

    Returns None, writing nothing, when an update changed no audited field.
    """
    _require_transaction()
    after = None if verb is Verb.DELETE else snapshot(obj)
    changes = _diff(before, after) | (related or {})
    if verb is Verb.UPDATE and not changes:
        return None
    event = _event(actor, verb, obj, changes, note)
    event.save()
    return event


def record_created(actor: Actor, objs: Iterable[models.Model], *, note: str = "") -> int:
    """Record many creations at once (imports, generators); returns how many events were written."""
    _require_transaction()
    events = [_event(actor, Verb.CREATE, obj, _diff(None, snapshot(obj)), note) for obj in objs]
    AuditEvent.objects.bulk_create(events, batch_size=500)
    return len(events)
