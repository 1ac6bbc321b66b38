"""Moderation of community uploads in the Wagtail admin: pending photos and videos with a
preview, approved or rejected (with a reason the community sees) one by one or in bulk."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from campaign_pages.admin_actions import DecisionAction
from campaign_pages.choosers import PermissionCheckedChooserViewSet
from registrations.models import Moderation, ResidencePhoto, ResidenceVideo


class PreviewColumn(Column):
    cell_template_name = "registrations/admin/preview_cell.html"


class UploadInspectView(InspectView):
    template_name = "registrations/admin/upload_inspect.html"


class UploadViewSet(SnippetViewSet):
    icon = "image"
    chooser_viewset_class = PermissionCheckedChooserViewSet
    inspect_view_enabled = True
    inspect_view_class = UploadInspectView
    list_filter = ["moderation"]
    search_fields = ["registration__residence_name", "registration__reference"]
    search_backend_name = None
    ordering = ["-uploaded_at"]

    def get_queryset(self, request):
        return self.model.objects.select_related("registration", "uploaded_by", "moderated_by")


class PhotoViewSet(UploadViewSet):
    model = ResidencePhoto
    menu_label = _("Photos")
    list_display = [
        PreviewColumn("preview", label=_("Preview")),
        "registration",
        "caption",
        "moderation",
        "moderation_reason",
        "uploaded_at",
    ]
    inspect_view_fields = ["registration", "caption", "moderation", "moderation_reason"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("image")


class VideoViewSet(UploadViewSet):
    model = ResidenceVideo
    icon = "media"
    menu_label = _("Videos")
    list_filter = ["moderation", "processing"]
    list_display = [
        PreviewColumn("preview", label=_("Preview")),
        "registration",
        "title",
        "processing",
        "failure_reason",
        "moderation",
        "moderation_reason",
        "uploaded_at",
    ]
    inspect_view_fields = [
        "registration",
        "title",
        "container",
        "original_size",
        "duration",
        "codecs",
        "processing",
        "failure_reason",
        "moderation",
        "moderation_reason",
        "original",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("media")


class UploadsGroup(SnippetViewSetGroup):
    items = [VideoViewSet, PhotoViewSet]
    menu_label = _("Community uploads")
    menu_icon = "upload"
    menu_order = 210
    add_to_admin_menu = True


class ModerationAction(DecisionAction):
    """An editor's decision on community uploads (a rejection needs a reason)."""

    models = [ResidencePhoto, ResidenceVideo]

    def decision_permission(self):
        opts = self.model._meta
        return f"{opts.app_label}.change_{opts.model_name}"

    def check_perm(self, obj):
        opts = obj._meta
        return self.request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def state_of(self, obj):
        return obj.get_moderation_display()


class ApproveAction(ModerationAction):
    display_name = _("Approve")
    action_type = "approve_upload"
    aria_label = _("Approve the selected uploads")
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        for upload in objects:
            upload.approve(user, reason)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d upload approved.", "%(count)d uploads approved.", num_parent_objects
        ) % {"count": num_parent_objects}


class RejectAction(ModerationAction):
    display_name = _("Reject")
    action_type = "reject_upload"
    aria_label = _("Reject the selected uploads")
    action_priority = 20
    reason_required = True

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        for upload in objects:
            upload.reject(user, reason)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d upload rejected.", "%(count)d uploads rejected.", num_parent_objects
        ) % {"count": num_parent_objects}


__all__ = ["ApproveAction", "Moderation", "RejectAction", "UploadsGroup"]
