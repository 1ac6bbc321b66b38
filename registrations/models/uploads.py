"""What a candidate community uploads from its dashboard: photos and promotional videos.

Every upload waits for an editor (``Moderation``); only approved media appear on the public
candidate page. Photos become Wagtail images (so pages get responsive renditions) and videos
become wagtailmedia items once converted, so editors can use both in their own pages too.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Moderation(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ModeratedUpload(models.Model):
    """An upload by a community account for its own registration's candidate page."""

    registration = models.ForeignKey(
        "registrations.Registration", verbose_name=_("registration"), on_delete=models.CASCADE
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.PENDING,
        db_index=True,
    )
    moderation_reason = models.TextField(_("moderator's reason"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    @property
    def is_public(self):
        return self.moderation == Moderation.APPROVED

    def approve(self, user, reason=""):
        self.moderate(Moderation.APPROVED, user, reason)

    def reject(self, user, reason):
        if not reason.strip():
            raise ValueError("An upload is only rejected with a reason.")
        self.moderate(Moderation.REJECTED, user, reason)

    def moderate(self, decision, user, reason):
        self.moderation = decision
        self.moderation_reason = reason
        self.moderated_by = user
        self.moderated_at = timezone.now()
        self.save(update_fields=["moderation", "moderation_reason", "moderated_by", "moderated_at"])


class ResidencePhoto(ModeratedUpload):
    """A photo of the residence, re-encoded as JPEG on upload and kept as a Wagtail image."""

    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="residence_photos",
    )
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=100, blank=True)

    class Meta(ModeratedUpload.Meta):
        verbose_name = _("community photo")
        verbose_name_plural = _("community photos")

    def __str__(self):
        return self.caption or f"{self.registration.residence_name} #{self.pk}"


def video_path(video, filename):
    # Random names: a pending upload's URL cannot be guessed.
    extension = {"mp4": "mp4", "mov": "mov", "webm": "webm"}.get(video.container, "bin")
    return f"residence-videos/originals/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class ResidenceVideo(ModeratedUpload):
    """A promotional video (§五(三)): the original as uploaded, kept, and its phone version.

    ``process_video`` (a background task) probes it, draws a poster frame and converts it to
    H.264/AAC MP4 with fast start; the result is a wagtailmedia ``Media`` item (``media``).
    """

    class Processing(models.TextChoices):
        QUEUED = "queued", _("Waiting to be processed")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Processing failed")

    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="residence_videos",
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    original = models.FileField(_("original file"), upload_to=video_path, max_length=200)
    container = models.CharField(_("container"), max_length=10, editable=False)
    original_size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    duration = models.FloatField(_("duration (s)"), null=True, blank=True, editable=False)
    codecs = models.CharField(_("codecs"), max_length=100, blank=True, editable=False)
    processing = models.CharField(
        _("processing"), max_length=12, choices=Processing.choices, default=Processing.QUEUED
    )
    failure_reason = models.TextField(_("reason of the failure"), blank=True)
    media = models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=_("converted video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(ModeratedUpload.Meta):
        verbose_name = _("community video")
        verbose_name_plural = _("community videos")

    def __str__(self):
        return self.title or f"{self.registration.residence_name} #{self.pk}"

    @property
    def is_public(self):
        return super().is_public and self.processing == self.Processing.READY
