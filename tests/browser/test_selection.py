"""The whole selection in Chromium, as each role in turn, from the demo at the inspection
phase: two street offices enter inspections and send their lists, a panel member scores, the
district office ranks and publishes the notice, a resident files an objection that the office
upholds, and the winners are confirmed and shown with their certificates."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from campaign_pages.models import WinnersPage
from registrations.models import Objection
from registrations.notice import notice_page_for
from tests.voting.selection_helpers import open_phase
from voting.casting import current_campaign
from voting.models import Inspection, PanelScore, SelectionRecord, StreetSubmission

from .conftest import load_demo, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-test-only-pw"


@pytest.fixture
def selection_server(live_server):
    load_demo("inspection")
    for user in User.objects.filter(
        username__in=["wuma-office", "songtai-office", "panel-chen", "district-office"]
    ):
        user.set_password(PASSWORD)
        user.save()
    return live_server


def signed_in(browser, server, username, width):
    page = new_page(browser, width)
    page.goto(f"{server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/admin/")
    return page


def submit(page, label):
    with page.expect_navigation():
        page.get_by_role("button", name=label).first.click()


def enter_inspection(page, server):
    page.goto(f"{server.url}/admin/inspection/new/")
    page.select_option("select[name=candidate]", index=1)
    page.fill("input[name=inspectors]", "街道综治办、派出所、社区（浏览器测试）")
    for field in page.locator("input[name^=check_]").all():
        field.fill(field.get_attribute("max") or "5")
    page.fill("input[name=floating_population]", "120")
    page.fill("input[name=floating_registered]", "118")
    page.fill("input[name=residents_interviewed]", "40")
    page.fill("input[name=residents_satisfied]", "39")
    page.check("input[name=ledger_checked]")
    page.fill("textarea[name=findings]", "门岗值守到位，台帐齐全。（浏览器测试）")
    page.locator("main form button.button-longrunning[type=submit]").first.click()
    page.wait_for_url(f"{server.url}/admin/inspection/")
    page.goto(f"{server.url}/admin/inspection/street-list/")
    submit(page, "上报拟评名单")
    assert "已上报区综治办" in page.content()


def test_full_selection_as_each_role(browser, selection_server, screenshot, width):
    server = selection_server
    campaign = current_campaign()
    before = Inspection.objects.count()

    # Two street offices: each enters an inspection of its street and sends its list.
    for username in ("wuma-office", "songtai-office"):
        page = signed_in(browser, server, username, width)
        enter_inspection(page, server)
        screenshot(page, f"selection-{username}-{width}")
        page.context.close()
    assert Inspection.objects.count() == before + 2
    assert StreetSubmission.objects.count() == 2

    # The inspection deadline passes; the review opens.
    open_phase(campaign, "review")

    # A panel member scores a candidate on every criterion.
    page = signed_in(browser, server, "panel-chen", width)
    page.goto(f"{server.url}/admin/selection/scores/")
    with page.expect_navigation():
        page.locator("table.listing a").first.click()
    page.locator("input[name^=criterion_]").first.wait_for()
    for field in page.locator("input[name^=criterion_]").all():
        field.fill("8")
    submit(page, "保存我的评分")
    assert "评分已保存" in page.content(), page.inner_text("main")
    page.context.close()
    assert PanelScore.objects.filter(member__username="panel-chen").exists()

    # The district office ranks and publishes the proposed list.
    page = signed_in(browser, server, "district-office", width)
    page.goto(f"{server.url}/admin/selection/ranking/")
    assert "综合排名" in page.content() and "不参与排名" in page.content()
    screenshot(page, f"selection-ranking-{width}")
    page.goto(f"{server.url}/admin/selection/proposal/")
    submit(page, "公示拟定名单")
    assert "已发布公示" in page.content()
    notice = notice_page_for(campaign)
    listed = [e.residence for e in notice.current_entries()]
    assert listed and notice.period_is_open()

    # A resident files an objection on the public notice from a phone.
    resident = new_page(browser, width)
    resident.goto(f"{server.url}{notice.url}")
    screenshot(resident, f"selection-public-notice-{width}")
    resident.fill("input[name=name]", "张某某（测试）")
    resident.fill("input[name=phone]", "17410000777")
    resident.select_option("select[name=candidate]", str(listed[0].pk))
    resident.fill("textarea[name=facts]", "该小区年内曾发生入室盗窃，请核实。（浏览器测试）")
    with resident.expect_navigation():
        resident.locator("main form[method=post] button[type=submit]").first.click()
    objection = Objection.objects.get()
    assert objection.reference in resident.content()
    resident.context.close()

    # The office upholds it: the candidate is withdrawn from the list.
    page.goto(
        f"{server.url}/admin/bulk/registrations/objection/uphold_objection/"
        f"?next=/admin/&id={objection.pk}"
    )
    page.fill("textarea[name=reason]", "经核实，异议成立，该小区退出拟定名单。（浏览器测试）")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()
    objection.refresh_from_db()
    assert objection.status == Objection.Status.ACCEPTED
    assert listed[0] not in [e.residence for e in notice_page_for(campaign).current_entries()]

    # While the notice period runs the winners cannot be confirmed.
    page.goto(f"{server.url}/admin/selection/confirm/")
    assert "暂不能确定获奖名单" in page.content()

    # Ten days later: organisation awards, then the confirmation.
    notice = notice_page_for(campaign)
    notice.period_starts_at -= timedelta(days=notice.notice_days, hours=1)
    notice.save(update_fields=["period_starts_at"])
    page.goto(f"{server.url}/admin/selection/organisations/")
    submit(page, "保存优秀组织奖")
    assert "优秀组织奖" in page.content()
    page.goto(f"{server.url}/admin/selection/confirm/")
    submit(page, "确定并发布获奖名单")
    assert "已确定并发布" in page.content()
    screenshot(page, f"selection-confirmed-{width}")
    page.context.close()
    assert SelectionRecord.objects.filter(action="winners_confirmed").exists()

    # The public sees the winners with their certificates.
    winners = WinnersPage.objects.child_of(campaign).get()
    reader = new_page(browser, width)
    reader.goto(f"{server.url}{winners.url}")
    screenshot(reader, f"selection-winners-{width}")
    body = reader.content()
    assert listed[1].title in body and listed[0].title not in body
    link = reader.locator("a[href*='certificate/']").first
    href = link.get_attribute("href")
    response = reader.request.get(f"{server.url}{href}" if href.startswith("/") else href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader.context.close()
