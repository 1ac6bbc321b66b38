"""The site's home page: the current campaign up front, past editions as an archive."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from campaign_pages.models.article import ArticlePage
from campaign_pages.models.campaign import CampaignPage
from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin


class HomePage(SegmentedSearchMixin, Page):
    """The root of one language's page tree (平安小区 home, and its English translation).

    It lists the campaigns below it: the newest edition is the current one and leads the
    page; older editions are listed as archives so past winners stay findable.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEGMENTS_FIELD]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["campaign_pages.CampaignPage", "campaign_pages.ArticlePage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def campaigns(self):
        return (
            CampaignPage.objects.child_of(self)
            .live()
            .public()
            .select_related("hero_image")
            .order_by("-year", "-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        campaigns = list(self.campaigns())
        context["current_campaign"] = campaigns[0] if campaigns else None
        context["past_campaigns"] = campaigns[1:]
        context["articles"] = ArticlePage.objects.child_of(self).live().public()
        return context
