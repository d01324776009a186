from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuoyu.accounts.access import Duty, has_duty
from tuoyu.audit.models import Verb
from tuoyu.audit.selectors import trail_for

MODEL_LABELS = {
    "regions.region": "行政区划",
    "registry.institution": "托育机构",
    "operations.careclass": "班级",
    "operations.child": "婴幼儿",
    "operations.staffmember": "工作人员",
}


@login_required
def trail(request: HttpRequest) -> HttpResponse:
    if not has_duty(request.user, Duty.READ_AUDIT):
        return render(request, "audit/forbidden.html", status=403)
    try:
        since = dt.date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        since = None
    filters = {
        "model": request.GET.get("model", "") if request.GET.get("model", "") in MODEL_LABELS else "",
        "verb": request.GET.get("verb", "") if request.GET.get("verb", "") in Verb.values else "",
        "since": since,
        "query": request.GET.get("q", "").strip(),
    }
    page = Paginator(trail_for(request.user, **filters), 50).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "models": MODEL_LABELS, "verbs": Verb.choices, "model_labels": MODEL_LABELS}
    return render(request, "audit/trail.html", context)
