"""Forms of the panel and the district office: scores, the proposed list, organisation awards."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from campaign_pages.models import ResidencePage


class ScoreForm(forms.Form):
    """One panel member's scores of one candidate: a field per criterion, 0 … its maximum."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            help_text = _("0–%(max)d points, weight %(weight)d") % {
                "max": criterion.max_score,
                "weight": criterion.weight,
            }
            if criterion.description:
                help_text = f"{criterion.description} ({help_text})"
            self.fields[self.field_name(criterion)] = forms.IntegerField(
                label=criterion.local_name,
                min_value=0,
                max_value=criterion.max_score,
                help_text=help_text,
                error_messages={
                    "required": _("Score every criterion."),
                    "max_value": _("At most %(limit_value)s points for this criterion."),
                    "min_value": _("A score cannot be negative."),
                    "invalid": _("Enter a whole number of points."),
                },
            )

    @staticmethod
    def field_name(criterion):
        return f"criterion_{criterion.pk}"

    def scores(self):
        """[(criterion, score)] of a valid form."""
        return [(c, self.cleaned_data[self.field_name(c)]) for c in self.criteria]


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title}（{obj.street.name}）"


class ProposalForm(forms.Form):
    """The proposed list (拟定名单): one candidate per rank, pre-filled with the ranking's top N.

    Any difference from the ranking's top N (another candidate, or another order) needs a
    written reason, which is recorded with the proposal.
    """

    reason = forms.CharField(
        label=_("Reason for deviating from the ranking"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the list differs from the ranking's top candidates."),
    )

    def __init__(self, *args, entries, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.places = places
        ids = [entry.candidate.id for entry in entries]
        queryset = ResidencePage.objects.filter(pk__in=ids).select_related("street")
        self.suggested = ids[:places]
        for rank in range(1, places + 1):
            self.fields[f"rank_{rank}"] = CandidateChoiceField(
                label=_("Rank %(rank)d") % {"rank": rank},
                queryset=queryset,
                initial=self.suggested[rank - 1],
                error_messages={
                    "required": _("Choose a candidate for this rank."),
                    "invalid_choice": _("Only a ranked (eligible) candidate can be proposed."),
                },
            )
        self.order_fields([f"rank_{rank}" for rank in range(1, places + 1)] + ["reason"])

    def chosen(self):
        return [self.cleaned_data.get(f"rank_{rank}") for rank in range(1, self.places + 1)]

    def clean(self):
        data = super().clean()
        seen = set()
        for rank, page in enumerate(self.chosen(), start=1):
            if page is None:
                continue
            if page.pk in seen:
                self.add_error(f"rank_{rank}", _("This candidate is already on the list."))
            seen.add(page.pk)
        if self.errors:
            return data
        if self.deviates() and not data.get("reason", "").strip():
            self.add_error(
                "reason",
                ValidationError(
                    _(
                        "The list differs from the ranking's top %(count)d: say why "
                        "(the reason is recorded)."
                    )
                    % {"count": self.places},
                    code="required",
                ),
            )
        return data

    def deviates(self):
        return [page.pk for page in self.chosen()] != self.suggested


class OrganisationAwardForm(forms.Form):
    """The 社区 that receive the 优秀组织奖, each with a citation; pre-filled with the top N."""

    def __init__(self, *args, rows, suggested, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        existing = existing or {}
        for row in rows:
            community = row["community"]
            chosen = community.pk in existing if existing else row["position"] <= suggested
            self.fields[f"award_{community.pk}"] = forms.BooleanField(
                label=str(community), required=False, initial=chosen
            )
            self.fields[f"citation_{community.pk}"] = forms.CharField(
                label=_("Citation for %(community)s") % {"community": community.name},
                required=False,
                max_length=500,
                initial=existing.get(community.pk) or default_citation(community),
            )
            row["award_field"] = f"award_{community.pk}"
            row["citation_field"] = f"citation_{community.pk}"

    def clean(self):
        data = super().clean()
        if not self.chosen():
            raise ValidationError(_("Choose at least one 社区 for the organisation award."))
        for row in self.rows:
            pk = row["community"].pk
            if data.get(f"award_{pk}") and not data.get(f"citation_{pk}", "").strip():
                self.add_error(f"citation_{pk}", _("Write the citation of an awarded 社区."))
        return data

    def chosen(self):
        """[(row, citation)] of the awarded 社区, in the table's order."""
        return [
            (row, self.cleaned_data.get(f"citation_{row['community'].pk}", "").strip())
            for row in self.rows
            if self.cleaned_data.get(f"award_{row['community'].pk}")
        ]


def default_citation(community):
    # Page content: the awards are published in Chinese (the English page is translated).
    return (
        f"{community.name}在本次平安小区评选活动中组织报名和宣传推广有力、成效明显，"
        "特授予优秀组织奖。"
    )


class SelectionRulesForm(WagtailAdminModelForm):
    """The admin form of ``SelectionRules``: a criterion the panel has scored stays.

    Its scores are kept (``PanelScore.criterion`` protects them), so deleting it would be a
    database error on save; the form says so first and nothing is changed.
    """

    def clean(self):
        cleaned = super().clean()
        criteria = self.formsets.get("criteria")
        deleted = getattr(criteria, "deleted_forms", []) if criteria is not None else []
        for form in deleted:
            criterion = form.instance
            if criterion.pk and criterion.scores.exists():
                self.add_error(
                    None,
                    _(
                        "The panel has already scored “%(name)s”: it cannot be removed. "
                        "Change its name or description instead."
                    )
                    % {"name": criterion.local_name},
                )
        return cleaned
