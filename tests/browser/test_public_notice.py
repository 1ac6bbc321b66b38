"""A resident files an objection to the public notice (from a phone and from a desktop),
corrects a mistake, and follows the private link; the results page and a certificate open on
the same screen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaign_pages.models import CampaignPage, ResidencePage
from campaign_pages.winners import write_winners
from registrations.models import Objection
from registrations.notice import publish_proposed_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_objection_with_a_correction_and_the_status_link(demo_server, visitor, width, screenshot):
    campaign = CampaignPage.objects.get(slug="2016", locale__language_code="zh-hans")
    candidates = list(ResidencePage.objects.live().descendant_of(campaign).order_by("path")[:3])
    publish_proposed_list(
        campaign,
        [{"residence": r, "rank": n, "summary": "考核 90 分"} for n, r in enumerate(candidates, 1)],
        starts_at=timezone.now() - timedelta(hours=1),
    )
    visitor.goto(f"{demo_server.url}/2016/public-notice/")
    assert no_horizontal_scroll(visitor)
    visitor.get_by_label("真实姓名").fill("浏览器测试人")
    visitor.get_by_label("手机号码").fill("1741000")  # one digit group short
    visitor.get_by_label("被反映的小区").select_option(label=candidates[1].title)
    visitor.get_by_label("反映的事实").fill("东门监控探头长期损坏，夜间无人值守。")
    visitor.get_by_role("button", name="提交异议").click()
    assert visitor.locator("#error-summary").is_visible()
    screenshot(visitor, f"objection-error-{width}")
    visitor.get_by_label("手机号码").fill("17410000005")
    visitor.get_by_role("button", name="提交异议").click()
    objection = Objection.objects.get()
    assert visitor.get_by_text(objection.reference).is_visible()
    visitor.locator(".status-link a").click()
    assert visitor.locator(".status-open").inner_text() == "核查中"
    assert no_horizontal_scroll(visitor)
    screenshot(visitor, f"objection-status-{width}")


def test_results_and_a_certificate(demo_server, visitor, width, screenshot):
    campaign = CampaignPage.objects.get(slug="2016", locale__language_code="zh-hans")
    winners = list(ResidencePage.objects.live().descendant_of(campaign).order_by("path")[:2])
    write_winners(campaign, [{"residence": r, "rank": n} for n, r in enumerate(winners, 1)], [])
    visitor.goto(f"{demo_server.url}/2016/winners/")
    assert no_horizontal_scroll(visitor)
    assert visitor.get_by_text(winners[0].title).first.is_visible()
    screenshot(visitor, f"winners-{width}")
    href = visitor.get_by_role("link", name="荣誉证书（PDF）").first.get_attribute("href")
    response = visitor.request.get(f"{demo_server.url}{href}")
    assert response.ok and response.body().startswith(b"%PDF")
