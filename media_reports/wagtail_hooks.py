"""Admin for the monitor team, live entries and event sign-ups; the demo's load_demo step."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campaign_pages.choosers import PermissionCheckedChooserViewSet
from media_reports.models import EventSignup, LiveEntry, MonitorMember


class MonitorMemberViewSet(SnippetViewSet):
    model = MonitorMember
    chooser_viewset_class = PermissionCheckedChooserViewSet
    icon = "group"
    menu_label = _("Monitor team")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "role", "affiliation"]
    list_filter = ["role"]
    search_fields = ["name", "affiliation"]


class LiveEntryViewSet(SnippetViewSet):
    """A live post is one short form: text, optional picture/video/embed, pin and retract."""

    model = LiveEntry
    chooser_viewset_class = PermissionCheckedChooserViewSet
    icon = "time"
    menu_label = _("Live entries")
    add_to_admin_menu = True
    menu_order = 200
    list_display = ["__str__", "coverage", "posted_at", "pinned", "retracted"]
    list_filter = ["coverage", "pinned", "retracted"]
    search_fields = ["text"]
    ordering = ["-posted_at"]


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """Sign-ups come from the public form only; the admin reads, exports and deletes them."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)


class EventSignupViewSet(SnippetViewSet):
    """The sign-up list, with masked numbers on screen and in the CSV/XLSX export."""

    model = EventSignup
    chooser_viewset_class = PermissionCheckedChooserViewSet
    icon = "list-ul"
    menu_label = _("Event sign-ups")
    add_to_admin_menu = True
    menu_order = 220
    list_display = ["name", "masked_phone", "community", "event", "created_at"]
    list_filter = ["event"]
    search_fields = ["name"]
    list_export = ["event", "name", "masked_phone", "community", "created_at"]
    export_headings = {"masked_phone": _("mobile number (masked)")}
    export_filename = "event-signups"
    inspect_view_enabled = False
    panels = []

    def get_edit_handler(self):
        from wagtail.admin.panels import FieldPanel, ObjectList

        return ObjectList([FieldPanel("name"), FieldPanel("community")]).bind_to_model(self.model)


register_permission_policy(EventSignup, NoAddPermissionPolicy(EventSignup))
register_snippet(MonitorMemberViewSet)
register_snippet(LiveEntryViewSet)
register_snippet(EventSignupViewSet)


@hooks.register("after_create_snippet")
def record_live_entry_author(request, instance):
    if isinstance(instance, LiveEntry) and instance.author_id is None:
        LiveEntry.objects.filter(pk=instance.pk).update(author=request.user)


@hooks.register("load_demo")
def add_demo_reports(builder, campaign):
    from django.contrib.auth.models import Group, Permission

    from campaign_pages.permissions import ensure_groups
    from media_reports.demo import build_demo
    from media_reports.permissions import EDITOR_GROUPS

    builder.changes += [f"group {name}" for name in ensure_groups(Group, Permission, EDITOR_GROUPS)]
    build_demo(builder, campaign)


@hooks.register("community_activity")
def community_activity(campaign):
    """{community id: {"reports": n, "events": n}} for the 优秀组织奖 metrics (voting asks).

    ``reports``: live field reports of the campaign covering a candidate of the 社区 (a report
    covering two of its candidates counts once); ``events``: sign-ups from the 社区 for the
    campaign's field-visit events. Counted on the Chinese originals, so a translated page
    never counts twice.
    """
    from collections import defaultdict

    from django.db.models import Count

    from media_reports.models import EventPage, ReportPage

    counts = defaultdict(lambda: {"reports": 0, "events": 0})
    reports = (
        ReportPage.objects.live()
        .descendant_of(campaign)
        .filter(residences__residence__isnull=False)
        .values("residences__residence__community_id")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in reports:
        counts[row["residences__residence__community_id"]]["reports"] = row["n"]
    events = EventPage.objects.descendant_of(campaign).filter(locale_id=campaign.locale_id)
    signups = (
        EventSignup.objects.filter(event__in=events).values("community_id").annotate(n=Count("pk"))
    )
    for row in signups:
        counts[row["community_id"]]["events"] = row["n"]
    return dict(counts)
