"""Bulk decisions in the admin that are taken with a reason (screening, moderation, votes).

Each app's actions subclass ``DecisionAction`` with their models, permission check and what
the decision does; the confirmation page, the reason form and its handling are shared.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction


class ReasonForm(forms.Form):
    """Why the decision is taken; required where the decision must be explained."""

    def __init__(self, *args, reason_required=False, max_length=1000, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label=_("Reason"),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=reason_required,
            max_length=max_length,
        )


class DecisionAction(SnippetBulkAction):
    """A decision on the selected objects, with the reason the model records."""

    form_class = ReasonForm
    template_name = "admin/confirm_decision.html"
    reason_required = False
    reason_max_length = 1000  # the model's reason field must hold it

    def decision_permission(self):
        """The permission (``app_label.codename``) a user needs to take this decision at all."""
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        # Wagtail checks each selected object (``check_perm``) but shows the confirmation
        # page, with the objects' names, to any admin account: one without the right gets a
        # 403 instead, for the page and for a POST alike.
        if not request.user.has_perm(self.decision_permission()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "reason_required": self.reason_required,
            "max_length": self.reason_max_length,
        }

    def get_execution_context(self):
        return {"user": self.request.user, "reason": self.cleaned_form.cleaned_data["reason"]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"action_label": self.display_name}

    def object_context(self, obj):
        return super().object_context(obj) | {"state": self.state_of(obj)}

    def state_of(self, obj):
        """What the confirmation page shows beside each object (its current status)."""
        return ""
