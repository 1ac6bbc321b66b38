"""A resident votes, from a phone and from a desktop: three candidates, then the daily limit,
read in Chinese; without JavaScript too; and the leaderboard."""

import json
import re

import pytest

from voting.casting import current_campaign
from voting.models import Vote, VotingRules
from voting.models.voters import keyed_hash

from .conftest import assert_fits_the_screen, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(folder, phone):
    for path in sorted(folder.glob("*.json"), reverse=True):
        message = json.loads(path.read_text(encoding="utf-8"))
        if message["phone"] == phone:
            return re.search(r"\d{6}", message["text"]).group()
    raise AssertionError("no code sent")


def test_vote_for_three_candidates_then_hit_the_daily_limit(
    demo_server, visitor, width, screenshot, settings, tmp_path
):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path)
    VotingRules.objects.create(campaign=current_campaign(), per_day=3)
    number = "17410009999"

    visitor.goto(f"{demo_server.url}/2016/candidates/")
    controls = visitor.locator(".vote-control")
    assert controls.count() >= 4
    first = controls.nth(0)
    card = visitor.locator(".candidate-card").nth(0)
    shown = int(re.search(r"\d+", card.locator(".votes").inner_text()).group())
    first.locator(".vote-button").click()
    first.locator("input[name=phone]").fill(number)
    first.locator(".send-code").click()
    first.locator(".vote-message.ok").wait_for()
    first.locator("input[name=code]").fill(code_for(tmp_path, number))
    first.get_by_role("button", name="验证并投票").click()
    first.locator(".vote-message.ok").filter(has_text="投票成功").wait_for()
    assert "还可投2票" in first.locator(".vote-message").inner_text()
    # The button and the card's count say what happened, without reloading the page.
    assert first.locator(".vote-button").inner_text() == "今日已投"
    assert card.locator(".votes").inner_text() == f"{shown + 1} 票"

    for index, left in ((1, 1), (2, 0)):  # then one tap each
        control = controls.nth(index)
        control.locator(".vote-button").click()
        control.locator(".vote-message.ok").filter(has_text=f"还可投{left}票").wait_for()

    fourth = controls.nth(3)
    fourth.locator(".vote-button").click()
    fourth.locator(".vote-message.refused").wait_for()
    assert "3票已全部用完" in fourth.locator(".vote-message").inner_text()
    first.locator(".vote-button").click()  # a second tap on a voted candidate: explained
    first.locator(".vote-message.refused").wait_for()
    assert "已为该小区投过票" in first.locator(".vote-message").inner_text()
    assert Vote.objects.filter(voter__phone_hash=keyed_hash(number)).count() == 3
    assert_fits_the_screen(visitor)
    screenshot(visitor, f"vote-daily-limit-zh-{width}")


def test_vote_without_javascript(demo_server, browser, width, settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path)
    page = new_page(browser, width, java_script_enabled=False)
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
    page.context.close()


def test_leaderboard_ranks_candidates_with_thumbnails(demo_server, visitor, width, screenshot):
    visitor.goto(f"{demo_server.url}/2016/leaderboard/")
    rows = visitor.locator(".leaderboard li")
    assert rows.count() >= 5
    assert rows.nth(0).locator(".board-rank").inner_text() == "1"
    assert "票" in rows.nth(0).locator(".board-votes").inner_text()
    assert "实时有效票数" in visitor.locator(".board-status").inner_text()
    first = rows.nth(0).locator(".board-name a")
    name = first.inner_text()
    assert_fits_the_screen(visitor)
    screenshot(visitor, f"leaderboard-zh-{width}")
    first.click()
    assert visitor.locator("h1").inner_text() == name  # the link leads to the profile
