"""The JSON API changes exactly the fields a request names, and refuses anything else with a field-level
Chinese error: a PATCH of one field once wiped all fourteen self-declarations."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests import walk
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.registry.api import _out
from tuoyu.kernel.registry.models import Institution
from tuoyu.kernel.registry.services import OPERATIONAL_FIELDS

# Every API route and how this file exercises it; a new route fails the first test until listed.
API_ROUTES = {
    "registry:api_institutions": "read only",
    "registry:api_institution": "partial update, below",
    "registry:api_public": "read only",
    "cameras:api_status": "a video system's post, tests/domains/cameras/test_api.py",
}

DECLARED = {
    "health": {"daily_checks": True, "disinfection": False, "sick_child_isolation": True},
    "safety": {
        "authorised_pickup": True,
        "emergency_plan": True,
        "regular_drills": False,
        "fire_safety_manager": True,
        "monthly_fire_checks": True,
        "liability_insurance": True,
    },
    "disclosure": {
        "fees": True,
        "care": True,
        "meals": False,
        "health_safety": True,
        "meal_accounts_monthly": True,
    },
}


@pytest.fixture
def filled(world):
    """Institution A with every yes/no answer given, so that a wipe would show."""
    Institution.objects.filter(pk=world.inst_a.pk).update(
        declarations=DECLARED,
        parents_committee=True,
        video_covers_child_areas=True,
        video_armed_24h=False,
        video_retention_days=90,
        video_parent_live_view=True,
        video_one_button_alarm=True,
        child_rooms_below_ground=False,
        tenure="leased",
        lease_start="2024-01-01",
        lease_end="2030-12-31",
        indoor_area_m2="260.5",
        window_area_ratio="0.25",
        monthly_fee="1800.00",
        floor_of_child_rooms=2,
        prepaid_fee_months=3,
        outdoor_minutes_per_day=120,
    )
    return Institution.objects.get(pk=world.inst_a.pk)


def _patch(client, pk, body):
    return client.patch(
        reverse("registry:api_institution", args=[pk]), json.dumps(body), content_type="application/json"
    )


def test_every_api_route_is_exercised():
    routes = {route.name for route in walk.routes() if route.pattern.startswith("api/")}
    assert routes == set(API_ROUTES)


# The phone is shown masked, and a masked number is refused as input (tested below).
@pytest.mark.parametrize("field", [f for f in OPERATIONAL_FIELDS if f != "contact_phone"])
def test_patching_one_field_with_its_current_value_changes_nothing(world, login, filled, field):
    client = login(world.user("manager_a"))
    shown = client.get(reverse("registry:api_institution", args=[filled.pk])).json()
    before = _out(Institution.objects.get(pk=filled.pk))
    events = AuditEvent.objects.count()
    response = _patch(client, filled.pk, {field: shown[field]})
    assert response.status_code == 200, response.json()
    assert _out(Institution.objects.get(pk=filled.pk)) == before
    assert AuditEvent.objects.count() == events


def test_patching_contact_name_keeps_every_declaration_and_yes_no_answer(world, login, filled):
    response = _patch(login(world.user("manager_a")), filled.pk, {"contact_name": "新联系人"})
    assert response.status_code == 200
    current = Institution.objects.get(pk=filled.pk)
    assert current.contact_name == "新联系人"
    assert current.declarations == DECLARED
    assert (
        current.parents_committee is True
        and current.video_armed_24h is False
        and current.child_rooms_below_ground is False
    )


def test_one_declaration_is_merged_into_the_others(world, login, filled):
    response = _patch(
        login(world.user("manager_a")), filled.pk, {"declarations": {"health": {"disinfection": True}}}
    )
    assert response.status_code == 200
    expected = json.loads(json.dumps(DECLARED))
    expected["health"]["disinfection"] = True
    assert Institution.objects.get(pk=filled.pk).declarations == expected


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lease_start": 1}, "lease_start"),
        ({"contact_name": ["a"]}, "contact_name"),
        ({"parents_committee": "yes"}, "parents_committee"),
        ({"monthly_fee": True}, "monthly_fee"),
        ({"service_types": "full_day"}, "service_types"),
        ({"declarations": ["daily_checks"]}, "declarations"),
        ({"declarations": {"health": {"no_such_key": True}}}, "declarations.health.no_such_key"),
        ({"declarations": {"health": {"daily_checks": "是"}}}, "declarations.health.daily_checks"),
        ({"credit_code": "91510500MA0000001X"}, "credit_code"),
        ({"no_such_field": 1}, "no_such_field"),
        ({"monthly_fee": -5}, "monthly_fee"),
        ({"places": 1}, "places"),
    ],
)
def test_a_wrong_field_or_type_is_a_400_naming_the_field_in_chinese(world, login, filled, body, field):
    before = _out(Institution.objects.get(pk=filled.pk))
    response = _patch(login(world.user("manager_a")), filled.pk, body)
    assert response.status_code == 400
    payload = response.json()
    assert field in payload["fields"], payload
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in payload["fields"][field])
    assert _out(Institution.objects.get(pk=filled.pk)) == before


def test_a_masked_phone_sent_back_is_refused_not_stored(world, login, filled):
    client = login(world.user("manager_a"))
    masked = client.get(reverse("registry:api_institution", args=[filled.pk])).json()["contact_phone"]
    response = _patch(client, filled.pk, {"contact_phone": masked})
    assert response.status_code == 400 and "contact_phone" in response.json()["fields"]
    assert Institution.objects.get(pk=filled.pk).contact_phone == world.inst_a.contact_phone
