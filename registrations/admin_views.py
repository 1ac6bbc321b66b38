"""Screening in the Wagtail admin: the registrations list, inspect view and decisions."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic import InspectView
from wagtail.snippets.views.snippets import SnippetViewSet

from campaign_pages.admin_actions import DecisionAction
from campaign_pages.choosers import PermissionCheckedChooserViewSet
from registrations.models import Registration

SCREEN_PERMISSION = "registrations.screen_registration"
PHONE_PERMISSION = "registrations.view_contact_phone"

INSPECT_FIELDS = [
    "reference",
    "status",
    "campaign",
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
    "rental_registration_rate",
    "cameras",
    "access_control",
    "intrusion_alarm",
    "vehicle_barrier",
    "perimeter_wall",
    "gates",
    "guard_room",
    "guards",
    "patrols_per_day",
    "duty_24h",
    "satisfaction_rate",
    "is_eligible",
    "recommended_by",
    "recommender_name",
    "contact_name",
    "masked_phone",
    "description",
    "residence",
    "submitted_at",
]


class RegistrationInspectView(InspectView):
    """Everything the panel needs to decide, the history of decisions, and — for the district
    office only — the contact's full number."""

    def get_fields(self):
        fields = list(INSPECT_FIELDS)
        if self.request.user.has_perm(PHONE_PERMISSION):
            fields[fields.index("masked_phone")] = "contact_phone"
        return fields

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = self.object.status_changes.select_related("changed_by")
        context["photos"] = self.object.photos.all()
        return context


class RegistrationViewSet(SnippetViewSet):
    model = Registration
    icon = "form"
    chooser_viewset_class = PermissionCheckedChooserViewSet
    menu_label = _("Registrations")
    menu_order = 200
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = RegistrationInspectView
    inspect_template_name = "registrations/admin/inspect.html"
    list_display = [
        "reference",
        "residence_name",
        "street",
        "community",
        "recommended_by",
        "status",
        BooleanColumn("is_eligible", label=_("Meets thresholds")),
        "masked_phone",
        "submitted_at",
    ]
    list_filter = ["campaign", "street", "status", "recommended_by", "is_eligible"]
    # A database search (LIKE): finds Chinese substrings of names and addresses.
    search_fields = ["reference", "residence_name", "address", "recommender_name", "contact_name"]
    search_backend_name = None
    list_export = [
        "reference",
        "residence_name",
        "street",
        "community",
        "address",
        "recommended_by",
        "recommender_name",
        "contact_name",
        "masked_phone",
        "households",
        "rental_registration_rate",
        "satisfaction_rate",
        "is_eligible",
        "status",
        "submitted_at",
    ]
    export_filename = "registrations"
    ordering = ["-submitted_at"]

    def get_queryset(self, request):
        return Registration.objects.select_related("street", "community", "campaign")


class ScreeningAction(DecisionAction):
    """A panel decision applied to one or many selected registrations."""

    models = [Registration]

    def decision_permission(self):
        return SCREEN_PERMISSION

    def check_perm(self, obj):
        return self.request.user.has_perm(SCREEN_PERMISSION) and obj.can_be_screened

    def state_of(self, obj):
        return obj.get_status_display()


class ShortlistAction(ScreeningAction):
    display_name = _("Shortlist")
    action_type = "shortlist"
    aria_label = _("Shortlist the selected registrations")
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        for registration in objects:
            registration.shortlist(user, reason)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d registration shortlisted; its candidate page waits as a draft.",
            "%(count)d registrations shortlisted; their candidate pages wait as drafts.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class TurnDownAction(ScreeningAction):
    display_name = _("Not shortlisted")
    action_type = "turn_down"
    aria_label = _("Mark the selected registrations as not shortlisted")
    action_priority = 20
    reason_required = True

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        for registration in objects:
            registration.turn_down(user, reason)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d registration marked as not shortlisted.",
            "%(count)d registrations marked as not shortlisted.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class StartReviewAction(ScreeningAction):
    display_name = _("Start review")
    action_type = "start_review"
    aria_label = _("Mark the selected registrations as under review")
    action_priority = 5

    def check_perm(self, obj):
        return self.request.user.has_perm(SCREEN_PERMISSION) and obj.status == "submitted"

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for registration in objects:
            registration.start_review(user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d registration is now under review.",
            "%(count)d registrations are now under review.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
