import pytest
from django.urls import reverse

from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Role, User
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.registry.account_services import account_create


def test_regulator_opens_a_manager_account_that_can_log_in(world, login, client):
    page = login(world.user("regulator_a")).post(
        reverse("registry:accounts"),
        {
            "username": "new_manager",
            "display_name": "甲园新负责人",
            "role": "manager",
            "institution": world.inst_a.pk,
        },
    )
    assert page.status_code == 200 and 'data-qa="account-password"' in page.content.decode()
    password = page.context["created"]["password"]
    user = User.objects.get(username="new_manager")
    assert user.region == world.sub_a and user.memberships.get().institution == world.inst_a
    client.logout()
    assert (
        client.post(reverse("accounts:login"), {"username": "new_manager", "password": password}).status_code
        == 302
    )
    event = AuditEvent.objects.get(model="accounts.user", verb="create")
    assert "password" not in event.changes and user.password not in str(event.changes)


def test_a_regulator_cannot_create_regulators_or_accounts_elsewhere(world):
    actor = Actor(user=world.user("regulator_a"))
    with pytest.raises(AccessDenied):
        account_create(
            actor=actor, username="boss", display_name="x", role=Role.REGULATOR, region=world.county_a
        )
    with pytest.raises(AccessDenied):
        account_create(
            actor=actor, username="spy", display_name="x", role=Role.INSPECTOR, region=world.county_b
        )
    assert not User.objects.filter(username__in=["boss", "spy"]).exists()


@pytest.mark.parametrize("persona", ["manager_a", "guardian_a", "police_a"])
def test_only_regulators_and_admins_manage_accounts(world, login, persona):
    assert login(world.user(persona)).get(reverse("registry:accounts")).status_code == 404


def test_another_countys_regulator_cannot_reset_or_disable_an_account(world, login):
    target = world.user("manager_a")
    client = login(world.user("regulator_b"))
    assert client.post(reverse("registry:account_action", args=[target.pk, "reset"])).status_code == 404
    assert client.post(reverse("registry:account_action", args=[target.pk, "disable"])).status_code == 404
    target.refresh_from_db()
    assert target.is_active


def test_a_disabled_account_cannot_log_in(world, login, client):
    from tests.conftest import PASSWORD

    login(world.user("regulator_a")).post(
        reverse("registry:account_action", args=[world.user("manager_a").pk, "disable"])
    )
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "manager_a", "password": PASSWORD})
    assert response.status_code == 200 and "账号或密码不正确" in response.content.decode()


def test_everyone_changes_their_own_password(world, login):
    from tests.conftest import PASSWORD

    client = login(world.user("guardian_a"))
    response = client.post(
        reverse("accounts:password"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="guardian_a")
    assert user.check_password("a-new-long-passphrase")
