from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaReportsConfig(AppConfig):
    """Citizen-monitor reports, the monitor team, hazard follow-up, live coverage, field visits."""

    name = "media_reports"
    verbose_name = _("Reports and live coverage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from media_reports.signals import coverage_changed

        page_published.connect(coverage_changed, dispatch_uid="media_reports_live_published")
        page_unpublished.connect(coverage_changed, dispatch_uid="media_reports_live_unpublished")
