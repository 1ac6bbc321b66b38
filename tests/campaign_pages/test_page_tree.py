"""Which page type may live where (parent_page_types / subpage_types)."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from campaign_pages.models import ArticlePage, CampaignPage, HomePage


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

    def test_articles_are_leaves(self):
        self.assertAllowedSubpageTypes(ArticlePage, {})
