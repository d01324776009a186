"""The registry's blocks of the home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tuoyu.kernel.registry import selectors


def status(request: HttpRequest) -> dict[str, Any]:
    return {"status_counts": selectors.status_counts(request.user)}


def duty_institutions(request: HttpRequest) -> dict[str, Any]:
    return {"institutions": selectors.institution_ledger(request.user)[:15]}
