import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent, Verb
from tuoyu.kernel.audit.trail import AuditOutsideTransaction, record, snapshot
from tuoyu.kernel.people.services import staff_update
from tuoyu.kernel.registry.services import institution_update


def test_an_update_records_who_when_where_and_before_after(world, login):
    client = login(world.user("manager_a"))
    client.post(
        reverse("registry:edit", args=[world.inst_a.pk]),
        {"contact_name": "新联络人", "service_types": ["full_day"]},
        REMOTE_ADDR="10.1.2.3",
    )
    event = AuditEvent.objects.get(model="registry.institution", object_id=str(world.inst_a.pk))
    assert event.verb == Verb.UPDATE
    assert event.actor == world.user("manager_a")
    assert event.ip == "10.1.2.3"
    assert event.changes["contact_name"] == ["", "新联络人"]
    assert event.region_path == world.sub_a.path
    assert event.institution_id == world.inst_a.pk


def test_personal_numbers_are_masked_in_the_trail(world):
    actor = Actor(user=world.user("manager_a"), ip="10.0.0.5")
    new_id = "11010519491231002X"
    staff_update(actor=actor, staff=world.staff_a, data={"id_number": new_id, "phone": "13712345678"})
    event = AuditEvent.objects.get(model="operations.staffmember")
    stored = str(event.changes)
    assert new_id not in stored and "13712345678" not in stored
    assert event.changes["id_number"][1] == "110105********002X"
    assert event.changes["phone"][1] == "137****5678"


def test_a_refused_change_leaves_neither_the_change_nor_an_event(world):
    actor = Actor(user=world.user("manager_a"))
    before = snapshot(world.inst_a)
    with pytest.raises(Exception, match="租期结束日期必须晚于开始日期"):
        institution_update(
            actor=actor,
            institution=world.inst_a,
            changes={"lease_start": dt.date(2026, 1, 1), "lease_end": dt.date(2025, 1, 1)},
        )
    world.inst_a.refresh_from_db()
    assert snapshot(world.inst_a) == before
    assert not AuditEvent.objects.exists()


def test_a_failure_after_the_write_rolls_back_the_write_and_its_event(world):
    actor = Actor(user=world.user("manager_a"))
    with pytest.raises(RuntimeError), transaction.atomic():
        institution_update(actor=actor, institution=world.inst_a, changes={"contact_name": "半路"})
        raise RuntimeError("power cut")
    world.inst_a.refresh_from_db()
    assert world.inst_a.contact_name == ""
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(world):
    with pytest.raises(AuditOutsideTransaction):
        record(Actor.system("测试"), Verb.UPDATE, world.inst_a, before={})


def test_an_update_that_changes_nothing_writes_no_event(world):
    actor = Actor(user=world.user("manager_a"))
    institution_update(
        actor=actor, institution=world.inst_a, changes={"contact_name": world.inst_a.contact_name}
    )
    assert not AuditEvent.objects.exists()
