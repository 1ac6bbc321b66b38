"""Votes in the Wagtail admin: list with filters, CSV/XLSX export (masked), bulk freeze/void."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.views.snippets import SnippetViewSet

from campaign_pages.admin_actions import DecisionAction
from voting.models import Tally, Vote, VotingRules
from voting.models.votes import VoteStatus
from voting.results import change_status


class VoteViewSet(SnippetViewSet):
    model = Vote
    icon = "tick"
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
    list_filter = ["status", "flagged", "channel", "day", "candidate"]
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
    menu_label = _("Tallies")
    add_to_admin_menu = False
    list_display = ["candidate", "votes"]
    list_export = ["candidate", "votes"]
    export_filename = "tallies"
    ordering = ["-votes"]


class VotingRulesViewSet(SnippetViewSet):
    model = VotingRules
    icon = "cog"
    menu_label = _("Voting rules")
    add_to_settings_menu = True


class StatusAction(DecisionAction):
    """The district office freezes, voids or restores votes, always with a reason."""

    models = [Vote]
    reason_required = True
    reason_max_length = 200  # Vote.status_reason
    new_status = None

    def check_perm(self, obj):
        return self.request.user.has_perm("voting.change_vote")

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
