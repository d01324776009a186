"""The home page: what each post sees first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tuoyu import clock
from tuoyu.kernel.accounts.access import audience
from tuoyu.kernel.manifest import home_panels


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page is the panels the installed packages declare for this post's audience."""
    who = audience(request.user)
    panels = home_panels(request) if who is not None else []
    if not panels:
        return render(request, "site/home_empty.html")
    return render(request, "site/home.html", {"audience": who, "panels": panels, "year": clock.today().year})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
