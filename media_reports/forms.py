"""Forms readers fill in: the report filters and the field-visit sign-up."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign_pages.models import Community, ResidencePage, Street
from campaign_pages.phones import MobilePhoneField
from media_reports.models import EventSignup, ReportKind


class ReportFilterForm(forms.Form):
    """Filters of the report index; a bad value is reported and ignored, never a 500."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ReportKind.choices]
    )
    street = forms.ModelChoiceField(
        label=_("Street or town"), required=False, queryset=Street.objects.all(),
        empty_label=_("All streets"),
    )  # fmt: skip
    residence = forms.ModelChoiceField(
        label=_("Candidate"), required=False, queryset=ResidencePage.objects.none(),
        empty_label=_("All candidates"),
    )  # fmt: skip

    def __init__(self, *args, campaign=None, locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        residences = ResidencePage.objects.live().public().order_by("title")
        if campaign is not None:
            residences = residences.descendant_of(campaign)
        self.fields["residence"].queryset = residences
        self.fields["street"].label_from_instance = lambda street: street.local_name


class SignupForm(forms.ModelForm):
    """Name, mainland mobile number and community; duplicates are refused by the model."""

    phone = MobilePhoneField(label=_("Mobile number"))

    class Meta:
        model = EventSignup
        fields = ["name", "phone", "community"]
        labels = {"name": _("Your name"), "community": _("Your community (社区)")}

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["community"].queryset = Community.objects.select_related("street")
        self.fields["community"].label_from_instance = lambda c: (
            f"{c.street.local_name} · {c.local_name}"
        )
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if (
            self.event is not None
            and EventSignup.objects.filter(event=self.event, phone=phone).exists()
        ):
            raise forms.ValidationError(_("This mobile number has already signed up."))
        return phone

    def _post_clean(self):
        if self.event is not None:
            self.instance.event = self.event
        super()._post_clean()
