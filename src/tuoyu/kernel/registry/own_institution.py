"""The menu's way into a page of the institution an account works at (its checks, attendance,
growth …): one place that finds the institution and refuses posts that do not work at one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from tuoyu.kernel.accounts.access import Act, permits, require_page
from tuoyu.kernel.registry.selectors import institutions_for


def to_own_institution(request: HttpRequest, act: Act, url_name: str, refusal: str) -> HttpResponse:
    """Redirect to ``url_name`` of the account's institution, or refuse with ``refusal`` (Chinese)."""
    place = institutions_for(request.user).first()
    require_page(request.user, place is not None and permits(request.user, act), refusal)
    return redirect(url_name, place.pk)
