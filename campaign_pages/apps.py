from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignPagesConfig(AppConfig):
    name = "campaign_pages"
    verbose_name = _("Campaign pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from campaign_pages import page_cache
        from campaign_pages.choosers import answer_malformed_ids_with_404
        from campaign_pages.models import Community, SiteIdentity, Street

        # Pages (publish, unpublish, move, delete) and what every page shows around them.
        page_cache.connect_page_signals()
        page_cache.invalidate_on_change(Street, Community, SiteIdentity)
        answer_malformed_ids_with_404()
