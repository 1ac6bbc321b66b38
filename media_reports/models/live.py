"""Live coverage (直播): a page whose timestamped entries editors post from a short admin form.

Entries are plain models, not pages, so a post is one quick form and never a page-tree edit.
Every change to an entry takes the next number of its coverage's change sequence
(``LiveFeedState.seq``) inside the saving transaction, so readers poll with ``since=<seq>``
and never miss an entry committed out of order. The same number, kept in the cache, is the
ETag of the JSON endpoint: an unchanged poll is answered 304 from the cache alone.
"""

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from campaign_pages.models import MenuTitleMixin
from campaign_pages.models.originals import SharedWithTranslationsMixin
from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin
from media_reports.embeds import validate_embed_url

ENTRIES_PER_PAGE = 20


class LiveCoveragePage(MenuTitleMixin, SharedWithTranslationsMixin, SegmentedSearchMixin, Page):
    """Live text-and-picture coverage of a campaign event (图文直播), newest entry first.

    Editors mark it live or ended; pinned entries lead the page so late readers find the main
    points. Readers' pages refresh themselves from ``live/<id>/updates.json``; without
    JavaScript the page is a paginated list.
    """

    intro = models.TextField(_("introduction"), blank=True)
    is_live = models.BooleanField(
        _("live now"), default=True, help_text=_("Untick when the coverage has ended.")
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("menu_title"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("is_live"), FieldPanel("starts_at")]),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEGMENTS_FIELD]

    parent_page_types = ["campaign_pages.CampaignPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverages")

    def entries(self):
        return LiveEntry.objects.filter(coverage=self.source).select_related("image", "video")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from media_reports.live import current_version

        context = super().get_context(request, *args, **kwargs)
        entries = self.entries().order_by("-posted_at", "-pk")
        paginator = Paginator(entries, ENTRIES_PER_PAGE)
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
        context["pinned"] = list(entries.filter(pinned=True, retracted=False))
        context["cursor"] = current_version(self.source.pk)
        context["poll_seconds"] = getattr(settings, "LIVE_POLL_SECONDS", 10)
        return context


class LiveFeedState(models.Model):
    """The change sequence of one coverage: bumped, inside the transaction, by every change."""

    coverage = models.OneToOneField(
        LiveCoveragePage, on_delete=models.CASCADE, primary_key=True, related_name="feed_state"
    )
    seq = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("live feed state")

    def __str__(self):
        return f"{self.coverage_id}: {self.seq}"

    @classmethod
    def next_seq(cls, coverage_id):
        """Take the next sequence number (call inside a transaction: the row stays locked)."""
        cls.objects.get_or_create(coverage_id=coverage_id)
        cls.objects.filter(pk=coverage_id).update(seq=F("seq") + 1)
        return cls.objects.select_for_update().values_list("seq", flat=True).get(pk=coverage_id)


class LiveEntry(models.Model):
    """One timestamped post of a live coverage: text, a picture, a video or an embed.

    A retracted entry stays on the page, struck through with the editors' reason, instead of
    silently disappearing; an edited entry says so.
    """

    coverage = models.ForeignKey(
        LiveCoveragePage,
        verbose_name=_("live coverage"),
        on_delete=models.CASCADE,
        related_name="live_entries",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    posted_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    text = models.TextField(_("text"), max_length=2000)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(_("what the picture shows"), max_length=200, blank=True)
    video = models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=_("video"),
        limit_choices_to={"type": "video"},
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    embed_url = models.URLField(
        _("embed URL"), blank=True, validators=[validate_embed_url],
        help_text=_("A video or post from an allowed provider."),
    )  # fmt: skip
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Key point: shown on top.")
    )
    retracted = models.BooleanField(_("retracted"), default=False)
    retraction_note = models.CharField(_("reason for the retraction"), max_length=200, blank=True)
    edited_at = models.DateTimeField(_("last edited"), null=True, blank=True, editable=False)
    seq = models.BigIntegerField(_("change number"), default=0, editable=False, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        # A plain list rather than the page chooser's modal: posting must take seconds, and a
        # campaign has one or two coverages (limit_choices_to keeps them to the originals).
        FieldPanel("coverage", widget=forms.Select),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("image"), FieldPanel("image_alt")]),
        FieldRowPanel([FieldPanel("video"), FieldPanel("embed_url")]),
        MultiFieldPanel(
            [
                FieldPanel("pinned"),
                FieldRowPanel([FieldPanel("retracted"), FieldPanel("retraction_note")]),
                FieldPanel("posted_at"),
            ],
            heading=_("Pin, retract, time"),
        ),
    ]

    class Meta:
        ordering = ["-posted_at", "-pk"]
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        indexes = [models.Index(fields=["coverage", "seq"], name="live_entry_coverage_seq")]

    def __str__(self):
        return f"{timezone.localtime(self.posted_at):%H:%M} {self.text[:40]}"

    def save(self, *args, **kwargs):
        from media_reports.live import bump_version

        with transaction.atomic():
            if self.pk and self.content_changed():
                self.edited_at = timezone.now()
            self.seq = LiveFeedState.next_seq(self.coverage_id)
            super().save(*args, **kwargs)
            bump_version(self.coverage_id, self.seq)

    def delete(self, *args, **kwargs):
        from media_reports.live import bump_version

        with transaction.atomic():
            seq = LiveFeedState.next_seq(self.coverage_id)
            result = super().delete(*args, **kwargs)
            bump_version(self.coverage_id, seq)
        return result

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.image_id and not self.image_alt:
            errors["image_alt"] = _("Say what the picture shows.")
        if self.retracted and not self.retraction_note:
            errors["retraction_note"] = _("Give readers the reason for the retraction.")
        if errors:
            raise ValidationError(errors)

    @property
    def order_key(self):
        """A number that sorts entries by time on the page (microseconds since 1970)."""
        return int(self.posted_at.timestamp() * 1_000_000)

    CONTENT_FIELDS = ("text", "image_id", "video_id", "embed_url")

    def content_changed(self):
        """Has what readers see changed (pinning or retracting is not an edit)?"""
        old = LiveEntry.objects.filter(pk=self.pk).values(*self.CONTENT_FIELDS).first()
        return old is not None and any(old[f] != getattr(self, f) for f in self.CONTENT_FIELDS)
