"""Guardians are linked to a child in care only by an invitation the institution issues."""

import datetime as dt

import pytest
from django.urls import reverse

from tuoyu import clock
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.people.models import GuardianInvitation, Guardianship
from tuoyu.kernel.people.services import invitation_issue, invitation_redeem


def test_a_manager_issues_a_code_the_guardian_redeems_once(world, login):
    page = login(world.user("manager_a")).post(
        reverse("operations:child_invite", args=[world.child_a.pk]), {"relation": "father"}
    )
    assert page.status_code == 200
    code = page.context["code"]
    assert code in page.content.decode() and len(code) == 9 and code[4] == "-"
    stored = GuardianInvitation.objects.get()
    assert code.replace("-", "") not in str(stored.__dict__)  # only its digest is kept
    event = AuditEvent.objects.get(model="operations.guardianinvitation")
    assert "code_sha256" not in event.changes

    guardian = login(world.user("guardian_b"))
    response = guardian.post(reverse("operations:link_child"), {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    link = Guardianship.objects.get(child=world.child_a, user=world.user("guardian_b"))
    assert link.relation == "father"
    again = guardian.post(reverse("operations:link_child"), {"code": code})
    assert again.status_code == 400 and "邀请码无效、已使用或已过期" in again.content.decode()


def test_an_expired_or_wrong_code_links_nobody(world):
    invitation, code = invitation_issue(
        actor=Actor(user=world.user("manager_a")), child=world.child_a, relation="mother"
    )
    invitation.expires_on = clock.today() - dt.timedelta(days=1)
    invitation.save()
    for attempt in (code, "ABCD-EFGH", "短"):
        with pytest.raises(DomainError, match="邀请码无效"):
            invitation_redeem(actor=Actor(user=world.user("guardian_b")), code=attempt)
    assert not Guardianship.objects.filter(child=world.child_a, user=world.user("guardian_b")).exists()


def test_only_the_child_s_institution_invites_and_only_guardians_redeem(world):
    for persona in ("manager_b", "caregiver_a", "guardian_a", "regulator_a"):
        with pytest.raises(AccessDenied):
            invitation_issue(actor=Actor(user=world.user(persona)), child=world.child_a, relation="mother")
    _, code = invitation_issue(
        actor=Actor(user=world.user("manager_a")), child=world.child_a, relation="mother"
    )
    with pytest.raises(DomainError, match="只有家长账号"):
        invitation_redeem(actor=Actor(user=world.user("manager_b")), code=code)
    assert GuardianInvitation.objects.get().redeemed_at is None


def test_repeated_wrong_codes_are_slowed(world, login):
    from django.core.cache import cache

    cache.clear()  # the count is kept in the cache, across tests
    client = login(world.user("guardian_b"))
    for _ in range(10):
        wrong = client.post(reverse("operations:link_child"), {"code": "ZZZZ-ZZZZ"})
        assert "邀请码无效" in wrong.content.decode()  # ten typing errors are allowed
    _, code = invitation_issue(
        actor=Actor(user=world.user("manager_a")), child=world.child_a, relation="mother"
    )
    response = client.post(reverse("operations:link_child"), {"code": code})
    assert response.status_code == 400 and "输错次数过多" in response.content.decode()
    assert not Guardianship.objects.filter(child=world.child_a, user=world.user("guardian_b")).exists()


def test_only_guardians_open_the_link_page(world, login):
    assert login(world.user("manager_a")).get(reverse("operations:link_child")).status_code == 403
