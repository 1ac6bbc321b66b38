from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    """Everything the public submits that is not a vote (filled by the Registration issue)."""

    name = "registrations"
    verbose_name = _("Registrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from campaign_pages.page_cache import invalidate_on_change
        from registrations import signals  # noqa: F401
        from registrations.models import Registration, ResidencePhoto, ResidenceVideo

        # Candidate pages show their registration's facts and approved media; a registration
        # that is no candidate yet is on no public page (so the public form flushes nothing).
        invalidate_on_change(Registration, when=lambda r: r.residence_id is not None)
        invalidate_on_change(ResidencePhoto, ResidenceVideo)
