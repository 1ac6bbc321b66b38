"""The street office's forms: one inspection per candidate, and the street's proposed list.

Neither form trusts an id from the browser: the candidate choices are the officer's own
street's candidates, so a posted id of another street's candidate is an invalid choice.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from registrations.forms import PhotosField
from voting.checklist import ITEMS, field_name
from voting.models import Inspection, InspectionPhoto
from voting.selection import officer_street, street_candidates, the_campaign

MAX_EVIDENCE_PHOTOS = 10


def checklist_field(item):
    return forms.IntegerField(
        label=item.label,
        min_value=0,
        max_value=item.max_score,
        help_text=_("0–%(max)d points") % {"max": item.max_score},
        error_messages={
            "max_value": _("At most %(limit_value)s points for this item."),
            "min_value": _("A score cannot be negative."),
        },
    )


# One integer field per checklist item, declared from voting.checklist.
ChecklistFields = type(
    "ChecklistFields",
    (forms.Form,),
    {field_name(item): checklist_field(item) for item in ITEMS.values()},
)


class InspectionForm(WagtailAdminModelForm, ChecklistFields):
    """The inspection of one candidate: checklist scores, verified figures, findings, photos."""

    photos = PhotosField(
        label=_("Evidence photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 at a time; checked and re-encoded on upload."),
    )
    remove_photos = forms.ModelMultipleChoiceField(
        label=_("Remove evidence photos"),
        queryset=InspectionPhoto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Inspection
        fields = [
            "candidate",
            "inspected_on",
            "inspectors",
            "ledger_checked",
            "floating_population",
            "floating_registered",
            "residents_interviewed",
            "residents_satisfied",
            "violent_crimes",
            "robberies",
            "burglaries",
            "yellow_card",
            "one_vote_veto",
            "findings",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        campaign = the_campaign()
        street = officer_street(user) if user else None
        for item in ITEMS.values():
            self.fields[field_name(item)].initial = self.instance.checklist_scores.get(item.key)
        if self.instance.pk:
            # The candidate of an inspection never changes.
            self.fields["candidate"].disabled = True
            self.fields["candidate"].queryset = type(self.instance.candidate).objects.filter(
                pk=self.instance.candidate_id
            )
            self.fields["remove_photos"].queryset = self.instance.photos.all()
        else:
            if street is None or campaign is None:
                choices = self.fields["candidate"].queryset.none()
            else:
                choices = street_candidates(campaign, street).filter(inspection__isnull=True)
            self.fields["candidate"].queryset = choices
            self.fields["candidate"].help_text = _(
                "Only your street's candidates without an inspection are listed."
            )
            del self.fields["remove_photos"]

    def clean(self):
        data = super().clean()

        def over(smaller, larger, message):
            if (
                data.get(smaller) is not None
                and data.get(larger) is not None
                and data[smaller] > data[larger]
            ):
                self.add_error(smaller, message)

        over(
            "floating_registered",
            "floating_population",
            _("More registered than the floating population: check both figures."),
        )
        over(
            "residents_satisfied",
            "residents_interviewed",
            _("More satisfied residents than residents interviewed: check both figures."),
        )
        photos = data.get("photos") or []
        kept = self.instance.photos.count() if self.instance.pk else 0
        removed = len(data.get("remove_photos") or [])
        if kept - removed + len(photos) > MAX_EVIDENCE_PHOTOS:
            self.add_error(
                "photos",
                ValidationError(
                    _("At most %(count)d evidence photos per inspection.")
                    % {"count": MAX_EVIDENCE_PHOTOS},
                    code="too_many",
                ),
            )
        return data

    @transaction.atomic
    def save(self, commit=True):
        inspection = super().save(commit=False)
        inspection.checklist_scores = {
            key: self.cleaned_data[field_name(item)] for key, item in ITEMS.items()
        }
        if self.for_user is not None:
            if inspection.pk is None:
                inspection.entered_by = self.for_user
            inspection.updated_by = self.for_user
        inspection.save()
        for photo in self.cleaned_data.get("remove_photos") or []:
            photo.image.delete(save=False)
            photo.delete()
        for upload in self.cleaned_data.get("photos") or []:
            InspectionPhoto.objects.create(inspection=inspection, image=upload)
        return inspection


class StreetSubmissionForm(forms.Form):
    """The street's proposed list: which of its eligible inspected candidates it proposes."""

    proposed = forms.ModelMultipleChoiceField(
        label=_("Proposed candidates"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only candidates with an eligible inspection can be proposed."),
    )
    note = forms.CharField(
        label=_("Note to the district office"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, campaign, street, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed"].queryset = street_candidates(campaign, street).filter(
            inspection__is_eligible=True
        )
