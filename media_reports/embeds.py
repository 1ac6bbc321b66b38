"""Embeds from allow-listed providers only (setting ``REPORT_EMBED_PROVIDERS``).

A report or a live entry may show a video from a partner platform, but never an arbitrary
page in an iframe: the URL's host must be one of the listed host names or a sub-domain of
one. Everything else is refused with a message that names the allowed providers.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def allowed_providers():
    return list(getattr(settings, "REPORT_EMBED_PROVIDERS", []))


def is_allowed_embed(url):
    try:
        parts = urlsplit(str(url).strip())
    except ValueError:
        return False
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in ("http", "https") or not host:
        return False
    return any(host == p or host.endswith("." + p) for p in allowed_providers())


def validate_embed_url(url):
    """Raise ``ValidationError`` unless ``url`` comes from an allow-listed provider."""
    if url and not is_allowed_embed(url):
        raise ValidationError(
            _("Embeds are only allowed from these providers: %(providers)s."),
            code="embed_not_allowed",
            params={"providers": ", ".join(allowed_providers()) or "-"},
        )
