"""Writes to the registry: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tuoyu import clock
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, authorize, require_actor
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Department
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import outbox_post
from tuoyu.kernel.registry.actions import IMPORT_LEDGER, SUSPEND
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


class RegistryError(StrEnum):
    NOT_IN_JURISDICTION = "not_in_jurisdiction"
    NOT_SUSPENDABLE = "not_suspendable"
    NEEDS_REASON = "needs_reason"


def institution_register(*, actor: Actor, data: dict[str, Any], note: str = "") -> Institution:
    """Enter an institution in the ledger, as registered (or, from a paper ledger kept before the
    platform, as already filed with its number and date), and push its registration information to
    the health and public-security departments (P22). ValidationError (Chinese) and nothing saved
    on bad input."""
    authorize(actor, IMPORT_LEDGER)
    institution = Institution(**data)
    if institution.status not in (Status.REGISTERED, Status.FILED):
        raise ValidationError({"status": "台账只能登记“已登记未备案”或“已备案”的机构。"})
    with transaction.atomic():
        institution.full_clean()
        if actor.user is not None and not institution.subdistrict.path.startswith(actor.user.region.path):
            raise DomainError(RegistryError.NOT_IN_JURISDICTION, "只能登记本辖区内的机构。")
        institution.save()
        record(actor, Verb.CREATE, institution, note=note)
        outbox_post(
            topic=Topic.INSTITUTION_REGISTERED,
            title=f"{institution.name}登记信息",
            body=(
                f"机构：{institution.name}\n统一社会信用代码：{institution.credit_code}\n"
                f"地址：{institution.address}\n托位数：{institution.places}"
            ),
            region_path=institution.subdistrict.path,
            departments=[Department.HEALTH, Department.PUBLIC_SECURITY],
            payload={"institution_id": institution.pk},
        )
    return institution


def institution_suspend(
    *, actor: Actor, institution: Institution, reason: str, on: dt.date | None = None
) -> Institution:
    """Order a filed institution to stop and rectify (停业整顿, 003 §四(五)三, P28): it leaves the
    public list and takes no new children until the order is lifted; the departments are told."""
    on = on or clock.today()
    if not reason.strip():
        raise DomainError(RegistryError.NEEDS_REASON, "请写明责令停业整顿的事实和依据。")
    with transaction.atomic():
        current = Institution.objects.select_for_update().select_related("subdistrict").get(pk=institution.pk)
        authorize(actor, SUSPEND, current)
        if current.status != Status.FILED:
            raise DomainError(
                RegistryError.NOT_SUSPENDABLE,
                f"机构当前状态为“{current.get_status_display()}”，只有已备案的机构可以责令停业整顿。",
            )
        before = snapshot(current)
        current.status = Status.SUSPENDED
        current.save(update_fields=["status", "updated_at"])
        record(actor, Verb.TRANSITION, current, before=before, note=f"责令停业整顿：{reason.strip()}"[:200])
        outbox_post(
            topic=Topic.INSTITUTION_SUSPENDED,
            title=f"{current.name}责令停业整顿",
            body=f"机构：{current.name}\n统一社会信用代码：{current.credit_code}\n日期：{on:%Y-%m-%d}\n事由：{reason.strip()}",
            region_path=current.subdistrict.path,
            departments=[Department.HEALTH, Department.PUBLIC_SECURITY, Department.MARKET_REGULATION],
            payload={"institution_id": current.pk, "on": on.isoformat()},
        )
    return current


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
