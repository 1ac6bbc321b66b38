"""Admin registration: the screening list, its decisions, and the demo's registrations."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from registrations.admin_views import (
    RegistrationViewSet,
    ShortlistAction,
    StartReviewAction,
    TurnDownAction,
)
from registrations.models import Objection
from registrations.moderation_admin import ApproveAction, RejectAction, UploadsGroup
from registrations.objection_admin import (
    DismissAction,
    ObjectionPermissionPolicy,
    ObjectionViewSet,
    UpholdAction,
    evidence_file,
)

register_snippet(RegistrationViewSet)
register_snippet(UploadsGroup)
register_permission_policy(Objection, ObjectionPermissionPolicy(Objection))
register_snippet(ObjectionViewSet)
for action in (
    StartReviewAction,
    ShortlistAction,
    TurnDownAction,
    ApproveAction,
    RejectAction,
    UpholdAction,
    DismissAction,
):
    hooks.register("register_bulk_action", action)


@hooks.register("register_admin_urls")
def objection_urls():
    from django.urls import path

    return [
        path("objections/evidence/<int:pk>/", evidence_file, name="objection_evidence"),
    ]


@hooks.register("annotate_residences")
def annotate_has_video(queryset, index_page):
    """Candidate cards show a video badge when an approved, converted video exists."""
    from django.db.models import Exists, OuterRef

    from registrations.models import Moderation, ResidenceVideo

    videos = ResidenceVideo.objects.filter(
        registration__residence__translation_key=OuterRef("translation_key"),
        moderation=Moderation.APPROVED,
        processing=ResidenceVideo.Processing.READY,
    )
    return queryset.annotate(has_video=Exists(videos))


@hooks.register("load_demo")
def add_demo_registrations(builder, campaign):
    from django.contrib.auth.models import Group, Permission

    from registrations.demo import build_demo_notice, build_demo_registrations
    from registrations.permissions import (
        OBJECTION_GROUPS,
        UPLOAD_MODERATOR_GROUPS,
        ensure_groups,
    )

    builder.changes += [f"group {name}" for name in ensure_groups(Group, Permission)]
    moderators = ensure_groups(Group, Permission, UPLOAD_MODERATOR_GROUPS)
    builder.changes += [f"group {name}" for name in moderators]
    ensure_groups(Group, Permission, OBJECTION_GROUPS)
    build_demo_registrations(builder, campaign)
    build_demo_notice(builder, campaign)

    from campaign_pages.models import ResidenceIndexPage
    from registrations.demo_media import build_demo_media
    from registrations.workflow import ensure_residence_workflow

    if ensure_residence_workflow(ResidenceIndexPage.objects.descendant_of(campaign)):
        builder.changes.append("candidate page workflow")

    build_demo_media(builder, campaign)
