"""Text pages of a campaign: the notice (通知), the rules (评选办法) and other texts."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from campaign_pages.blocks import TextBodyBlock
from campaign_pages.models.navigation import MenuTitleMixin
from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin


class ArticlePage(MenuTitleMixin, SegmentedSearchMixin, Page):
    """A published text: the campaign's notice, its rules, or any other explanatory page.

    ``kind`` lets the campaign portal link to the notice and the rules by name, whatever
    their titles. The body is a StreamField of headings, paragraphs, images, tables and
    attachments, and the page has a print stylesheet so the notice prints cleanly on A4.
    """

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice")
        RULES = "rules", _("Rules")
        OTHER = "other", _("Other text")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=120, blank=True)
    body = StreamField(TextBodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("issued_on"), FieldPanel("issuer")]),
        FieldPanel("menu_title"),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("issuer"),
        index.SearchField("body"),
        index.FilterField("kind"),
        SEGMENTS_FIELD,
    ]

    override_translatable_fields = [
        SynchronizedField("kind"),
        SynchronizedField("issued_on"),
    ]

    og_type = "article"  # Open Graph type for share cards

    parent_page_types = ["campaign_pages.CampaignPage", "campaign_pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
