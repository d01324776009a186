from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuoyu import clock, inputs
from tuoyu.domains.planning import export
from tuoyu.domains.planning.actions import PLAN
from tuoyu.domains.planning.analysis import planning_for
from tuoyu.kernel.accounts.access import authorize


def _int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    value = inputs.query_int(request, name, low=low, high=high, default=default)
    return default if value is None else value


def _planning(request: HttpRequest):
    authorize(request.user, PLAN)
    return planning_for(
        request.user,
        on=clock.today(),
        minutes=_int(request, "minutes", 0, 0, 60) or None,
        site_places=_int(request, "site_places", 60, 5, 150),
        budget=_int(request, "budget", 0, 0, 5000),
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    result = _planning(request)
    extra = {"uncovered": result.uncovered_cells, "sites": result.candidate_points}
    # Proven for this instance: the a-priori guarantee or the a-posteriori bound, whichever is higher.
    ratio = (
        max(result.siting.guarantee, result.siting.objective / result.siting.upper_bound)
        if result.siting and result.siting.upper_bound
        else None
    )
    context = {"p": result, "query": request.GET.urlencode(), "map_extra": extra, "siting_ratio": ratio}
    return render(request, "planning/overview.html", context)


@login_required
def download(request: HttpRequest) -> HttpResponse:
    result = _planning(request)
    response = HttpResponse(
        export.workbook(result),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="planning.xlsx"'
    return response
