"""Admin menus for votes, tallies, the per-day chart and rules; bulk freeze/void/restore;
the demo's votes and leaderboard."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from voting.admin_views import (
    VOTE_ADMIN_PERMISSION,
    FreezeAction,
    RestoreAction,
    TallyViewSet,
    VoidAction,
    VotePermissionPolicy,
    VoteViewSet,
    VotingRulesViewSet,
    vote_chart,
)
from voting.models import Vote

register_permission_policy(Vote, VotePermissionPolicy(Vote))
register_snippet(VoteViewSet)
register_snippet(TallyViewSet)
register_snippet(VotingRulesViewSet)
for action in (FreezeAction, VoidAction, RestoreAction):
    hooks.register("register_bulk_action", action)


@hooks.register("register_admin_urls")
def vote_chart_urls():
    return [path("voting/chart/", vote_chart, name="voting_vote_chart")]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def vote_chart_menu_item():
    # Next to Votes (310) and Tallies (311).
    return PermissionMenuItem(
        _("Votes per day"),
        reverse("voting_vote_chart"),
        name="votes-per-day",
        icon_name="calendar-alt",
        order=312,
        permission=VOTE_ADMIN_PERMISSION,
    )


@hooks.register("load_demo")
def add_demo_votes(builder, campaign):
    from voting.demo import build_demo_leaderboard, build_demo_votes
    from voting.permissions import ensure_voting_groups

    builder.changes += [f"group {name}" for name in ensure_voting_groups()]

    from django.contrib.auth.models import Group, Permission

    from registrations.permissions import ensure_groups
    from voting.permissions import GROUPS

    builder.changes += [f"group {name}" for name in ensure_groups(Group, Permission, GROUPS)]
    build_demo_votes(builder, campaign)
    build_demo_leaderboard(builder, campaign)

    from voting.selection_demo import build_demo_selection

    build_demo_selection(builder, campaign)


@hooks.register("annotate_residences")
def annotate_vote_counts(queryset, index_page):
    """Candidate cards show valid votes (and offer "most votes") when counts are public.

    Tallies belong to the Chinese originals; a translation finds its original's tally by
    translation key, so the English list shows the same counts.
    """
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from campaign_pages.models import CampaignPage
    from voting.models import Tally, VotingRules

    campaign = CampaignPage.objects.ancestor_of(index_page).first()
    if campaign is None or not VotingRules.for_campaign(campaign.schedule_page).counts_public:
        return queryset
    tally = Tally.objects.filter(candidate__translation_key=OuterRef("translation_key"))
    return queryset.annotate(vote_count=Coalesce(Subquery(tally.values("votes")[:1]), 0))


# -- the selection: inspections, street lists, scores, ranking, proposal, winners ----------

from voting.inspection_admin import InspectionViewSet, StreetSubmissionViewSet  # noqa: E402


@hooks.register("register_admin_viewset")
def register_inspection_viewsets():
    return [InspectionViewSet(), StreetSubmissionViewSet()]


@hooks.register("register_admin_viewset")
def register_selection_viewsets():
    from voting.selection_admin import SelectionRecordViewSet, SelectionRulesViewSet

    return [SelectionRulesViewSet(), SelectionRecordViewSet()]


@hooks.register("register_admin_urls")
def register_selection_urls():
    from django.urls import include, path

    from voting import selection_admin

    return [path("selection/", include((selection_admin.urlpatterns, "selection")))]


@hooks.register("register_admin_menu_item")
def register_selection_menu():
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.menu import Menu, SubmenuMenuItem

    from voting.selection_admin import menu_items

    return SubmenuMenuItem(_("Selection"), Menu(items=menu_items()), icon_name="pick", order=330)


def _register_record_policy():
    from wagtail.permissions import register_permission_policy

    from voting.inspection_admin import StreetSubmissionPolicy
    from voting.models import SelectionRecord, StreetSubmission
    from voting.selection_admin import ReadOnlyPolicy

    register_permission_policy(SelectionRecord, ReadOnlyPolicy(SelectionRecord))
    register_permission_policy(StreetSubmission, StreetSubmissionPolicy(StreetSubmission))


_register_record_policy()


@hooks.register("page_cache_timeout")
def vote_counts_stay_fresh(page, request):
    """Pages that show vote counts are served from the page cache for a few seconds only.

    A vote sends no invalidation (thousands a minute would empty the cache all the time);
    the counts on cards and the leaderboard are at most PAGE_CACHE_VOTE_COUNT_SECONDS old.
    """
    from django.conf import settings

    from campaign_pages.models import ResidenceIndexPage
    from voting.models import LeaderboardPage

    if isinstance(page, ResidenceIndexPage | LeaderboardPage):
        return settings.PAGE_CACHE_VOTE_COUNT_SECONDS
    return None
