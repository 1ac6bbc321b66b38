"""Sign-in lockout (django-axes) and the per-address sign-in limit, on every login form."""

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

pytestmark = pytest.mark.django_db

LOGINS = ["/admin/login/", "/django-admin/login/", "/community/login/"]
LIMIT = 5  # AXES_FAILURE_LIMIT


@pytest.fixture
def office(db):
    return User.objects.create_superuser("office-login", password="right-password-1")


def sign_in(client, url, username, password, address="203.0.113.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, url, times, username="office-login", address="203.0.113.7"):
    """``times`` failed sign-ins: refused with the form (200) until the limit, then 429."""
    statuses = [sign_in(client, url, username, "wrong", address).status_code for _ in range(times)]
    assert statuses == [200] * min(times, LIMIT - 1) + [429] * max(0, times - LIMIT + 1)


@pytest.mark.parametrize("url", LOGINS)
def test_failures_lock_the_account_even_for_the_right_password(client, office, url):
    fail(client, url, LIMIT - 1)
    response = sign_in(client, url, "office-login", "wrong")
    assert response.status_code == 429  # the fifth failure locks
    response = sign_in(client, url, "office-login", "right-password-1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    text = response.content.decode()
    assert "登录失败次数过多" in text and "15 分钟" in text
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_cool_off(client, office, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    fail(client, "/admin/login/", LIMIT)
    assert sign_in(client, "/admin/login/", "office-login", "right-password-1").status_code == 429
    # Fifteen minutes later (moved in the data, not waited for): the right password works.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    response = sign_in(client, "/admin/login/", "office-login", "right-password-1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(office.pk)


def test_a_lock_holds_for_every_login_form(client, office):
    fail(client, "/community/login/", LIMIT)
    assert sign_in(client, "/admin/login/", "office-login", "right-password-1").status_code == 429


def test_another_user_or_another_address_is_not_locked(client, office):
    User.objects.create_user("pa2016-09031", password="community-password-1")
    fail(client, "/admin/login/", LIMIT)
    # Same address, another account: signs in.
    response = sign_in(client, "/community/login/", "pa2016-09031", "community-password-1")
    assert response.status_code == 302
    client.logout()
    # Same account, another address: signs in (nobody can lock the office out from afar).
    response = sign_in(client, "/admin/login/", "office-login", "right-password-1", "198.51.100.9")
    assert response.status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, office):
    fail(client, "/admin/login/", LIMIT - 1)
    assert sign_in(client, "/admin/login/", "office-login", "right-password-1").status_code == 302
    client.logout()
    fail(client, "/admin/login/", LIMIT - 1)
    assert sign_in(client, "/admin/login/", "office-login", "right-password-1").status_code == 302


@override_settings(RATELIMIT_IP_META_KEY="HTTP_X_REAL_IP")
def test_the_address_comes_from_the_trusted_proxy_header(client, office):
    for _ in range(LIMIT):
        client.post(
            "/admin/login/",
            {"username": "office-login", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="203.0.113.50",
        )
    proxied = {"REMOTE_ADDR": "127.0.0.1"}
    right = {"username": "office-login", "password": "right-password-1"}
    locked = client.post("/admin/login/", right, HTTP_X_REAL_IP="203.0.113.50", **proxied)
    assert locked.status_code == 429
    # Another client behind the same proxy is another address.
    other = client.post("/admin/login/", right, HTTP_X_REAL_IP="203.0.113.51", **proxied)
    assert other.status_code == 302


@pytest.mark.parametrize("url", LOGINS)
def test_one_address_trying_many_names_is_rate_limited(client, url, settings):
    settings.LOGIN_RATE = "3/m"
    for number in range(3):
        sign_in(client, url, f"name-{number}", "wrong")
    response = sign_in(client, url, "name-9", "wrong")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "请一分钟后再试" in response.content.decode()


def test_lockout_still_counts_when_the_rate_limit_cache_fails(client, office, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    # The per-address limit is skipped; axes counts in the database and still locks.
    monkeypatch.setattr("campaign_pages.logins.get_usage", down)
    fail(client, "/admin/login/", LIMIT - 1)
    assert sign_in(client, "/admin/login/", "office-login", "wrong").status_code == 429
    assert sign_in(client, "/admin/login/", "office-login", "right-password-1").status_code == 429
