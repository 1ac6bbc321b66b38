"""The public registration form (报名表) and the panel's screening form."""

import io

from captcha.fields import CaptchaField
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from campaign_pages.models import Community, Street
from campaign_pages.phones import MobilePhoneField
from registrations.models import Registration
from registrations.models.registration import name_key

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
PHOTO_LONG_EDGE = 2000

DECLARATIONS = [
    "declares_no_serious_crime",
    "declares_security_in_place",
    "declares_rental_registration",
    "declares_satisfaction",
    "declares_no_yellow_card",
]
SECURITY_FIELDS = {
    "technical": ["cameras", "access_control", "intrusion_alarm", "vehicle_barrier"],
    "physical": ["perimeter_wall", "gates", "guard_room"],
    "personnel": ["guards", "patrols_per_day", "duty_24h"],
}


SECTIONS = [
    (
        _("The residential community"),
        ["residence_name", "address", "street", "community", "property_company", "year_built",
         "households", "residents"],
    ),
    (
        _("Rental housing and floating population"),
        ["rental_households", "floating_population", "floating_registered"],
    ),
    (_("Technical security (技防)"), SECURITY_FIELDS["technical"]),
    (_("Physical security (物防)"), SECURITY_FIELDS["physical"]),
    (_("Personnel security (人防)"), SECURITY_FIELDS["personnel"]),
    (_("Conditions of the notice (参评条件)"), ["satisfaction_rate", *DECLARATIONS]),
    (
        _("Recommendation and contact"),
        ["recommended_by", "recommender_name", "contact_name", "contact_phone"],
    ),
    (_("Safety work and highlights"), ["description", "photos", "captcha"]),
]  # fmt: skip


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ``MAX_PHOTOS`` photos, each checked by its content and re-encoded as JPEG.

    Re-encoding strips EXIF (phones write the GPS position of the photo there) and any data
    hidden after the image; the stored files are plain JPEGs whatever was uploaded.
    """

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("At most %(count)d photos, please.") % {"count": MAX_PHOTOS}, code="too_many"
            )
        return [self.reencode(f) for f in files]

    def reencode(self, upload):
        name = upload.name
        if upload.size > MAX_PHOTO_BYTES:
            raise ValidationError(
                _("“%(name)s” is larger than %(size)d MB.")
                % {"name": name, "size": MAX_PHOTO_BYTES // (1024 * 1024)},
                code="too_big",
            )
        if upload.size == 0:
            raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
        try:
            with Image.open(upload) as probe:
                if probe.format not in ("JPEG", "PNG", "WEBP"):
                    raise UnidentifiedImageError(probe.format)
                if probe.width * probe.height > MAX_PHOTO_PIXELS:
                    raise ValidationError(
                        _("“%(name)s” has too many pixels.") % {"name": name}, code="too_big"
                    )
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image = ImageOps.exif_transpose(image).convert("RGB")
                image.thumbnail((PHOTO_LONG_EDGE, PHOTO_LONG_EDGE))
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=85, optimize=True)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError(
                _("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": name},
                code="not_an_image",
            ) from error
        return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


class GroupedByStreet(forms.models.ModelChoiceIterator):
    """Choices as <optgroup>s, one per street, read lazily when the form is rendered."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for community in self.queryset:
            groups.setdefault(community.street.local_name, []).append(self.choice(community))
        yield from groups.items()


class CommunityChoiceField(forms.ModelChoiceField):
    """社区 grouped by street, so the list stays usable on a phone without JavaScript."""

    iterator = GroupedByStreet

    def __init__(self, **kwargs):
        super().__init__(queryset=Community.objects.select_related("street"), **kwargs)

    def label_from_instance(self, obj):
        return obj.local_name


class StreetChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Street.objects.all(), **kwargs)

    def label_from_instance(self, obj):
        return obj.local_name


class RegistrationForm(forms.ModelForm):
    """The 报名表: facts of the community, its security, the five declarations, a contact.

    ``campaign`` supplies the thresholds; a registration that misses one is refused with a
    message that names the condition. ``website`` is a honeypot: people never see it, bots
    fill it in.
    """

    street = StreetChoiceField(label=_("Street or town"))
    community = CommunityChoiceField(label=_("Community (社区)"))
    contact_phone = MobilePhoneField(label=_("Contact mobile number"))
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("Up to 5 JPEG, PNG or WebP photos of the community's security, 8 MB each."),
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = Registration
        fields = [
            "residence_name",
            "address",
            "street",
            "community",
            "property_company",
            "year_built",
            "households",
            "residents",
            "rental_households",
            "floating_population",
            "floating_registered",
            *SECURITY_FIELDS["technical"],
            *SECURITY_FIELDS["physical"],
            *SECURITY_FIELDS["personnel"],
            "satisfaction_rate",
            *DECLARATIONS,
            "recommended_by",
            "recommender_name",
            "contact_name",
            "contact_phone",
            "description",
        ]
        widgets = {
            "recommended_by": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        }

    def __init__(self, *args, campaign, captcha=False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        if captcha:
            # Shown only after repeated failed attempts from the same client (ratelimits.py).
            self.fields["captcha"] = CaptchaField(
                label=_("Type the characters in the picture"),
                error_messages={"invalid": _("The characters do not match the picture.")},
            )
        for name in DECLARATIONS:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = _(
                "This condition of the notice must be met and declared."
            )
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField | forms.DecimalField):
                field.widget.attrs.update({"inputmode": "numeric", "min": 0})
        self.fields["satisfaction_rate"].widget.attrs["inputmode"] = "decimal"
        self.fields["year_built"].widget.attrs["max"] = timezone.localdate().year
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if self.instance.pk:
            del self.fields["photos"]  # photos come with the first submission only

    def sections(self):
        """(title, bound fields) per fieldset of the form, in order."""
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in SECTIONS
        ]

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Your submission could not be accepted."), code="bot")
        return ""

    def clean_year_built(self):
        year = self.cleaned_data["year_built"]
        if year > timezone.localdate().year:
            raise ValidationError(_("The year built cannot be in the future."), code="future")
        return year

    def clean(self):
        data = super().clean()
        self.check_numbers(data)
        street, community = data.get("street"), data.get("community")
        if street and community and community.street_id != street.pk:
            self.add_error(
                "community",
                _("%(community)s is not in %(street)s.")
                % {"community": community.local_name, "street": street.local_name},
            )
        self.check_duplicate(data)
        if not self.errors:
            self.check_thresholds()
        return data

    def check_numbers(self, data):
        def over(smaller, larger, message):
            small, large = data.get(smaller), data.get(larger)
            if small is not None and large is not None and small > large:
                self.add_error(smaller, message)

        over("rental_households", "households", _("Cannot be more than the households."))
        over(
            "floating_registered",
            "floating_population",
            _("Cannot be more than the floating population."),
        )
        over("floating_population", "residents", _("Cannot be more than the resident population."))
        over(
            "households", "residents", _("A community cannot have more households than residents.")
        )

    def check_duplicate(self, data):
        if not data.get("residence_name") or not data.get("street"):
            return
        existing = (
            Registration.objects.filter(
                campaign=self.campaign,
                street=data["street"],
                residence_key=name_key(data["residence_name"]),
            )
            .exclude(pk=self.instance.pk)
            .first()
        )
        if existing:
            self.duplicate = existing
            self.add_error(
                "residence_name",
                ValidationError(
                    _(
                        "%(name)s already registered on %(date)s (reference %(reference)s, "
                        "status: %(status)s). To correct it, use the status link you were given "
                        "after registering."
                    )
                    % {
                        "name": existing.residence_name,
                        "date": timezone.localtime(existing.submitted_at).date(),
                        "reference": existing.reference,
                        "status": existing.get_status_display(),
                    },
                    code="duplicate",
                ),
            )

    def check_thresholds(self):
        """Refuse a registration below a campaign threshold, saying which and by how much."""
        registration = self.instance
        for name, value in self.cleaned_data.items():
            if name in ("rental_households", "floating_population", "floating_registered",
                        "satisfaction_rate"):  # fmt: skip
                setattr(registration, name, value)
        for field, message in registration.threshold_failures(self.campaign):
            self.add_error(field, ValidationError(message, code="below_threshold"))
