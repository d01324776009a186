"""The video system's door: a key reaches its own institution's cameras, bad input saves nothing."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.cameras.models import Area, Camera, CameraDay, Source, Status, VideoSystem
from tuoyu.domains.cameras.services import camera_save, key_issue
from tuoyu.kernel.accounts.actor import Actor

TODAY = clock.today()
URL = "/api/v1/cameras/status/"


@pytest.fixture
def cameras(world):
    actor = Actor(user=world.user("manager_a"))
    made = []
    for institution, name in (
        (world.inst_a, "甲活动室"),
        (world.inst_a, "甲睡眠室"),
        (world.inst_b, "乙活动室"),
    ):
        manager = actor if institution == world.inst_a else Actor(user=world.user("manager_b"))
        made.append(
            camera_save(
                actor=manager,
                institution=institution,
                values={
                    "name": name,
                    "area": Area.ACTIVITY,
                    "armed_24h": True,
                    "retention_days": 90,
                    "installed_on": TODAY - dt.timedelta(days=10),
                },
            )
        )
    return made


def _post(client, key, body):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


def test_the_route_is_the_documented_one():
    assert reverse("cameras:api_status") == URL


def test_a_video_system_posts_its_cameras_day_with_its_key(world, client, cameras):
    key = key_issue(actor=Actor(user=world.user("manager_a")), institution=world.inst_a)
    assert VideoSystem.objects.get(institution=world.inst_a).key_hash != key  # only the hash is kept
    body = {
        "cameras": [
            {"id": cameras[0].pk, "status": "normal"},
            {"id": cameras[1].pk, "status": "fault", "note": "镜头遮挡"},
        ]
    }
    answer = _post(client, key, body)
    assert answer.status_code == 200 and answer.json() == {"saved": 2}
    fault = CameraDay.objects.get(camera=cameras[1])
    assert (fault.status, fault.note, fault.source, fault.day) == (
        Status.FAULT,
        "镜头遮挡",
        Source.POSTED,
        TODAY,
    )
    assert _post(client, key, body).json() == {"saved": 0}  # the same again changes nothing


def test_a_new_key_retires_the_old_one(world, client, cameras):
    old = key_issue(actor=Actor(user=world.user("manager_a")), institution=world.inst_a)
    key_issue(actor=Actor(user=world.user("manager_a")), institution=world.inst_a)
    answer = _post(client, old, {"cameras": [{"id": cameras[0].pk, "status": "normal"}]})
    assert answer.status_code == 401 and "密钥" in answer.json()["message"]


@pytest.mark.parametrize("key", ["", "tyv_not-a-key", "Basic abc"])
def test_without_a_valid_key_nothing_is_saved(world, client, cameras, key):
    answer = _post(client, key, {"cameras": [{"id": cameras[0].pk, "status": "normal"}]})
    assert answer.status_code == 401 and not CameraDay.objects.exists()


def test_a_key_does_not_reach_another_institution_s_cameras(world, client, cameras):
    key = key_issue(actor=Actor(user=world.user("manager_a")), institution=world.inst_a)
    body = {"cameras": [{"id": cameras[0].pk, "status": "normal"}, {"id": cameras[2].pk, "status": "normal"}]}
    answer = _post(client, key, body)
    assert answer.status_code == 400 and "没有编号为" in answer.json()["message"]
    assert not CameraDay.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cameras": []}, "cameras"),
        ({"cameras": [{"id": "1", "status": "normal"}]}, "cameras[0].id"),
        ({"cameras": [{"id": True, "status": "normal"}]}, "cameras[0].id"),
        ({"cameras": [{"id": 1, "status": "broken"}]}, "cameras[0].status"),
        ({"cameras": [{"id": 1, "status": "normal", "note": "\u202e"}]}, "cameras[0].note"),
        ({"day": "2026-13-01", "cameras": [{"id": 1, "status": "normal"}]}, "day"),
        ({"day": 20261201, "cameras": [{"id": 1, "status": "normal"}]}, "day"),
    ],
)
def test_bad_input_is_named_field_by_field_in_chinese(world, client, cameras, body, field):
    key = key_issue(actor=Actor(user=world.user("manager_a")), institution=world.inst_a)
    answer = _post(client, key, body)
    assert answer.status_code == 400 and field in answer.json()["fields"]
    assert not CameraDay.objects.exists()


def test_only_today_or_yesterday_may_be_posted(world, client, cameras):
    key = key_issue(actor=Actor(user=world.user("manager_a")), institution=world.inst_a)
    old = (TODAY - dt.timedelta(days=2)).isoformat()
    answer = _post(client, key, {"day": old, "cameras": [{"id": cameras[0].pk, "status": "normal"}]})
    assert answer.status_code == 400 and "今天或昨天" in answer.json()["message"]
    assert not CameraDay.objects.exists()


def test_a_body_that_is_not_json_is_refused(world, client, cameras):
    key = key_issue(actor=Actor(user=world.user("manager_a")), institution=world.inst_a)
    answer = client.post(URL, data="camera=1", content_type="text/plain", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_json"


def test_a_camera_not_in_service_that_day_is_named(world, client, cameras):
    key = key_issue(actor=Actor(user=world.user("manager_a")), institution=world.inst_a)
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    Camera.objects.filter(pk=cameras[0].pk).update(installed_on=TODAY)
    answer = _post(client, key, {"day": yesterday, "cameras": [{"id": cameras[0].pk, "status": "normal"}]})
    assert answer.status_code == 400 and answer.json()["fields"] and "未在用" in answer.json()["message"]
