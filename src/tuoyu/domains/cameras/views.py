"""Pages of the camera register: an institution's cameras and their days, and a jurisdiction's overview."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu import clock, inputs
from tuoyu.domains.cameras.actions import KEEP_CAMERAS
from tuoyu.domains.cameras.coverage import coverage, coverage_of
from tuoyu.domains.cameras.forms import CameraForm, DayForm, LiveViewForm, RetireForm
from tuoyu.domains.cameras.models import Camera, CameraDay, Status, VideoSystem
from tuoyu.domains.cameras.services import (
    camera_retire,
    camera_save,
    day_confirm,
    key_issue,
    live_view_set,
)
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied, can_list, get_for, permits, require_page, scoped
from tuoyu.kernel.registry.models import Institution
from tuoyu.kernel.registry.models import Status as InstitutionStatus
from tuoyu.kernel.registry.own_institution import to_own_institution

HISTORY_DAYS = 7


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The menu's way in: a manager's own register; a regulator's overview of the jurisdiction."""
    if permits(request.user, KEEP_CAMERAS):
        return to_own_institution(request, KEEP_CAMERAS, "cameras:institution", "视频监控由机构负责人登记。")
    return overview(request)


def overview(request: HttpRequest) -> HttpResponse:
    require_page(request.user, can_list(request.user, Camera), "本账号不查看机构的视频监控。")
    on = clock.today()
    places = scoped(
        request.user,
        Institution.objects.filter(status__in=[InstitutionStatus.FILED, InstitutionStatus.SUSPENDED]),
    ).select_related("subdistrict")
    covers = sorted(
        coverage_of(places, on).values(),
        key=lambda c: (c.registered, -c.problems, c.institution.name),
    )
    context = {
        "page": Paginator(covers, 50).get_page(request.GET.get("page")),
        "total": len(covers),
        "unregistered": sum(not c.registered for c in covers),
        "with_problems": sum(c.registered and c.problems > 0 for c in covers),
        "on": on,
    }
    return render(request, "cameras/overview.html", context)


def _institution(request: HttpRequest, pk: int) -> Institution:
    place = get_for(request.user, Institution.objects.select_related("subdistrict"), pk)
    require_page(request.user, can_list(request.user, Camera), "本账号不查看机构的视频监控。")
    return place


def _history(cameras: list[Camera], on: dt.date) -> tuple[list[dt.date], dict[int, list]]:
    days = [on - dt.timedelta(days=n) for n in range(HISTORY_DAYS - 1, -1, -1)]
    found = {
        (r.camera_id, r.day): r
        for r in CameraDay.objects.filter(camera__in=cameras, day__gte=days[0], day__lte=on)
    }
    return days, {c.pk: [(d, found.get((c.pk, d)), c.in_service(d)) for d in days] for c in cameras}


def _page(
    request: HttpRequest,
    place: Institution,
    *,
    on: dt.date | None = None,
    day_form: DayForm | None = None,
    status: int = 200,
    **extra,
) -> HttpResponse:
    today_ = clock.today()
    on = on or min(inputs.query_date(request, "date", default=today_), today_)
    cover = coverage(place, today_)
    keeps = permits(request.user, KEEP_CAMERAS, place)
    in_service = list(
        Camera.objects.filter(institution=place, installed_on__lte=on)
        .exclude(retired_on__lte=on)
        .select_related("care_class")
    )
    if day_form is None and keeps:
        recorded = {r.camera_id: r for r in CameraDay.objects.filter(camera__in=in_service, day=on)}
        day_form = DayForm(cameras=in_service, recorded=recorded, initial={"day": on})
    cameras = list(Camera.objects.filter(institution=place).select_related("care_class"))
    days, history = _history(cameras, today_)
    system = VideoSystem.objects.filter(institution=place).first()
    context = {
        "institution": place,
        "cover": cover,
        "keeps": keeps,
        "cameras": [(c, history[c.pk]) for c in cameras],
        "days": days,
        "on": on,
        "is_today": on == today_,
        "yesterday": today_ - dt.timedelta(days=1),
        "today": today_,
        "day_form": day_form,
        "system": system,
        "live_form": extra.pop("live_form", None) or LiveViewForm(instance=system or VideoSystem()),
        "normal": Status.NORMAL,
        **extra,
    }
    return render(request, "cameras/institution.html", context, status=status)


@login_required
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _institution(request, pk))


def _keeping(request: HttpRequest, pk: int) -> Institution:
    place = _institution(request, pk)
    if not permits(request.user, KEEP_CAMERAS, place):
        raise PermissionDenied
    return place


@login_required
@require_POST
def day(request: HttpRequest, pk: int) -> HttpResponse:
    place = _keeping(request, pk)
    try:
        on = inputs.date(request.POST.get("day", ""))
    except ValueError:
        on = clock.today()  # the form then says what is wrong with the day
    cameras = list(Camera.objects.filter(institution=place, installed_on__lte=on).exclude(retired_on__lte=on))
    form = DayForm(request.POST, cameras=cameras, recorded={})
    if form.is_valid():
        try:
            saved = day_confirm(
                actor=request.actor, institution=place, day=form.cleaned_data["day"], rows=form.rows()
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except AccessDenied:
            raise PermissionDenied from None
        else:
            messages.success(
                request, f"已保存 {form.cleaned_data['day']:%Y-%m-%d} 的运行状态（{len(saved)} 条有变化）。"
            )
            back = reverse("cameras:institution", args=[place.pk])
            return redirect(f"{back}?date={form.cleaned_data['day']:%Y-%m-%d}")
    return _page(request, place, on=on, day_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def camera_new(request: HttpRequest, pk: int) -> HttpResponse:
    place = _keeping(request, pk)
    return _camera_form(request, place, None)


@login_required
@require_http_methods(["GET", "POST"])
def camera_edit(request: HttpRequest, pk: int) -> HttpResponse:
    camera = get_for(request.user, Camera.objects.select_related("institution__subdistrict"), pk)
    place = camera.institution
    if not permits(request.user, KEEP_CAMERAS, place):
        raise PermissionDenied
    return _camera_form(request, place, camera)


def _camera_form(request: HttpRequest, place: Institution, camera: Camera | None) -> HttpResponse:
    form = CameraForm(
        request.POST or None,
        instance=camera,
        institution=place,
        initial={} if camera else {"installed_on": clock.today(), "retention_days": 90},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = camera_save(
                actor=request.actor, institution=place, values=form.cleaned_data, camera=camera
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except AccessDenied:
            raise PermissionDenied from None
        else:
            messages.success(request, f"已保存摄像头“{saved.name}”。")
            return redirect("cameras:institution", place.pk)
    context = {"institution": place, "camera": camera, "form": form, "retire_form": RetireForm()}
    return render(request, "cameras/camera_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def camera_retire_view(request: HttpRequest, pk: int) -> HttpResponse:
    camera = get_for(request.user, Camera.objects.select_related("institution__subdistrict"), pk)
    place = camera.institution
    if not permits(request.user, KEEP_CAMERAS, place):
        raise PermissionDenied
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            camera_retire(actor=request.actor, camera=camera, on=form.cleaned_data["retired_on"])
        except DomainError as error:
            form.add_error("retired_on" if error.field == "retired_on" else None, error.message)
        except AccessDenied:
            raise PermissionDenied from None
        else:
            messages.success(request, f"摄像头“{camera.name}”已停用。")
            return redirect("cameras:institution", place.pk)
    context = {
        "institution": place,
        "camera": camera,
        "form": CameraForm(instance=camera, institution=place),
        "retire_form": form,
    }
    return render(request, "cameras/camera_form.html", context, status=400)


@login_required
@require_POST
def live_view(request: HttpRequest, pk: int) -> HttpResponse:
    place = _keeping(request, pk)
    system = VideoSystem.objects.filter(institution=place).first()
    form = LiveViewForm(request.POST, instance=system or VideoSystem(institution=place))
    if form.is_valid():
        try:
            live_view_set(actor=request.actor, institution=place, url=form.cleaned_data["live_view_url"])
        except DomainError as error:
            form.add_error("live_view_url", error.message)
        except AccessDenied:
            raise PermissionDenied from None
        else:
            messages.success(request, "已保存家长实时查看地址。")
            return redirect("cameras:institution", place.pk)
    return _page(request, place, live_form=form, status=400)


@login_required
@require_POST
def key(request: HttpRequest, pk: int) -> HttpResponse:
    place = _keeping(request, pk)
    try:
        issued = key_issue(actor=request.actor, institution=place)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cameras:institution", place.pk)
    except AccessDenied:
        raise PermissionDenied from None
    # Shown on this response only; the page is not cached and the key is never stored in clear.
    response = render(request, "cameras/key.html", {"institution": place, "key": issued})
    response["Cache-Control"] = "no-store"
    return response
