"""The objection form (异议) of the public notice, and the check of its evidence files."""

from captcha.fields import CaptchaField
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from campaign_pages.models import ResidencePage
from campaign_pages.phones import MobilePhoneField
from registrations.forms import MultipleFileInput, PhotosField
from registrations.models import Objection, ObjectionEvidence

FACTS_MIN_LENGTH = 10
FACTS_MAX_LENGTH = 2000


class Evidence:
    """A checked evidence file, ready to be stored: its kind, content and what was sent."""

    def __init__(self, kind, content, original_name, size):
        self.kind, self.content, self.original_name, self.size = kind, content, original_name, size


def looks_like_pdf(upload):
    """A PDF starts with ``%PDF-`` and ends with ``%%EOF`` (give or take trailing bytes)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(max(0, upload.size - 1024))
    tail = upload.read()
    upload.seek(0)
    return head.startswith((b"%PDF-1.", b"%PDF-2.")) and b"%%EOF" in tail


class EvidenceField(PhotosField):
    """Up to a few photos or PDF documents, each checked by its content, not its name.

    Photos are re-encoded as JPEG like registration photos (no EXIF position, nothing
    hidden after the image); a PDF must have a PDF's header and trailer. Anything else — an
    executable renamed ``.jpg`` or ``.pdf`` included — is refused, and nothing is stored.
    """

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"})

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        limit = settings.OBJECTION_EVIDENCE_MAX_FILES
        if len(files) > limit:
            raise ValidationError(
                _("At most %(count)d files, please.") % {"count": limit}, code="too_many"
            )
        return [self.check_file(f) for f in files]

    def check_file(self, upload):
        name, limit = upload.name, settings.OBJECTION_EVIDENCE_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("“%(name)s” is larger than %(size)s MB.")
                % {"name": name, "size": f"{limit / (1024 * 1024):g}"},
                code="too_big",
            )
        if upload.size == 0:
            raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
        if looks_like_pdf(upload):
            content = SimpleUploadedFile("evidence.pdf", upload.read(), "application/pdf")
            return Evidence(ObjectionEvidence.Kind.PDF, content, name[:200], upload.size)
        try:
            content = self.reencode(upload)
        except ValidationError as error:
            if error.code != "not_an_image":
                raise
            raise ValidationError(
                _("“%(name)s” is neither a photo (JPEG, PNG, WebP) nor a PDF document.")
                % {"name": name},
                code="not_evidence",
            ) from error
        return Evidence(ObjectionEvidence.Kind.IMAGE, content, name[:200], upload.size)


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class ObjectionForm(forms.ModelForm):
    """An objection: real name, mobile number, the candidate concerned, the facts, evidence.

    Only the candidates still on the proposed list can be chosen. ``website`` is a honeypot;
    the captcha appears after repeated failed attempts from one client.
    """

    name = forms.CharField(label=_("Your real name"), max_length=40)
    phone = MobilePhoneField(label=_("Your mobile number"))
    candidate = CandidateChoiceField(
        label=_("Candidate concerned"),
        queryset=ResidencePage.objects.none(),
        empty_label=_("Choose a candidate"),
        error_messages={
            "invalid_choice": _("Choose one of the candidates on the proposed list."),
        },
    )
    facts = forms.CharField(
        label=_("The facts"),
        min_length=FACTS_MIN_LENGTH,
        max_length=FACTS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": FACTS_MAX_LENGTH}),
        help_text=_("What happened, where and when: facts the district office can check."),
    )
    evidence = EvidenceField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("Up to 5 photos (JPEG, PNG, WebP) or PDF documents, 8 MB each."),
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = Objection
        fields = ["name", "phone", "candidate", "facts"]

    def __init__(self, *args, page, captcha=False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.page = page
        on_list = [entry.residence_id for entry in page.current_entries()]
        self.fields["candidate"].queryset = ResidencePage.objects.filter(pk__in=on_list)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        if captcha:
            self.fields["captcha"] = CaptchaField(
                label=_("Type the characters in the picture"),
                error_messages={"invalid": _("The characters do not match the picture.")},
            )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Your submission could not be accepted."), code="bot")
        return ""

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise ValidationError(_("Enter your full real name."), code="short_name")
        return name

    def visible_fields_in_order(self):
        return [self[name] for name in ("name", "phone", "candidate", "facts", "evidence",
                                        "captcha") if name in self.fields]  # fmt: skip
