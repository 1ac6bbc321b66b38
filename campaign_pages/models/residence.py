"""Candidate residential communities (候选小区): the index and one page per candidate."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from campaign_pages.blocks import TextBodyBlock
from campaign_pages.params import as_id, search_text
from campaign_pages.qr import QRCodeMixin, asset_response
from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin

# The renditions a card shows (see residence_index_page.html): prefetched in one query.
# Spelled as ``{% picture %}`` spells them (format first): a prefetched image looks only among
# its prefetched renditions, so a different spelling misses and re-renders every photo on
# every uncached view of the list.
CARD_RENDITIONS = [
    "format-webp|fill-360x240",
    "format-webp|fill-720x480",
    "format-jpeg|fill-360x240",
    "format-jpeg|fill-720x480",
]
CANDIDATES_PER_PAGE = 24
MAX_QUERY_LENGTH = 60


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
        """Live candidates with what a card needs, in a bounded number of queries.

        Later apps add per-candidate figures through the ``annotate_residences`` hook, called
        with the queryset and this list page (the
        voting app annotates ``vote_count`` when counts are public; the registrations app
        ``has_video``): campaign_pages imports none of them.
        """
        images = get_image_model().objects.prefetch_renditions(*CARD_RENDITIONS)
        queryset = (
            ResidencePage.objects.child_of(self)
            .live()
            .public()
            .select_related("street", "community")
            .prefetch_related(Prefetch("cover_image", queryset=images))
            .defer_streamfields()
        )
        for annotate in hooks.get_hooks("annotate_residences"):
            queryset = annotate(queryset, self)
        return queryset

    def sort_options(self, queryset):
        """(key, label) of the orders a reader may choose; most votes only with counts."""
        options = [("", _("Default order")), ("newest", _("Newest"))]
        if "vote_count" in queryset.query.annotations:
            options.insert(1, ("votes", _("Most votes")))
        return options

    def get_context(self, request, *args, **kwargs):
        from campaign_pages.models.places import Street

        context = super().get_context(request, *args, **kwargs)
        residences = self.residences()
        street = as_id(request.GET.get("street", ""))
        query = search_text(request.GET.get("q", ""), MAX_QUERY_LENGTH)
        sort = request.GET.get("sort", "")
        streets = Street.objects.filter(
            residences__in=ResidencePage.objects.child_of(self).live().public()
        ).distinct()
        if street is not None:
            residences = residences.filter(street_id=street)
        if query:
            # A database substring match: finds 锦绣 in 锦绣花园 on SQLite and PostgreSQL.
            residences = residences.filter(title__icontains=query)
        options = self.sort_options(residences)
        if sort not in dict(options):
            sort = ""
        order = {
            "": ["path"],
            "newest": ["-first_published_at", "-pk"],
            "votes": ["-vote_count", "path"],
        }[sort]
        paginator = Paginator(residences.order_by(*order), CANDIDATES_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            page_obj = paginator.page(1)
        context.update(
            residences=page_obj.object_list,
            page_obj=page_obj,
            streets=streets,
            street="" if street is None else str(street),  # as the form sends it back
            query=query,
            sort=sort,
            sort_options=options,
            filtered=bool(street or query),
        )
        return context


class ResidencePage(QRCodeMixin, SegmentedSearchMixin, Page):
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
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown on the candidate's card, its page, share cards and share poster."),
    )
    story = StreamField(TextBodyBlock(), verbose_name=_("story"), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("street"), FieldPanel("community")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("property_company"), FieldPanel("households")]),
        FieldPanel("cover_image"),
        FieldPanel("summary"),
        FieldPanel("story"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("address"),
        index.SearchField("summary"),
        index.SearchField("story"),
        index.FilterField("street_id"),
        SEGMENTS_FIELD,
    ]
    override_translatable_fields = [
        SynchronizedField("street"),
        SynchronizedField("community"),
        SynchronizedField("households"),
        SynchronizedField("cover_image"),
    ]

    parent_page_types = ["campaign_pages.ResidenceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("candidate community")
        verbose_name_plural = _("candidate communities")

    og_type = "place"

    @property
    def hero_image(self):
        """The image of share cards (templates/includes/share_meta.html)."""
        return self.cover_image

    def structured_data(self):
        """schema.org ``Place`` of the candidate, for search engines and share previews."""
        site = self.get_site()
        root = site.root_url if site else ""
        data = {
            "@context": "https://schema.org",
            "@type": "Place",
            "name": self.title,
            "url": self.full_url,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": self.address,
                "addressLocality": self.street.name,
                "addressCountry": "CN",
            },
            "containedInPlace": {"@type": "AdministrativeArea", "name": self.community.name},
        }
        if self.search_description:
            data["description"] = self.search_description
        if self.cover_image_id:
            data["image"] = root + self.cover_image.get_rendition("fill-1080x720").url
        return data

    def campaign(self):
        from campaign_pages.models.campaign import CampaignPage

        return CampaignPage.objects.ancestor_of(self).first()

    def serve_asset(self, request, name):
        if name == "poster.png":
            from campaign_pages.poster import share_poster

            png = share_poster(self, self.campaign())
            return asset_response(png, "image/png", f"poster-{self.slug}.png")
        return super().serve_asset(request, name)
