"""Shared fixtures: the demo campaign is built once per test session, as ``make run`` does."""

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from wagtail.models import Locale

from campaign_pages.models import CampaignPage, HomePage

# The live test server's listen backlog (Django's default is 10): the concurrency tests open
# 50 connections at once, and a loaded machine must not reset them before they are accepted.
WSGIServer.request_queue_size = 128


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the demo site once into the test database; each test rolls back its own changes."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def pytest_collection_modifyitems(items):
    # Browser tests use live_server, which empties the database after each test; run them
    # last so the session's demo data serves every other test first.
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))


@pytest.fixture(autouse=True)
def clear_cache():
    """Rate-limit counters and cached pages live in the cache: each test starts afresh."""
    from django.core.cache import cache

    from campaign_pages.page_cache import forget_generation

    cache.clear()
    forget_generation()
    yield


@pytest.fixture(autouse=True)
def one_rate_limit_window(monkeypatch):
    """The clocks of the rate limits held still for each test.

    Their windows are fixed spans of wall-clock time (a "2/m" window ends on a given second),
    so the few requests a test makes could straddle the end of one on a slow machine and
    count from zero again (seen once in CI: the Django admin sign-in limit answered 200).
    Holding the clocks of django-ratelimit and of the votes' Redis counters
    (``voting/clients.py``) keeps each test in one window; how long a window is, and the
    Retry-After that follows from it, do not depend on the clock.
    """
    import time
    from types import SimpleNamespace

    import django_ratelimit.core

    from voting import clients

    now = time.time()
    held = SimpleNamespace(time=lambda: now)
    monkeypatch.setattr(django_ratelimit.core, "time", held)
    monkeypatch.setattr(clients, "time", held)


@pytest.fixture
def zh(db):
    return Locale.objects.get(language_code="zh-hans")


@pytest.fixture
def en(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def home(zh):
    return HomePage.objects.get(locale=zh)


@pytest.fixture
def campaign(zh):
    """The demo's 2016 campaign, in Chinese."""
    return CampaignPage.objects.get(locale=zh, slug="2016")
