"""Reads of admission rounds, vacancies and applications. Every one goes through accounts.access."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass

from django.db.models import QuerySet

from tuoyu.domains.enrollment.models import Application, Program, Round, RoundState
from tuoyu.kernel.accounts.access import Action, get_for, published, scoped
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.registry.models import Institution, Status
from tuoyu.kernel.registry.selectors import public_institutions


def open_rounds(on: dt.date) -> QuerySet[Round]:
    """Rounds a family can apply to on this day: opened by the organiser and inside their window."""
    return published(
        Round.objects.filter(state=RoundState.OPEN, opens_on__lte=on, closes_on__gte=on)
    ).select_related("region")


def public_round(pk: int) -> Round:
    """A round the public may see, or DoesNotExist."""
    return published(Round.objects.select_related("region")).get(pk=pk)


def public_programs(round_: Round) -> QuerySet[Program]:
    return published(Program.objects.filter(round=round_).select_related("institution__subdistrict"))


def rounds_for(user: User) -> QuerySet[Round]:
    return scoped(user, Round.objects.select_related("region"))


def round_for(user: User, pk: int, action: Action = Action.VIEW) -> Round:
    return get_for(user, Round.objects.select_related("region"), pk, action)


def applications_for(user: User) -> QuerySet[Application]:
    return scoped(
        user, Application.objects.select_related("round", "child", "placed__institution", "employer")
    )


@dataclass
class CareOption:
    institution: Institution
    distance_km: float | None
    vacancies: list[Program]


def _distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance; good to metres at a county's scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def find_care(
    *,
    age_months: int | None = None,
    affordable: bool | None = None,
    service_type: str = "",
    home: tuple[float, float] | None = None,
    within_km: float | None = None,
    on: dt.date,
) -> list[CareOption]:
    """Filed institutions that fit a child, nearest first, each with its places in open rounds."""
    # A suspended institution stays on the public list (with its status) but takes no child now.
    rows = public_institutions().filter(status=Status.FILED)
    if affordable is not None:
        rows = rows.filter(affordable=affordable)
    if age_months is not None:
        rows = rows.filter(min_age_months__lte=age_months, max_age_months__gt=age_months)
    open_programs: dict[int, list[Program]] = {}
    for program in published(Program.objects.filter(round__in=open_rounds(on))).select_related("round"):
        open_programs.setdefault(program.institution_id, []).append(program)
    options = []
    for institution in rows:
        if service_type and service_type not in institution.service_types:
            continue
        distance = None
        if home and institution.lon is not None:
            distance = _distance_km(home[0], home[1], institution.lon, institution.lat)
            if within_km is not None and distance > within_km:
                continue
        options.append(CareOption(institution, distance, open_programs.get(institution.pk, [])))
    options.sort(key=lambda o: (o.distance_km is None, o.distance_km or 0, o.institution.name))
    return options


def csv_rows(text: str) -> list[list[str]]:
    """The rows of a round's published CSV record, without its header (names may hold commas)."""
    if not text.strip():
        return []
    return list(csv.reader(io.StringIO(text.strip())))[1:]
