"""Which page type may live where (parent_page_types / subpage_types)."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from campaign_pages.models import (
    ArticlePage,
    CampaignPage,
    HomePage,
    ResidenceIndexPage,
    ResidencePage,
)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_lives_at_the_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(CampaignPage, HomePage)

    def test_campaigns_live_under_a_home_page(self):
        self.assertCanCreateAt(HomePage, CampaignPage)
        self.assertCanNotCreateAt(Page, CampaignPage)
        self.assertCanNotCreateAt(CampaignPage, CampaignPage)
        self.assertCanNotCreateAt(ArticlePage, CampaignPage)

    def test_articles_live_under_a_campaign_or_the_home_page(self):
        self.assertCanCreateAt(CampaignPage, ArticlePage)
        self.assertCanCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(Page, ArticlePage)

    def test_candidates_live_in_a_campaigns_candidate_list(self):
        self.assertCanCreateAt(CampaignPage, ResidenceIndexPage)
        self.assertCanCreateAt(ResidenceIndexPage, ResidencePage)
        self.assertCanNotCreateAt(HomePage, ResidenceIndexPage)
        self.assertCanNotCreateAt(CampaignPage, ResidencePage)
        self.assertAllowedSubpageTypes(ResidencePage, {})

    def test_articles_are_leaves(self):
        self.assertAllowedSubpageTypes(ArticlePage, {})


class EveryPageRoutableAndRenderableTests(WagtailPageTestCase):
    """Wagtail's own checks on every live page of the demo.

    ``assertPageIsRoutable`` routes from the site root without the /en/ prefix, so it
    checks the Chinese tree; the English URLs are requested in test_rendering.py.
    """

    def test_every_demo_page_is_renderable_in_both_languages(self):
        pages = (
            Page.objects.live()
            .type(HomePage, CampaignPage, ArticlePage, ResidenceIndexPage)
            .specific()
        )
        for page in pages:
            with self.subTest(page=page.url):
                self.assertPageIsRenderable(page)
        self.assertEqual({p.locale.language_code for p in pages}, {"zh-hans", "en"})
        self.assertGreaterEqual(pages.count(), 10)

    def test_every_chinese_page_is_routable(self):
        pages = Page.objects.live().type(HomePage, CampaignPage, ArticlePage, ResidenceIndexPage)
        for page in pages.filter(locale__language_code="zh-hans").specific():
            with self.subTest(page=page.url):
                self.assertPageIsRoutable(page)
