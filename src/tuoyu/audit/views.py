from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuoyu import inputs
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
    filters = {
        "model": inputs.query_choice(request, "model", MODEL_LABELS),
        "verb": inputs.query_choice(request, "verb", Verb.values),
        "since": inputs.query_date(request, "since"),
        "query": inputs.query_text(request, "q"),
    }
    page = Paginator(trail_for(request.user, **filters), 50).get_page(inputs.query_int(request, "page", low=1, default=1))
    context = {"page": page, "filters": filters, "models": MODEL_LABELS, "verbs": Verb.choices, "model_labels": MODEL_LABELS}
    return render(request, "audit/trail.html", context)
