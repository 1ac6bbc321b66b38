"""The results page: 十佳平安小区 and 优秀组织奖, with certificates and plaque texts."""

import re

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from campaign_pages.models.navigation import MenuTitleMixin
from campaign_pages.models.originals import SharedWithTranslationsMixin
from campaign_pages.panels import SelectionRowsPanel
from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin

# The PDFs a results page serves (routed to ``serve_asset`` by campaign_pages.views.page_asset).
ASSET = re.compile(r"^(?:certificate/(?P<kind>winner|organisation)|plaque)/(?P<pk>\d{1,10})\.pdf$")


class WinnersPage(MenuTitleMixin, SharedWithTranslationsMixin, SegmentedSearchMixin, Page):
    """The confirmed results of a campaign (§八 奖项设置, 第八条 确定“十佳平安小区”).

    Its rows are written by the selection (the voting app, through
    ``campaign_pages.winners.write_winners``) when the district office confirms the winners;
    until ``confirmed_at`` is set the page says the results are not yet announced. It serves
    an A4 certificate (荣誉证书) for every winner and award and a plaque for every 十佳 winner
    as PDF (``certificate/winner/<pk>.pdf``, ``certificate/organisation/<pk>.pdf``,
    ``plaque/<pk>.pdf``). The rows belong to the default-language original; a translation
    shows the original's rows, linked to the candidates' pages in its own language.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    confirmed_at = models.DateTimeField(
        _("winners confirmed at"),
        null=True,
        blank=True,
        help_text=_("Set when the district office confirms the winners."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("menu_title"),
        FieldPanel("intro"),
        FieldPanel("confirmed_at", read_only=True),
        # Written by the selection (voting.selection), never by hand: see campaign_pages.panels.
        SelectionRowsPanel(
            "winners",
            [
                ("rank", _("rank")),
                ("residence", _("candidate community")),
                ("citation", _("citation")),
            ],
            "selection:confirm",
            heading=_("Top ten safe residential communities"),
        ),
        SelectionRowsPanel(
            "organisation_awards",
            [("community", _("community (社区)")), ("citation", _("citation"))],
            "selection:organisations",
            heading=_("Organisation awards"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEGMENTS_FIELD]
    override_translatable_fields = [SynchronizedField("confirmed_at")]

    parent_page_types = ["campaign_pages.CampaignPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("winners page")
        verbose_name_plural = _("winners pages")

    @property
    def is_confirmed(self):
        return self.source.confirmed_at is not None

    def campaign(self):
        from campaign_pages.models.campaign import CampaignPage

        return CampaignPage.objects.ancestor_of(self).first()

    def confirmed_winners(self):
        """The 十佳 in rank order; empty until the winners are confirmed."""
        if not self.is_confirmed:
            return Winner.objects.none()
        return (
            Winner.objects.filter(page=self.source)
            .select_related("residence__street", "residence__community", "residence__cover_image")
            .order_by("rank", "sort_order")
        )

    def confirmed_awards(self):
        if not self.is_confirmed:
            return OrganisationAward.objects.none()
        return OrganisationAward.objects.filter(page=self.source).select_related(
            "community__street"
        )

    def winner_cards(self):
        """The confirmed winners, each with the candidate's page in this page's language
        (``local_residence``) and the plaque's lines (``plaque``, always Chinese)."""
        campaign, confirmed_at = self.source.campaign(), self.source.confirmed_at
        winners = list(self.confirmed_winners())
        for winner in winners:
            translated = winner.residence.get_translation_or_none(self.locale)
            live = translated is not None and translated.live
            winner.local_residence = translated if live else winner.residence
            with translation.override(settings.LANGUAGE_CODE):
                winner.plaque = winner.plaque_lines(campaign, confirmed_at)
        return winners

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["winners"] = self.winner_cards()
        context["organisation_awards"] = self.confirmed_awards()
        context["confirmed_at"] = self.source.confirmed_at
        return context

    # -- certificates and plaques (PDF, drawn on request) ---------------------------------

    def confirmed_row(self, kind, pk):
        """The confirmed winner or award ``pk`` of this page; 404 for anything else."""
        rows = {"winner": self.confirmed_winners, "organisation": self.confirmed_awards}
        row = rows[kind]().filter(pk=pk).first()
        if row is None:
            raise Http404
        return row

    def serve_asset(self, request, name):
        """``certificate/<winner|organisation>/<pk>.pdf`` and ``plaque/<pk>.pdf`` (see urls.py)."""
        from campaign_pages.certificates import certificate_pdf, pdf_response, plaque_pdf

        match = ASSET.match(name)
        if match is None:
            raise Http404
        kind, pk = match["kind"] or "plaque", int(match["pk"])
        row = self.confirmed_row("winner" if kind == "plaque" else kind, pk)
        campaign, confirmed_at = self.source.campaign(), self.source.confirmed_at
        if kind == "plaque":
            pdf = plaque_pdf(row, campaign, confirmed_at)
        else:
            pdf = certificate_pdf(row, campaign, confirmed_at)
        return pdf_response(pdf, f"{kind}-{row.pk}.pdf")


class Winner(Orderable):
    """One of the 十佳平安小区 on a ``WinnersPage``: the candidate, its rank and its plaque."""

    page = ParentalKey(WinnersPage, on_delete=models.CASCADE, related_name="winners")
    residence = models.ForeignKey(
        "campaign_pages.ResidencePage",
        verbose_name=_("candidate community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    plaque_text = models.TextField(
        _("plaque text"),
        blank=True,
        max_length=300,
        help_text=_("The lines engraved on the bronze plaque; empty: the standard wording."),
    )
    citation = models.TextField(_("citation"), blank=True, max_length=1000)

    panels = [
        FieldPanel("residence"),
        FieldPanel("rank"),
        FieldPanel("plaque_text"),
        FieldPanel("citation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("winner")
        verbose_name_plural = _("winners")

    def __str__(self):
        return f"{self.rank}. {self.residence.title}"

    def plaque_lines(self, campaign, confirmed_at=None):
        """The plaque's lines: the text the office wrote, or the standard wording."""
        if self.plaque_text.strip():
            return [line.strip() for line in self.plaque_text.splitlines() if line.strip()]
        when = timezone.localtime(confirmed_at) if confirmed_at else timezone.localtime()
        return [
            gettext("%(district)s Top Ten Safe Residential Community")
            % {"district": campaign.district},
            self.residence.title,
            formats.date_format(when.date(), "YEAR_MONTH_FORMAT"),
        ]


class OrganisationAward(Orderable):
    """An 优秀组织奖 for a 社区 (§八 1), with the figures the award was based on.

    ``metrics`` holds what the selection counted for the 社区 (registrations from it, votes
    for its candidates, reports and events about it …) so the office and readers can see why.
    """

    page = ParentalKey(WinnersPage, on_delete=models.CASCADE, related_name="organisation_awards")
    community = models.ForeignKey(
        "campaign_pages.Community",
        verbose_name=_("community (社区)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    citation = models.TextField(_("citation"), blank=True, max_length=1000)
    metrics = models.JSONField(_("figures"), default=dict, blank=True)

    panels = [FieldPanel("community"), FieldPanel("citation"), FieldPanel("metrics")]

    METRIC_LABELS = {
        "registrations": _("Registrations"),
        "votes": _("Votes for its candidates"),
        "reports": _("Reports"),
        "events": _("Events"),
    }

    class Meta(Orderable.Meta):
        verbose_name = _("organisation award")
        verbose_name_plural = _("organisation awards")

    def __str__(self):
        return str(self.community)

    def metric_items(self):
        """(label, value) of the figures, the known ones first under readable names."""
        known = [(self.METRIC_LABELS[k], self.metrics[k]) for k in self.METRIC_LABELS
                 if k in self.metrics]  # fmt: skip
        others = [(k, v) for k, v in self.metrics.items() if k not in self.METRIC_LABELS]
        return known + others
