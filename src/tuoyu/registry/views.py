from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tuoyu.accounts.access import Action, get_for, scoped
from tuoyu.regions.models import Level, Region
from tuoyu.registry import selectors
from tuoyu.registry.forms import InstitutionForm
from tuoyu.registry.models import Institution, Operator, ProvisionModel, Status
from tuoyu.registry.services import institution_update

LEDGER_COLUMNS = (
    ("name", "机构名称"),
    ("credit_code", "统一社会信用代码"),
    ("subdistrict__name", "街道（镇）"),
    ("address", "地址"),
    ("legal_form", "法人类型"),
    ("nature", "性质"),
    ("operator", "举办形式"),
    ("provision_model", "办托模式"),
    ("affordable", "普惠"),
    ("places", "托位数"),
    ("enrolled", "在托人数"),
    ("status", "状态"),
    ("filing_number", "备案编号"),
    ("filed_on", "备案日期"),
)


def _ledger_filters(request: HttpRequest) -> dict:
    affordable = request.GET.get("affordable", "")
    subdistrict = request.GET.get("subdistrict", "")
    return {
        "query": request.GET.get("q", "").strip(),
        "subdistrict_id": int(subdistrict) if subdistrict.isdigit() else None,
        "status": request.GET.get("status", "") if request.GET.get("status", "") in Status.values else "",
        "affordable": {"1": True, "0": False}.get(affordable),
    }


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    filters = _ledger_filters(request)
    rows = selectors.institution_ledger(request.user, **filters)
    context = {
        "rows": rows,
        "filters": filters,
        "subdistricts": scoped(request.user, Region.objects.filter(level=Level.SUBDISTRICT)).order_by("code"),
        "statuses": Status.choices,
        "query_string": request.GET.urlencode(),
    }
    template = "registry/_ledger_rows.html" if request.htmx else "registry/ledger.html"
    return render(request, template, context)


@login_required
def export_ledger(request: HttpRequest) -> HttpResponse:
    """The ledger (管理台账) as CSV, exactly the rows the user can see with the filters applied."""
    rows = selectors.institution_ledger(request.user, **_ledger_filters(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="institutions.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer = csv.writer(response)
    writer.writerow([label for _, label in LEDGER_COLUMNS])
    labels = {
        "operator": dict(Operator.choices),
        "provision_model": dict(ProvisionModel.choices),
        "status": dict(Status.choices),
    }
    for row in rows.values(*(name for name, _ in LEDGER_COLUMNS)):
        writer.writerow([_cell(name, row[name], labels) for name, _ in LEDGER_COLUMNS])
    return response


def _cell(name: str, value, labels: dict) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if name in labels:
        return labels[name].get(value, value)
    if name in ("legal_form", "nature"):
        field = Institution._meta.get_field(name)
        return dict(field.choices).get(value, value)
    return str(value)


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
    return render(request, "registry/edit.html", {"institution": institution, "form": form}, status=400 if form.errors else 200)


def public(request: HttpRequest) -> HttpResponse:
    subdistrict = request.GET.get("subdistrict", "")
    rows = selectors.public_institutions(
        query=request.GET.get("q", "").strip(), subdistrict_id=int(subdistrict) if subdistrict.isdigit() else None
    )
    rows = list(rows)
    context = {
        "rows": rows,
        "subdistricts": sorted({row.subdistrict for row in rows}, key=lambda region: region.code),
        "q": request.GET.get("q", ""),
        "subdistrict": subdistrict,
    }
    template = "registry/_public_rows.html" if request.htmx else "registry/public.html"
    return render(request, template, context)
