"""Candidate residential communities (候选小区): the index and one page per candidate."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin


class ResidenceIndexPage(SegmentedSearchMixin, Page):
    """The list of a campaign's candidates (候选小区), one ``ResidencePage`` each below it."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEGMENTS_FIELD]

    parent_page_types = ["campaign_pages.CampaignPage"]
    subpage_types = ["campaign_pages.ResidencePage"]

    class Meta:
        verbose_name = _("candidate list")
        verbose_name_plural = _("candidate lists")

    def residences(self):
        return (
            ResidencePage.objects.child_of(self)
            .live()
            .public()
            .select_related("street", "community")
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["residences"] = self.residences()
        return context


class ResidencePage(SegmentedSearchMixin, Page):
    """One candidate residential community (小区) of a campaign.

    Created as a draft when the panel shortlists a registration (the registration links to it
    through ``registration``, a reverse one-to-one from the registrations app); editors
    publish it. The facts shown here are copied from the registration when it is made.
    """

    street = models.ForeignKey(
        "campaign_pages.Street",
        verbose_name=_("street or town"),
        on_delete=models.PROTECT,
        related_name="residences",
    )
    community = models.ForeignKey(
        "campaign_pages.Community",
        verbose_name=_("community (社区)"),
        on_delete=models.PROTECT,
        related_name="residences",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    property_company = models.CharField(
        _("property management company"), max_length=100, blank=True
    )
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    summary = RichTextField(
        _("safety work and highlights"), blank=True, features=["bold", "italic", "ol", "ul"]
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("street"), FieldPanel("community")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("property_company"), FieldPanel("households")]),
        FieldPanel("summary"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("address"),
        index.SearchField("summary"),
        index.FilterField("street_id"),
        SEGMENTS_FIELD,
    ]
    override_translatable_fields = [
        SynchronizedField("street"),
        SynchronizedField("community"),
        SynchronizedField("households"),
    ]

    parent_page_types = ["campaign_pages.ResidenceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("candidate community")
        verbose_name_plural = _("candidate communities")
