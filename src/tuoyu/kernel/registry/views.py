from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tuoyu import inputs
from tuoyu.kernel.accounts.access import Action, authorize, can_list, get_for, permits, require_page, scoped
from tuoyu.kernel.regions.models import Level, Region
from tuoyu.kernel.registry import importer, selectors
from tuoyu.kernel.registry import ledger as table
from tuoyu.kernel.registry.actions import IMPORT_LEDGER
from tuoyu.kernel.registry.forms import InstitutionForm
from tuoyu.kernel.registry.models import Institution, Status
from tuoyu.kernel.registry.services import institution_update


def _ledger_filters(request: HttpRequest) -> dict:
    return {
        "query": inputs.query_text(request, "q"),
        "subdistrict_id": inputs.query_int(request, "subdistrict", low=1),
        "status": inputs.query_choice(request, "status", Status.values),
        "affordable": inputs.query_flag(request, "affordable"),
    }


LEDGER_REASON = "机构台账仅向卫生健康等监管部门、检查和指导人员及机构本身开放。"


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    require_page(request.user, can_list(request.user, Institution), LEDGER_REASON)
    filters = _ledger_filters(request)
    rows = selectors.institution_ledger(request.user, **filters)
    context = {
        "rows": rows,
        "filters": filters,
        "subdistricts": scoped(request.user, Region.objects.filter(level=Level.SUBDISTRICT)).order_by("code"),
        "statuses": Status.choices,
        "query_string": request.GET.urlencode(),
        "can_import": permits(request.user, IMPORT_LEDGER),
        "shows_enrolled": can_list(request.user, Institution._meta.get_field("children").related_model),
    }
    template = "registry/_ledger_rows.html" if request.htmx else "registry/ledger.html"
    return render(request, template, context)


@login_required
def export_ledger(request: HttpRequest) -> HttpResponse:
    """The ledger (管理台账) as CSV or Excel: exactly the rows the user can see, filters applied."""
    require_page(request.user, can_list(request.user, Institution), LEDGER_REASON)
    suffix = ".xlsx" if inputs.query_choice(request, "format", ("csv", "xlsx")) == "xlsx" else ".csv"
    rows = selectors.institution_ledger(request.user, **_ledger_filters(request))
    content = table.write_table(table.render_rows(selectors.ledger_records(rows)), suffix)
    content_type = (
        "text/csv; charset=utf-8"
        if suffix == ".csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="institutions{suffix}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_ledger(request: HttpRequest) -> HttpResponse:
    """Upload → preview with every row's problems → confirm: nothing is written before a clean confirm."""
    authorize(request.user, IMPORT_LEDGER)
    subdistricts = list(scoped(request.user, Region.objects.filter(level=Level.SUBDISTRICT)))
    context: dict = {"columns": table.IMPORTABLE}
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get("ledger_import")
        if not stored or stored["digest"] != request.POST.get("digest"):
            messages.error(request, "导入文件已失效，请重新上传。")
            return redirect("registry:import")
        with default_storage.open(stored["path"]) as handle:
            content = handle.read()
        result = importer.preview(name=stored["name"], content=content, subdistricts=subdistricts)
        try:
            created = importer.apply(actor=request.actor, result=result)
        except (importer.ImportRefused, ValidationError) as error:
            messages.error(request, f"未导入任何数据：{error}")
            return redirect("registry:import")
        default_storage.delete(stored["path"])
        del request.session["ledger_import"]
        messages.success(request, f"已导入 {len(created)} 家机构，并已推送登记信息。")
        return redirect("registry:ledger")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size > settings.TUOYU_UPLOAD_MAX_BYTES:
            messages.error(request, "请选择不超过上传大小限制的 .xlsx 或 .csv 文件。")
            return redirect("registry:import")
        content = upload.read()
        result = importer.preview(name=upload.name, content=content, subdistricts=subdistricts)
        context["preview"] = result
        if result.clean:
            digest = hashlib.sha256(content).hexdigest()
            path = default_storage.save(
                f"imports/{digest}{Path(upload.name).suffix.lower()}", ContentFile(content)
            )
            request.session["ledger_import"] = {"path": path, "name": upload.name, "digest": digest}
            context["digest"] = digest
    status = 400 if "preview" in context and not context["preview"].clean else 200
    return render(request, "registry/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_for(request.user, Institution.objects.select_related("subdistrict"), pk, Action.CHANGE)
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        try:
            institution_update(actor=request.actor, institution=institution, changes=form.changes())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "机构信息已保存。")
            return redirect("operations:institution", pk=institution.pk)
    return render(
        request,
        "registry/edit.html",
        {"institution": institution, "form": form},
        status=400 if form.errors else 200,
    )


def public(request: HttpRequest) -> HttpResponse:
    subdistrict = inputs.query_int(request, "subdistrict", low=1)
    rows = selectors.public_institutions(query=inputs.query_text(request, "q"), subdistrict_id=subdistrict)
    rows = list(rows)
    context = {
        "rows": rows,
        "map_points": [
            {"name": r.name, "lat": r.lat, "lon": r.lon, "places": r.places, "affordable": r.affordable}
            for r in rows
            if r.lat is not None
        ],
        "subdistricts": sorted({row.subdistrict for row in rows}, key=lambda region: region.code),
        "q": inputs.query_text(request, "q"),
        "subdistrict": subdistrict,
    }
    template = "registry/_public_rows.html" if request.htmx else "registry/public.html"
    return render(request, template, context)
