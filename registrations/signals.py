"""A shortlisted registration becomes a candidate when its page is published."""

from django.dispatch import receiver
from wagtail.signals import page_published

from campaign_pages.models import ResidencePage


@receiver(page_published, sender=ResidencePage)
def registration_becomes_candidate(sender, instance, revision=None, **kwargs):
    registration = getattr(instance, "registration", None)
    if registration is not None and registration.status == registration.Status.SHORTLISTED:
        user = revision.user if revision is not None else None
        registration.change_status(registration.Status.CANDIDATE, user)
