"""A resident, on a cheap phone and on a desktop: the portal, the notice, the language switch
and search."""

import re

import pytest

from .conftest import assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_portal_shows_the_campaign_and_its_open_phase(demo_server, visitor, width, screenshot):
    visitor.goto(f"{demo_server.url}/2016/")
    assert visitor.locator("html").get_attribute("lang") == "zh-Hans"
    assert visitor.locator("h1").inner_text() == "2016年度鹿城区平安小区评选"
    open_phase = visitor.locator(".phase.is-open", has_text="手机投票")
    assert open_phase.is_visible()
    # The countdown script has replaced the server's text with days, hours and minutes.
    assert re.search(r"\d+ 天 \d+ 小时 \d+ 分钟", visitor.locator(".countdown-value").inner_text())
    assert_fits_the_screen(visitor)
    assert screenshot(visitor, f"portal-zh-{width}").stat().st_size > 10_000


def test_resident_reads_the_notice_from_the_navigation(demo_server, visitor, width, screenshot):
    visitor.goto(f"{demo_server.url}/2016/")
    visitor.get_by_role("link", name="活动通知").click()
    visitor.wait_for_url("**/2016/notice/")
    assert visitor.get_by_role("heading", name="一、组织机构").is_visible()
    assert "七类恶性刑事案件" in visitor.locator("main").inner_text()
    assert_fits_the_screen(visitor)
    screenshot(visitor, f"notice-zh-{width}")
    visitor.get_by_role("link", name="鹿城区“平安小区”评选办法").last.click()
    visitor.wait_for_url("**/2016/rules/")
    assert visitor.get_by_role("heading", name="总  则").is_visible()


def test_language_switch_keeps_the_reader_on_the_same_page(demo_server, visitor, width, screenshot):
    visitor.goto(f"{demo_server.url}/2016/notice/")
    visitor.get_by_role("link", name="English").click()
    visitor.wait_for_url("**/en/2016/notice/")
    assert visitor.locator("html").get_attribute("lang") == "en"
    assert visitor.locator("h1").inner_text().startswith("Notice on the")
    assert visitor.get_by_role("heading", name="1. Organisers").is_visible()
    assert_fits_the_screen(visitor)
    screenshot(visitor, f"notice-en-{width}")
    visitor.get_by_role("link", name="简体中文").click()
    visitor.wait_for_url(re.compile(r".*/2016/notice/$"))
    assert visitor.locator("html").get_attribute("lang") == "zh-Hans"


def test_search_finds_a_chinese_substring(demo_server, visitor, width, screenshot):
    visitor.goto(f"{demo_server.url}/2016/")
    visitor.get_by_label("站内搜索").fill("平安")
    visitor.get_by_role("button", name="搜索").click()
    visitor.wait_for_url("**/search/?q=*")
    results = visitor.locator("ol.results li")
    assert results.count() >= 3
    assert visitor.get_by_role("link", name="2016年度鹿城区平安小区评选").is_visible()
    screenshot(visitor, f"search-zh-{width}")
