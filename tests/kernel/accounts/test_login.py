import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_correct_password_logs_in_and_lands_on_home(world, client):
    response = _login(client, "regulator_a", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert "甲区" in client.get(reverse("home")).content.decode()


def test_wrong_password_is_refused_in_chinese(world, client):
    response = _login(client, "regulator_a", "wrong")
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_from_that_address_even_for_the_right_password(
    world, client, settings
):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "regulator_a", "wrong")
    response = _login(client, "regulator_a", PASSWORD)
    assert response.status_code == 429
    assert "失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_account_still_signs_in_from_another_address(world, client, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "regulator_a", "wrong", ip="10.9.9.9")
    assert _login(Client(), "regulator_a", PASSWORD, ip="10.0.0.2").status_code == 302


def test_guessing_many_usernames_from_an_office_address_does_not_lock_out_colleagues(world, client, settings):
    """An office shares one address: someone's forgotten passwords must not refuse everyone else."""
    for n in range(settings.LOGIN_MAX_FAILURES * 3):
        _login(client, f"nobody{n}", "wrong", ip="10.9.9.9")
    assert _login(Client(), "manager_a", PASSWORD, ip="10.9.9.9").status_code == 302


def test_an_address_past_the_generous_ceiling_is_refused(world, client, settings):
    settings.LOGIN_ADDRESS_RATE = "20/h"
    for n in range(21):
        _login(client, f"nobody{n}", "wrong", ip="10.9.9.9")
    response = _login(Client(), "manager_a", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429 and "网络地址" in response.content.decode()
    assert _login(Client(), "manager_a", PASSWORD, ip="10.9.9.10").status_code == 302


def test_guessing_one_account_from_many_addresses_slows_strangers_but_not_its_usual_desk(
    world, client, settings
):
    settings.LOGIN_ACCOUNT_RATE = "6/10m"
    assert _login(Client(), "regulator_a", PASSWORD, ip="10.0.0.1").status_code == 302  # the holder's desk
    for n in range(7):
        _login(Client(), "regulator_a", "wrong", ip=f"172.16.0.{n}")
    stranger = _login(Client(), "regulator_a", PASSWORD, ip="172.16.9.9")
    assert stranger.status_code == 429 and "分钟后再试" in stranger.content.decode()
    assert _login(Client(), "regulator_a", PASSWORD, ip="10.0.0.1").status_code == 302


def test_each_further_round_of_failures_doubles_the_wait(world, client, settings):
    from django.test import RequestFactory

    from tuoyu.kernel.accounts.throttle import cool_off

    request = RequestFactory().post("/accounts/login/", {"username": "regulator_a"}, REMOTE_ADDR="10.0.0.1")
    assert cool_off(request).total_seconds() == settings.LOGIN_LOCK_MINUTES * 60
    for _ in range(settings.LOGIN_MAX_FAILURES + 1):
        _login(client, "regulator_a", "wrong")
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()  # the first lock has passed
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "regulator_a", "wrong")
    assert cool_off(request).total_seconds() == 2 * settings.LOGIN_LOCK_MINUTES * 60


def test_usernames_are_one_account_whatever_the_case(world, client):
    assert _login(client, "REGULATOR_A", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(world.user("regulator_a").pk)


def test_a_temporary_password_must_be_replaced_before_anything_else(world, client):
    from tuoyu.kernel.accounts.actor import Actor
    from tuoyu.kernel.registry.account_services import password_reset

    temporary = password_reset(actor=Actor(user=world.user("regulator_a")), user=world.user("manager_a"))
    response = _login(client, "manager_a", temporary)
    assert response.status_code == 302 and response.url == reverse("accounts:password")
    assert client.get(reverse("registry:ledger")).url == reverse("accounts:password")
    changed = client.post(
        reverse("accounts:password"),
        {
            "old_password": temporary,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert changed.status_code == 302
    assert client.get(reverse("registry:ledger")).status_code == 200


def test_login_form_requires_the_csrf_token(world):
    strict = Client(enforce_csrf_checks=True)
    assert _login(strict, "regulator_a", PASSWORD).status_code == 403


def test_logout_is_post_only(world, login):
    client = login(world.user("manager_a"))
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_does_not_redirect_to_another_site(world, client):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "regulator_a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse("home")


def test_passwords_are_stored_hashed(world):
    user = world.user("regulator_a")
    assert PASSWORD not in user.password and user.check_password(PASSWORD)
