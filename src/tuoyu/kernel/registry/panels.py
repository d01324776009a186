"""The registry's blocks of the home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tuoyu.kernel.registry import selectors
from tuoyu.kernel.registry.models import Status

# Filed first: what a county has achieved leads its home page.
_STATUS_CARDS = (Status.FILED, Status.REGISTERED, Status.SUSPENDED, Status.CLOSED)


def status(request: HttpRequest) -> dict[str, Any]:
    counts = selectors.status_counts(request.user)
    return {"status_cards": [(status.label, counts[status]) for status in _STATUS_CARDS]}


def duty_institutions(request: HttpRequest) -> dict[str, Any]:
    return {"institutions": selectors.institution_ledger(request.user)[:15]}
