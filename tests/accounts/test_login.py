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
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_correct_password_logs_in_and_lands_on_home(world, client):
    response = _login(client, "regulator_a", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert "甲区" in client.get(reverse("home")).content.decode()


def test_wrong_password_is_refused_in_chinese(world, client):
    response = _login(client, "regulator_a", "wrong")
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_for_the_right_password(world, client, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "regulator_a", "wrong")
    response = _login(client, "regulator_a", PASSWORD)
    assert response.status_code == 429
    assert "失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_many_usernames_from_one_address_locks_the_address(world, client, settings):
    for n in range(settings.LOGIN_MAX_FAILURES):
        _login(client, f"nobody{n}", "wrong", ip="10.9.9.9")
    assert _login(client, "manager_a", PASSWORD, ip="10.9.9.9").status_code == 429
    assert _login(client, "manager_a", PASSWORD, ip="10.9.9.10").status_code == 302


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
