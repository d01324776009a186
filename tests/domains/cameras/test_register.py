"""The camera register: coverage of every class, 24-hour arming, retention and daily status read
into the policy findings with their clauses; only the institution's manager keeps it."""

import datetime as dt

import pytest
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.cameras.coverage import coverage
from tuoyu.domains.cameras.models import Area, Camera, CameraDay, Status, VideoSystem
from tuoyu.domains.cameras.services import (
    camera_retire,
    camera_save,
    day_confirm,
    live_view_set,
    silent_remind,
)
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.messaging.models import OutboxMessage, Topic
from tuoyu.kernel.people.facts import institution_facts
from tuoyu.kernel.people.standards import institution_findings
from tuoyu.kernel.registry.models import Institution

TODAY = clock.today()
YESTERDAY = TODAY - dt.timedelta(days=1)
A_WEEK_AGO = TODAY - dt.timedelta(days=7)


def _camera(world, persona="manager_a", **values):
    values = {
        "name": "托小1班活动室",
        "area": Area.ACTIVITY,
        "care_class": world.class_a,
        "armed_24h": True,
        "armed_hours": "",
        "retention_days": 90,
        "installed_on": A_WEEK_AGO,
        **values,
    }
    return camera_save(actor=Actor(user=world.user(persona)), institution=world.inst_a, values=values)


def _no_outdoor(world):
    Institution.objects.filter(pk=world.inst_a.pk).update(outdoor_area_m2=None)
    world.inst_a.refresh_from_db()


def _surveillance(institution):
    return next(f for f in institution_findings(institution) if f["rule"] == "video.surveillance")


def test_a_registered_camera_replaces_the_ledger_s_video_declaration(world):
    _no_outdoor(world)
    Institution.objects.filter(pk=world.inst_a.pk).update(
        video_retention_days=30, video_covers_child_areas=False
    )
    camera = _camera(world, retention_days=120)
    day_confirm(
        actor=Actor(user=world.user("manager_a")),
        institution=world.inst_a,
        day=YESTERDAY,
        rows={camera.pk: (Status.NORMAL, "")},
    )
    video = institution_facts(Institution.objects.get(pk=world.inst_a.pk))["video"]
    assert video["covers_child_areas"] is True
    assert video["armed_24h"] is True and video["retention_days"] == 120 and video["silent_cameras"] == 0
    assert AuditEvent.objects.filter(model="cameras.camera", verb="create").count() == 1


def test_a_class_without_a_camera_is_a_finding_citing_the_clause(world):
    _no_outdoor(world)
    second = world.class_a.__class__.objects.create(
        institution=world.inst_a, name="托大1班", class_type="older_toddler"
    )
    _camera(world)
    cover = coverage(world.inst_a, TODAY)
    assert [c.name for c in cover.uncovered_classes] == [second.name]
    finding = _surveillance(Institution.objects.get(pk=world.inst_a.pk))
    assert finding["status"] == "fail" and "未覆盖婴幼儿生活和活动区域" in finding["message"]
    assert finding["source"]["clause"]


def test_an_outdoor_area_needs_its_own_camera(world):
    Institution.objects.filter(pk=world.inst_a.pk).update(outdoor_area_m2=120)
    world.inst_a.refresh_from_db()
    _camera(world)
    assert coverage(world.inst_a, TODAY).outdoor_uncovered
    _camera(world, name="户外场地", area=Area.OUTDOOR, care_class=None)
    assert not coverage(world.inst_a, TODAY).outdoor_uncovered


def test_retention_below_the_profile_and_part_time_arming_are_findings(world):
    _no_outdoor(world)
    short = _camera(world, retention_days=30)
    part = _camera(world, name="睡眠室", area=Area.SLEEP, armed_24h=False, armed_hours="07:00—19:00")
    cover = coverage(world.inst_a, TODAY)
    assert cover.short_retention == [short] and cover.not_armed == [part]
    assert int(cover.min_retention.value) == 90 and cover.min_retention.source.clause
    message = _surveillance(Institution.objects.get(pk=world.inst_a.pk))["message"]
    assert "录像保存 30 天（少于 90 天）" in message and "未24小时设防" in message


def test_a_camera_silent_yesterday_fails_and_the_manager_is_told_once(world):
    _no_outdoor(world)
    camera = _camera(world)
    assert coverage(world.inst_a, TODAY).silent == [camera]
    finding = _surveillance(Institution.objects.get(pk=world.inst_a.pk))
    assert finding["status"] == "fail" and "1 个摄像头前一日无正常运行记录" in finding["message"]
    assert silent_remind(TODAY) == 1 and silent_remind(TODAY) == 0
    told = OutboxMessage.objects.get(topic=Topic.CAMERA_SILENT)
    assert told.recipients == [world.user("manager_a").pk] and camera.name in told.body
    # a camera reported faulty is silent too; reported normal it is not
    day_confirm(
        actor=Actor(user=world.user("manager_a")),
        institution=world.inst_a,
        day=YESTERDAY,
        rows={camera.pk: (Status.FAULT, "断电")},
    )
    assert coverage(world.inst_a, TODAY).silent == [camera]
    day_confirm(
        actor=Actor(user=world.user("manager_a")),
        institution=world.inst_a,
        day=YESTERDAY,
        rows={camera.pk: (Status.NORMAL, "")},
    )
    assert coverage(world.inst_a, TODAY).silent == []


def test_a_camera_installed_today_is_not_silent_yet(world):
    _camera(world, installed_on=TODAY)
    assert coverage(world.inst_a, TODAY).silent == []


def test_a_day_saved_again_unchanged_records_nothing(world):
    camera = _camera(world)
    actor = Actor(user=world.user("manager_a"))
    rows = {camera.pk: (Status.OFFLINE, "网络中断")}
    assert len(day_confirm(actor=actor, institution=world.inst_a, day=TODAY, rows=rows)) == 1
    assert day_confirm(actor=actor, institution=world.inst_a, day=TODAY, rows=rows) == []
    assert AuditEvent.objects.filter(model="cameras.cameraday").count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"installed_on": TODAY + dt.timedelta(days=1)}, "启用日期不能晚于今天"),
        ({"armed_24h": False, "armed_hours": ""}, "请填写设防时段"),
        ({"retention_days": 0}, "录像保存天数应在 1 至 3650 天之间"),
        ({"name": "摄像头\u202e"}, "改变文字方向的控制字符"),
    ],
)
def test_bad_cameras_are_refused_in_chinese_and_nothing_is_saved(world, values, message):
    with pytest.raises(DomainError, match=message):
        _camera(world, **values)
    assert not Camera.objects.exists() and not AuditEvent.objects.exists()


def test_a_class_of_another_institution_cannot_be_chosen(world):
    with pytest.raises(DomainError, match="不属于本机构"):
        _camera(world, care_class=world.class_b)
    assert not Camera.objects.exists()


def test_a_day_is_all_or_nothing(world):
    camera = _camera(world)
    later = _camera(world, name="新装", installed_on=TODAY)
    with pytest.raises(DomainError, match="未在用"):
        day_confirm(
            actor=Actor(user=world.user("manager_a")),
            institution=world.inst_a,
            day=YESTERDAY,
            rows={camera.pk: (Status.NORMAL, ""), later.pk: (Status.NORMAL, "")},
        )
    assert not CameraDay.objects.exists()


def test_a_retired_camera_leaves_the_check_and_keeps_its_days(world):
    camera = _camera(world)
    actor = Actor(user=world.user("manager_a"))
    day_confirm(actor=actor, institution=world.inst_a, day=YESTERDAY, rows={camera.pk: (Status.NORMAL, "")})
    camera_retire(actor=actor, camera=camera, on=TODAY)
    assert not coverage(world.inst_a, TODAY).registered
    assert CameraDay.objects.filter(camera=camera).exists()
    with pytest.raises(DomainError, match="已于"):
        camera_retire(actor=actor, camera=camera, on=TODAY)


@pytest.mark.parametrize("persona", ["manager_b", "caregiver_a", "regulator_a", "police_a", "guardian_a"])
def test_only_the_institution_s_manager_keeps_the_register_and_a_refusal_changes_nothing(world, persona):
    with pytest.raises(AccessDenied):
        _camera(world, persona=persona)
    camera = _camera(world)
    with pytest.raises(AccessDenied):
        day_confirm(
            actor=Actor(user=world.user(persona)),
            institution=world.inst_a,
            day=TODAY,
            rows={camera.pk: (Status.FAULT, "")},
        )
    with pytest.raises(AccessDenied):
        live_view_set(
            actor=Actor(user=world.user(persona)), institution=world.inst_a, url="https://v.example.cn/a"
        )
    assert Camera.objects.count() == 1 and not CameraDay.objects.exists() and not VideoSystem.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://v.example.cn/live", "ftp://v.example.cn"])
def test_the_live_view_must_be_an_https_address(world, url):
    with pytest.raises(DomainError):
        live_view_set(actor=Actor(user=world.user("manager_a")), institution=world.inst_a, url=url)
    assert not VideoSystem.objects.filter(live_view_url__gt="").exists()


def test_a_live_view_reaches_the_child_s_guardians_only(world, login):
    live_view_set(
        actor=Actor(user=world.user("manager_a")), institution=world.inst_a, url="https://v.example.cn/a"
    )
    assert institution_facts(Institution.objects.get(pk=world.inst_a.pk))["video"]["parent_live_view"] is None
    _camera(world)
    assert institution_facts(Institution.objects.get(pk=world.inst_a.pk))["video"]["parent_live_view"] is True
    mine = login(world.user("guardian_a")).get(reverse("home")).content.decode()
    assert 'data-qa="live-view-link"' in mine and "https://v.example.cn/a" in mine
    theirs = login(world.user("guardian_b")).get(reverse("home")).content.decode()
    assert "v.example.cn" not in theirs


def test_reported_maintenance_is_an_interruption_with_a_cause(world):
    camera = _camera(world)
    day_confirm(
        actor=Actor(user=world.user("manager_a")),
        institution=world.inst_a,
        day=YESTERDAY,
        rows={camera.pk: (Status.MAINTENANCE, "更换硬盘")},
    )
    assert coverage(world.inst_a, TODAY).silent == []


def test_a_camera_of_a_class_closed_since_can_still_be_saved_unchanged(world):
    camera = _camera(world)
    world.class_a.__class__.objects.filter(pk=world.class_a.pk).update(closed_on=YESTERDAY)
    saved = camera_save(
        actor=Actor(user=world.user("manager_a")),
        institution=world.inst_a,
        camera=camera,
        values={"care_class": world.class_a.__class__.objects.get(pk=world.class_a.pk)},
    )
    assert saved.care_class_id == world.class_a.pk
    assert not AuditEvent.objects.filter(model="cameras.camera", verb="update").exists()


def test_an_empty_live_view_saved_first_creates_nothing(world):
    live_view_set(actor=Actor(user=world.user("manager_a")), institution=world.inst_a, url="")
    assert not VideoSystem.objects.exists() and not AuditEvent.objects.exists()
