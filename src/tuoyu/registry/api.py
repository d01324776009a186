"""JSON API of the registry. Each endpoint states what it reads and returns; rows come through access."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from tuoyu.accounts.access import AccessDenied, Action, get_for
from tuoyu.accounts.decorators import api_login_required
from tuoyu.engines.identifiers import mask_mobile
from tuoyu.registry import selectors
from tuoyu.registry.forms import InstitutionForm
from tuoyu.registry.models import Institution
from tuoyu.registry.services import editable_fields, institution_update

# Output of /api/v1/institutions/…: field → how to render it.
INSTITUTION_OUT = {
    "id": lambda i: i.pk,
    "name": lambda i: i.name,
    "credit_code": lambda i: i.credit_code,
    "subdistrict": lambda i: {"code": i.subdistrict.code, "name": i.subdistrict.name},
    "address": lambda i: i.address,
    "legal_form": lambda i: i.legal_form,
    "nature": lambda i: i.nature,
    "operator": lambda i: i.operator,
    "provision_model": lambda i: i.provision_model,
    "affordable": lambda i: i.affordable,
    "service_types": lambda i: i.service_types,
    "places": lambda i: i.places,
    "status": lambda i: i.status,
    "filing_number": lambda i: i.filing_number,
    "filed_on": lambda i: i.filed_on.isoformat() if i.filed_on else None,
    "contact_name": lambda i: i.contact_name,
    "contact_phone": lambda i: mask_mobile(i.contact_phone),
    "lon": lambda i: i.lon,
    "lat": lambda i: i.lat,
}


def _out(institution: Institution) -> dict:
    return {name: render(institution) for name, render in INSTITUTION_OUT.items()}


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _not_found() -> JsonResponse:
    return _json({"error": "not_found", "message": AccessDenied.message}, status=404)


@api_login_required
@require_http_methods(["GET"])
def institutions(request: HttpRequest) -> JsonResponse:
    """GET → {"count", "results": [INSTITUTION_OUT…]}: the institutions the caller may see."""
    rows = selectors.institutions_for(request.user)
    results = [_out(i) for i in rows]
    return _json({"count": len(results), "results": results})


@api_login_required
@require_http_methods(["GET", "PATCH"])
def institution(request: HttpRequest, pk: int) -> JsonResponse:
    """GET → INSTITUTION_OUT. PATCH {field: value} for the fields ``editable_fields`` allows → INSTITUTION_OUT,
    or 400 {"error": "invalid", "fields": {field: [Chinese messages]}} with nothing saved."""
    action = Action.CHANGE if request.method == "PATCH" else Action.VIEW
    try:
        current = get_for(request.user, Institution.objects.select_related("subdistrict"), pk, action)
    except AccessDenied:
        return _not_found()
    if request.method == "GET":
        return _json(_out(current))
    try:
        patch = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _json({"error": "invalid_json", "message": "请求内容不是有效的JSON。"}, status=400)
    if not isinstance(patch, dict):
        return _json({"error": "invalid_json", "message": "请求内容应为JSON对象。"}, status=400)
    unknown = sorted(set(patch) - set(editable_fields(current)))
    if unknown:
        return _json({"error": "not_editable", "message": f"以下字段不能直接修改：{'、'.join(unknown)}"}, status=400)
    form = InstitutionForm(_form_data(current, patch), instance=current)
    if not form.is_valid():
        return _json({"error": "invalid", "fields": form.errors.get_json_data()}, status=400)
    try:
        updated = institution_update(actor=request.actor, institution=current, changes=form.changes())
    except ValidationError as error:
        return _json({"error": "invalid", "fields": error.message_dict}, status=400)
    return _json(_out(updated))


def _form_data(current: Institution, patch: dict) -> dict:
    """The form's bound data: the current values with the patch laid over them."""
    form = InstitutionForm(instance=current)
    data = {}
    for name in editable_fields(current):
        value = patch[name] if name in patch else form.initial.get(name)
        if name == "service_types":
            data[name] = value or []
        elif isinstance(value, bool):
            data[name] = "true" if value else "false"
        else:
            data[name] = "" if value is None else value
    return data


@require_http_methods(["GET"])
def public_institutions(request: HttpRequest) -> JsonResponse:
    """GET ?q= → {"count", "results": [PUBLIC_FIELDS…]}: the published (filed) institutions; no login."""
    rows = selectors.public_institutions(query=request.GET.get("q", "").strip()).values(*selectors.PUBLIC_FIELDS)
    results = [
        dict(
            row,
            filed_on=row["filed_on"].isoformat() if row["filed_on"] else None,
            monthly_fee=str(row["monthly_fee"]) if row["monthly_fee"] is not None else None,
        )
        for row in rows
    ]
    return _json({"count": len(results), "results": results})
