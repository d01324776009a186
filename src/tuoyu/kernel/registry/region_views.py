"""The import pages for a county's regions and population: upload → every row's problems → confirm.
Nothing is written before a clean file is confirmed; the confirmation checks the file again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tuoyu.kernel.accounts.access import Act, permits, require_page
from tuoyu.kernel.registry import region_import as service
from tuoyu.kernel.registry.actions import IMPORT_POPULATION, IMPORT_REGIONS


@dataclass(frozen=True)
class _Import:
    kind: str  # the URL name and the session key
    act: Act
    title: str
    intro: str
    reason: str  # why a post without the act is refused
    unit: str  # what one row is counted as
    columns: tuple[service.Column, ...]
    notes: dict[str, str]  # per column key: what it holds
    preview: Callable[..., service.Preview]
    apply: Callable[..., service.Summary]


REGIONS = _Import(
    kind="import_regions",
    act=IMPORT_REGIONS,
    title="导入街道（镇）和社区（村）",
    intro="县（区）须已在平台上。上传 .xlsx 或 .csv 文件，先逐行检查；没有任何错误时才能确认导入，"
    "确认后一次性全部写入。再次导入同一文件不会产生任何变化。",
    reason="街道（镇）和社区（村）由本辖区的平台管理员导入。",
    unit="个",
    columns=service.REGION_COLUMNS,
    notes={
        "code": "街道（镇）9位，以所属县（区）的6位代码开头；社区（村）12位，以所属街道（镇）的9位代码开头",
        "name": "如 云溪街道、望江社区",
        "parent_code": "街道（镇）填所属县（区）代码，社区（村）填所属街道（镇）代码；上级可在本文件中一并导入",
        "area_type": "新建居住区、老城区和已建成居住区 或 农村地区；留空则不修改平台上已有的类型",
    },
    preview=service.regions_preview,
    apply=service.regions_apply,
)
POPULATION = _Import(
    kind="import_population",
    act=IMPORT_POPULATION,
    title="导入人口数据",
    intro="每行一个区划一年的常住人口和3岁以下婴幼儿数，是每千人口托位数和规划目标的分母。区划须已在平台上且在您的辖区内。"
    "已有的同一区划同一年份数据，数字不同时以文件为准，相同时不作改动。",
    reason="人口数据由本辖区的卫生健康部门或平台管理员导入。",
    unit="条",
    columns=service.POPULATION_COLUMNS,
    notes={
        "code": "县（区）6位、街道（镇）9位或社区（村）12位",
        "year": f"{service.FIRST_YEAR}年至明年之间的四位年份",
        "population": "不小于0的整数",
        "under3": "不小于0、不超过常住人口的整数",
    },
    preview=service.population_preview,
    apply=service.population_apply,
)


@login_required
@require_http_methods(["GET", "POST"])
def import_regions(request: HttpRequest) -> HttpResponse:
    return _page(request, REGIONS)


@login_required
@require_http_methods(["GET", "POST"])
def import_population(request: HttpRequest) -> HttpResponse:
    return _page(request, POPULATION)


def _page(request: HttpRequest, spec: _Import) -> HttpResponse:
    require_page(request.user, permits(request.user, spec.act), spec.reason)
    context = _context(spec)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, spec)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size > settings.TUOYU_UPLOAD_MAX_BYTES:
            messages.error(request, "请选择不超过上传大小限制的 .xlsx 或 .csv 文件。")
            return redirect(f"registry:{spec.kind}")
        content = upload.read()
        result = spec.preview(actor=request.actor, name=upload.name, content=content)
        context["preview"] = result
        if result.clean and result.summary.changes_anything:
            digest = hashlib.sha256(content).hexdigest()
            path = default_storage.save(
                f"imports/{digest}{Path(upload.name).suffix.lower()}", ContentFile(content)
            )
            request.session[spec.kind] = {"path": path, "name": upload.name, "digest": digest}
            context["digest"] = digest
    status = 400 if "preview" in context and not context["preview"].clean else 200
    return render(request, "registry/region_import.html", context, status=status)


def _context(spec: _Import, preview: service.Preview | None = None) -> dict:
    context: dict = {
        "spec": spec,
        "columns": [(c.label, c.required, spec.notes.get(c.key, "")) for c in spec.columns],
    }
    if preview is not None:
        context["preview"] = preview
    return context


def _confirm(request: HttpRequest, spec: _Import) -> HttpResponse:
    stored = request.session.get(spec.kind)
    if not stored or stored["digest"] != request.POST.get("digest"):
        messages.error(request, "导入文件已失效，请重新上传。")
        return redirect(f"registry:{spec.kind}")
    with default_storage.open(stored["path"]) as handle:
        content = handle.read()
    default_storage.delete(stored["path"])
    del request.session[spec.kind]
    # Checked again: the platform may have changed since the preview.
    result = spec.preview(actor=request.actor, name=stored["name"], content=content)
    if not result.clean:
        messages.error(
            request, "平台上的数据在检查之后发生了变化，未导入任何数据。请核对下列问题后重新上传。"
        )
        return render(request, "registry/region_import.html", _context(spec, result), status=400)
    try:
        summary = spec.apply(actor=request.actor, result=result)
    except service.ImportRefused as error:
        messages.error(request, f"{error}。")
        return redirect(f"registry:{spec.kind}")
    messages.success(request, f"导入完成：{summary.text(spec.unit)}。")
    return redirect(f"registry:{spec.kind}")
