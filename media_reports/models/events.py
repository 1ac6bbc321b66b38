"""Field-visit events (线下活动) that residents and netizens sign up for."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from campaign_pages.models.originals import SharedWithTranslationsMixin
from campaign_pages.phones import MOBILE_NUMBER, mask_phone
from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin

# The model checks the stored form too; forms clean what people type with MobilePhoneField.
mobile_validator = RegexValidator(
    MOBILE_NUMBER, _("Enter a mainland mobile number: 11 digits starting with 1.")
)


class EventPage(SharedWithTranslationsMixin, SegmentedSearchMixin, Page):
    """An offline field visit (线下活动) with a date, a place, a capacity and a sign-up form.

    Sign-up closes when the event is full, when the sign-up deadline (or the start) has
    passed, or when an editor closes it. Sign-ups belong to the default-language page, so the
    English translation shares the same seats.
    """

    accepts_post = True  # the sign-up form (EVENT_SIGNUP_RATE)

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("meeting place"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    signup_deadline = models.DateTimeField(
        _("sign-up closes at"), null=True, blank=True,
        help_text=_("Empty: sign-up closes when the event starts."),
    )  # fmt: skip
    signup_open = models.BooleanField(_("sign-up open"), default=True)
    intro = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("place"),
        FieldRowPanel(
            [FieldPanel("capacity"), FieldPanel("signup_deadline"), FieldPanel("signup_open")]
        ),
        FieldPanel("intro"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("place"),
        index.SearchField("intro"),
        SEGMENTS_FIELD,
    ]
    override_translatable_fields = [
        SynchronizedField("starts_at"),
        SynchronizedField("ends_at"),
        SynchronizedField("capacity"),
        SynchronizedField("signup_deadline"),
        SynchronizedField("signup_open"),
    ]

    parent_page_types = ["campaign_pages.CampaignPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("field-visit event")
        verbose_name_plural = _("field-visit events")

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An event must end after it starts.")})

    def campaign(self):
        from campaign_pages.models import CampaignPage

        campaign = CampaignPage.objects.ancestor_of(self).first()
        return campaign.specific if campaign else None

    def seats_taken(self):
        return EventSignup.objects.filter(event=self.source).count()

    def seats_left(self):
        return max(0, self.source.capacity - self.seats_taken())

    def closes_at(self):
        return self.source.signup_deadline or self.source.starts_at

    def closed_reason(self, at=None):
        """Why sign-up is closed now (a message for readers), or ``None`` while it is open."""
        at = at or timezone.now()
        campaign = self.campaign()
        if campaign is not None and campaign.has_ended(at):
            return _(
                "This campaign has ended and its pages are kept as an archive: sign-up is closed."
            )
        if not self.source.signup_open:
            return _("Sign-up for this event is closed.")
        if at >= self.closes_at():
            return _("Sign-up has ended.")
        if self.seats_left() <= 0:
            return _("This event is full.")
        return None

    def serve(self, request, *args, **kwargs):
        from media_reports.views import event_page

        return event_page(self, request, *args, **kwargs)


class EventSignup(models.Model):
    """One person signed up for a field visit. The number is shown masked everywhere."""

    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="signups"
    )
    name = models.CharField(_("name"), max_length=40)
    phone = models.CharField(_("mobile number"), max_length=11, validators=[mobile_validator])
    community = models.ForeignKey(
        "campaign_pages.Community",
        verbose_name=_("community (社区)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)

    class Meta:
        ordering = ["event", "created_at"]
        verbose_name = _("event sign-up")
        verbose_name_plural = _("event sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "phone"],
                name="one_signup_per_phone",
                violation_error_message=_("This mobile number has already signed up."),
            )
        ]

    def __str__(self):
        return f"{self.name} {self.masked_phone}"

    @property
    def masked_phone(self):
        return mask_phone(self.phone)
