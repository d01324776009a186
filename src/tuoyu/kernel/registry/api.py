"""JSON API of the registry. Each endpoint states what it reads and returns; rows come through access."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from tuoyu import inputs
from tuoyu.kernel.accounts.access import AccessDenied, Action, can_list, get_for
from tuoyu.kernel.accounts.decorators import api_login_required
from tuoyu.kernel.accounts.fields import PersonalNumberField
from tuoyu.kernel.registry import declarations, selectors
from tuoyu.kernel.registry.forms import InstitutionForm
from tuoyu.kernel.registry.models import Institution
from tuoyu.kernel.registry.rules import REGISTRATION_FIELDS
from tuoyu.kernel.registry.services import OPERATIONAL_FIELDS, editable_fields, institution_update

# Output of /api/v1/institutions/…: what identifies the institution, then every field a PATCH may
# name, in the same JSON types a PATCH takes (decimals as strings, so no amount is rounded).
_IDENTITY = ("id", "credit_code", "subdistrict", "status", "filing_number", "filed_on")


def _plain(institution: Institution, name: str):
    if name == "subdistrict":
        return {"code": institution.subdistrict.code, "name": institution.subdistrict.name}
    if name == "id":
        return institution.pk
    if name == "declarations":
        return declarations.normalised(institution.declarations)
    field = Institution._meta.get_field(name)
    value = getattr(institution, name)
    if value is None:
        return None
    if isinstance(field, PersonalNumberField):
        return field.mask(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _out(institution: Institution) -> dict:
    names = (*_IDENTITY, *REGISTRATION_FIELDS, *OPERATIONAL_FIELDS)
    return {name: _plain(institution, name) for name in dict.fromkeys(names)}


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _not_found() -> JsonResponse:
    return _json({"error": "not_found", "message": AccessDenied.message}, status=404)


@api_login_required
@require_http_methods(["GET"])
def institutions(request: HttpRequest) -> JsonResponse:
    """GET → {"count", "results": [the fields of _out…]}: the institutions the caller may see;
    403 for a post that sees no institution at all (a family)."""
    if not can_list(request.user, Institution):
        return _json({"error": "forbidden", "message": "您的账号不能查看机构台账。"}, status=403)
    rows = selectors.institutions_for(request.user)
    results = [_out(i) for i in rows]
    return _json({"count": len(results), "results": results})


@api_login_required
@require_http_methods(["GET", "PATCH"])
def institution(request: HttpRequest, pk: int) -> JsonResponse:
    """GET → the institution as _out renders it. PATCH {field: value, …} changes exactly the fields it names (those
    ``editable_fields`` allows; ``declarations`` as {group: {key: true|false|null}}, merged) → the institution as _out renders it,
    or 400 {"error", "message", "fields": {field: [Chinese messages]}} with nothing saved."""
    action = Action.CHANGE if request.method == "PATCH" else Action.VIEW
    try:
        current = get_for(request.user, Institution.objects.select_related("subdistrict"), pk, action)
    except AccessDenied:
        return _not_found()
    if request.method == "GET":
        return _json(_out(current))
    try:
        patch = inputs.json_object(request)
        data, names = _form_data(current, patch)
    except inputs.BadInput as error:
        return _invalid(error.message, error.fields, code=error.code)
    form = InstitutionForm(data, instance=current, only=names)
    if not form.is_valid():
        fields = {
            name: [e["message"] for e in errors] for name, errors in form.errors.get_json_data().items()
        }
        return _invalid("提交的信息有误，未保存。", _declaration_paths(fields))
    try:
        updated = institution_update(actor=request.actor, institution=current, changes=form.changes())
    except ValidationError as error:
        return _invalid("提交的信息有误，未保存。", error.message_dict)
    return _json(_out(updated))


def _invalid(message: str, fields: dict, *, code: str = "invalid") -> JsonResponse:
    return _json({"error": code, "message": message, "fields": fields}, status=400)


def _declaration_paths(fields: dict) -> dict:
    """Form errors on ``decl_<group>__<key>`` as the API names them: ``declarations.<group>.<key>``."""
    out = {}
    for name, messages in fields.items():
        if name.startswith("decl_"):
            group, _, key = name[5:].partition("__")
            name = f"declarations.{group}.{key}"
        out[name] = messages
    return out


def _form_value(field: forms.Field, name: str, value):
    """A JSON value as the form would receive it from a browser, if its JSON type fits the field."""

    def wrong(expected: str):
        raise inputs.BadInput.field(name, f"应为{expected}。")

    if isinstance(field, forms.NullBooleanField):
        if value is not None and not isinstance(value, bool):
            wrong("true、false 或 null")
        return {True: "true", False: "false", None: "unknown"}[value]
    if isinstance(field, forms.MultipleChoiceField):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            wrong("文本列表")
        return value
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            wrong("数字")
        return value if isinstance(value, str) else repr(value)
    if isinstance(field, forms.BooleanField):
        if not isinstance(value, bool):
            wrong("true 或 false")
        return "on" if value else ""
    if value is None:
        return ""
    if not isinstance(value, str):
        wrong("文本" if not isinstance(field, forms.DateField) else "日期文本（如 2026-03-01）")
    return value


def _form_data(current: Institution, patch: dict) -> tuple[dict, set[str]]:
    """The bound data of a form narrowed to the named fields, after checking each one's JSON type."""
    form = InstitutionForm(instance=current)
    allowed = set(editable_fields(current))
    unknown = sorted(set(patch) - allowed)
    if unknown:
        raise inputs.BadInput(
            f"以下字段不存在或不能直接修改：{'、'.join(unknown)}",
            fields={name: ["不存在或不能直接修改（登记信息在备案后须办理变更备案）。"] for name in unknown},
            code="not_editable",
        )
    data: dict = {}
    names: set[str] = set()
    for name, value in patch.items():
        if name == "declarations":
            data.update(_declarations(form, value))
            names.update(n for n in data if n.startswith("decl_"))
            continue
        data[name] = _form_value(form.fields[name], name, value)
        names.add(name)
    return data, names


def _declarations(form: InstitutionForm, value) -> dict:
    if not isinstance(value, dict):
        raise inputs.BadInput.field("declarations", '应为对象，如 {"health": {"daily_checks": true}}。')
    known = {(group, key): name for name, group, key, _ in declarations.all_fields()}
    data = {}
    for group, items in value.items():
        if group not in declarations.DECLARATIONS or not isinstance(items, dict):
            raise inputs.BadInput.field(f"declarations.{group}", "不是已知的制度类别，或不是对象。")
        for key, answer in items.items():
            name = known.get((group, key))
            if name is None:
                raise inputs.BadInput.field(f"declarations.{group}.{key}", "不是已知的制度项目。")
            data[name] = _form_value(form.fields[name], f"declarations.{group}.{key}", answer)
    return data


@require_http_methods(["GET"])
def public_institutions(request: HttpRequest) -> JsonResponse:
    """GET ?q= → {"count", "results": [PUBLIC_FIELDS…]}: the published (filed) institutions; no login."""
    rows = selectors.public_institutions(query=inputs.query_text(request, "q")).values(
        *selectors.PUBLIC_FIELDS
    )
    results = [
        dict(
            row,
            filed_on=row["filed_on"].isoformat() if row["filed_on"] else None,
            monthly_fee=str(row["monthly_fee"]) if row["monthly_fee"] is not None else None,
        )
        for row in rows
    ]
    return _json({"count": len(results), "results": results})
