from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    """Voters, votes, tallies and the selection (filled by the Voting and Selection issues)."""

    name = "voting"
    verbose_name = _("Voting and selection")
    default_auto_field = "django.db.models.BigAutoField"
