"""Persona tests: nobody reads or changes another's records through pages, the API or exports,
and a denied request changes nothing. These fail if the scoping in accounts/access.py is removed."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tuoyu.kernel.accounts.access import Action, can
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.audit.trail import snapshot

# (persona, institution they must not see)
DENIED_INSTITUTION_READS = [
    ("regulator_a", "inst_b"),
    ("regulator_b", "inst_a"),
    ("manager_a", "inst_b"),
    ("manager_b", "inst_a"),
    ("caregiver_a", "inst_b"),
    ("guardian_a", "inst_a"),
    ("guardian_b", "inst_b"),
    ("police_a", "inst_b"),
    ("inspector_a", "inst_b"),
    ("expert_a", "inst_b"),
]

# (persona, institution they must not change)
DENIED_INSTITUTION_WRITES = [
    *DENIED_INSTITUTION_READS,
    ("caregiver_a", "inst_a"),
    ("police_a", "inst_a"),
    ("inspector_a", "inst_a"),
    ("expert_a", "inst_a"),
]

DENIED_STAFF_WRITES = [
    ("manager_b", "staff_a"),
    ("regulator_a", "staff_a"),
    ("city_regulator", "staff_a"),
    ("caregiver_a", "staff_a"),
    ("guardian_a", "staff_a"),
    ("police_a", "staff_a"),
]

DENIED_CHILD_WRITES = [
    ("guardian_b", "child_a"),
    ("guardian_a", "child_b"),
    ("manager_b", "child_a"),
    ("regulator_a", "child_a"),
    ("caregiver_a", "child_a"),
    ("police_a", "child_a"),
    ("expert_a", "child_a"),
]


def _institution_form(inst, **overrides) -> dict:
    data = {
        "address": inst.address,
        "contact_name": inst.contact_name,
        "contact_phone": inst.contact_phone,
        "service_types": inst.service_types,
        "min_age_months": inst.min_age_months,
        "max_age_months": inst.max_age_months,
        "video_retention_days": 90,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("persona", "target"), DENIED_INSTITUTION_READS)
def test_institution_page_and_api_answer_not_found_outside_the_personas_reach(world, login, persona, target):
    client = login(world.user(persona))
    inst = getattr(world, target)
    assert client.get(reverse("operations:institution", args=[inst.pk])).status_code == 404
    assert client.get(reverse("registry:api_institution", args=[inst.pk])).status_code == 404
    listing = client.get(reverse("registry:api_institutions")).json()
    assert inst.pk not in [row["id"] for row in listing.get("results", [])]
    export = client.get(reverse("registry:export")).content.decode("utf-8-sig")
    assert inst.name not in export and inst.credit_code not in export
    ledger = client.get(reverse("registry:ledger")).content.decode()
    assert inst.name not in ledger


@pytest.mark.parametrize(("persona", "target"), DENIED_INSTITUTION_WRITES)
def test_denied_institution_change_answers_not_found_and_changes_nothing(world, login, persona, target):
    client = login(world.user(persona))
    inst = getattr(world, target)
    before, events = snapshot(inst), AuditEvent.objects.count()

    page = client.post(reverse("registry:edit", args=[inst.pk]), _institution_form(inst, address="篡改路9号"))
    api = client.patch(
        reverse("registry:api_institution", args=[inst.pk]),
        json.dumps({"address": "篡改路9号"}),
        content_type="application/json",
    )

    assert page.status_code == 404
    assert api.status_code == 404
    inst.refresh_from_db()
    assert snapshot(inst) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(("persona", "target"), DENIED_STAFF_WRITES)
def test_denied_staff_change_answers_not_found_and_changes_nothing(world, login, persona, target):
    client = login(world.user(persona))
    staff = getattr(world, target)
    before, events = snapshot(staff), AuditEvent.objects.count()

    edit = client.post(
        reverse("operations:staff_edit", args=[staff.pk]), {"name": "篡改", "role": "caregiver"}
    )
    leave = client.post(reverse("operations:staff_leave", args=[staff.pk]), {"left_on": "2026-06-01"})
    create = client.post(
        reverse("operations:staff_create", args=[staff.institution_id]),
        {"name": "新人", "id_number": "11010519491231002X", "role": "caregiver", "hired_on": "2026-01-01"},
    )

    assert edit.status_code == 404
    assert leave.status_code == 404
    # A post that may edit the institution is told why it cannot add staff; any other finds nothing.
    assert create.status_code == (403 if can(world.user(persona), staff.institution, Action.CHANGE) else 404)
    staff.refresh_from_db()
    assert snapshot(staff) == before
    assert staff.institution.staff.count() == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(("persona", "target"), DENIED_CHILD_WRITES)
def test_denied_child_change_answers_not_found_and_changes_nothing(world, login, persona, target):
    client = login(world.user(persona))
    child = getattr(world, target)
    before, events = snapshot(child), AuditEvent.objects.count()

    response = client.post(reverse("operations:child_edit", args=[child.pk]), {"allergies": "篡改"})

    assert response.status_code == 404
    child.refresh_from_db()
    assert snapshot(child) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("persona", ["police_a", "expert_a", "inspector_a", "caregiver_a"])
def test_posts_without_a_duty_to_children_never_see_a_childs_identity_number(world, login, persona):
    client = login(world.user(persona))
    page = client.get(reverse("operations:institution", args=[world.inst_a.pk])).content.decode()
    assert world.child_a.id_number not in page
    if persona != "caregiver_a":  # caregivers look after the children, so they see names
        assert world.child_a.name not in page


def test_each_guardian_sees_only_their_own_child(world, login):
    page_a = login(world.user("guardian_a")).get(reverse("home")).content.decode()
    assert world.child_a.name in page_a
    assert world.child_b.name not in page_a


def test_guardian_export_and_api_hold_no_institution(world, login):
    """Refused outright (403), never an empty answer that reads as "no institutions"."""
    client = login(world.user("guardian_a"))
    api = client.get(reverse("registry:api_institutions"))
    assert api.status_code == 403 and "results" not in api.json()
    export = client.get(reverse("registry:export"))
    assert export.status_code == 403 and "甲托育园" not in export.content.decode()


def test_city_regulator_reaches_both_counties(world, login):
    client = login(world.user("city_regulator"))
    ids = {row["id"] for row in client.get(reverse("registry:api_institutions")).json()["results"]}
    assert ids == {world.inst_a.pk, world.inst_b.pk}


def test_audit_trail_shows_only_the_regulators_jurisdiction(world, login):
    login(world.user("manager_a")).post(
        reverse("registry:edit", args=[world.inst_a.pk]),
        _institution_form(world.inst_a, contact_name="甲联络人"),
    )
    login(world.user("manager_b")).post(
        reverse("registry:edit", args=[world.inst_b.pk]),
        _institution_form(world.inst_b, contact_name="乙联络人"),
    )

    page = login(world.user("regulator_a")).get(reverse("audit:trail")).content.decode()

    assert "甲托育园" in page and "甲联络人" in page
    assert "乙托育园" not in page and "乙联络人" not in page


@pytest.mark.parametrize("persona", ["manager_a", "caregiver_a", "guardian_a", "police_a", "expert_a"])
def test_audit_trail_is_closed_to_posts_other_than_regulators(world, login, persona):
    assert login(world.user(persona)).get(reverse("audit:trail")).status_code == 403


def test_anonymous_visitors_are_sent_to_login_and_the_api_answers_401(world, client):
    assert client.get(reverse("registry:ledger")).status_code == 302
    assert client.get(reverse("operations:institution", args=[world.inst_a.pk])).status_code == 302
    assert client.get(reverse("registry:api_institutions")).status_code == 401
    assert client.get(reverse("registry:export")).status_code == 302
