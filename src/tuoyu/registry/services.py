"""Writes to the registry: one transaction each, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tuoyu.accounts.access import Action, require_actor
from tuoyu.accounts.actor import Actor
from tuoyu.audit.models import Verb
from tuoyu.audit.trail import record, snapshot
from tuoyu.registry.models import Institution

# What the institution itself and its regulator may correct directly. Name, credit code, legal
# form, nature and places are registration data: they change through a change filing (备案变更).
EDITABLE_FIELDS = (
    "address",
    "lon",
    "lat",
    "contact_name",
    "contact_phone",
    "monthly_fee",
    "service_types",
    "min_age_months",
    "max_age_months",
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


def institution_update(*, actor: Actor, institution: Institution, changes: dict[str, Any]) -> Institution:
    """Correct an institution's operational facts. Raises ValidationError (Chinese) and saves nothing on bad input."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not directly editable: {sorted(unknown)}")
    with transaction.atomic():
        current = Institution.objects.select_for_update().get(pk=institution.pk)
        require_actor(actor, current, Action.CHANGE)
        before = snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        current.save(update_fields=[*changes, "updated_at"])
        record(actor, Verb.UPDATE, current, before=before)
    return current
