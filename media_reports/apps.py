from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaReportsConfig(AppConfig):
    """Citizen-monitor reports, live coverage and field visits (filled by a later issue)."""

    name = "media_reports"
    verbose_name = _("Reports and live coverage")
    default_auto_field = "django.db.models.BigAutoField"
