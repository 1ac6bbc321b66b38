"""axe-core on every public page type, at 360 px and 1280 px: no serious or critical violation.

The demo campaign, with a proposed list on public notice and then its winners confirmed, is
read as a resident reads it: portal, campaign, notice and rules, candidates, reports, live
coverage, an event, registration (blank and with errors), the leaderboard, the public notice
(with a rejected objection), the results, search and the 404 page, a few in English; then a
community signs in and its dashboard is checked too. Every finding, whatever its impact, is
written to ``test-artifacts/axe/``. The Wagtail admin is checked and reported, not failed.
"""

import warnings
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from wagtail.models import Page

from campaign_pages.models import CampaignPage, ResidencePage
from campaign_pages.winners import write_winners
from media_reports.models import MonitorMember
from registrations.models import Registration
from registrations.notice import publish_proposed_list
from voting.models import Tally

from .a11y import audit, blocking, describe, save_report
from .conftest import assert_fits_the_screen, new_page, sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def one_page_of_each_type():
    """The URL of one live page of every Wagtail page type, in each language."""
    chosen = {}
    for page in Page.objects.live().filter(depth__gt=1).order_by("path").specific():
        chosen.setdefault((type(page).__name__, page.locale.language_code), page.url)
    return list(chosen.values())


def public_urls():
    """Every public page type, plus the routes and states that are not pages of their own."""
    candidate = Tally.objects.order_by("pk").values_list("candidate_id", flat=True).first()
    member = MonitorMember.objects.order_by("pk").first()
    registration = Registration.objects.exclude(status_token="").order_by("pk").first()
    urls = [
        *one_page_of_each_type(),
        "/2016/rules/",
        "/2016/reports/hazards/",
        "/2016/reports/team/",
        f"/2016/reports/team/{member.pk}/",
        f"/2016/register/status/{registration.status_token}/",
        f"/vote/{candidate}/",
        "/search/?q=平安",
        "/search/?q=没有这样的小区",
        "/en/search/?q=safe",
        "/community/login/",
        "/en/community/login/",
        "/no-such-page/",
        "/en/no-such-page/",
    ]
    return list(dict.fromkeys(urls))


class Audit:
    """The violations of every page one test visits, by URL."""

    def __init__(self):
        self.results = {}

    def check(self, page, label=None):
        page.wait_for_load_state("networkidle")
        self.results[label or page.url] = audit(page)

    def visit(self, page, url):
        response = page.goto(url, wait_until="networkidle")
        assert response.status in (200, 404), f"{url}: {response.status}"
        assert_fits_the_screen(page)
        self.check(page)

    def blocking(self):
        return "\n".join(
            describe(blocking(found), url) for url, found in self.results.items() if blocking(found)
        )


def open_the_public_notice(campaign):
    candidates = list(ResidencePage.objects.live().descendant_of(campaign).order_by("path")[:3])
    publish_proposed_list(
        campaign,
        [{"residence": r, "rank": n, "summary": "考核 90 分"} for n, r in enumerate(candidates, 1)],
        starts_at=timezone.now() - timedelta(hours=1),
    )
    return candidates


def test_every_public_page_type_has_no_serious_accessibility_violation(
    demo_server, visitor, width, screenshot
):
    server = demo_server.url
    campaign = CampaignPage.objects.get(slug="2016", locale__language_code="zh-hans")
    found = Audit()
    urls = public_urls()
    assert len(urls) > 25
    for url in urls:
        found.visit(visitor, server + url)

    # The registration form as a resident sees it after a mistake: the error summary, the
    # fields marked invalid.
    visitor.goto(f"{server}/2016/register/")
    visitor.get_by_role("button", name="提交报名").click()
    visitor.locator(".error-summary").wait_for()
    found.check(visitor, "/2016/register/ (errors)")
    screenshot(visitor, f"a11y-registration-errors-{width}")

    # The public notice with its objection form, blank and after a mistake.
    candidates = open_the_public_notice(campaign)
    for url in ("/2016/public-notice/", "/en/2016/public-notice/"):
        found.visit(visitor, server + url)
    visitor.goto(f"{server}/2016/public-notice/")
    visitor.get_by_label("被反映的小区").select_option(label=candidates[1].title)
    visitor.get_by_role("button", name="提交异议").click()
    visitor.locator("#error-summary").wait_for()
    found.check(visitor, "/2016/public-notice/ (errors)")

    # The results, once confirmed.
    write_winners(campaign, [{"residence": r, "rank": n} for n, r in enumerate(candidates, 1)], [])
    for url in ("/2016/winners/", "/en/2016/winners/", "/2016/"):
        found.visit(visitor, server + url)
    screenshot(visitor, f"a11y-campaign-with-results-{width}")

    # A community's own pages: the dashboard, its registration and its photos and videos.
    registration = Registration.objects.filter(account__isnull=False).order_by("pk").first()
    registration.account.set_password("community-pass-2016")
    registration.account.save()
    visitor.goto(f"{server}/community/login/")
    visitor.get_by_label("用户名").fill(registration.account.username)
    visitor.get_by_label("密码").fill("community-pass-2016")
    visitor.get_by_role("button", name="登录").click()
    visitor.wait_for_url("**/community/")
    for url in (
        "/community/",
        f"/community/registrations/{registration.pk}/",
        f"/community/registrations/{registration.pk}/media/",
    ):
        found.visit(visitor, server + url)

    report = save_report(f"public-{width}", found.results)
    assert not found.blocking(), f"axe (report: {report}):\n{found.blocking()}"


ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/{campaign}/",
    "/admin/pages/{campaign}/edit/",
    "/admin/pages/{article}/edit/",
    "/admin/snippets/media_reports/liveentry/",
    "/admin/snippets/media_reports/liveentry/add/",
    "/admin/snippets/registrations/registration/",
    "/admin/snippets/registrations/residencevideo/?moderation=pending",
    "/admin/images/",
]


def test_main_admin_pages_are_checked_and_reported(demo_server, browser):
    """Wagtail's admin is not ours to fix: its findings are reported (test-artifacts/axe/
    admin.json and a warning), and the test fails only if a page or axe itself fails."""
    from campaign_pages.models import ArticlePage

    editor = User.objects.create_user("a11y-editor", password="a11y-editor-pass")
    editor.groups.add(Group.objects.get(name="Editors"))
    admin = sign_in_to_admin(browser, demo_server, "a11y-editor", "a11y-editor-pass")
    campaign = CampaignPage.objects.get(slug="2016", locale__language_code="zh-hans")
    article = ArticlePage.objects.live().filter(locale=campaign.locale).first()
    found = Audit()
    for url in ADMIN_PAGES:
        url = url.format(campaign=campaign.pk, article=article.pk)
        response = admin.goto(demo_server.url + url, wait_until="networkidle")
        assert response.status == 200, f"{url}: {response.status}"
        found.check(admin, url)
    admin.context.close()
    assert len(found.results) == len(ADMIN_PAGES)
    report = save_report("admin", found.results)
    if found.blocking():
        warnings.warn(f"axe on the Wagtail admin ({report}):\n{found.blocking()}", stacklevel=1)


def test_axe_finds_a_problem_when_there_is_one(demo_server, browser):
    """The check is real: an image without a text alternative is a critical violation."""
    page = new_page(browser, "360")
    page.goto(f"{demo_server.url}/no-such-page/")
    assert not blocking(audit(page))
    page.evaluate(
        "() => { const a = document.createElement('a'); a.href = '/'; "
        "a.append(document.createElement('img')); document.querySelector('main').append(a); }"
    )
    found = blocking(audit(page))
    page.context.close()
    assert {"image-alt", "link-name"} <= {v["id"] for v in found}, describe(found)
