"""What the registrations app shows on a candidate page: facts, approved photos and videos.

campaign_pages never imports this app: residence_page.html loads these tags instead.
"""

from django import template
from wagtail.models import Page

from registrations.forms import SECURITY_FIELDS
from registrations.models import Moderation, Registration, ResidencePhoto, ResidenceVideo

register = template.Library()


def registration_of(page):
    """The registration behind a candidate page, in any language of the page."""
    if not isinstance(page, Page):
        return None
    return (
        Registration.objects.filter(residence__translation_key=page.translation_key)
        .only("pk", *[name for names in SECURITY_FIELDS.values() for name in names])
        .first()
    )


@register.inclusion_tag("registrations/includes/residence_facts.html")
def residence_facts(page):
    """技防/物防/人防 as the registration declared them: counts, and the measures in place."""
    registration = registration_of(page)
    if registration is None:
        return {"groups": []}
    groups = []
    for key, names in SECURITY_FIELDS.items():
        items = []
        for name in names:
            field = Registration._meta.get_field(name)
            value = getattr(registration, name)
            if isinstance(value, bool):
                items.append({"label": field.verbose_name, "present": value})
            else:
                items.append({"label": field.verbose_name, "value": value})
        groups.append({"key": key, "items": items})
    return {"groups": groups}


def approved(model, page):
    return model.objects.filter(
        registration__residence__translation_key=page.translation_key,
        moderation=Moderation.APPROVED,
    ).order_by("uploaded_at", "pk")


@register.inclusion_tag("registrations/includes/residence_gallery.html")
def residence_gallery(page):
    """The approved photos (responsive renditions, lazily loaded)."""
    if not isinstance(page, Page):
        return {"photos": []}
    photos = approved(ResidencePhoto, page).select_related("image")
    return {"photos": list(photos)}


@register.inclusion_tag("registrations/includes/residence_videos.html")
def residence_videos(page):
    """The approved, converted videos with their poster frames."""
    if not isinstance(page, Page):
        return {"videos": []}
    videos = approved(ResidenceVideo, page).filter(processing=ResidenceVideo.Processing.READY)
    return {"videos": list(videos.select_related("media"))}
