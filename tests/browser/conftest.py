"""Playwright driving Debian's Chromium against a live test server, at a phone's size and a
desktop's: each role's journey runs at both (the ``width`` fixture), 360×740 and 1280×800.

The browser is never downloaded: we use /usr/bin/chromium. Without it the browser tests are
skipped locally, but under CI (CI=true) a missing browser fails the run.
"""

import json
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from wagtail.models import Site

from campaign_pages.page_cache import forget_generation

from .tools import missing

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = {"360": PHONE, "1280": DESKTOP}
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
        missing(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# The demo database as load_demo left it, by phase. Live-server tests empty the database after
# each test, and building the demo takes load_demo half a minute; putting back a snapshot
# takes two seconds, so every journey can run at both widths.
_demo_snapshots = {}


def snapshot_of_database():
    """Every row, content types first: signal handlers that run while the others are loaded
    look content types up and would otherwise create them afresh, with other ids. SQLite's
    search index is left out: triggers fill it from the index entries."""
    rows = json.loads(connection.creation.serialize_db_to_string())
    rows = [row for row in rows if row["model"] != "wagtailsearch.sqliteftsindexentry"]
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    return json.dumps(rows)


def load_demo(phase="voting"):
    """Fill the (emptied) test database with the demo campaign at ``phase``."""
    snapshot = _demo_snapshots.get(phase)
    if snapshot is None:
        call_command("load_demo", "--phase", phase, stdout=open(os.devnull, "w"))  # noqa: SIM115
        _demo_snapshots[phase] = snapshot_of_database()
        return
    # Empty it whole (the flush after the last test re-created content types and
    # permissions with new ids), then insert every row with its own id, as Django's
    # serialized_rollback does (but inserting straight away: the table is empty), and move
    # the id sequences past them.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.clear_cache()
    tables = set()
    with transaction.atomic(), connection.constraint_checks_disabled():
        for row in serializers.deserialize("json", snapshot):
            row.save(force_insert=True)
            tables.add(row.object._meta.db_table)
        connection.check_constraints(table_names=tables)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    ContentType.objects.clear_cache()
    cache.clear()  # cached pages and Wagtail's site root paths describe the database before
    forget_generation()


@pytest.fixture
def demo_server(live_server):
    """A live server with the demo campaign (voting open)."""
    load_demo()
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


def new_page(browser, width="360", **options):
    """A page in a fresh context at one of the two widths: "360" is a phone (touch, mobile
    layout), "1280" a desktop. Chinese by default, like a resident's phone."""
    mobile = {"is_mobile": True, "has_touch": True} if width == "360" else {}
    options = {"locale": "zh-CN", "device_scale_factor": 1, **mobile, **options}
    return browser.new_context(viewport=WIDTHS[width], **options).new_page()


def sign_in_to_admin(browser, server, username, password, width="1280"):
    """A page signed in to the Wagtail admin (close its context when done)."""
    admin = new_page(browser, width)
    admin.goto(f"{server.url}/admin/login/")
    admin.locator("#id_username").fill(username)
    admin.locator("#id_password").fill(password)
    admin.locator("button[type=submit]").click()
    admin.wait_for_url("**/admin/")
    return admin


@pytest.fixture
def phone(browser):
    """A fresh phone-sized page, Chinese by default like a resident's phone."""
    page = new_page(browser, "360")
    yield page
    page.context.close()


@pytest.fixture(params=list(WIDTHS))
def width(request):
    """The screen width a journey runs at: every role's main journey runs at both."""
    return request.param


@pytest.fixture
def visitor(browser, width):
    """A fresh page at the test's width (see ``width``)."""
    page = new_page(browser, width)
    yield page
    page.context.close()


def assert_fits_the_screen(page):
    """Nothing scrolls sideways, at 360 px or 1280 px."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the screen"


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
