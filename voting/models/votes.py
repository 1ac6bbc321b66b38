"""Votes, the per-voter-day quota that enforces the daily limit, tallies and the final result.

DESIGN.md §7: one row per accepted vote, never deleted (``status`` with who, when, why);
the database enforces the rules; tallies are derived and ``recount_votes`` rebuilds them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    APP = "app", _("App")


class VoteStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    FROZEN = "frozen", _("Frozen")
    VOID = "void", _("Void")


class VoterDay(models.Model):
    """How many votes a voter has used on one Beijing day of a campaign.

    The daily limit is enforced by one upsert in the vote's transaction (``INSERT … ON
    CONFLICT DO UPDATE SET used = used + 1 WHERE used < limit RETURNING used``, in the
    function ``voting_cast_vote`` on PostgreSQL, ``voting/statements.py`` elsewhere):
    concurrent votes of one voter queue on the row lock, so no
    check-then-insert race can let a sixth vote through.
    """

    # No index of its own: the unique constraint's leading column serves it.
    campaign = models.ForeignKey(
        "campaign_pages.CampaignPage", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    voter = models.ForeignKey("voting.Voter", on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "voter", "day"], name="one_quota_per_day")
        ]

    def __str__(self):
        return f"{self.voter} {self.day}: {self.used}"


class Vote(models.Model):
    """One accepted vote for a candidate (a ``ResidencePage``) on a Beijing calendar day.

    ``slot`` numbers a voter's votes for one candidate on one day (1 under the default rule
    of one vote per candidate per day), so the unique constraint on (campaign, voter,
    candidate, day, slot) is the per-candidate rule in the database.
    """

    # Every index is written by every vote, so a column gets one only where a query needs
    # it and no other index leads with it: campaign leads the unique constraint, candidate
    # the two flag-pattern indexes (Meta.indexes).
    campaign = models.ForeignKey(
        "campaign_pages.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    candidate = models.ForeignKey(
        "campaign_pages.ResidencePage",
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="votes",
        db_index=False,
    )
    voter = models.ForeignKey(
        "voting.Voter", verbose_name=_("voter"), on_delete=models.PROTECT, related_name="votes"
    )
    day = models.DateField(_("day (Beijing time)"))  # a day is a range of created_at
    slot = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(_("cast at"), db_index=True)
    channel = models.CharField(_("channel"), max_length=3, choices=Channel.choices)
    client_hash = models.CharField(_("client address (hashed)"), max_length=64)
    client_block_hash = models.CharField(_("address block (hashed)"), max_length=64)
    user_agent_hash = models.CharField(_("user agent (hashed)"), max_length=64)
    flagged = models.BooleanField(_("flagged"), default=False)
    flag_reasons = models.CharField(_("why flagged"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=6,
        choices=VoteStatus.choices,
        default=VoteStatus.VALID,
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index below: almost every vote has none
    )
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)

    # Votes are snippets (for the admin list) but nothing references them from content:
    # without this, every vote would also write Wagtail's reference index (4 more queries).
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "voter", "candidate", "day", "slot"],
                name="one_vote_per_candidate_slot_per_day",
            )
        ]
        indexes = [
            # The two flag patterns of voting/statements.py's vote_reads: each is one range.
            models.Index(fields=["candidate", "client_block_hash", "created_at"]),
            models.Index(fields=["candidate", "user_agent_hash", "created_at"]),
            # The office's lists, newest first: flagged votes, frozen or void ones. Partial,
            # so an ordinary vote writes neither.
            models.Index(
                fields=["-created_at"], condition=Q(flagged=True), name="vote_flagged_newest"
            ),
            models.Index(
                fields=["-created_at"],
                condition=~Q(status=VoteStatus.VALID),
                name="vote_not_valid_newest",
            ),
            models.Index(
                fields=["status_changed_by"],
                condition=Q(status_changed_by__isnull=False),
                name="vote_changed_by",
            ),
        ]

    def __str__(self):
        return f"{self.voter} → {self.candidate} ({self.day})"

    @property
    def masked_voter(self):
        return self.voter.masked_phone


class Tally(models.Model):
    """The count of valid votes of a candidate: derived data, updated in the vote's
    transaction and rebuilt from the rows by ``manage.py recount_votes``."""

    campaign = models.ForeignKey(
        "campaign_pages.CampaignPage", on_delete=models.CASCADE, related_name="+"
    )
    candidate = models.ForeignKey(
        "campaign_pages.ResidencePage", on_delete=models.CASCADE, related_name="tallies"
    )
    votes = models.IntegerField(default=0)

    wagtail_reference_index_ignore = True  # derived data, rewritten by every vote

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "candidate"], name="one_tally_per_candidate"
            )
        ]

    def __str__(self):
        return f"{self.candidate}: {self.votes}"


class FinalResult(models.Model):
    """The tallies frozen when the voting window ended; later steps (the selection) read it.

    Made lazily and idempotently by the first request that asks after the window (no cron).
    """

    campaign = models.OneToOneField(
        "campaign_pages.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="final_vote_result",
    )
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)
    window_ends_at = models.DateTimeField(_("voting closed at"))
    results = models.JSONField(_("results"), default=list)  # [{candidate, title, votes, rank}]

    class Meta:
        verbose_name = _("final vote result")
        verbose_name_plural = _("final vote results")

    def __str__(self):
        return str(self.campaign)
