"""Admin registration: the screening list, its decisions, and the demo's registrations."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from registrations.admin_views import (
    RegistrationViewSet,
    ShortlistAction,
    StartReviewAction,
    TurnDownAction,
)

register_snippet(RegistrationViewSet)
for action in (StartReviewAction, ShortlistAction, TurnDownAction):
    hooks.register("register_bulk_action", action)


@hooks.register("load_demo")
def add_demo_registrations(builder, campaign):
    from django.contrib.auth.models import Group, Permission

    from registrations.demo import build_demo_registrations
    from registrations.permissions import ensure_groups

    builder.changes += [f"group {name}" for name in ensure_groups(Group, Permission)]
    build_demo_registrations(builder, campaign)
