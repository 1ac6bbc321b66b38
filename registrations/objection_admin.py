"""Handling objections in the Wagtail admin: the list, the inspect view with the evidence,
and the district office's decisions (uphold or dismiss, always with a written reply)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.views.generic import InspectView
from wagtail.snippets.views.snippets import SnippetViewSet

from campaign_pages.admin_actions import DecisionAction, ReasonForm
from campaign_pages.choosers import PermissionCheckedChooserViewSet
from campaign_pages.permissions import DecidedByActionsPolicy
from registrations.models import Objection, ObjectionEvidence

HANDLE_PERMISSION = "registrations.handle_objection"
PHONE_PERMISSION = "registrations.view_objector_phone"
VIEW_PERMISSION = "registrations.view_objection"


class ObjectionPermissionPolicy(DecidedByActionsPolicy):
    """Objections are filed by the public and decided through the actions only: the record
    of what was filed and how it was answered must stay as it was."""


INSPECT_FIELDS = [
    "reference",
    "status",
    "page",
    "candidate",
    "name",
    "masked_phone",
    "facts",
    "submitted_at",
    "reply",
    "handled_by",
    "handled_at",
]


class ObjectionInspectView(InspectView):
    """The objection, its evidence and its history; the full number only for the office."""

    template_name = "registrations/admin/objection_inspect.html"

    def get_fields(self):
        fields = list(INSPECT_FIELDS)
        if self.request.user.has_perm(PHONE_PERMISSION):
            fields[fields.index("masked_phone")] = "phone"
        return fields

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = self.object.changes.select_related("changed_by")
        context["evidence"] = self.object.evidence.all()
        return context


class ObjectionViewSet(SnippetViewSet):
    model = Objection
    icon = "warning"
    chooser_viewset_class = PermissionCheckedChooserViewSet
    menu_label = _("Objections")
    menu_order = 205
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = ObjectionInspectView
    list_display = ["reference", "candidate", "name", "masked_phone", "status", "submitted_at"]
    list_filter = ["status", "candidate", "page"]
    search_fields = ["reference", "name", "facts"]
    search_backend_name = None
    list_export = [
        "reference",
        "candidate",
        "name",
        "masked_phone",
        "facts",
        "status",
        "reply",
        "handled_by",
        "handled_at",
        "submitted_at",
    ]
    export_filename = "objections"
    ordering = ["-submitted_at"]

    def get_queryset(self, request):
        return Objection.objects.select_related("candidate", "page", "handled_by")


def evidence_file(request, pk):
    """An evidence file, downloaded by the district office only (never from the media URL)."""
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    evidence = get_object_or_404(ObjectionEvidence, pk=pk)
    extension = "pdf" if evidence.kind == ObjectionEvidence.Kind.PDF else "jpg"
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=f"{evidence.objection.reference}-{evidence.pk}.{extension}",
        content_type="application/pdf" if extension == "pdf" else "image/jpeg",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class ReplyForm(ReasonForm):
    """The written reply the objector reads on their status page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Reply to the objector")
        self.fields["reason"].help_text = _("Shown on the objector's private status page.")
        self.fields["reason"].widget = forms.Textarea(attrs={"rows": 5})

    def clean_reason(self):
        reply = self.cleaned_data["reason"].strip()
        if not reply:
            raise forms.ValidationError(_("Write the reply the objector will read."))
        return reply


class ObjectionAction(DecisionAction):
    """A decision of the district office on open objections."""

    models = [Objection]
    form_class = ReplyForm
    reason_required = True
    reason_max_length = 2000

    def decision_permission(self):
        return HANDLE_PERMISSION

    def check_perm(self, obj):
        return self.request.user.has_perm(HANDLE_PERMISSION) and obj.is_open

    def state_of(self, obj):
        return f"{obj.get_status_display()} · {obj.candidate.title}"


class UpholdAction(ObjectionAction):
    display_name = _("Uphold")
    action_type = "uphold_objection"
    aria_label = _("Uphold the selected objections: withdraw the candidates from the list")
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        for objection in objects:
            objection.uphold(user, reason)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d objection upheld; the candidate is withdrawn from the proposed list.",
            "%(count)d objections upheld; the candidates are withdrawn from the proposed list.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class DismissAction(ObjectionAction):
    display_name = _("Dismiss")
    action_type = "dismiss_objection"
    aria_label = _("Dismiss the selected objections")
    action_priority = 20

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        for objection in objects:
            objection.dismiss(user, reason)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d objection dismissed.", "%(count)d objections dismissed.", num_parent_objects
        ) % {"count": num_parent_objects}
