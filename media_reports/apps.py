from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaReportsConfig(AppConfig):
    """Citizen-monitor reports, the monitor team, hazard follow-up, live coverage, field visits."""

    name = "media_reports"
    verbose_name = _("Reports and live coverage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from campaign_pages.page_cache import invalidate_on_change
        from media_reports.models import EventSignup, HazardUpdate, LiveEntry, MonitorMember
        from media_reports.signals import coverage_changed

        # Live entries are in the coverage page's first HTML; sign-ups change the seats left.
        invalidate_on_change(LiveEntry, MonitorMember, HazardUpdate, EventSignup)

        page_published.connect(coverage_changed, dispatch_uid="media_reports_live_published")
        page_unpublished.connect(coverage_changed, dispatch_uid="media_reports_live_unpublished")
