"""Votes in the Wagtail admin: list with filters, CSV/XLSX export (masked), bulk freeze/void,
tallies, and the per-day chart."""

import csv

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_required
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale
from wagtail.snippets.views.snippets import SnippetViewSet

from campaign_pages.admin_actions import DecisionAction
from campaign_pages.choosers import PermissionCheckedChooserViewSet
from campaign_pages.models import CampaignPage
from campaign_pages.params import as_id
from campaign_pages.permissions import DecidedByActionsPolicy
from voting.casting import current_campaign
from voting.charts import campaign_charts
from voting.models import Tally, Vote, VotingRules
from voting.models.votes import VoteStatus
from voting.results import change_status

# Who may see the vote admin (votes, tallies, the per-day chart): the district office
# (voting/permissions.py gives its group this permission) and superusers.
VOTE_ADMIN_PERMISSION = "voting.view_vote"


class VotePermissionPolicy(DecidedByActionsPolicy):
    """Votes are cast by voters and changed only by the freeze / void / restore actions.

    An edited candidate or status would bypass the reason, the record of who changed it and
    the tally. The actions check ``voting.change_vote`` themselves.
    """


class VoteViewSet(SnippetViewSet):
    model = Vote
    icon = "check"
    chooser_viewset_class = PermissionCheckedChooserViewSet
    menu_label = _("Votes")
    menu_order = 310
    add_to_admin_menu = True
    list_display = [
        "masked_voter",
        "candidate",
        "day",
        "created_at",
        "channel",
        "status",
        "flagged",
    ]
    list_filter = ["status", "flagged", "voter__flagged", "channel", "day", "candidate"]
    list_export = [
        "masked_voter",
        "candidate",
        "day",
        "created_at",
        "channel",
        "status",
        "flagged",
        "flag_reasons",
        "status_reason",
    ]
    export_filename = "votes"
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "masked_voter",
        "candidate",
        "day",
        "created_at",
        "channel",
        "status",
        "status_changed_at",
        "status_changed_by",
        "status_reason",
        "flagged",
        "flag_reasons",
    ]

    def get_queryset(self, request):
        return Vote.objects.select_related("voter", "candidate")


class TallyViewSet(SnippetViewSet):
    model = Tally
    icon = "list-ol"
    chooser_viewset_class = PermissionCheckedChooserViewSet
    menu_label = _("Tallies")
    menu_order = 311
    add_to_admin_menu = True
    list_display = ["candidate", "votes"]
    list_filter = ["campaign"]
    list_export = ["campaign", "candidate", "votes"]
    export_filename = "tallies"
    ordering = ["-votes"]

    def get_queryset(self, request):
        return Tally.objects.select_related("campaign", "candidate")


class VoteChartView(WagtailAdminTemplateMixin, TemplateView):
    """Valid votes per Beijing day for each candidate, as SVG small multiples (and CSV)."""

    template_name = "voting/admin/vote_chart.html"
    page_title = _("Votes per day")
    header_icon = "calendar-alt"

    def get_campaigns(self):
        return CampaignPage.objects.filter(locale=Locale.get_default()).order_by("-year", "-pk")

    def get_campaign(self):
        wanted = as_id(self.request.GET.get("campaign", ""))
        if wanted is not None:
            found = self.get_campaigns().filter(pk=wanted).first()
            if found is not None:
                return found
        return current_campaign() or self.get_campaigns().first()

    def get(self, request, *args, **kwargs):
        self.campaign = self.get_campaign()
        self.charts = campaign_charts(self.campaign) if self.campaign else None
        if request.GET.get("export") == "csv" and self.charts:
            return self.csv_response()
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(campaign=self.campaign, campaigns=self.get_campaigns(), charts=self.charts)
        return context

    def csv_response(self):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="votes-per-day-{self.campaign.year}.csv"'
        )
        response.write("\ufeff")  # so spreadsheet programs read the Chinese names as UTF-8
        writer = csv.writer(response)
        days = self.charts["days"]
        writer.writerow([str(_("Candidate")), *(d.isoformat() for d in days), str(_("Total"))])
        for series in self.charts["series"]:
            writer.writerow([safe_cell(series["title"]), *series["counts"], series["total"]])
        return response


def safe_cell(text):
    """A name a spreadsheet will not run as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


vote_chart = permission_required(VOTE_ADMIN_PERMISSION)(VoteChartView.as_view())


class VotingRulesViewSet(SnippetViewSet):
    model = VotingRules
    icon = "cog"
    chooser_viewset_class = PermissionCheckedChooserViewSet
    menu_label = _("Voting rules")
    add_to_settings_menu = True


class StatusAction(DecisionAction):
    """The district office freezes, voids or restores votes, always with a reason."""

    models = [Vote]
    reason_required = True
    reason_max_length = 200  # Vote.status_reason
    new_status = None

    def decision_permission(self):
        return "voting.change_vote"

    def check_perm(self, obj):
        return self.request.user.has_perm(self.decision_permission())

    def state_of(self, obj):
        return obj.get_status_display()

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        return change_status(objects, cls.new_status, user, reason), 0


class FreezeAction(StatusAction):
    display_name = _("Freeze")
    action_type = "freeze_votes"
    aria_label = _("Freeze the selected votes")
    new_status = VoteStatus.FROZEN

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d vote frozen.", "%(count)d votes frozen.", num_parent_objects) % {
            "count": num_parent_objects
        }


class VoidAction(StatusAction):
    display_name = _("Void")
    action_type = "void_votes"
    aria_label = _("Void the selected votes")
    new_status = VoteStatus.VOID

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d vote voided.", "%(count)d votes voided.", num_parent_objects) % {
            "count": num_parent_objects
        }


class RestoreAction(StatusAction):
    display_name = _("Restore")
    action_type = "restore_votes"
    aria_label = _("Make the selected votes valid again")
    new_status = VoteStatus.VALID

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d vote restored.", "%(count)d votes restored.", num_parent_objects
        ) % {"count": num_parent_objects}
