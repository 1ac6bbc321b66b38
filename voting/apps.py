from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    """Voters, votes, tallies and the selection (filled by the Voting and Selection issues)."""

    name = "voting"
    verbose_name = _("Voting and selection")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from campaign_pages.page_cache import invalidate_on_change
        from voting.models import FinalResult, VotingRules
        from voting.permissions import ensure_voting_groups

        # Whether counts are public, and the frozen result, are on cards and the leaderboard.
        # Votes and tallies are not listed: pages with counts are kept briefly instead
        # (the page_cache_timeout hook in wagtail_hooks.py).
        invalidate_on_change(VotingRules, FinalResult)

        # A signal, not a data migration: the district office's vote permissions are kept
        # up to date on every migrate without adding a migration to this app.
        post_migrate.connect(ensure_voting_groups, sender=self, dispatch_uid="voting-groups")

        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from campaign_pages.models import CampaignPhase
        from voting.casting import forget_voting_context
        from voting.models import VotingRules

        # Each process keeps what votes read of the campaign for a few seconds
        # (casting.voting_context): an edit made in this process takes effect at once.
        for signal in (page_published, page_unpublished):
            signal.connect(forget_voting_context, dispatch_uid=f"voting-context-{signal}")
        for model in (VotingRules, CampaignPhase):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_voting_context,
                    sender=model,
                    dispatch_uid=f"voting-context-{model.__name__}-{id(signal)}",
                )
