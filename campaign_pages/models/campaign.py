"""The campaign portal: one edition of the award, its timeline, organisers and rules."""

from datetime import timedelta
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from campaign_pages.blocks import OrganiserBlock
from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin


class PhaseKey(models.TextChoices):
    """The steps of the campaign flow (DESIGN.md §2); code asks for phases by these keys."""

    PREPARATION = "preparation", _("Preparation")
    PUBLICITY = "publicity", _("Publicity")
    REGISTRATION = "registration", _("Registration")
    VOTING = "voting", _("Voting")
    INSPECTION = "inspection", _("Inspection")
    REVIEW = "review", _("Review")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    AWARDS = "awards", _("Awards")


class CampaignPhase(Orderable):
    """One step of a campaign's timeline, with the moments it opens and closes.

    Phases are data, never code: every request that depends on a phase asks the campaign
    whether that phase is open *now*. ``ends_at`` is exclusive — a phase that runs through
    27 April ends at 28 April 00:00 Beijing time and is closed one second later. Phases may
    overlap (voting starts while registration is still open, as in the 2016 notice).
    """

    page = ParentalKey(
        "campaign_pages.CampaignPage", on_delete=models.CASCADE, related_name="phases"
    )
    key = models.CharField(_("phase"), max_length=20, choices=PhaseKey.choices)
    starts_at = models.DateTimeField(_("opens at"))
    ends_at = models.DateTimeField(
        _("closes at"),
        help_text=_(
            "The first moment the phase is closed. For a phase whose last day is 27 April, "
            "enter 28 April 00:00."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("starts_at"), FieldPanel("ends_at")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "key"],
                name="unique_phase_per_campaign",
                violation_error_message=_("This phase is already in the timeline."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="phase_ends_after_it_starts",
                violation_error_message=_("A phase must close after it opens."),
            ),
        ]

    def __str__(self):
        return str(self.name)

    @property
    def name(self):
        return self.get_key_display()

    def is_open(self, at=None):
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at

    def has_ended(self, at=None):
        return (at or timezone.now()) >= self.ends_at

    @property
    def last_day(self):
        """The last calendar day (Beijing time) on which the phase is open."""
        return timezone.localtime(self.ends_at - timedelta(microseconds=1)).date()

    @property
    def first_day(self):
        return timezone.localtime(self.starts_at).date()


class CampaignPageForm(WagtailAdminPageForm):
    """Refuses a timeline with the same phase twice.

    The database constraint would refuse it too, but only after the form had been accepted;
    this says which row is wrong. (A phase that closes before it opens is refused by the
    model's check constraint, with its own message.)
    """

    def clean(self):
        cleaned_data = super().clean()
        seen = set()
        for form in self.formsets["phases"].forms:
            form.is_valid()  # the page form is cleaned before its formsets: clean each row now
            key = form.cleaned_data.get("key")
            if not key or form.cleaned_data.get("DELETE"):
                continue
            if key in seen:
                form.add_error("key", _("This phase is already in the timeline."))
            seen.add(key)
        return cleaned_data


class CampaignPage(SegmentedSearchMixin, Page):
    """The topic portal of one edition of the award (e.g. 2016 鹿城区 平安小区).

    Holds the edition's timeline (``phases``), its organisers and the eligibility thresholds
    that registrations and inspections are checked against; every other part of the campaign
    (notice, rules, registration, candidates, reports, results) is a page below it. Several
    editions live side by side under the home page; the newest is the current one and the
    others stay as archives.
    """

    theme = models.CharField(_("theme"), max_length=60, help_text=_("E.g. 小区安全 我们参与"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    district = models.CharField(_("district"), max_length=40, help_text=_("E.g. 鹿城区"))
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisers = StreamField(
        [("organiser", OrganiserBlock())],
        verbose_name=_("organisers"),
        blank=True,
        help_text=_("The hosts (主办单位) and implementing organisations (承办单位), in order."),
    )
    rental_registration_threshold = models.DecimalField(
        _("minimum rental-population registration rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("95"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    satisfaction_threshold = models.DecimalField(
        _("minimum resident satisfaction (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("90"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    contact_data_retained_until = models.DateField(
        _("keep contact data until"),
        null=True,
        blank=True,
        help_text=_(
            "After this day, `manage.py purge_contact_data` deletes the names and phone numbers "
            "that registrants and other submitters gave. Stated in the forms' privacy notice."
        ),
    )

    base_form_class = CampaignPageForm

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("theme"), FieldPanel("year"), FieldPanel("district")]),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("organisers"),
    ]
    schedule_panels = [
        InlinePanel("phases", heading=_("Timeline"), label=_("Phase")),
        MultiFieldPanel(
            [
                FieldPanel("rental_registration_threshold"),
                FieldPanel("satisfaction_threshold"),
            ],
            heading=_("Eligibility thresholds"),
        ),
        FieldPanel("contact_data_retained_until"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(schedule_panels, heading=_("Timeline and rules")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("theme"),
        index.SearchField("intro"),
        SEGMENTS_FIELD,
    ]

    # Dates, thresholds and the picture are the same in every language.
    override_translatable_fields = [
        SynchronizedField("year"),
        SynchronizedField("hero_image"),
        SynchronizedField("rental_registration_threshold"),
        SynchronizedField("satisfaction_threshold"),
        SynchronizedField("contact_data_retained_until"),
    ]

    parent_page_types = ["campaign_pages.HomePage"]
    subpage_types = [
        "campaign_pages.ArticlePage",
        "campaign_pages.ResidenceIndexPage",
        "registrations.RegistrationPage",
        "media_reports.ReportIndexPage",
        "media_reports.LiveCoveragePage",
        "media_reports.EventPage",
        "voting.LeaderboardPage",
        "registrations.PublicNoticePage",
        "campaign_pages.WinnersPage",
    ]

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    # -- the timeline -------------------------------------------------------------------

    @cached_property
    def schedule_page(self):
        """The campaign whose timeline counts: the default-language original.

        A translation copies the phases when it is made, but only the original's are edited
        afterwards, so an English page never answers from a stale copy.
        """
        if self.locale_id == Locale.get_default().pk:
            return self
        return self.get_translation_or_none(Locale.get_default()) or self

    @cached_property
    def timeline(self):
        """All phases in the order they open."""
        return sorted(self.schedule_page.phases.all(), key=lambda p: (p.starts_at, p.ends_at))

    def phase(self, key):
        """The phase with ``key``, or ``None`` when this campaign has no such phase."""
        return next((p for p in self.timeline if p.key == key), None)

    def phase_is_open(self, key, at=None):
        """Is phase ``key`` open at ``at`` (now by default)? A missing phase is never open."""
        phase = self.phase(key)
        return phase is not None and phase.is_open(at)

    def open_phases(self, at=None):
        return [p for p in self.timeline if p.is_open(at)]

    def next_phase(self, at=None):
        """The next phase to open after ``at``, or ``None`` when none is still to come."""
        at = at or timezone.now()
        return next((p for p in self.timeline if p.starts_at > at), None)

    def has_ended(self, at=None):
        """True once every phase is over: the campaign is an archive."""
        timeline = self.timeline
        return bool(timeline) and all(p.has_ended(at) for p in timeline)

    # -- rendering ---------------------------------------------------------------------

    def results_page(self):
        """This campaign's live results page once the winners are confirmed, else ``None``."""
        from campaign_pages.models.winners import WinnersPage

        page = WinnersPage.objects.child_of(self).live().public().first()
        return page if page is not None and page.is_confirmed else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["now"] = now
        context["archived"] = self.has_ended(now)
        context["results"] = self.results_page()
        context["open_phases"] = self.open_phases(now)
        context["next_phase"] = self.next_phase(now)
        context["campaign_sections"] = self.get_children().live().public().specific()
        organisers = [block.value for block in self.organisers]
        context["hosts"] = [o for o in organisers if o["role"] == OrganiserBlock.HOST]
        context["implementers"] = [o for o in organisers if o["role"] != OrganiserBlock.HOST]
        return context
