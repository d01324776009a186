"""The cameras pages: the manager's register and day form, the regulator's overview."""

import datetime as dt

from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.cameras.models import Camera, CameraDay, Status, VideoSystem

TODAY = clock.today()


def _register(client, world, **extra):
    data = {
        "name": "托小1班活动室",
        "area": "activity",
        "care_class": world.class_a.pk,
        "armed_24h": "on",
        "armed_hours": "",
        "retention_days": "90",
        "installed_on": (TODAY - dt.timedelta(days=3)).isoformat(),
        **extra,
    }
    return client.post(reverse("cameras:new", args=[world.inst_a.pk]), data)


def test_the_menu_takes_a_manager_to_their_register(world, login):
    client = login(world.user("manager_a"))
    answer = client.get(reverse("cameras:today"))
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "cameras:institution", args=[world.inst_a.pk]
    )


def test_a_manager_registers_a_camera_and_confirms_the_day(world, login):
    client = login(world.user("manager_a"))
    assert _register(client, world).status_code == 302
    camera = Camera.objects.get()
    page = client.get(reverse("cameras:institution", args=[world.inst_a.pk])).content.decode()
    assert 'data-qa="camera-day-form"' in page and "托小1班活动室" in page
    url = reverse("cameras:day", args=[world.inst_a.pk])
    saved = client.post(
        url, {"day": TODAY.isoformat(), f"c{camera.pk}-status": "offline", f"c{camera.pk}-note": "停电"}
    )
    assert saved.status_code == 302
    assert CameraDay.objects.get().status == Status.OFFLINE


def test_a_bad_camera_form_says_what_is_wrong_and_saves_nothing(world, login):
    client = login(world.user("manager_a"))
    answer = _register(client, world, armed_24h="", armed_hours="", retention_days="９０")
    assert answer.status_code == 400 and not Camera.objects.exists()
    assert "半角数字" in answer.content.decode()


def test_the_regulator_sees_the_county_s_overview_and_not_the_forms(world, login):
    client = login(world.user("manager_a"))
    _register(client, world)
    regulator = login(world.user("regulator_a"))
    overview = regulator.get(reverse("cameras:today")).content.decode()
    assert world.inst_a.name in overview and world.inst_b.name not in overview
    page = regulator.get(reverse("cameras:institution", args=[world.inst_a.pk])).content.decode()
    assert (
        "托小1班活动室" in page
        and 'data-qa="camera-day-form"' not in page
        and 'data-qa="issue-key"' not in page
    )
    assert regulator.get(reverse("cameras:institution", args=[world.inst_b.pk])).status_code == 404


def test_a_family_is_told_the_register_is_not_theirs(world, login):
    answer = login(world.user("guardian_a")).get(reverse("cameras:today"))
    assert answer.status_code == 403 and "视频监控" in answer.content.decode()


def test_the_key_is_shown_once_and_never_cached(world, login):
    client = login(world.user("manager_a"))
    answer = client.post(reverse("cameras:key", args=[world.inst_a.pk]))
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    assert 'data-qa="issued-key"' in answer.content.decode()
    page = client.get(reverse("cameras:institution", args=[world.inst_a.pk])).content.decode()
    assert VideoSystem.objects.get().key_hint in page and "tyv_" not in page


def test_an_institution_name_reaches_the_overview_as_text(world, login):
    world.inst_a.__class__.objects.filter(pk=world.inst_a.pk).update(name="<script>alert(1)</script>托育园")
    page = login(world.user("regulator_a")).get(reverse("cameras:today")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
