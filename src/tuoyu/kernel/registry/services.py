"""Writes to the registry: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tuoyu.kernel.accounts.access import Action, require_actor
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.registry.models import Institution, Status
from tuoyu.kernel.registry.rules import REGISTRATION_FIELDS

# What the institution itself and its regulator may correct directly at any time. Registration
# data (registry.rules.REGISTRATION_FIELDS) join them only until the institution is filed.
OPERATIONAL_FIELDS = (
    "lon",
    "lat",
    "contact_name",
    "contact_phone",
    "monthly_fee",
    "service_types",
    "tenure",
    "lease_start",
    "lease_end",
    "indoor_area_m2",
    "outdoor_area_m2",
    "building_area_m2",
    "floor_of_child_rooms",
    "child_rooms_below_ground",
    "window_area_ratio",
    "outdoor_minutes_per_day",
    "video_covers_child_areas",
    "video_armed_24h",
    "video_retention_days",
    "video_parent_live_view",
    "video_one_button_alarm",
    "prepaid_fee_months",
    "parents_committee",
    "provides_meals",
    "declarations",
)


def editable_fields(institution: Institution) -> tuple[str, ...]:
    if institution.status == Status.REGISTERED:
        return (*REGISTRATION_FIELDS, *OPERATIONAL_FIELDS)
    return OPERATIONAL_FIELDS


def institution_update(*, actor: Actor, institution: Institution, changes: dict[str, Any]) -> Institution:
    """Correct an institution's facts. Raises ValidationError (Chinese) and saves nothing on bad input.
    Values equal to the stored ones are not changes: an untouched form writes nothing at all."""
    with transaction.atomic():
        current = Institution.objects.select_for_update().get(pk=institution.pk)
        require_actor(actor, current, Action.CHANGE)
        unknown = set(changes) - set(editable_fields(current))
        if unknown:
            raise ValidationError(
                {"__all__": [f"以下信息需办理备案变更，不能直接修改：{'、'.join(sorted(unknown))}"]}
            )
        changes = {name: value for name, value in changes.items() if getattr(current, name) != value}
        if not changes:
            return current
        before = snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        current.save(update_fields=[*changes, "updated_at"])
        record(actor, Verb.UPDATE, current, before=before)
    return current


class FilingOutcome(StrEnum):
    FILED = "filed"
    CHANGED = "changed"
    CLOSED = "closed"


def institution_record_filing(
    *,
    actor: Actor,
    institution_id: int,
    outcome: FilingOutcome,
    receipt_number: str,
    on: dt.date,
    changes: dict[str, Any] | None = None,
    note: str,
) -> Institution:
    """Carry a decided filing into the ledger: the filings domain decides, the registry records.
    The caller has authorised the decision; a ledger row that no longer fits raises ValidationError."""
    institution = Institution.objects.select_for_update().get(pk=institution_id)
    before = snapshot(institution)
    if outcome is FilingOutcome.FILED:
        institution.status = Status.FILED
        institution.filing_number = receipt_number
        institution.filed_on = on
    elif outcome is FilingOutcome.CHANGED:
        for name, value in (changes or {}).items():
            setattr(institution, name, value)
    else:
        institution.status = Status.CLOSED
    institution.full_clean()
    institution.save()
    record(actor, Verb.UPDATE, institution, before=before, note=note)
    return institution
