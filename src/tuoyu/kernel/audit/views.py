from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuoyu import inputs
from tuoyu.kernel.accounts.access import permits, require_page
from tuoyu.kernel.audit.actions import READ_AUDIT
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.selectors import readable_changes, trail_for


def _audited_models() -> dict[str, str]:
    """Every kind of record the trail can hold, by its Chinese name, for the filter: the regulated
    records (those with an access scope), accounts, the regions with their population figures, and
    the working-day calendar."""
    labels = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if hasattr(model, "access_scope") or label in (
            "accounts.user",
            "regions.region",
            "regions.population",
            "regions.calendarday",
        ):
            labels[label] = str(model._meta.verbose_name)
    return dict(sorted(labels.items(), key=lambda item: item[1]))


@login_required
def trail(request: HttpRequest) -> HttpResponse:
    require_page(request.user, permits(request.user, READ_AUDIT), "操作审计仅向卫生健康部门监管人员开放。")
    models = _audited_models()
    filters = {
        "model": inputs.query_choice(request, "model", models),
        "verb": inputs.query_choice(request, "verb", Verb.values),
        "since": inputs.query_date(request, "since"),
        "query": inputs.query_text(request, "q"),
    }
    page = Paginator(trail_for(request.user, **filters), 50).get_page(
        inputs.query_int(request, "page", low=1, default=1)
    )
    rows = [
        {"event": event, "entity": models.get(event.model, "记录"), "changes": readable_changes(event)}
        for event in page
    ]
    context = {"page": page, "rows": rows, "filters": filters, "models": models, "verbs": Verb.choices}
    return render(request, "audit/trail.html", context)
