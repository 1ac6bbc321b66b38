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
