"""A resident on a cheap phone: the portal, the notice, the language switch and search."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits_the_screen(page):
    """Nothing scrolls sideways on a 360 px screen."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the screen"


def test_portal_shows_the_campaign_and_its_open_phase(demo_server, phone, screenshot):
    phone.goto(f"{demo_server.url}/2016/")
    assert phone.locator("html").get_attribute("lang") == "zh-Hans"
    assert phone.locator("h1").inner_text() == "2016年度鹿城区平安小区评选"
    open_phase = phone.locator(".phase.is-open", has_text="手机投票")
    assert open_phase.is_visible()
    # The countdown script has replaced the server's text with days, hours and minutes.
    assert re.search(r"\d+ 天 \d+ 小时 \d+ 分钟", phone.locator(".countdown-value").inner_text())
    assert_fits_the_screen(phone)
    assert screenshot(phone, "portal-zh").stat().st_size > 10_000


def test_resident_reads_the_notice_from_the_navigation(demo_server, phone, screenshot):
    phone.goto(f"{demo_server.url}/2016/")
    phone.get_by_role("link", name="活动通知").click()
    phone.wait_for_url("**/2016/notice/")
    assert phone.get_by_role("heading", name="一、组织机构").is_visible()
    assert "七类恶性刑事案件" in phone.locator("main").inner_text()
    assert_fits_the_screen(phone)
    screenshot(phone, "notice-zh")
    phone.get_by_role("link", name="鹿城区“平安小区”评选办法").last.click()
    phone.wait_for_url("**/2016/rules/")
    assert phone.get_by_role("heading", name="总  则").is_visible()


def test_language_switch_keeps_the_reader_on_the_same_page(demo_server, phone, screenshot):
    phone.goto(f"{demo_server.url}/2016/notice/")
    phone.get_by_role("link", name="English").click()
    phone.wait_for_url("**/en/2016/notice/")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("h1").inner_text().startswith("Notice on the")
    assert phone.get_by_role("heading", name="1. Organisers").is_visible()
    assert_fits_the_screen(phone)
    screenshot(phone, "notice-en")
    phone.get_by_role("link", name="简体中文").click()
    phone.wait_for_url(re.compile(r".*/2016/notice/$"))
    assert phone.locator("html").get_attribute("lang") == "zh-Hans"


def test_search_finds_a_chinese_substring(demo_server, phone, screenshot):
    phone.goto(f"{demo_server.url}/2016/")
    phone.get_by_label("站内搜索").fill("平安")
    phone.get_by_role("button", name="搜索").click()
    phone.wait_for_url("**/search/?q=*")
    results = phone.locator("ol.results li")
    assert results.count() >= 3
    assert phone.get_by_role("link", name="2016年度鹿城区平安小区评选").is_visible()
    screenshot(phone, "search-zh")
