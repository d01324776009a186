"""Posting to the outbox (inside the caller's transaction) and delivering it (a background worker)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tuoyu.accounts.models import Department, Role, User
from tuoyu.messaging.models import Notification, OutboxMessage, Topic

log = logging.getLogger(__name__)


def outbox_post(
    *,
    topic: Topic,
    title: str,
    body: str,
    region_path: str,
    departments: list[Department],
    payload: dict[str, Any] | None = None,
) -> OutboxMessage:
    """Queue a message. Must run in the transaction of the change it reports, so both or neither persist."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_post must run inside the transaction of the change it reports")
    return OutboxMessage.objects.create(
        topic=topic,
        title=title[:200],
        body=body,
        payload=payload or {},
        region_path=region_path,
        departments=[str(d) for d in departments],
    )


def _ancestor_paths(region_path: str) -> list[str]:
    codes = [c for c in region_path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]


def recipients(message: OutboxMessage) -> list[User]:
    """Active accounts of the addressed departments whose jurisdiction contains the message's region."""
    departments = set(message.departments)
    wanted = Q(role=Role.DEPARTMENT, department__in=departments)
    if Department.HEALTH in departments:
        wanted |= Q(role=Role.REGULATOR)
    return list(
        User.objects.filter(wanted, is_active=True, region__path__in=_ancestor_paths(message.region_path)).order_by("pk")
    )


def deliver_pending(limit: int = 200) -> int:
    """Deliver up to ``limit`` queued messages into recipients' inboxes; returns how many were delivered.

    Each message is delivered in its own transaction, so a failure leaves it queued for the next run.
    On PostgreSQL concurrent workers skip each other's rows.
    """
    delivered = 0
    pending = list(OutboxMessage.objects.filter(delivered_at__isnull=True).order_by("created_at", "id").values_list("pk", flat=True)[:limit])
    for pk in pending:
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=pk, delivered_at__isnull=True).first()
                if message is None:
                    continue
                Notification.objects.bulk_create(
                    [Notification(user=user, message=message) for user in recipients(message)], ignore_conflicts=True
                )
                message.delivered_at = timezone.now()
                message.attempts += 1
                message.save(update_fields=["delivered_at", "attempts"])
                delivered += 1
        except Exception as error:  # keep the worker alive; the message stays queued
            log.exception("outbox delivery failed for message %s", pk)
            OutboxMessage.objects.filter(pk=pk).update(last_error=str(error)[:300], attempts=F("attempts") + 1)
    return delivered


def notification_read(*, user: User, notification: Notification) -> None:
    if notification.user_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
