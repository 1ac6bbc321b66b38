"""Street inspections (评选办法 第七条, 第九条): who inspects, what they found, what they propose.

A street office (街道/镇综治办, with the police station, housing office and 社区) inspects
the candidates of its own street before the end of the campaign's ``inspection`` phase and
reports a proposed list with its findings. Everything here is entered in the Wagtail admin by
accounts tied to one street (``StreetOfficer``).
"""

import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voting.checklist import CHECKLIST, ITEMS, MAX_TOTAL


def percent(value):
    """94.90 → "94.9": a rate as people write it."""
    return f"{Decimal(value).normalize():f}"


def rate(part, whole, empty=Decimal("100")):
    """``part`` of ``whole`` in %, two decimals (``empty`` when ``whole`` is 0)."""
    if not whole:
        return empty
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


class StreetOfficer(models.Model):
    """Ties an account of the street-office group (街道综治办) to the one street it inspects.

    An account without this row sees no street's inspections (unless it may see them all,
    like the district office); one with it sees and edits only its street's.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="street_officer",
    )
    street = models.ForeignKey(
        "campaign_pages.Street",
        verbose_name=_("street or town"),
        on_delete=models.PROTECT,
        related_name="officers",
    )

    class Meta:
        verbose_name = _("street officer")
        verbose_name_plural = _("street officers")

    def __str__(self):
        return f"{self.user.get_username()} ({self.street})"


class Inspection(models.Model):
    """A street office's on-site inspection of one candidate (the Chinese original page).

    Holds the checklist scores (``voting.checklist``), the verified figures (rental
    registration, a satisfaction survey by random interviews, the police's crime counts for
    the year) and the yellow card / one-vote veto. A candidate failing one of the notice's
    conditions (参评条件) on these verified figures is ineligible (``failures`` names each
    condition); ``is_eligible`` keeps the verdict for filters and the ranking.
    """

    campaign = models.ForeignKey(
        "campaign_pages.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="inspections",
        editable=False,
    )
    candidate = models.OneToOneField(
        "campaign_pages.ResidencePage",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="inspection",
    )
    inspected_on = models.DateField(_("inspected on"), default=timezone.localdate)
    inspectors = models.CharField(
        _("inspected by"),
        max_length=200,
        help_text=_("The people and bodies present, e.g. street office, police station, 社区."),
    )
    checklist_scores = models.JSONField(_("checklist scores"), default=dict, editable=False)
    ledger_checked = models.BooleanField(
        _("ledgers (台帐) checked and complete"),
        default=False,
        help_text=_("Patrol, visitor and rental-registration ledgers were seen on site."),
    )
    floating_population = models.PositiveIntegerField(
        _("floating population in rental housing (verified)"),
        validators=[MaxValueValidator(200_000)],
    )
    floating_registered = models.PositiveIntegerField(
        _("of whom registered (verified)"), validators=[MaxValueValidator(200_000)]
    )
    residents_interviewed = models.PositiveIntegerField(
        _("residents interviewed at random"),
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
    )
    residents_satisfied = models.PositiveIntegerField(
        _("of whom satisfied with safety"), validators=[MaxValueValidator(10_000)]
    )
    violent_crimes = models.PositiveSmallIntegerField(
        _("serious violent crimes this year"),
        default=0,
        validators=[MaxValueValidator(1000)],
        help_text=_(
            "Police data: murder, fatal assault, rape, hostage-taking, kidnapping, bombing, arson."
        ),
    )
    robberies = models.PositiveSmallIntegerField(
        _("robberies and snatch thefts (两抢) this year"),
        default=0,
        validators=[MaxValueValidator(1000)],
    )
    burglaries = models.PositiveSmallIntegerField(
        _("burglaries (入室盗窃) this year"), default=0, validators=[MaxValueValidator(1000)]
    )
    yellow_card = models.BooleanField(_("yellow-card warning (黄牌警告) this year"), default=False)
    one_vote_veto = models.BooleanField(_("one-vote veto (一票否决) this year"), default=False)
    findings = models.TextField(_("findings"), max_length=4000)

    checklist_total = models.PositiveSmallIntegerField(
        _("checklist total"), default=0, editable=False
    )
    is_eligible = models.BooleanField(_("eligible"), default=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["candidate__street__sort_order", "candidate__title"]
        permissions = [
            ("view_all_inspections", _("Can see the inspections of every street")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(floating_registered__lte=models.F("floating_population")),
                name="inspection_registered_within_floating",
            ),
            models.CheckConstraint(
                condition=models.Q(residents_satisfied__lte=models.F("residents_interviewed")),
                name="inspection_satisfied_within_interviewed",
            ),
        ]

    def __str__(self):
        return str(self.candidate)

    def save(self, *args, **kwargs):
        if not self.campaign_id and self.candidate_id:
            self.campaign = self.candidate.campaign()
        self.checklist_total = sum(
            min(int(self.checklist_scores.get(key, 0)), item.max_score)
            for key, item in ITEMS.items()
        )
        self.is_eligible = not self.failures()
        super().save(*args, **kwargs)

    # -- computed figures -----------------------------------------------------------------

    @property
    def rental_registration_rate(self):
        """Registered share of the verified floating population, in % (100 when none)."""
        return rate(self.floating_registered, self.floating_population)

    rental_registration_rate.fget.short_description = _("rental registration rate (%)")

    @property
    def satisfaction_rate(self):
        """Satisfied share of the residents interviewed, in %."""
        return rate(self.residents_satisfied, self.residents_interviewed, empty=Decimal("0"))

    satisfaction_rate.fget.short_description = _("satisfaction (%)")

    @property
    def score(self):
        """The inspection score, 0–100: the checklist total over its maximum."""
        return Decimal(self.checklist_total * 100) / MAX_TOTAL

    score.fget.short_description = _("inspection score (0–100)")

    def section_scores(self):
        """[(section, [(item, score)], section total)] in checklist order, for display."""
        rows = []
        for section in CHECKLIST:
            items = [(item, int(self.checklist_scores.get(item.key, 0))) for item in section.items]
            rows.append((section, items, sum(score for _item, score in items)))
        return rows

    # -- eligibility (参评条件 on verified data) ---------------------------------------------

    def failures(self, campaign=None):
        """A translated sentence for each condition of the notice this candidate fails."""
        campaign = campaign or self.campaign or self.candidate.campaign()
        found = []
        if self.floating_registered is not None and self.floating_population is not None:
            value = self.rental_registration_rate
            if value < campaign.rental_registration_threshold:
                found.append(
                    _(
                        "Verified rental registration rate %(rate)s %% is below the required "
                        "%(threshold)s %%."
                    )
                    % {
                        "rate": percent(value),
                        "threshold": percent(campaign.rental_registration_threshold),
                    }
                )
        if self.residents_interviewed:
            value = self.satisfaction_rate
            if value < campaign.satisfaction_threshold:
                found.append(
                    _("Surveyed satisfaction %(rate)s %% is below the required %(threshold)s %%.")
                    % {
                        "rate": percent(value),
                        "threshold": percent(campaign.satisfaction_threshold),
                    }
                )
        crimes = [
            (self.violent_crimes, _("%(count)d serious violent crime(s) this year.")),
            (self.robberies, _("%(count)d robbery or snatch theft case(s) this year.")),
            (self.burglaries, _("%(count)d burglary case(s) this year.")),
        ]
        for count, message in crimes:
            if count:
                found.append(message % {"count": count})
        if self.yellow_card:
            found.append(_("Yellow-card warning this year."))
        if self.one_vote_veto:
            found.append(_("One-vote veto this year."))
        return [str(message) for message in found]

    def failures_text(self):
        return " ".join(self.failures()) or "—"

    failures_text.short_description = _("failed conditions")


def evidence_path(photo, filename):
    # A random name: evidence URLs cannot be guessed from the candidate.
    return f"inspections/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.jpg"


class InspectionPhoto(models.Model):
    """An evidence photo taken during an inspection, checked by content and re-encoded."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=evidence_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")

    def __str__(self):
        return self.image.name


class StreetSubmission(models.Model):
    """A street office's report to the district (第七条): its proposed list and who sent it.

    One per street and campaign; it may be sent again (replacing the list) until the end of
    the ``inspection`` phase, after which it is read-only. Only candidates of the street with
    an eligible inspection can be proposed.
    """

    campaign = models.ForeignKey(
        "campaign_pages.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="street_submissions",
    )
    street = models.ForeignKey(
        "campaign_pages.Street",
        verbose_name=_("street or town"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    proposed = models.ManyToManyField(
        "campaign_pages.ResidencePage",
        verbose_name=_("proposed candidates"),
        related_name="street_submissions",
        blank=True,
    )
    note = models.TextField(_("note to the district office"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("street proposed list")
        verbose_name_plural = _("street proposed lists")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "street"], name="one_submission_per_street_and_campaign"
            )
        ]

    def __str__(self):
        return f"{self.street} ({self.campaign})"
