"""The public leaderboard page (投票排行榜): candidates ranked by valid votes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.search import index

from campaign_pages.models import CampaignPage, MenuTitleMixin, ResidencePage
from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin

# The thumbnail of a row (see templates/voting/leaderboard_page.html): prefetched in one query.
# Spelled as ``{% picture %}`` spells them (format first), or the prefetch would miss.
THUMBNAIL_RENDITIONS = [
    "format-webp|fill-96x64",
    "format-webp|fill-192x128",
    "format-jpeg|fill-96x64",
    "format-jpeg|fill-192x128",
]


class LeaderboardPage(MenuTitleMixin, SegmentedSearchMixin, Page):
    """The public ranking of a campaign's candidates by valid votes, below its ``CampaignPage``.

    The figures are never edited here: before and during the window they are the live
    tallies (hidden, with the candidates listed by name, when the campaign's ``VotingRules``
    say so); after the window they are the campaign's frozen ``FinalResult``, said to be
    final. A translation shows the same counts as its original (votes belong to the Chinese
    candidate pages) with the candidates' names in its own language.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("menu_title"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEGMENTS_FIELD]

    parent_page_types = ["campaign_pages.CampaignPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("vote leaderboard")
        verbose_name_plural = _("vote leaderboards")

    def campaign(self):
        """The campaign whose votes count: the default-language original of the parent."""
        campaign = CampaignPage.objects.ancestor_of(self).first()
        return campaign.schedule_page if campaign else None

    def rows(self, campaign):
        """(rows, counts_public, final) for the template, in a bounded number of queries.

        Each row is the board's entry (``candidate``, ``title``, ``votes``, ``rank``) plus
        ``page``: the candidate's live page in this page's language (None when it has none,
        e.g. a candidate unpublished after the result was frozen: its name is still shown).
        """
        from voting.results import leaderboard

        entries, public, final = leaderboard(campaign)
        pages = self.candidate_pages([entry["candidate"] for entry in entries])
        rows = [{**entry, "page": pages.get(entry["candidate"])} for entry in entries]
        for row in rows:
            if row["page"] is not None:
                row["title"] = row["page"].title
        if not public:
            # No order may hint at the counts: by name, in the reader's language.
            rows.sort(key=lambda row: row["title"])
        return rows, public, final

    def candidate_pages(self, original_ids):
        """{original candidate id: its live page in this page's language}."""
        images = get_image_model().objects.prefetch_renditions(*THUMBNAIL_RENDITIONS)
        queryset = (
            ResidencePage.objects.live()
            .public()
            .select_related("street")
            .prefetch_related(models.Prefetch("cover_image", queryset=images))
            .defer_streamfields()
        )
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return {page.pk: page for page in queryset.filter(pk__in=original_ids)}
        originals = dict(
            ResidencePage.objects.filter(pk__in=original_ids).values_list("translation_key", "pk")
        )
        translated = queryset.filter(locale_id=self.locale_id, translation_key__in=originals)
        return {originals[page.translation_key]: page for page in translated}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        campaign = self.campaign()
        rows, public, final = self.rows(campaign) if campaign else ([], True, None)
        context.update(
            rows=rows,
            counts_public=public,
            final=final,
            voting_phase=campaign.phase("voting") if campaign else None,
        )
        return context
