"""A reader keeps the live coverage open (on a phone, and on a desktop); an editor posts, pins
and retracts from the admin at the same width."""

import pytest
from django.contrib.auth.models import Group, User

from media_reports.models import LiveCoveragePage, LiveEntry

from .conftest import assert_fits_the_screen, sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(admin):
    """Press the snippet form's Save button and wait to be back at the list."""
    admin.locator("main form[method=post] button[type=submit]", has_text="保存").first.click()
    admin.wait_for_url("**/admin/snippets/media_reports/liveentry/")


@pytest.fixture
def fast_polls(settings):
    settings.LIVE_POLL_SECONDS = 2  # the live server runs in this process: it sees the setting


def test_editor_posts_pins_and_retracts_while_a_reader_watches(
    demo_server, browser, visitor, width, screenshot, fast_polls
):
    coverage = LiveCoveragePage.objects.get(slug="live", locale__language_code="zh-hans")
    visitor.goto(f"{demo_server.url}/2016/live/")
    visitor.evaluate("window.__notReloaded = true")
    stream = visitor.locator("#live-stream")
    assert stream.locator(".live-entry").count() == 20

    # An editor (not a superuser) posts an entry from the admin's one short form.
    editor = User.objects.create_user("live-editor", password="live-editor-pass")
    editor.groups.add(Group.objects.get(name="Editors"))
    admin = sign_in_to_admin(browser, demo_server, "live-editor", "live-editor-pass", width)
    admin.goto(f"{demo_server.url}/admin/snippets/media_reports/liveentry/add/")
    admin.locator("#id_coverage").select_option(str(coverage.pk))
    admin.locator("#id_text").fill("浏览器测试：监督团抵达现场。")
    save(admin)
    entry = LiveEntry.objects.get(text="浏览器测试：监督团抵达现场。")
    assert entry.author == editor

    # It appears on the reader's page, on top, within one poll interval.
    new = stream.locator(f'[data-entry-id="{entry.pk}"]')
    new.wait_for(timeout=10_000)
    assert stream.locator(".live-entry").first.get_attribute("data-entry-id") == str(entry.pk)

    # The editor pins it: it joins the key points at the top.
    edit = f"{demo_server.url}/admin/snippets/media_reports/liveentry/edit/{{}}/"
    admin.goto(edit.format(entry.pk))
    admin.locator("#id_pinned").check()
    save(admin)
    visitor.locator(f'#live-pinned [data-entry-id="{entry.pk}"]').wait_for(timeout=10_000)

    # Another entry is retracted: it stays, struck through, with the reason.
    other = coverage.live_entries.filter(retracted=False, pinned=False).exclude(pk=entry.pk)[0]
    admin.goto(edit.format(other.pk))
    admin.locator("#id_retracted").check()
    admin.locator("#id_retraction_note").fill("浏览器测试撤回")
    save(admin)
    admin.context.close()
    visitor.locator(f'#live-stream [data-entry-id="{other.pk}"] .retraction').wait_for(
        timeout=10_000
    )
    assert "浏览器测试撤回" in stream.inner_text()
    assert visitor.evaluate("window.__notReloaded") is True
    assert_fits_the_screen(visitor)
    screenshot(visitor, f"live-zh-{width}")


def test_reader_follows_a_hazard_to_rectified(demo_server, visitor, width, screenshot):
    visitor.goto(f"{demo_server.url}/2016/reports/hazards/?status=rectified")
    visitor.get_by_role("link", name="南汇二社区：围墙破损").click()
    visitor.wait_for_url("**/2016/reports/nanhui-fence/")
    history = visitor.locator(".followup .history li")
    assert history.count() == 3
    assert "复查确认已整改到位" in history.last.inner_text()
    screenshot(visitor, f"hazard-zh-{width}")
