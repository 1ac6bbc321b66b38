"""A residential community's registration (报名) and what the panel decides about it."""

import secrets
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign_pages.crypto import EncryptedCharField
from campaign_pages.phones import mask_phone
from registrations.models.history import StatusStep


def percent(value):
    """94.90 → "94.9", 95.00 → "95": a rate as people write it."""
    return f"{Decimal(value).normalize():f}"


def new_status_token():
    # 32 random bytes: the private status link cannot be guessed or enumerated.
    return secrets.token_urlsafe(32)


def name_key(name):
    """A residence name reduced for duplicate detection: width, case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", name or "").lower().split())


class Registration(models.Model):
    """A residential community (小区) put forward for a campaign, as filled in the 报名表.

    Made by the public registration form (``RegistrationPage``), screened by the review panel
    in the admin, and — once shortlisted — linked to the draft candidate page
    (``residence``) and to the community's front-end account (``account``). Every change of
    ``status`` is recorded as a ``StatusChange``. The contact number is encrypted at rest.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        NOT_SHORTLISTED = "not_shortlisted", _("Not shortlisted")
        CANDIDATE = "candidate", _("Candidate")

    class RecommendedBy(models.TextChoices):
        OWNERS_COMMITTEE = "owners_committee", _("Owners' committee (self-recommended)")
        COMMUNITY = "community", _("Neighbourhood community (社区) recommendation")

    campaign = models.ForeignKey(
        "campaign_pages.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    reference = models.CharField(  # noqa: DJ001
        _("reference"), max_length=20, unique=True, null=True, editable=False
    )
    status_token = models.CharField(
        max_length=64, unique=True, default=new_status_token, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )

    # The residential community
    residence_name = models.CharField(_("residential community (小区) name"), max_length=60)
    residence_key = models.CharField(max_length=60, editable=False)
    address = models.CharField(_("address"), max_length=200)
    street = models.ForeignKey(
        "campaign_pages.Street", verbose_name=_("street or town"), on_delete=models.PROTECT
    )
    community = models.ForeignKey(
        "campaign_pages.Community", verbose_name=_("community (社区)"), on_delete=models.PROTECT
    )
    property_company = models.CharField(
        _("property management company"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty if the community has no property management company."),
    )
    year_built = models.PositiveSmallIntegerField(
        _("year built"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    households = models.PositiveIntegerField(
        _("households"), validators=[MinValueValidator(1), MaxValueValidator(50_000)]
    )
    residents = models.PositiveIntegerField(
        _("resident population"), validators=[MinValueValidator(1), MaxValueValidator(200_000)]
    )
    rental_households = models.PositiveIntegerField(
        _("rental households"), validators=[MaxValueValidator(50_000)]
    )
    floating_population = models.PositiveIntegerField(
        _("floating population in rental housing"), validators=[MaxValueValidator(200_000)]
    )
    floating_registered = models.PositiveIntegerField(
        _("of whom registered"), validators=[MaxValueValidator(200_000)]
    )

    # 技防 (technical), 物防 (physical) and 人防 (personnel) security
    cameras = models.PositiveIntegerField(
        _("surveillance cameras"), validators=[MaxValueValidator(10_000)]
    )
    access_control = models.BooleanField(_("access control at the entrances"), default=False)
    intrusion_alarm = models.BooleanField(_("intrusion alarms"), default=False)
    vehicle_barrier = models.BooleanField(
        _("vehicle barrier with number-plate recognition"), default=False
    )
    perimeter_wall = models.BooleanField(_("closed perimeter wall or fence"), default=False)
    gates = models.PositiveSmallIntegerField(_("gates"), validators=[MaxValueValidator(100)])
    guard_room = models.BooleanField(_("guard room at the main gate"), default=False)
    guards = models.PositiveSmallIntegerField(
        _("security guards"), validators=[MaxValueValidator(1000)]
    )
    patrols_per_day = models.PositiveSmallIntegerField(
        _("patrols per day"), validators=[MaxValueValidator(100)]
    )
    duty_24h = models.BooleanField(_("24-hour duty"), default=False)

    # The notice's five conditions (参评条件), each declared by the registrant
    declares_no_serious_crime = models.BooleanField(
        _("no serious violent crime, robbery, snatch theft or burglary this year"), default=False
    )
    declares_security_in_place = models.BooleanField(
        _("technical, physical and personnel security in place and working"), default=False
    )
    declares_rental_registration = models.BooleanField(
        _("rental and floating population registered as required"), default=False
    )
    declares_satisfaction = models.BooleanField(
        _("residents' satisfaction with safety meets the threshold"), default=False
    )
    declares_no_yellow_card = models.BooleanField(
        _("no yellow-card warning or one-vote veto this year"), default=False
    )
    satisfaction_rate = models.DecimalField(
        _("residents' satisfaction with safety (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    # Who puts it forward and whom to contact
    recommended_by = models.CharField(
        _("recommended by"), max_length=20, choices=RecommendedBy.choices
    )
    recommender_name = models.CharField(
        _("name of the recommending body"),
        max_length=100,
        help_text=_("The owners' committee or the 社区 that puts the community forward."),
    )
    contact_name = models.CharField(_("contact person"), max_length=40)
    contact_phone = EncryptedCharField(_("contact mobile number"))
    description = models.TextField(_("safety work and highlights"), max_length=2000)

    is_eligible = models.BooleanField(_("meets the thresholds"), default=True, editable=False)
    residence = models.OneToOneField(
        "campaign_pages.ResidencePage",
        verbose_name=_("candidate page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registration",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("community account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    contact_purged_at = models.DateTimeField(_("contact data purged at"), null=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-submitted_at"]
        permissions = [
            ("screen_registration", _("Can shortlist or turn down registrations")),
            ("view_contact_phone", _("Can see registrants' full phone numbers")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "street", "residence_key"],
                name="one_registration_per_residence_and_campaign",
                violation_error_message=_("This residential community has already registered."),
            ),
        ]

    def __str__(self):
        return f"{self.reference or '—'} {self.residence_name}"

    def save(self, *args, **kwargs):
        self.residence_key = name_key(self.residence_name)
        self.is_eligible = not self.threshold_failures()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if not self.reference:
                # The reference follows the row's id, so it is unique without a counter race.
                self.reference = f"PA{self.campaign.year}-{self.pk:05d}"
                super().save(update_fields=["reference"])

    # -- eligibility ----------------------------------------------------------------------

    @property
    def rental_registration_rate(self):
        """Registered share of the floating population, in % (100 when there is none)."""
        if not self.floating_population:
            return Decimal("100")
        rate = Decimal(self.floating_registered or 0) * 100 / Decimal(self.floating_population)
        return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def threshold_failures(self, campaign=None):
        """(field, message) for each of the campaign's thresholds this registration misses."""
        campaign = campaign or self.campaign
        checks = [
            (
                "floating_registered",
                self.rental_registration_rate if self.floating_registered is not None else None,
                campaign.rental_registration_threshold,
                _(
                    "The rental and floating population registration rate is %(rate)s %%, "
                    "below the required %(threshold)s %%."
                ),
            ),
            (
                "satisfaction_rate",
                self.satisfaction_rate,
                campaign.satisfaction_threshold,
                _(
                    "Residents' satisfaction with safety is %(rate)s %%, below the required "
                    "%(threshold)s %%."
                ),
            ),
        ]
        return [
            (field, message % {"rate": percent(value), "threshold": percent(threshold)})
            for field, value, threshold, message in checks
            if value is not None and Decimal(value) < threshold
        ]

    # -- what the registrant may do -------------------------------------------------------

    @property
    def can_be_corrected(self):
        """The registrant may correct the form until the panel starts looking at it."""
        return self.status == self.Status.SUBMITTED

    @property
    def masked_phone(self):
        return mask_phone(self.contact_phone)

    masked_phone.fget.short_description = _("contact mobile number")

    # -- screening (the review panel's decisions) -------------------------------------------

    SCREENABLE = (Status.SUBMITTED, Status.UNDER_REVIEW)

    @property
    def can_be_screened(self):
        return self.status in self.SCREENABLE

    def start_review(self, user):
        if self.status == self.Status.SUBMITTED:
            self.change_status(self.Status.UNDER_REVIEW, user)

    def shortlist(self, user, reason="", invite=True):
        """Put the registration on the candidate list: draft page, account, invitation."""
        from registrations import candidates

        with transaction.atomic():
            self.residence = candidates.draft_residence_page(self)
            self.account, created = candidates.community_account(self)
            self.save(update_fields=["residence", "account", "updated_at"])
            self.change_status(self.Status.SHORTLISTED, user, reason)
            if created and invite:
                transaction.on_commit(lambda: candidates.send_invitation(self, self.account))

    def turn_down(self, user, reason):
        if not reason.strip():
            raise ValueError("A registration is only turned down with a reason.")
        self.change_status(self.Status.NOT_SHORTLISTED, user, reason)

    def change_status(self, new_status, user=None, reason=""):
        """Move to ``new_status`` and record who did it, when and why."""
        old_status = self.status
        self.status = new_status
        with transaction.atomic():
            self.save(update_fields=["status", "updated_at"])
            self.status_changes.create(
                old_status=old_status, new_status=new_status, reason=reason, changed_by=user
            )


class StatusChange(StatusStep):
    """One step in a registration's history: who moved it from which status to which, and why."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(max_length=20, choices=Registration.Status.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=Registration.Status.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta(StatusStep.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    @property
    def note(self):
        return self.reason


def photo_path(photo, filename):
    # A random name: photo URLs cannot be guessed from the registration's reference.
    return f"registrations/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.jpg"


class RegistrationPhoto(models.Model):
    """A photo sent with a registration (optional), re-encoded as JPEG on upload."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.image.name
