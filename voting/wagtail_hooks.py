"""Admin menus for votes, tallies and rules; bulk freeze/void/restore; the demo's votes."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from voting.admin_views import (
    FreezeAction,
    RestoreAction,
    TallyViewSet,
    VoidAction,
    VoteViewSet,
    VotingRulesViewSet,
)

register_snippet(VoteViewSet)
register_snippet(TallyViewSet)
register_snippet(VotingRulesViewSet)
for action in (FreezeAction, VoidAction, RestoreAction):
    hooks.register("register_bulk_action", action)


@hooks.register("load_demo")
def add_demo_votes(builder, campaign):
    from voting.demo import build_demo_votes

    build_demo_votes(builder, campaign)
