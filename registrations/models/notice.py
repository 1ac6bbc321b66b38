"""The public notice (公示) of the proposed winners, and the objections (异议) filed against it.

第八条 of the rules: the district's leading group publishes the proposed list in the media and
on site for 10 days; if no objection stands when the period is over, the 十佳平安小区 are
confirmed. The proposed list is page content written by the selection (the voting app,
through ``registrations.notice.publish_proposed_list``); objections are filed on the page and
handled by the district office in the admin.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from campaign_pages.crypto import EncryptedCharField
from campaign_pages.models import CampaignPage, MenuTitleMixin
from campaign_pages.models.originals import SharedWithTranslationsMixin
from campaign_pages.panels import SelectionRowsPanel
from campaign_pages.phones import mask_phone
from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin
from registrations.models.history import StatusStep
from registrations.models.registration import new_status_token


class PublicNoticePage(
    MenuTitleMixin, SharedWithTranslationsMixin, RoutablePageMixin, SegmentedSearchMixin, Page
):
    """The 公示 of a campaign: the proposed 十佳 in rank order, the period, the objection form.

    ``period_starts_at`` is set when the selection publishes the list; the period lasts
    ``notice_days`` days from that moment and its end is exclusive (a period that starts on
    11 May 00:00 Beijing time with 10 days is closed from 21 May 00:00). Objections are taken
    only while the period is open and belong to the default-language original, whose list
    every translation shows. Its views (the form, the objector's private status page) are in
    ``registrations/objection_views.py``.
    """

    accepts_post = True  # the objection form (OBJECTION_SUBMIT_RATE)

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    notice_days = models.PositiveSmallIntegerField(
        _("length of the public notice (days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("第八条 of the rules: 10 days."),
    )
    period_starts_at = models.DateTimeField(
        _("public notice starts at"),
        null=True,
        blank=True,
        help_text=_("Set when the proposed list is published."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("menu_title"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("notice_days"), FieldPanel("period_starts_at", read_only=True)]),
        # Written by the selection and the objections' decisions, never by hand (see
        # campaign_pages.panels).
        SelectionRowsPanel(
            "proposed",
            [
                ("rank", _("rank")),
                ("residence", _("candidate community")),
                ("withdrawn", _("withdrawn")),
                ("withdrawn_reason", _("reason for the withdrawal")),
            ],
            "selection:proposal",
            heading=_("Proposed list"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEGMENTS_FIELD]
    override_translatable_fields = [
        SynchronizedField("notice_days"),
        SynchronizedField("period_starts_at"),
    ]

    parent_page_types = ["campaign_pages.CampaignPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")

    @cached_property
    def campaign(self):
        return CampaignPage.objects.ancestor_of(self).first().specific

    # -- the period -----------------------------------------------------------------------

    def period_ends_at(self):
        """The first moment the period is over (exclusive), or ``None`` before publication."""
        source = self.source
        if source.period_starts_at is None:
            return None
        return source.period_starts_at + timedelta(days=source.notice_days)

    def period_is_open(self, at=None):
        """Is the public notice running at ``at`` (now by default)? starts <= at < ends."""
        starts_at, ends_at = self.source.period_starts_at, self.period_ends_at()
        if starts_at is None:
            return False
        at = at or timezone.now()
        return starts_at <= at < ends_at

    def period_has_ended(self, at=None):
        ends_at = self.period_ends_at()
        return ends_at is not None and (at or timezone.now()) >= ends_at

    def period_last_day(self):
        """The last calendar day (Beijing time) of the period."""
        ends_at = self.period_ends_at()
        return timezone.localtime(ends_at - timedelta(microseconds=1)).date() if ends_at else None

    # -- the list and its objections ------------------------------------------------------

    def entries(self):
        """Every proposed candidate of the original in rank order, withdrawn ones included."""
        return (
            ProposedCandidate.objects.filter(page=self.source)
            .select_related("residence__street", "residence__community", "residence__cover_image")
            .order_by("rank", "sort_order")
        )

    def current_entries(self):
        """The proposed candidates still on the list (not withdrawn), by rank."""
        return [entry for entry in self.entries() if not entry.withdrawn]

    def open_objections(self):
        return Objection.objects.filter(page=self.source, status=Objection.Status.OPEN)

    # -- views (registrations/objection_views.py) -----------------------------------------

    @path("")
    def notice_view(self, request):
        # Imported here: the views import the forms, which import these models.
        from registrations.objection_views import notice_view

        return notice_view(self, request)

    @re_path(r"^objection/(?P<token>[A-Za-z0-9_-]{20,64})/$")
    def objection_status_view(self, request, token):
        from registrations.objection_views import status_view

        return status_view(self, request, token)


class ProposedCandidate(Orderable):
    """A candidate on the proposed list (拟评名单) of a ``PublicNoticePage``.

    Written by the selection with the ranking's explanation (``summary``, shown publicly).
    An upheld objection withdraws the candidate: it stays on the page, marked as withdrawn
    with the reason, so readers see what changed.
    """

    page = ParentalKey(PublicNoticePage, on_delete=models.CASCADE, related_name="proposed")
    residence = models.ForeignKey(
        "campaign_pages.ResidencePage",
        verbose_name=_("candidate community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    summary = models.TextField(
        _("how it was ranked"),
        blank=True,
        max_length=1000,
        help_text=_("The ranking's components, shown publicly."),
    )
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    withdrawn_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("residence"), FieldPanel("rank")]),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("withdrawn"), FieldPanel("withdrawn_at")]),
        FieldPanel("withdrawn_reason"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("proposed candidate")
        verbose_name_plural = _("proposed candidates")

    def __str__(self):
        return f"{self.rank}. {self.residence.title}"


def evidence_storage():
    """Evidence is kept out of the public media folder: only the office's admin view serves it."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def evidence_path(evidence, filename):
    # A random name: no evidence file can be found from an objection's reference.
    extension = "pdf" if evidence.kind == ObjectionEvidence.Kind.PDF else "jpg"
    return f"objections/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class Objection(models.Model):
    """An objection (异议) to a proposed candidate, filed by a named person during the period.

    The objector gives a real name and a mainland mobile number (encrypted at rest, masked
    everywhere except for the district office), the candidate concerned, the facts and
    optional evidence files. They get a reference (``YY2016-00003``) and a private status
    link (``status_token``) showing the status and the office's written reply. The office
    upholds it — the candidate is withdrawn from the proposed list — or dismisses it; every
    change is an ``ObjectionChange``. Open objections block the confirmation of the winners.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Being examined")
        ACCEPTED = "accepted", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    page = models.ForeignKey(
        PublicNoticePage,
        verbose_name=_("public notice"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    candidate = models.ForeignKey(
        "campaign_pages.ResidencePage",
        verbose_name=_("candidate concerned"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    reference = models.CharField(  # noqa: DJ001
        _("reference"), max_length=20, unique=True, null=True, editable=False
    )
    status_token = models.CharField(
        max_length=64, unique=True, default=new_status_token, editable=False
    )
    name = models.CharField(_("real name"), max_length=40)
    phone = EncryptedCharField(_("mobile number"))
    facts = models.TextField(_("facts"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    reply = models.TextField(_("reply of the district office"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("filed at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-submitted_at"]
        permissions = [
            ("handle_objection", _("Can uphold or dismiss objections")),
            ("view_objector_phone", _("Can see objectors' full phone numbers")),
        ]

    def __str__(self):
        return f"{self.reference or '—'} {self.candidate.title}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            if not self.reference:
                # The reference follows the row's id: unique without a counter race.
                self.reference = f"YY{self.page.campaign.year}-{self.pk:05d}"
                super().save(update_fields=["reference"])

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    masked_phone.fget.short_description = _("mobile number")

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def uphold(self, user, reply):
        """Accept the objection: the candidate is withdrawn from the list, which is republished."""
        from registrations.notice import withdraw_candidate

        with transaction.atomic():
            self.decide(self.Status.ACCEPTED, user, reply)
            withdraw_candidate(self.page, self.candidate, reply, user=user)

    def dismiss(self, user, reply):
        with transaction.atomic():
            self.decide(self.Status.DISMISSED, user, reply)

    def decide(self, new_status, user, reply):
        """Record the office's decision and its reply; only an open objection is decided."""
        if not reply or not reply.strip():
            raise ValueError("An objection is only decided with a written reply.")
        locked = Objection.objects.select_for_update().get(pk=self.pk)
        if locked.status != self.Status.OPEN:
            raise ValueError("This objection has already been decided.")
        old_status = locked.status
        self.status, self.reply = new_status, reply.strip()
        self.handled_by, self.handled_at = user, timezone.now()
        self.save(update_fields=["status", "reply", "handled_by", "handled_at"])
        self.changes.create(
            old_status=old_status, new_status=new_status, reply=self.reply, changed_by=user
        )


class ObjectionEvidence(models.Model):
    """A file sent with an objection: a photo (re-encoded as JPEG) or a PDF, checked by content."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Photo")
        PDF = "pdf", _("PDF document")

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, storage=evidence_storage)
    original_name = models.CharField(_("file name as sent"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name or self.file.name


class ObjectionChange(StatusStep):
    """One step of an objection's history: who changed its status, when, and the reply given."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="changes")
    old_status = models.CharField(max_length=20, choices=Objection.Status.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=Objection.Status.choices)
    reply = models.TextField(_("reply"), blank=True)

    class Meta(StatusStep.Meta):
        verbose_name = _("objection change")
        verbose_name_plural = _("objection changes")

    @property
    def note(self):
        return self.reply
