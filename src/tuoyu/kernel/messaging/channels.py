"""Outbound channels: how a notice leaves the platform (SMS, email) besides the in-platform inbox.

``TUOYU_NOTIFY_CHANNELS`` lists them by name ("log" by default). Each channel gets every delivered
notice with its recipient and decides whether it can reach that person (a phone number for SMS, an
address for email). A channel that fails leaves the inbox notice in place and is reported in the
outbox row; it never blocks delivery to others. docs/notifications.md describes the gateway adapter.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.request
from typing import Protocol

from django.conf import settings

from tuoyu.engines.identifiers import mask_mobile

log = logging.getLogger("tuoyu.notify")


class Channel(Protocol):
    name: str

    def send(self, *, user, message, url: str) -> None:
        """Deliver one notice to one person; raise to report a failure."""


class LogChannel:
    """Writes each notice to the log (masked), so an installation without a gateway still shows
    what would have been sent, and tests can see it."""

    name = "log"

    def send(self, *, user, message, url: str) -> None:
        log.info(
            "notice to %s (%s): %s %s",
            user.username,
            mask_mobile(user.phone) or "无手机号",
            message.title,
            url,
        )


class EmailChannel:
    """Django's mail backend (EMAIL_* settings); only people with an email address."""

    name = "email"

    def send(self, *, user, message, url: str) -> None:
        if not user.email:
            return
        from django.core.mail import send_mail

        send_mail(message.title, f"{message.body}\n\n{url}", None, [user.email], fail_silently=False)


class SmsGatewayChannel:
    """A provincial government SMS gateway reached on the intranet: one signed JSON POST per message.

    Body: {"mobile", "text", "topic", "id"}; header X-Tuoyu-Signature: hex HMAC-SHA256 of the body
    with TUOYU_SMS_GATEWAY_SECRET, and X-Tuoyu-Timestamp. A 2xx answer is success. Texts are short:
    the title and the link, never personal numbers.
    """

    name = "sms"

    def send(self, *, user, message, url: str) -> None:
        if not user.phone:
            return
        endpoint, secret = settings.TUOYU_SMS_GATEWAY_URL, settings.TUOYU_SMS_GATEWAY_SECRET.encode()
        if not endpoint:
            raise RuntimeError("TUOYU_SMS_GATEWAY_URL is not set")
        body = json.dumps(
            {
                "mobile": user.phone,
                "text": f"【托育服务平台】{message.title} {url}"[:200],
                "topic": message.topic,
                "id": message.pk,
            },
            ensure_ascii=False,
        ).encode()
        stamp = str(int(time.time()))
        signature = hmac.new(secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(  # noqa: S310 — the configured intranet gateway, https or http
            endpoint,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Tuoyu-Timestamp": stamp,
                "X-Tuoyu-Signature": signature,
            },
        )
        with urllib.request.urlopen(request, timeout=settings.TUOYU_SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise RuntimeError(f"SMS gateway answered {response.status}")


CHANNELS: dict[str, type] = {c.name: c for c in (LogChannel, EmailChannel, SmsGatewayChannel)}


def configured() -> list[Channel]:
    return [CHANNELS[name]() for name in settings.TUOYU_NOTIFY_CHANNELS if name in CHANNELS]
