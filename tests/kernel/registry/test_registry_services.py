"""Entering institutions in the ledger and ordering them to stop (P22, P28) through services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests import factories as f
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Role
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.messaging.models import OutboxMessage, Topic
from tuoyu.kernel.registry.account_services import account_create
from tuoyu.kernel.registry.models import Institution, Status
from tuoyu.kernel.registry.services import institution_register, institution_suspend


def _data(world, **overrides):
    planned = f.InstitutionFactory.build(
        subdistrict=world.sub_a, status=Status.REGISTERED, filing_number="", filed_on=None
    )
    data = {
        field.name: getattr(planned, field.name)
        for field in Institution._meta.concrete_fields
        if not field.primary_key and field.name not in ("created_at", "updated_at")
    }
    return {**data, "subdistrict": world.sub_a, **overrides}


def test_registering_audits_the_institution_and_tells_the_departments(world):
    institution = institution_register(actor=Actor(user=world.user("regulator_a")), data=_data(world))
    assert institution.status == Status.REGISTERED
    assert AuditEvent.objects.filter(model="registry.institution", verb="create").count() == 1
    message = OutboxMessage.objects.get(topic=Topic.INSTITUTION_REGISTERED)
    assert message.payload == {"institution_id": institution.pk} and "health" in message.departments


def test_a_regulator_registers_only_within_their_jurisdiction(world):
    with pytest.raises(DomainError, match="只能登记本辖区内的机构"):
        institution_register(actor=Actor(user=world.user("regulator_b")), data=_data(world))
    with pytest.raises(AccessDenied):
        institution_register(actor=Actor(user=world.user("manager_a")), data=_data(world))
    assert Institution.objects.count() == 2 and not AuditEvent.objects.exists()


def test_a_closed_institution_cannot_enter_the_ledger(world):
    with pytest.raises(ValidationError):
        institution_register(actor=Actor.system("测试"), data=_data(world, status=Status.CLOSED))
    assert not OutboxMessage.objects.exists()


def test_the_county_orders_a_filed_institution_to_stop_and_the_departments_are_told(world):
    actor = Actor(user=world.user("regulator_a"))
    suspended = institution_suspend(
        actor=actor, institution=world.inst_a, reason="超过备案托位收托。", on=dt.date(2026, 11, 2)
    )
    assert suspended.status == Status.SUSPENDED
    event = AuditEvent.objects.get(model="registry.institution", verb="transition")
    assert event.note == "责令停业整顿：超过备案托位收托。" and event.changes["status"][1] == "suspended"
    message = OutboxMessage.objects.get(topic=Topic.INSTITUTION_SUSPENDED)
    assert "2026-11-02" in message.body and "public_security" in message.departments
    with pytest.raises(DomainError, match="只有已备案的机构"):
        institution_suspend(actor=actor, institution=world.inst_a, reason="再次")


@pytest.mark.parametrize("persona", ["regulator_b", "city_regulator", "manager_a", "police_a", "inspector_a"])
def test_only_the_institution_s_county_health_bureau_orders_it_to_stop(world, persona):
    with pytest.raises(AccessDenied):
        institution_suspend(actor=Actor(user=world.user(persona)), institution=world.inst_a, reason="x")
    world.inst_a.refresh_from_db()
    assert world.inst_a.status == Status.FILED


def test_an_order_to_stop_needs_its_facts(world):
    with pytest.raises(DomainError, match="请写明"):
        institution_suspend(
            actor=Actor(user=world.user("regulator_a")), institution=world.inst_a, reason="  "
        )


def test_an_account_opened_with_a_chosen_password_need_not_change_it(world, client):
    user, password = account_create(
        actor=Actor.system("测试"),
        username="chosen",
        display_name="自选密码",
        role=Role.EXPERT,
        region=world.county_a,
        password="a-long-chosen-passphrase",
    )
    assert password == "a-long-chosen-passphrase" and not user.must_change_password
    assert user.check_password("a-long-chosen-passphrase")


def test_an_account_without_sign_in_has_no_usable_password(world):
    user, password = account_create(
        actor=Actor.system("测试"),
        username="lottery_only",
        display_name="仅参加摇号",
        role=Role.GUARDIAN,
        region=world.sub_a,
        sign_in=False,
    )
    assert password == "" and not user.has_usable_password() and not user.must_change_password
