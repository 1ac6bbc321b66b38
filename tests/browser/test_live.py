"""A reader keeps the live coverage open on a phone; editors post, pin and retract."""

import pytest

from media_reports.models import LiveCoveragePage, LiveEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fast_polls(settings):
    settings.LIVE_POLL_SECONDS = 2  # the live server runs in this process: it sees the setting


def test_live_page_updates_without_reload(demo_server, phone, screenshot, fast_polls):
    coverage = LiveCoveragePage.objects.get(slug="live", locale__language_code="zh-hans")
    phone.goto(f"{demo_server.url}/2016/live/")
    phone.evaluate("window.__notReloaded = true")
    stream = phone.locator("#live-stream")
    assert stream.locator(".live-entry").count() == 20

    # An editor posts an entry: it appears on top within one poll interval.
    entry = LiveEntry.objects.create(coverage=coverage, text="浏览器测试：监督团抵达现场。")
    assert (
        entry.posted_at > coverage.live_entries.exclude(pk=entry.pk).latest("posted_at").posted_at
    )
    new = stream.locator(f'[data-entry-id="{entry.pk}"]')
    new.wait_for(timeout=10_000)
    assert stream.locator(".live-entry").first.get_attribute("data-entry-id") == str(entry.pk)

    # The editor pins it: it joins the key points at the top.
    entry.pinned = True
    entry.save()
    phone.locator(f'#live-pinned [data-entry-id="{entry.pk}"]').wait_for(timeout=10_000)

    # Another entry is retracted: it stays, struck through, with the reason.
    other = coverage.live_entries.filter(retracted=False).exclude(pk=entry.pk).first()
    other.retracted = True
    other.retraction_note = "浏览器测试撤回"
    other.save()
    phone.locator(f'#live-stream [data-entry-id="{other.pk}"] .retraction').wait_for(timeout=10_000)
    assert "浏览器测试撤回" in stream.inner_text()
    assert phone.evaluate("window.__notReloaded") is True
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(phone, "live-zh")


def test_reader_follows_a_hazard_to_rectified(demo_server, phone, screenshot):
    phone.goto(f"{demo_server.url}/2016/reports/hazards/?status=rectified")
    phone.get_by_role("link", name="南汇二社区：围墙破损").click()
    phone.wait_for_url("**/2016/reports/nanhui-fence/")
    history = phone.locator(".followup .history li")
    assert history.count() == 3
    assert "复查确认已整改到位" in history.last.inner_text()
    screenshot(phone, "hazard-zh")
