"""The shape every status history of this app shares (registrations, objections)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class StatusStep(models.Model):
    """One step of a record's history: from which status to which, by whom and when.

    Subclasses add the record's key, the two status fields with the record's choices, and
    the text written with the step; ``note`` names that text for the shared admin template
    (``registrations/admin/status_history.html``).
    """

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_old_status_display()} → {self.get_new_status_display()}"
