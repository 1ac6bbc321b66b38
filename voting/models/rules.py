"""The voting rules of a campaign: how many votes a voter has and whether counts are public."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VotingRules(models.Model):
    """The public vote's rules for one campaign (the window is the campaign's ``voting`` phase).

    Kept here rather than on ``CampaignPage`` because campaign_pages imports no later app; a
    campaign without a row votes under the defaults (``VotingRules.for_campaign``).
    """

    campaign = models.OneToOneField(
        "campaign_pages.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="voting_rules",
    )
    per_candidate_per_day = models.PositiveSmallIntegerField(
        _("votes per voter per candidate per day"), default=1
    )
    per_day = models.PositiveSmallIntegerField(
        _("votes per voter per day (all candidates)"), default=5
    )
    counts_public = models.BooleanField(
        _("live counts are public"),
        default=True,
        help_text=_("When off, the site and the API hide vote counts until the result is out."),
    )

    class Meta:
        verbose_name = _("voting rules")
        verbose_name_plural = _("voting rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(per_candidate_per_day__gte=1, per_day__gte=1),
                name="voting_rules_positive",
            )
        ]

    def __str__(self):
        return str(self.campaign)

    @classmethod
    def for_campaign(cls, campaign):
        """The campaign's rules, or an unsaved row with the defaults."""
        rules = cls.objects.filter(campaign_id=campaign.pk).first()
        return rules or cls(campaign_id=campaign.pk)
