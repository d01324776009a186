"""Keeping the camera register, the daily status and the video system's key; telling managers of
cameras that fell silent.

Every change is audited and all or nothing; a refused call changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.cameras.actions import KEEP_CAMERAS
from tuoyu.domains.cameras.coverage import coverage_of
from tuoyu.domains.cameras.models import CLASS_ROOMS, Camera, CameraDay, Source, VideoSystem
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied, authorize
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import notify
from tuoyu.kernel.people.models import CareClass
from tuoyu.kernel.people.selectors import institution_managers
from tuoyu.kernel.registry.models import Institution
from tuoyu.kernel.registry.models import Status as InstitutionStatus

# A video system may post the day before as well as today (a nightly job reports the day that ended).
POST_DAYS_BACK = 1
KEY_PREFIX = "tyv_"


class CameraError(StrEnum):
    CLASS_ELSEWHERE = "class_elsewhere"
    CLASS_CLOSED = "class_closed"
    HOURS_MISSING = "hours_missing"
    FUTURE = "future"
    RETIRED = "retired"
    BAD_VALUE = "bad_value"
    NOT_IN_SERVICE = "not_in_service"
    UNKNOWN_CAMERA = "unknown_camera"
    TOO_OLD = "too_old"
    CLOSED = "closed"


_FIELDS = ("name", "area", "care_class", "armed_24h", "armed_hours", "retention_days", "installed_on")


def _locked(institution: Institution) -> Institution:
    current = (
        Institution.objects.select_for_update(of=("self",))
        .select_related("subdistrict")
        .get(pk=institution.pk)
    )
    if current.status == InstitutionStatus.CLOSED:
        raise DomainError(CameraError.CLOSED, f"{current.name}已注销，不再登记摄像头。")
    return current


def _check(camera: Camera, institution: Institution, stored_class: int | None) -> None:
    if camera.installed_on > clock.today():
        raise DomainError(CameraError.FUTURE, "启用日期不能晚于今天。", field="installed_on")
    # A class chosen anew must be the institution's and open; the one already stored may have
    # closed since, and the camera can still be edited (it then no longer covers an open class).
    if camera.care_class_id is not None and camera.care_class_id != stored_class:
        care_class = CareClass.objects.filter(pk=camera.care_class_id).first()
        if care_class is None or care_class.institution_id != institution.pk:
            raise DomainError(CameraError.CLASS_ELSEWHERE, "所选班级不属于本机构。", field="care_class")
        if care_class.closed_on is not None and care_class.closed_on <= clock.today():
            raise DomainError(CameraError.CLASS_CLOSED, f"{care_class.name}已撤销。", field="care_class")
    if camera.area not in CLASS_ROOMS:
        camera.care_class = None  # only a class's own rooms belong to it
    if camera.armed_24h:
        camera.armed_hours = ""
    elif not camera.armed_hours:
        raise DomainError(CameraError.HOURS_MISSING, "未24小时设防的，请填写设防时段。", field="armed_hours")
    try:
        camera.full_clean(exclude=["institution", "care_class"])
    except ValidationError as error:
        raise DomainError(CameraError.BAD_VALUE, "；".join(error.messages)) from None


def camera_save(
    *, actor: Actor, institution: Institution, values: Mapping[str, Any], camera: Camera | None = None
) -> Camera:
    """Register a camera, or change one already registered (``camera``)."""
    with transaction.atomic():
        current = _locked(institution)
        authorize(actor, KEEP_CAMERAS, current)
        if camera is not None:
            row = Camera.objects.select_for_update().get(pk=camera.pk)
            if row.institution_id != current.pk:
                raise AccessDenied
            if row.retired_on is not None:
                raise DomainError(CameraError.RETIRED, f"{row.name}已停用，不能再修改。")
            before = snapshot(row)
        else:
            row, before = Camera(institution=current), None
        stored_class = row.care_class_id
        for name in _FIELDS:
            if name in values:
                setattr(row, name, values[name])
        _check(row, current, stored_class)
        if before is not None and snapshot(row) == before:
            return row  # saved again unchanged
        row.save()
        record(actor, Verb.UPDATE if before else Verb.CREATE, row, before=before)
    return row


def camera_retire(*, actor: Actor, camera: Camera, on: dt.date) -> Camera:
    """Take a camera out of service from ``on`` (removed, replaced); its days stay on record."""
    with transaction.atomic():
        current = _locked(camera.institution)
        authorize(actor, KEEP_CAMERAS, current)
        row = Camera.objects.select_for_update().get(pk=camera.pk)
        if row.institution_id != current.pk:
            raise AccessDenied
        if row.retired_on is not None:
            raise DomainError(CameraError.RETIRED, f"{row.name}已于{row.retired_on:%Y-%m-%d}停用。")
        if on > clock.today():
            raise DomainError(CameraError.FUTURE, "停用日期不能晚于今天。", field="retired_on")
        if on <= row.installed_on:
            raise DomainError(CameraError.BAD_VALUE, "停用日期应晚于启用日期。", field="retired_on")
        before = snapshot(row)
        row.retired_on = on
        row.save(update_fields=["retired_on"])
        record(actor, Verb.UPDATE, row, before=before, note=f"停用摄像头{row.name}")
    return row


def _day_rows(
    institution: Institution,
    day: dt.date,
    rows: Mapping[int, tuple[str, str]],
    source: Source,
    actor: Actor,
) -> list[CameraDay]:
    if day > clock.today():
        raise DomainError(CameraError.FUTURE, "日期不能晚于今天。", field="day")
    cameras = {c.pk: c for c in Camera.objects.filter(institution=institution)}
    unknown = [pk for pk in rows if pk not in cameras]
    if unknown:
        raise DomainError(CameraError.UNKNOWN_CAMERA, f"本机构没有编号为 {unknown[0]} 的摄像头。")
    existing = {r.camera_id: r for r in CameraDay.objects.filter(camera_id__in=list(rows), day=day)}
    saved = []
    for pk, (status, note) in rows.items():
        camera = cameras[pk]
        if not camera.in_service(day):
            raise DomainError(
                CameraError.NOT_IN_SERVICE, f"{camera.name}在 {day:%Y-%m-%d} 未在用。", field=f"c{pk}-status"
            )
        row = existing.get(pk)
        if row is not None and (row.status, row.note) == (status, note):
            continue  # the same again: nothing to record
        before = snapshot(row) if row is not None else None
        row = row or CameraDay(camera=camera, day=day)
        row.status, row.note, row.source = status, note, source
        row.recorded_by, row.recorded_at = actor.user, clock.now()
        try:
            row.full_clean(exclude=["camera", "recorded_by"], validate_constraints=False)
        except ValidationError as error:
            raise DomainError(
                CameraError.BAD_VALUE, f"{camera.name}：{'；'.join(error.messages)}", field=f"c{pk}-status"
            ) from None
        row.save()
        record(actor, Verb.UPDATE if before else Verb.CREATE, row, before=before)
        saved.append(row)
    return saved


def day_confirm(
    *, actor: Actor, institution: Institution, day: dt.date, rows: Mapping[int, tuple[str, str]]
) -> list[CameraDay]:
    """The institution confirms how each camera ran on a day: ``rows`` maps a camera to its status
    and a note. All or nothing."""
    with transaction.atomic():
        current = _locked(institution)
        authorize(actor, KEEP_CAMERAS, current)
        return _day_rows(current, day, rows, Source.CONFIRMED, actor)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_issue(*, actor: Actor, institution: Institution) -> str:
    """A new key for the institution's video system (the old one stops working). Returned once;
    only its hash is kept."""
    with transaction.atomic():
        current = _locked(institution)
        authorize(actor, KEEP_CAMERAS, current)
        system, _ = VideoSystem.objects.select_for_update().get_or_create(institution=current)
        before = snapshot(system)
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        system.key_hash, system.key_hint, system.key_issued_at = key_hash(key), key[-4:], clock.now()
        system.save()
        record(actor, Verb.UPDATE, system, before=before, note="生成视频系统接入密钥")
    return key


def institution_by_key(key: str) -> Institution | None:
    """The institution whose video system holds this key, or None."""
    if not key.startswith(KEY_PREFIX):
        return None
    digest = key_hash(key)
    system = VideoSystem.objects.select_related("institution__subdistrict").filter(key_hash=digest).first()
    if system is None or not hmac.compare_digest(system.key_hash, digest):
        return None
    return system.institution


def status_post(*, institution: Institution, day: dt.date, rows: Mapping[int, tuple[str, str]]) -> int:
    """The institution's video system reports its cameras' status for a day (today or yesterday).
    All or nothing; returns how many rows changed."""
    if day < clock.today() - dt.timedelta(days=POST_DAYS_BACK):
        raise DomainError(CameraError.TOO_OLD, "只能上报今天或昨天的运行状态。", field="day")
    with transaction.atomic():
        current = _locked(institution)
        return len(_day_rows(current, day, rows, Source.POSTED, Actor.system(f"{current.name}视频系统")))


def live_view_set(*, actor: Actor, institution: Institution, url: str) -> VideoSystem:
    """The address of the live view the institution's own video system offers parents ('' none)."""
    with transaction.atomic():
        current = _locked(institution)
        authorize(actor, KEEP_CAMERAS, current)
        system = VideoSystem.objects.select_for_update().filter(institution=current).first()
        if (system.live_view_url if system else "") == url:
            return system or VideoSystem(institution=current)
        system = system or VideoSystem(institution=current)
        before = snapshot(system) if system.pk else None
        system.live_view_url = url
        try:
            system.full_clean(exclude=["institution"])
        except ValidationError as error:
            raise DomainError(
                CameraError.BAD_VALUE, "；".join(error.messages), field="live_view_url"
            ) from None
        if url and not url.startswith("https://"):
            raise DomainError(
                CameraError.BAD_VALUE, "实时查看地址须以 https:// 开头。", field="live_view_url"
            )
        system.save()
        record(
            actor, Verb.UPDATE if before else Verb.CREATE, system, before=before, note="设置家长实时查看地址"
        )
    return system


def silent_remind(on: dt.date | None = None) -> int:
    """Tell each institution's managers of the cameras with no normal status yesterday, once per
    institution and day (N10: no interruption without cause). Returns notices queued."""
    on = on or clock.today()
    institutions = (
        Institution.objects.filter(cameras__isnull=False)
        .exclude(status=InstitutionStatus.CLOSED)
        .distinct()
        .select_related("subdistrict")
    )
    queued = 0
    with transaction.atomic():
        for pk, cover in coverage_of(institutions, on).items():
            if not cover.silent:
                continue
            institution = cover.institution
            names = "、".join(c.name for c in cover.silent[:5]) + ("等" if len(cover.silent) > 5 else "")
            armed = cover.armed_required
            basis = f"（依据 {armed.source.citation()}）" if armed is not None and armed.value else ""
            yesterday = on - dt.timedelta(days=1)
            sent = notify(
                users=institution_managers(institution),
                topic=Topic.CAMERA_SILENT,
                title=f"{yesterday:%m月%d日}有{len(cover.silent)}个摄像头无正常运行记录",
                body=(
                    f"{names}在 {yesterday:%Y-%m-%d} 没有正常运行的记录。监控应24小时设防、不得无故中断{basis}；"
                    "请检修，或在视频监控页补记当日状态并说明原因。"
                ),
                link=f"{reverse('cameras:institution', args=[pk])}?date={yesterday:%Y-%m-%d}#day",
                region_path=institution.subdistrict.path,
                key=f"cameras:silent:{pk}:{yesterday:%Y-%m-%d}",
            )
            queued += sent is not None
    return queued
