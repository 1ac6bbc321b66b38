"""Field reports of the citizen monitoring group: interviews, highlights (亮点), hazards (隐患).

A hazard report carries its follow-up: the body responsible for putting it right and dated
updates (with evidence photos), each with the status the hazard had reached. The latest
update's status is the report's ``hazard_status``, which the public hazard list filters on.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin
from media_reports.blocks import ReportBodyBlock

REPORTS_PER_PAGE = 10


class ReportKind(models.TextChoices):
    INTERVIEW = "interview", _("Field interview")
    HIGHLIGHT = "highlight", _("Highlight")
    HAZARD = "hazard", _("Hazard")


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    RECTIFYING = "rectifying", _("Being rectified")
    RECTIFIED = "rectified", _("Rectified")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")


class ReportIndexPage(RoutablePageMixin, SegmentedSearchMixin, Page):
    """A campaign's field reports (实地报道), with filters, tag pages, feeds and the team.

    Besides the filtered list itself it answers these sub-URLs: ``tags/<tag>/`` (one tag),
    ``team/`` and ``team/<id>/`` (the monitor team and one member's reports), ``hazards/``
    (every hazard by follow-up status) and ``feed/rss/``, ``feed/atom/``,
    ``feed/<kind>/rss/``, ``feed/<kind>/atom/`` for partner outlets.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEGMENTS_FIELD]

    parent_page_types = ["campaign_pages.CampaignPage"]
    subpage_types = ["media_reports.ReportPage"]

    class Meta:
        verbose_name = _("report index")
        verbose_name_plural = _("report indexes")

    def reports(self):
        return (
            ReportPage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-report_date", "-first_published_at")
        )

    # Sub-pages: the views live in media_reports/views.py to keep the model readable.

    @path("")
    def index_route(self, request):
        from media_reports.views import report_index

        return report_index(self, request)

    @re_path(r"^tags/(?P<slug>[^/]+)/$")
    def tag_route(self, request, slug):
        from media_reports.views import report_index

        return report_index(self, request, tag_slug=slug)

    @path("team/")
    def team_route(self, request):
        from media_reports.views import team

        return team(self, request)

    @path("team/<int:member_id>/")
    def member_route(self, request, member_id):
        from media_reports.views import member

        return member(self, request, member_id)

    @path("hazards/")
    def hazards_route(self, request):
        from media_reports.views import hazards

        return hazards(self, request)

    @path("feed/<str:kind>/<str:flavour>/")
    @path("feed/<str:flavour>/")
    def feed_route(self, request, flavour, kind=None):
        from media_reports.feeds import report_feed

        return report_feed(self, request, flavour, kind)


class ReportTag(TaggedItemBase):
    content_object = ParentalKey(
        "media_reports.ReportPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ReportPage(SegmentedSearchMixin, Page):
    """One field report by the monitor team: an interview, a highlight or a hazard.

    It names the residences it covers (candidate pages where they exist, otherwise a named
    community and its street) and its reporters. A hazard report also carries its follow-up:
    the responsible body and dated status updates with evidence photos.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    report_date = models.DateField(_("date of the visit"), default=timezone.localdate)
    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("One or two sentences for lists and feeds.")
    )
    reporters = ParentalManyToManyField(
        "media_reports.MonitorMember", verbose_name=_("reporters"), blank=True,
        related_name="reports",
    )  # fmt: skip
    body = StreamField(ReportBodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=ReportTag, blank=True, verbose_name=_("tags"))
    responsible_body = models.CharField(
        _("responsible body"),
        max_length=120,
        blank=True,
        help_text=_("Hazards only: who has to put it right, e.g. the property company."),
    )
    hazard_status = models.CharField(
        _("hazard status"), max_length=20, choices=HazardStatus.choices, blank=True,
        editable=False,
    )  # fmt: skip

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("report_date")]),
        FieldPanel("summary"),
        InlinePanel("residences", heading=_("Residences covered"), label=_("Residence")),
        FieldPanel("reporters"),
        FieldPanel("body"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("responsible_body"),
                InlinePanel("hazard_updates", label=_("Follow-up update")),
            ],
            heading=_("Hazard follow-up"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("responsible_body"),
        index.FilterField("kind"),
        index.FilterField("hazard_status"),
        SEGMENTS_FIELD,
    ]
    override_translatable_fields = [
        SynchronizedField("kind"),
        SynchronizedField("report_date"),
        SynchronizedField("reporters"),
    ]

    og_type = "article"
    parent_page_types = ["media_reports.ReportIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("field report")
        verbose_name_plural = _("field reports")

    @property
    def is_hazard(self):
        return self.kind == ReportKind.HAZARD

    def status_history(self):
        """The follow-up updates, oldest first."""
        return sorted(self.hazard_updates.all(), key=lambda u: (u.date, u.sort_order or 0))

    def current_hazard_status(self):
        if not self.is_hazard:
            return ""
        history = self.status_history()
        return history[-1].status if history else HazardStatus.REPORTED

    def clean(self):
        super().clean()
        if not self.is_hazard and self.hazard_updates.all():
            raise ValidationError(
                {"kind": _("Only a hazard report has follow-up updates; remove them first.")}
            )

    def save(self, *args, **kwargs):
        self.hazard_status = self.current_hazard_status()
        return super().save(*args, **kwargs)

    def covered(self):
        return self.residences.select_related("residence", "street").all()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["index"] = self.get_parent().specific
        context["covered"] = self.covered()
        context["reporters"] = self.reporters.all()
        context["history"] = self.status_history() if self.is_hazard else []
        return context


class ReportResidence(Orderable):
    """A residence a report covers: a candidate's page, or a named community that is not one."""

    page = ParentalKey(ReportPage, on_delete=models.CASCADE, related_name="residences")
    residence = models.ForeignKey(
        "campaign_pages.ResidencePage",
        verbose_name=_("candidate page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(
        _("residence name"),
        max_length=80,
        blank=True,
        help_text=_("Only when the residence is not a candidate."),
    )
    street = models.ForeignKey(
        "campaign_pages.Street",
        verbose_name=_("street or town"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels = [FieldPanel("residence"), FieldRowPanel([FieldPanel("name"), FieldPanel("street")])]

    class Meta(Orderable.Meta):
        verbose_name = _("residence covered")

    def clean(self):
        super().clean()
        if self.residence_id and self.name:
            raise ValidationError({"name": _("Choose a candidate page or type a name, not both.")})
        if not self.residence_id and not self.name:
            raise ValidationError(
                {"residence": _("Choose a candidate page or type the residence's name.")}
            )
        if self.name and not self.street_id:
            raise ValidationError({"street": _("Say which street the residence is in.")})

    @property
    def display_name(self):
        return self.residence.title if self.residence_id else self.name

    @property
    def street_name(self):
        if self.residence_id:
            return self.residence.street.local_name
        return self.street.local_name if self.street_id else ""


class HazardUpdate(Orderable):
    """One dated step of a hazard's follow-up, with the status reached and evidence photos."""

    page = ParentalKey(ReportPage, on_delete=models.CASCADE, related_name="hazard_updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=20, choices=HazardStatus.choices)
    note = models.TextField(_("what happened"), max_length=1000)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("evidence photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt = models.CharField(_("what the photo shows"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("status")]),
        FieldPanel("note"),
        FieldRowPanel([FieldPanel("photo"), FieldPanel("photo_alt")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("follow-up update")
        verbose_name_plural = _("follow-up updates")

    def clean(self):
        super().clean()
        if self.photo_id and not self.photo_alt:
            raise ValidationError({"photo_alt": _("Say what the photo shows.")})
