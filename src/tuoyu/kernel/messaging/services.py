"""Posting to the outbox (inside the caller's transaction) and delivering it (a background worker):
into the inboxes of the departments or people addressed, and through the outbound channels."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from tuoyu import clock
from tuoyu.kernel.accounts.access import department_posts
from tuoyu.kernel.accounts.models import Department, User
from tuoyu.kernel.messaging import channels
from tuoyu.kernel.messaging.models import Notification, OutboxMessage, Topic

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


def notify(
    *,
    users,
    topic: Topic,
    title: str,
    body: str,
    link: str = "",
    region_path: str = "",
    key: str = "",
) -> OutboxMessage | None:
    """Queue a notice to named people, in the transaction of the change it reports. With a ``key``
    (reminders), a notice already queued under that key is not queued again. Returns None when
    there is nobody to tell or the reminder was already sent."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify must run inside the transaction of the change it reports")
    if key and OutboxMessage.objects.filter(key=key).exists():
        return None  # checked first: a reminder already sent costs one query, not a look-up of its people
    ids = sorted({user.pk for user in users if user is not None and user.is_active})
    if not ids:
        return None
    return OutboxMessage.objects.create(
        topic=topic,
        title=title[:200],
        body=body,
        region_path=region_path,
        departments=[],
        recipients=ids,
        link=link[:200],
        key=key[:120],
    )


def _ancestor_paths(region_path: str) -> list[str]:
    codes = [c for c in region_path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]


def recipients(message: OutboxMessage) -> list[User]:
    """The people named, or the active accounts of the addressed departments whose jurisdiction
    contains the message's region."""
    if message.recipients:
        return list(User.objects.filter(pk__in=message.recipients, is_active=True).order_by("pk"))
    return list(
        User.objects.filter(
            department_posts(set(message.departments)),
            is_active=True,
            region__path__in=_ancestor_paths(message.region_path),
        ).order_by("pk")
    )


def deliver_pending(limit: int = 200) -> int:
    """Deliver up to ``limit`` queued messages into recipients' inboxes; returns how many were delivered.

    Each message is delivered in its own transaction, so a failure leaves it queued for the next run.
    On PostgreSQL concurrent workers skip each other's rows.
    """
    delivered = 0
    pending = list(
        OutboxMessage.objects.filter(delivered_at__isnull=True)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in pending:
        try:
            with transaction.atomic():
                message = (
                    OutboxMessage.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, delivered_at__isnull=True)
                    .first()
                )
                if message is None:
                    continue
                people = recipients(message)
                Notification.objects.bulk_create(
                    [Notification(user=user, message=message) for user in people], ignore_conflicts=True
                )
                message.delivered_at = clock.now()
                message.attempts += 1
                message.last_error = _send_outbound(message, people)
                message.save(update_fields=["delivered_at", "attempts", "last_error"])
                delivered += 1
        except Exception as error:  # keep the worker alive; the message stays queued
            log.exception("outbox delivery failed for message %s", pk)
            OutboxMessage.objects.filter(pk=pk).update(
                last_error=str(error)[:300], attempts=F("attempts") + 1
            )
    return delivered


def _send_outbound(message: OutboxMessage, people: list[User]) -> str:
    """SMS or email to each person a notice is for (not to departments: their officers read the inbox).
    A failing channel is reported, never retried into a second in-platform notice."""
    if not message.recipients:
        return ""
    url = settings.TUOYU_PUBLIC_URL.rstrip("/") + message.link if message.link else settings.TUOYU_PUBLIC_URL
    errors = []
    for channel in channels.configured():
        for user in people:
            try:
                channel.send(user=user, message=message, url=url)
            except Exception as error:  # one person's or one channel's failure must not stop the rest
                log.warning("channel %s failed for notice %s: %s", channel.name, message.pk, error)
                errors.append(f"{channel.name}: {error}")
    return "; ".join(errors)[:300]


def unread_count(user: User) -> int:
    return (
        Notification.objects.filter(user=user, read_at__isnull=True).count() if user.is_authenticated else 0
    )


def notifications_read_all(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())


def notification_read(*, user: User, notification: Notification) -> None:
    if notification.user_id == user.pk and notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
