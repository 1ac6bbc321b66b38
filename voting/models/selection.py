"""The selection's campaign data and records: weights, panel criteria and scores, decisions.

评选办法 第八条: the district's leading group selects from the streets' proposed lists,
publishes the proposed list for 10 days and, without objection, confirms the 十佳平安小区.
How much the inspection, the panel and the public vote weigh, and which criteria the panel
scores, are data of each campaign (``SelectionRules``); every decision the district office
takes is kept as a ``SelectionRecord`` (who, when, what, why).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from campaign_pages.models.places import LocalNameMixin

DEFAULT_WEIGHTS = {"inspection_weight": 40, "panel_weight": 40, "vote_weight": 20}


class SelectionRules(ClusterableModel):
    """How one campaign's winners are selected: component weights, panel criteria, counts.

    The combined score is ``inspection × w_i + panel × w_p + vote share × w_v`` over 100
    (``voting.ranking``); the three weights add up to 100. The panel closes at the end of the
    campaign's ``review`` phase, or earlier when the district office closes it
    (``panel_closed_at``) — publishing the proposed list closes it too.
    """

    campaign = models.OneToOneField(
        "campaign_pages.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="selection_rules",
    )
    inspection_weight = models.PositiveSmallIntegerField(
        _("weight of the street inspection (%)"),
        default=DEFAULT_WEIGHTS["inspection_weight"],
        validators=[MaxValueValidator(100)],
    )
    panel_weight = models.PositiveSmallIntegerField(
        _("weight of the panel's scores (%)"),
        default=DEFAULT_WEIGHTS["panel_weight"],
        validators=[MaxValueValidator(100)],
    )
    vote_weight = models.PositiveSmallIntegerField(
        _("weight of the public vote (%)"),
        default=DEFAULT_WEIGHTS["vote_weight"],
        validators=[MaxValueValidator(100)],
    )
    winners_count = models.PositiveSmallIntegerField(
        _("winners to propose"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("十佳平安小区: ten."),
    )
    organisation_awards_count = models.PositiveSmallIntegerField(
        _("organisation awards suggested"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many 社区 the organisation-award table suggests (优秀组织奖)."),
    )
    panel_closed_at = models.DateTimeField(_("panel closed at"), null=True, blank=True)
    panel_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("campaign"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("inspection_weight"),
                        FieldPanel("panel_weight"),
                        FieldPanel("vote_weight"),
                    ]
                ),
            ],
            heading=_("Weights of the combined ranking (together 100)"),
        ),
        FieldRowPanel([FieldPanel("winners_count"), FieldPanel("organisation_awards_count")]),
        InlinePanel("criteria", heading=_("Panel criteria"), label=_("Criterion"), min_num=1),
    ]

    class Meta:
        verbose_name = _("selection rules")
        verbose_name_plural = _("selection rules")
        permissions = [
            ("run_selection", _("Can rank, propose and confirm the winners")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    inspection_weight__lte=100, panel_weight__lte=100, vote_weight__lte=100
                ),
                name="selection_weights_at_most_100",
            )
        ]

    def __str__(self):
        return str(self.campaign)

    def clean(self):
        super().clean()
        total = (self.inspection_weight or 0) + (self.panel_weight or 0) + (self.vote_weight or 0)
        if total != 100:
            raise ValidationError(
                {
                    "vote_weight": _(
                        "The three weights must add up to 100; they add up to %(total)d."
                    )
                    % {"total": total}
                }
            )

    @property
    def weights(self):
        return {
            "inspection": self.inspection_weight,
            "panel": self.panel_weight,
            "vote": self.vote_weight,
        }

    @classmethod
    def for_campaign(cls, campaign):
        """The campaign's rules, or an unsaved row with the defaults (and no criteria)."""
        rules = cls.objects.filter(campaign_id=campaign.pk).first()
        return rules or cls(campaign_id=campaign.pk)


class ScoringCriterion(LocalNameMixin, Orderable):
    """One criterion the panel scores, with its weight within the panel score and its maximum."""

    rules = ParentalKey(SelectionRules, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    description = models.CharField(_("what to look at"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("max_score")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("panel criterion")
        verbose_name_plural = _("panel criteria")

    def __str__(self):
        return self.local_name


class PanelScore(models.Model):
    """One panel member's score of one candidate on one criterion (0 … the criterion's max).

    The database holds at most one per (member, candidate, criterion); a member's form for a
    candidate writes all criteria at once. Until the panel closes, a member sees only their
    own scores.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel member"),
        on_delete=models.PROTECT,
        related_name="panel_scores",
    )
    candidate = models.ForeignKey(
        "campaign_pages.ResidencePage",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="panel_scores",
    )
    criterion = models.ForeignKey(
        ScoringCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    updated_at = models.DateTimeField(_("scored at"), auto_now=True)

    class Meta:
        verbose_name = _("panel score")
        verbose_name_plural = _("panel scores")
        permissions = [("score_candidates", _("Can score candidates as a panel member"))]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "candidate", "criterion"],
                name="one_score_per_member_candidate_criterion",
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.candidate} · {self.criterion}: {self.score}"

    def clean(self):
        super().clean()
        if self.criterion_id and self.score is not None and self.score > self.criterion.max_score:
            raise ValidationError(
                {
                    "score": _("At most %(max)d points for this criterion.")
                    % {"max": self.criterion.max_score}
                }
            )


class SelectionRecord(models.Model):
    """One step of the selection as it was taken: who, when, what (details) and why.

    Never edited: closing the panel, publishing the proposed list (with the ranking it came
    from and the reason for any deviation), choosing the organisation awards and confirming
    the winners each add a row.
    """

    class Action(models.TextChoices):
        PANEL_CLOSED = "panel_closed", _("Panel closed")
        PROPOSAL_PUBLISHED = "proposal_published", _("Proposed list published")
        ORGANISATION_AWARDS = "organisation_awards", _("Organisation awards chosen")
        WINNERS_CONFIRMED = "winners_confirmed", _("Winners confirmed")

    campaign = models.ForeignKey(
        "campaign_pages.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="selection_records",
    )
    action = models.CharField(_("step"), max_length=30, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    summary = models.TextField(_("what"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("selection record")
        verbose_name_plural = _("selection records")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class OrganisationAwardChoice(models.Model):
    """A 社区 the district office chose for the 优秀组织奖, with its citation and metrics.

    The metrics are a copy of the table the choice was made from, so the winners page and
    the record keep the figures the office saw.
    """

    campaign = models.ForeignKey(
        "campaign_pages.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="organisation_award_choices",
    )
    community = models.ForeignKey(
        "campaign_pages.Community",
        verbose_name=_("community (社区)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    citation = models.TextField(_("citation"), max_length=500)
    metrics = models.JSONField(_("metrics"), default=dict)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chosen by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("chosen at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation award choice")
        verbose_name_plural = _("organisation award choices")
        ordering = ["campaign", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "community"], name="one_organisation_award_per_community"
            )
        ]

    def __str__(self):
        return str(self.community)
