"""Playwright driving Debian's Chromium against a live test server at a phone's size.

The browser is never downloaded: we use /usr/bin/chromium. Without it the browser tests are
skipped locally, but under CI (CI=true) a missing browser fails the run.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Site

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 780}
# The flags a headless Chromium needs here: no sandbox as root, and no background calls to
# Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the Django calls the tests make
# (fixtures, assertions on the database) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_server(live_server):
    """A live server with the demo campaign (rebuilt: live tests empty the database after)."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


def point_site_at(server):
    """QR codes carry the site's own URL: make it the live server's for this test."""
    host, port = server.url.removeprefix("http://").split(":")
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = host, int(port)
    site.save()  # save(), not update(): it clears Wagtail's cached site root paths


@pytest.fixture
def own_site(demo_server):
    """The demo server, with the Site pointing at it so QR codes lead back to it."""
    point_site_at(demo_server)
    return demo_server


def sign_in_to_admin(browser, server, username, password):
    """A desktop-sized page signed in to the Wagtail admin (close its context when done)."""
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    admin = desk.new_page()
    admin.goto(f"{server.url}/admin/login/")
    admin.locator("#id_username").fill(username)
    admin.locator("#id_password").fill(password)
    admin.locator("button[type=submit]").click()
    admin.wait_for_url("**/admin/")
    return admin


@pytest.fixture
def phone(browser):
    """A fresh phone-sized page, Chinese by default like a resident's phone."""
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", device_scale_factor=1
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
