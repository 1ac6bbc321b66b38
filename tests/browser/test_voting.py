"""A resident votes from a phone: three candidates, then the daily limit, read in Chinese."""

import json
import re

import pytest

from voting.casting import current_campaign
from voting.models import Vote, VotingRules
from voting.models.voters import keyed_hash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(folder, phone):
    for path in sorted(folder.glob("*.json"), reverse=True):
        message = json.loads(path.read_text(encoding="utf-8"))
        if message["phone"] == phone:
            return re.search(r"\d{6}", message["text"]).group()
    raise AssertionError("no code sent")


def test_vote_for_three_candidates_then_hit_the_daily_limit(
    demo_server, phone, screenshot, settings, tmp_path
):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path)
    VotingRules.objects.create(campaign=current_campaign(), per_day=3)
    number = "17410009999"

    phone.goto(f"{demo_server.url}/2016/candidates/")
    controls = phone.locator(".vote-control")
    assert controls.count() >= 4
    first = controls.nth(0)
    first.locator(".vote-button").click()
    first.locator("input[name=phone]").fill(number)
    first.locator(".send-code").click()
    first.locator(".vote-message.ok").wait_for()
    first.locator("input[name=code]").fill(code_for(tmp_path, number))
    first.get_by_role("button", name="验证并投票").click()
    first.locator(".vote-message.ok").filter(has_text="投票成功").wait_for()
    assert "还可投2票" in first.locator(".vote-message").inner_text()

    for index, left in ((1, 1), (2, 0)):  # then one tap each
        control = controls.nth(index)
        control.locator(".vote-button").click()
        control.locator(".vote-message.ok").filter(has_text=f"还可投{left}票").wait_for()

    fourth = controls.nth(3)
    fourth.locator(".vote-button").click()
    fourth.locator(".vote-message.refused").wait_for()
    assert "3票已全部用完" in fourth.locator(".vote-message").inner_text()
    assert Vote.objects.filter(voter__phone_hash=keyed_hash(number)).count() == 3
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(phone, "vote-daily-limit-zh")


def test_vote_without_javascript(demo_server, browser, settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(f"{demo_server.url}/2016/candidates/")
    page.locator(".vote-control .vote-button").first.click()
    page.locator("input[name=phone]").fill("17410009998")
    page.get_by_role("button", name="获取验证码").click()
    page.locator("input[name=code]").fill(code_for(tmp_path, "17410009998"))
    page.get_by_role("button", name="验证并投票").click()
    assert "投票成功" in page.locator(".vote-result").inner_text()
    page.get_by_role("button", name="确认投票").click()
    assert "已为该小区投过票" in page.locator(".vote-result").inner_text()
    assert Vote.objects.filter(voter__phone_hash=keyed_hash("17410009998")).count() == 1
    context.close()


def test_leaderboard_on_a_phone_ranks_candidates_with_thumbnails(demo_server, phone, screenshot):
    phone.goto(f"{demo_server.url}/2016/leaderboard/")
    rows = phone.locator(".leaderboard li")
    assert rows.count() >= 5
    assert rows.nth(0).locator(".board-rank").inner_text() == "1"
    assert "票" in rows.nth(0).locator(".board-votes").inner_text()
    assert "实时有效票数" in phone.locator(".board-status").inner_text()
    first = rows.nth(0).locator(".board-name a")
    name = first.inner_text()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(phone, "leaderboard-zh")
    first.click()
    assert phone.locator("h1").inner_text() == name  # the link leads to the profile
