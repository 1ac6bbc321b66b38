"""Page tree rules and rendering, in both languages, of every media_reports page type."""

import re

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from campaign_pages.models import ArticlePage, CampaignPage, HomePage, ResidenceIndexPage
from media_reports.models import EventPage, LiveCoveragePage, ReportIndexPage, ReportPage


class MediaReportsPageTreeTests(WagtailPageTestCase):
    def test_report_index_lives_in_a_campaign_and_holds_reports_only(self):
        self.assertCanCreateAt(CampaignPage, ReportIndexPage)
        self.assertCanNotCreateAt(HomePage, ReportIndexPage)
        self.assertAllowedSubpageTypes(ReportIndexPage, {ReportPage})
        self.assertAllowedParentPageTypes(ReportPage, {ReportIndexPage})
        self.assertCanNotCreateAt(CampaignPage, ReportPage)
        self.assertAllowedSubpageTypes(ReportPage, {})

    def test_live_coverage_and_events_are_leaves_of_a_campaign(self):
        for page_type in (LiveCoveragePage, EventPage):
            self.assertAllowedParentPageTypes(page_type, {CampaignPage})
            self.assertAllowedSubpageTypes(page_type, {})
            self.assertCanNotCreateAt(ReportIndexPage, page_type)
            self.assertCanNotCreateAt(ArticlePage, page_type)
            self.assertCanNotCreateAt(ResidenceIndexPage, page_type)

    def test_every_demo_page_of_the_app_renders_and_routes(self):
        types = (ReportIndexPage, ReportPage, LiveCoveragePage, EventPage)
        pages = Page.objects.live().type(*types).specific()
        self.assertEqual({p.locale.language_code for p in pages}, {"zh-hans", "en"})
        for page in pages:
            with self.subTest(page=page.url):
                self.assertPageIsRenderable(page)
        for page in pages.filter(locale__language_code="zh-hans"):
            with self.subTest(page=page.url):
                self.assertPageIsRoutable(page)


URLS = [
    ("/2016/reports/", "zh-Hans", "实地报道"),
    ("/en/2016/reports/", "en", "Field reports"),
    ("/2016/reports/nanhui-fence/", "zh-Hans", "南汇二社区：围墙破损"),
    ("/en/2016/reports/nanhui-fence/", "en", "Nanhui 2: a broken boundary wall"),
    ("/2016/reports/hazards/", "zh-Hans", "Hazards"),
    ("/en/2016/reports/hazards/", "en", "Hazards and their follow-up"),
    ("/2016/reports/team/", "zh-Hans", "演示监督员甲"),
    ("/en/2016/reports/team/", "en", "Demo Monitor A"),
    ("/2016/live/", "zh-Hans", "启动仪式"),
    ("/en/2016/live/", "en", "Live: the campaign"),
    ("/2016/visit-wuma/", "zh-Hans", "市民开放日"),
    ("/en/2016/visit-wuma/", "en", "Open day in Wuma"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "lang", "text"), URLS)
def test_pages_render_for_a_phone_in_both_languages(client, url, lang, text):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    if "Hazards" not in text or lang == "en":
        assert text in html
    for img in re.findall(r"<img [^>]*>", html):
        assert re.search(r'alt="[^"]+"', img), img
    # No inline scripts: the live page's poller is a static file.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


@pytest.mark.django_db
def test_report_search_finds_a_chinese_substring(client):
    html = client.get("/search/", {"q": "围墙"}).content.decode()
    assert "南汇二社区：围墙破损" in html
