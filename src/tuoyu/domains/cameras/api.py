"""The door through which an institution's video system posts its cameras' daily status.

The video system is not a person with a session: it holds the key its institution's manager
generated on the cameras page (``Authorization: Bearer tyv_…``), which reaches that institution's
cameras and nothing else.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tuoyu import clock, inputs
from tuoyu.domains.cameras.models import Status
from tuoyu.domains.cameras.services import institution_by_key, status_post
from tuoyu.errors import DomainError

MAX_CAMERAS = 1000
_NOTE_LENGTH = 100


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _bad(message: str, *, code: str = "invalid", fields: dict | None = None) -> JsonResponse:
    return _json({"error": code, "message": message, "fields": fields or {}}, status=400)


def _rows(body: dict) -> dict[int, tuple[str, str]]:
    cameras = body.get("cameras")
    if not isinstance(cameras, list) or not cameras or len(cameras) > MAX_CAMERAS:
        raise inputs.BadInput.field("cameras", f"应为 1 至 {MAX_CAMERAS} 个摄像头的列表。")
    rows: dict[int, tuple[str, str]] = {}
    for n, item in enumerate(cameras):
        where = f"cameras[{n}]"
        if not isinstance(item, dict):
            raise inputs.BadInput.field(where, '应为对象，如 {"id": 12, "status": "normal"}。')
        pk = item.get("id")
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk < 2**63:
            raise inputs.BadInput.field(f"{where}.id", "应为摄像头编号（正整数）。")
        status = item.get("status")
        if status not in Status.values:
            raise inputs.BadInput.field(f"{where}.status", f"应为 {'、'.join(Status.values)} 之一。")
        note = item.get("note", "")
        if not isinstance(note, str):
            raise inputs.BadInput.field(f"{where}.note", "应为文字。")
        try:
            note = inputs.plain(note, max_length=_NOTE_LENGTH)
        except ValueError as error:
            raise inputs.BadInput.field(f"{where}.note", str(error)) from None
        if pk in rows:
            raise inputs.BadInput.field(f"{where}.id", "同一摄像头重复出现。")
        rows[pk] = (status, note)
    return rows


@csrf_exempt  # a machine with a key, never a browser session: there is no cookie to forge
@require_http_methods(["POST"])
def status(request: HttpRequest) -> JsonResponse:
    """POST {"day": "YYYY-MM-DD" (today or yesterday; default today), "cameras": [{"id", "status",
    "note"?}]} → {"saved": n}; 401 without a valid key; 400 {"error", "message", "fields"} with
    nothing saved."""
    header = request.headers.get("Authorization", "")
    institution = (
        institution_by_key(header.removeprefix("Bearer ").strip()) if header.startswith("Bearer ") else None
    )
    if institution is None:
        return _json({"error": "not_authenticated", "message": "接入密钥无效或已更换。"}, status=401)
    try:
        body = inputs.json_object(request)
        raw_day = body.get("day", clock.today().isoformat())
        if not isinstance(raw_day, str):
            raise inputs.BadInput.field("day", "应为日期，格式如 2026-03-01。")
        try:
            day = inputs.date(raw_day)
        except ValueError as error:
            raise inputs.BadInput.field("day", str(error)) from None
        rows = _rows(body)
    except inputs.BadInput as error:
        return _bad(error.message, code=error.code, fields=error.fields)
    try:
        saved = status_post(institution=institution, day=day, rows=rows)
    except DomainError as error:
        fields = {error.field: [error.message]} if error.field else {}
        return _bad(error.message, code=str(error.code), fields=fields)
    return _json({"saved": saved})
