"""The home page: what each post sees first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from tuoyu.accounts.access import can_list
from tuoyu.accounts.models import INSTITUTION_ROLES, REGIONAL_ROLES, Role
from tuoyu.operations import selectors as operations
from tuoyu.operations.models import Child
from tuoyu.planning.selectors import supply_by_subdistrict, total_row
from tuoyu.registry import selectors as registry


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = Role(user.role)
    if role in REGIONAL_ROLES:
        return _regional_home(request)
    if role in INSTITUTION_ROLES:
        return _institution_home(request)
    if role is Role.GUARDIAN:
        children = operations.children_for(user).order_by("birth_date")
        return render(request, "site/home_guardian.html", {"children": children})
    return render(request, "site/home_empty.html")


def _regional_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = timezone.localdate().year
    rows = supply_by_subdistrict(user, year)
    context = {
        "rows": rows,
        "total": total_row(rows, user.region) if user.region else None,
        "status_counts": registry.status_counts(user),
        "year": year,
        "shows_supply": user.role != Role.DEPARTMENT,
        # Posts that may not see children are shown no enrolment figures at all, never a 0.
        "shows_enrolled": can_list(user, Child),
        "institutions": registry.institution_ledger(user)[:15] if user.role == Role.DEPARTMENT else None,
    }
    return render(request, "site/home_regional.html", context)


def _institution_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    institution = registry.institutions_for(user).first()
    if institution is None:
        return render(request, "site/home_empty.html")
    context = {
        "institution": institution,
        "classes": operations.classes_for(user, institution),
        "staff": operations.staff_for(user, institution) if user.role == Role.MANAGER else None,
        "enrolled": operations.children_in(user, institution).count() if can_list(user, Child) else None,
    }
    return render(request, "site/home_institution.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
