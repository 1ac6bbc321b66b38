"""The permission matrix: every admin, Django-admin, API and front-end URL, as every role.

Each route of ``tests/urlpatterns.site_routes()`` (the page tree aside) is requested with GET
as each of seven roles, its parameters filled with real objects of the demo campaign in its
review phase (so an allowed view really renders rather than 404 for a missing sample), and
the answer is classified:

- **allowed**: a 2xx, or a redirect that leads (followed a few hops) to an allowed answer;
- **denied**: a redirect to a sign-in page, Wagtail's "no permission" bounce (a redirect
  that leaves an error message), 401, 403, or 404 (scoping hides the object);
- **other** (405 for a POST-only URL): never allowed; a 5xx fails the test.

``ALLOWED`` declares per role the routes it may open (route names with their namespaces, or
``fnmatch`` patterns of them); every other route must not be allowed for that role. Every
route must be named by some role's declaration, ``SUPERUSER_ONLY`` or ``NOT_A_PAGE``, so an
admin view cannot be added without deciding who may see it. The unsafe methods are checked
apart: a POST to a decision, form or API URL by a role that may not make it changes nothing
in the database. docs/security.md §3 says how the matrix was checked.
"""

import fnmatch
import re

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import constants as message_levels
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.coreutils import resolve_model_string

from tests.urlpatterns import concrete, site_routes

ROLES = ["anonymous", "voter", "community", "street_officer", "panel", "editor", "office"]

# -- who may open what ---------------------------------------------------------------------


def chooser(snippet):
    """The views of a snippet's chooser modal (creating from the modal is not among them)."""
    namespace = f"wagtailsnippetchoosers_{snippet}"
    return [f"{namespace}:{view}" for view in ("choose", "choose_results", "chosen*")]


def newsroom(snippet):
    """What editors do with the reporting snippets: add, edit, copy, read; never delete."""
    namespace = f"wagtailsnippets_{snippet}"
    views = ("list*", "add", "edit", "copy", "usage", "history*")
    return [f"{namespace}:{view}" for view in views]


# Open to everybody, signed in or not: sign-in forms, public machine URLs, the public API.
PUBLIC = [
    "django-admin/login/",
    "admin:login",
    "wagtailadmin_login",
    "wagtailadmin_password_reset*",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "sitemap",
    "robots_txt",
    "healthz",
    "captcha-image",
    "captcha-image-2x",
    "search",
    "community:login",
    "community:activate",
    "voting:vote",
    "page_asset",
    "live_updates",
    "wagtaildocs_serve",
    "wagtailcore_login",
    "api:current_campaign",
    "api:candidates",
    "api:candidate",
    "api:leaderboard",
    "api:schema",
]

# Any signed-in account: the community dashboard lists the account's own registrations,
# which for a staff account is none.
SIGNED_IN = [*PUBLIC, "community:dashboard"]

# What every account with admin access gets from Wagtail itself. None of it shows data of
# ours that the account could not see elsewhere: the dashboard, its own account, the page
# and media choosers (titles of pages and public files), the public reference lists
# (streets, 社区), the site history filtered by the account's rights, and two confirmation
# pages that Wagtail checks only when they are posted (the POSTs are tested below).
ADMIN_BASICS = [
    *SIGNED_IN,
    "wagtailadmin_home",
    "admin/test404/",
    "wagtailadmin_account",
    "wagtailadmin_dismissibles",
    "wagtailadmin_api:*:listing",
    "wagtailadmin_api:images:detail",
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_*",
    "wagtailadmin_tag_autocomplete",
    "wagtailadmin_pages:choose_parent",
    "wagtailadmin_pages:move_confirm",
    "wagtailadmin_pages:confirm_workflow_cancellation",
    "wagtailadmin_workflows:task_chooser",
    "wagtailadmin_workflows:task_chooser_*",
    "wagtailadmin_workflows:task_chosen",
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    "wagtail_localize:javascript_catalog",
    "wagtail_localize:translations_report",
    "wagtail_localize:translations_report_results",
    "wagtailmedia:chooser",
    "wagtailmedia:chooser_typed",
    "wagtailembeds:chooser",
    "wagtailembeds:chooser_upload",
    "wagtaildocs_chooser:choose",
    "wagtaildocs_chooser:choose_results",
    "wagtaildocs_chooser:chosen_multiple",
    "wagtailimages_chooser:choose",
    "wagtailimages_chooser:choose_results",
    "wagtailimages_chooser:chosen_multiple",
    *chooser("campaign_pages_street"),
    *chooser("campaign_pages_community"),
]

INSPECTIONS_READ = [
    "inspection:index",
    "inspection:index_results",
    "inspection:inspect",
]

ALLOWED = {
    "anonymous": PUBLIC,
    # A verified number: the public URLs and the voter's own state (votes are POSTs).
    "voter": [*PUBLIC, "api:voter"],
    # A candidate community: its own registration and media page on the front end.
    "community": [*SIGNED_IN, "community:registration", "community:media"],
    # A street office: its own street's inspections (scoped) and proposed list only.
    "street_officer": [
        *ADMIN_BASICS,
        *INSPECTIONS_READ,
        "inspection:add",
        "inspection:edit",
        "inspection:history",
        "inspection:history_results",
        "inspection:usage",
        "inspection:submission",
    ],
    # The panel: registrations to screen, every street's inspections to read, its scores.
    "panel": [
        *ADMIN_BASICS,
        *INSPECTIONS_READ,
        "wagtailsnippets_registrations_registration:list",
        "wagtailsnippets_registrations_registration:list_results",
        "wagtailsnippets_registrations_registration:inspect",
        *chooser("registrations_registration"),
        "wagtail_bulk_action",  # the screening decisions (shortlist …)
        "selection:scores",
        "selection:score",
    ],
    # 温州网's editors: pages, images, documents, media, reports, live entries, the monitor
    # team, event sign-ups (read, delete) and the moderation of community uploads.
    "editor": [
        *ADMIN_BASICS,
        "wagtailadmin_explore*",
        "wagtailadmin_api:pages:detail",
        "wagtailadmin_pages:add",
        "wagtailadmin_pages:add_subpage",
        "wagtailadmin_pages:preview_on_add",
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:preview_on_edit",
        "wagtailadmin_pages:view_draft",
        "wagtailadmin_pages:copy",
        "wagtailadmin_pages:usage",
        "wagtailadmin_pages:type_use*",
        "wagtailadmin_pages:search*",
        "wagtailadmin_pages:history*",
        "wagtailadmin_pages:revisions_index",
        "wagtailadmin_pages:revisions_view",
        "wagtailadmin_pages:revisions_revert",
        "wagtailadmin_pages:revisions_compare",
        "wagtailadmin_pages:workflow_history",
        "wagtailadmin_reports:workflow*",
        "wagtailadmin_reports:aging_pages*",
        "wagtailadmin_reports:page_types_usage*",
        "wagtail_localize:submit_page_translation",
        "wagtailforms:index*",
        "wagtailimages:index*",
        "wagtailimages:add*",
        "wagtailimages:edit",
        "wagtailimages:delete",
        "wagtailimages:preview",
        "wagtailimages:image_usage",
        "wagtailimages_chooser:*",
        "wagtaildocs:index*",
        "wagtaildocs:add*",
        "wagtaildocs:edit",
        "wagtaildocs:delete",
        "wagtaildocs:document_usage",
        "wagtaildocs_chooser:*",
        "wagtailmedia:*",
        *newsroom("media_reports_monitormember"),
        "wagtailsnippetchoosers_media_reports_monitormember:*",
        *newsroom("media_reports_liveentry"),
        "wagtailsnippetchoosers_media_reports_liveentry:*",
        "wagtailsnippets_media_reports_eventsignup:list*",
        "wagtailsnippets_media_reports_eventsignup:delete",
        "wagtailsnippets_media_reports_eventsignup:history*",
        *chooser("media_reports_eventsignup"),
        "wagtailsnippets_registrations_residencephoto:list*",
        "wagtailsnippets_registrations_residencephoto:edit",
        "wagtailsnippets_registrations_residencephoto:inspect",
        "wagtailsnippets_registrations_residencephoto:usage",
        "wagtailsnippets_registrations_residencephoto:history*",
        *chooser("registrations_residencephoto"),
        "wagtailsnippets_registrations_residencevideo:list*",
        "wagtailsnippets_registrations_residencevideo:edit",
        "wagtailsnippets_registrations_residencevideo:inspect",
        "wagtailsnippets_registrations_residencevideo:usage",
        "wagtailsnippets_registrations_residencevideo:history*",
        *chooser("registrations_residencevideo"),
    ],
    # The district office: registrations (full numbers), objections and their evidence,
    # votes (read; decisions by the bulk actions), tallies, rules, the whole selection.
    "office": [
        *ADMIN_BASICS,
        *INSPECTIONS_READ,
        "wagtailsnippets_registrations_registration:list*",
        "wagtailsnippets_registrations_registration:edit",
        "wagtailsnippets_registrations_registration:inspect",
        "wagtailsnippets_registrations_registration:usage",
        "wagtailsnippets_registrations_registration:history*",
        *chooser("registrations_registration"),
        "wagtail_bulk_action",
        "wagtailsnippets_registrations_objection:list*",
        "wagtailsnippets_registrations_objection:inspect",
        *chooser("registrations_objection"),
        "objection_evidence",
        "wagtailsnippets_voting_vote:list*",
        "wagtailsnippets_voting_vote:inspect",
        *chooser("voting_vote"),
        "wagtailsnippets_voting_tally:list*",
        *chooser("voting_tally"),
        "wagtailsnippets_voting_votingrules:list*",
        "wagtailsnippets_voting_votingrules:add",
        "wagtailsnippets_voting_votingrules:copy",
        "wagtailsnippets_voting_votingrules:edit",
        "wagtailsnippets_voting_votingrules:usage",
        "wagtailsnippets_voting_votingrules:history*",
        "wagtailsnippetchoosers_voting_votingrules:*",
        "voting_vote_chart",
        "street_submission:index*",
        "street_submission:inspect",
        "selection:ranking",
        "selection:proposal",
        "selection:organisations",
        "selection:confirm",
        "selection_rules:index*",
        "selection_rules:add",
        "selection_rules:edit",
        "selection_rules:usage",
        "selection_rules:history*",
        "selection_records:index*",
    ],
}

# Routes none of the seven roles may open (a superuser may): Wagtail's and Django's own
# administration, the Django admin, and views of ours that no group is given.
SUPERUSER_ONLY = [
    "admin:*",
    "django-admin/*",
    "admin/.*/",
    "wagtailsnippets:index",
    "wagtailusers_*",
    "wagtailsites:*",
    "wagtaillocales:*",
    "wagtailredirects:*",
    "wagtailadmin_workflows:*",
    "wagtailadmin_collections:*",
    "wagtailadmin_pages:*",
    "wagtailadmin_reports:*",
    "wagtailadmin_editing_sessions:*",
    "wagtailadmin_tag_model_autocomplete",
    "wagtailadmin_block_preview",
    "wagtailadmin_api:*",
    "wagtail_localize:*",
    "wagtailsettings:*",
    "wagtailforms:*",
    "wagtailimages:*",
    "wagtaildocs:*",
    "wagtailsnippets_*",
    "wagtailsnippetchoosers_*",
    "inspection:delete",  # an inspection is corrected, never deleted (no group has it)
    "selection_rules:*",
    "street_submission:*",
    "selection_records:*",
    "wagtaildocs_authenticate_with_password",
    "wagtailcore_authenticate_with_password",
]

# Routes that are no page to GET: POST-only endpoints (405, or a 404 without the XHR header),
# log-out. They are never "allowed" on GET; their POSTs are tested here or next to them.
NOT_A_PAGE = [
    "api:voter_code",
    "api:voter_session",
    "api:votes",
    "api:unknown",
    "community:logout",
    "community:upload_photos",
    "community:upload_video",
    "captcha-refresh",
    "captcha-audio",  # 404: the site offers no spoken captcha
    "wagtailadmin_logout",
    "admin:logout",
]

# Wagtail's deliberate 500 (to test error reporting) is not requested.
SKIPPED = ["wagtailadmin_error_test"]


def declared(patterns, key):
    return any(fnmatch.fnmatchcase(key, pattern) for pattern in patterns)


def route_key(route):
    """A route's name with its namespaces, or its path where it has no name."""
    return route.name or route.route


def matrix_routes():
    """The routes the matrix requests: all but the page tree's catch-all."""
    routes = [
        r for r in site_routes() if route_key(r) != "wagtail_serve" and route_key(r) not in SKIPPED
    ]
    # Log-out last, so each role stays signed in for every other request.
    return sorted(routes, key=lambda r: declared(NOT_A_PAGE, route_key(r)))


# -- the demo campaign in the state where every view has something to show -----------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The review phase of the demo (inspections, street lists, scores) with inspections
    still open, one account per role and one object of each kind; rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", phase="review", stdout=open("/dev/null", "w"))  # noqa: SIM115
        built = build_world()
        yield built
        transaction.set_rollback(True)


def build_world():
    from captcha.models import CaptchaStore
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import Collection, Revision, Task, TaskState, WorkflowState
    from wagtail_localize.models import Translation
    from wagtailmedia.models import Media

    from campaign_pages.models import CampaignPage, ResidenceIndexPage, ResidencePage
    from media_reports.models import LiveCoveragePage
    from registrations.models import (
        Objection,
        ObjectionEvidence,
        PublicNoticePage,
        Registration,
        ResidencePhoto,
    )
    from voting import codes
    from voting.models import Inspection, StreetOfficer, Voter, VotingRules
    from voting.selection import panel_candidates

    campaign = CampaignPage.objects.get(slug="2016", locale__language_code="zh-hans")
    # Inspections stay open alongside the review, so the officer's forms are editable.
    inspection = campaign.phases.get(key="inspection")
    inspection.ends_at = timezone.now() + timezone.timedelta(days=3)
    inspection.save()

    officer = User.objects.get(username="wuma-office")
    street = StreetOfficer.objects.get(user=officer).street
    own_inspection = Inspection.objects.filter(candidate__street=street).order_by("pk").first()
    other_inspection = Inspection.objects.exclude(candidate__street=street).order_by("pk").first()

    with_accounts = Registration.objects.filter(
        residence__isnull=False, account__isnull=False
    ).order_by("pk")
    own_registration = with_accounts.first()
    other_registration = with_accounts.exclude(account=own_registration.account).first()

    editor = User.objects.create_user("matrix-editor", password="pw-for-tests-only")
    editor.groups.add(Group.objects.get(name="Editors"))
    voter = Voter.for_phone("17419990001")
    token, _expires = codes.issue_token(voter)

    residence = ResidencePage.objects.filter(locale=campaign.locale).live().order_by("pk").first()
    index = ResidenceIndexPage.objects.child_of(campaign).first()
    candidate = panel_candidates(campaign).first()
    collection = Collection.get_first_root_node()
    document = Document.objects.create(title="矩阵测试文件", collection=collection)
    document.file.save("matrix.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    image = Image.objects.order_by("pk").first()
    photo = ResidencePhoto.objects.create(
        registration=own_registration, image=image, caption="门岗（测试）"
    )
    objection = Objection.objects.create(
        page=PublicNoticePage.objects.filter(locale=campaign.locale).first(),
        candidate=residence,
        name="矩阵测试",
        phone="17419990002",
        facts="台帐与实际不符。（测试）",
    )
    evidence = ObjectionEvidence(objection=objection, kind=ObjectionEvidence.Kind.PDF)
    evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    if not VotingRules.objects.filter(campaign=campaign).exists():
        VotingRules.for_campaign(campaign).save()
    submitted = Registration.objects.filter(campaign=campaign, status="submitted").first()
    media = Media.objects.order_by("pk").first()
    revision = Revision.page_revisions.filter(object_id=str(residence.pk)).first()

    def first_pk(queryset):
        return queryset.order_by("pk").values_list("pk", flat=True).first() or 1

    values = {
        "page_id": residence.pk,
        "page_pk": residence.pk,
        "pk": residence.pk,  # Wagtail's page views and admin API name the page "pk"
        "page_to_move_id": residence.pk,
        "parent_page_id": index.pk,
        "destination_id": index.pk,
        "revision_id": revision.pk,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "content_type_app_name": "campaign_pages",
        "content_type_model_name": "residencepage",
        "app_label": "campaign_pages",
        "app_name": "campaign_pages",
        "model_name": "residencepage",
        "image_id": image.pk,
        "document_id": document.pk,
        "doc_id": document.pk,
        "media_id": media.pk if media else 1,
        "media_type": "video",
        "filter_spec": "original",
        "collection_id": collection.pk,
        "candidate_id": candidate.pk,
        "coverage_id": LiveCoveragePage.objects.filter(locale=campaign.locale).first().pk,
        "task_state_id": first_pk(TaskState.objects),
        "task_id": first_pk(Task.objects),
        "workflow_state_id": first_pk(WorkflowState.objects),
        "translation_id": first_pk(Translation.objects),
        "translation_source_id": first_pk(Translation.objects),
        "action_name": "approve",
        "key": CaptchaStore.generate_key(),
        "page_path": "2016/register/",
        "asset": "qr.png",
        "id": officer.pk,
    }
    return {
        "campaign": campaign,
        "values": values,
        "own_inspection": own_inspection,
        "other_inspection": other_inspection,
        "other_officer": User.objects.get(username="songtai-office"),
        "own_registration": own_registration,
        "other_registration": other_registration,
        "submitted_registration": submitted,
        "residence": residence,
        "index": index,
        "candidate": candidate,
        "document": document,
        "photo": photo,
        "objection": objection,
        "evidence": evidence,
        "voter_token": token,
        "users": {
            "community": own_registration.account,
            "street_officer": officer,
            "panel": User.objects.get(username="panel-chen"),
            "editor": editor,
            "office": User.objects.get(username="district-office"),
        },
    }


def client_for(world, role):
    """One client per role: signed in as its account, or carrying the voter's token."""
    extra = {"HTTP_AUTHORIZATION": f"Bearer {world['voter_token']}"} if role == "voter" else {}
    client = Client(raise_request_exception=False, **extra)
    if role in world["users"]:
        client.force_login(world["users"][role])
    return client


# -- filling a route's parameters ------------------------------------------------------------


def model_of(route):
    """The model a generic view (Wagtail viewset, Django admin) works on, if it says."""
    view = route.view
    initkwargs = getattr(view, "view_initkwargs", None) or {}
    model = initkwargs.get("model") or getattr(getattr(view, "view_class", None), "model", None)
    if model is None and getattr(view, "model_admin", None) is not None:
        model = view.model_admin.model
    if isinstance(model, str):
        model = resolve_model_string(model)
    return model if isinstance(model, type) and issubclass(model, Model) else None


def object_for(world, model):
    from registrations.models import Registration
    from voting.models import Inspection

    # The officer's own street's inspection, the community's own registration: the roles
    # that are scoped see these (the other street's and community's are tested apart).
    chosen = {Inspection: world["own_inspection"], Registration: world["own_registration"]}
    if model in chosen:
        return chosen[model]
    return model._default_manager.order_by("pk").first()


def path_for(world, route):
    """The URL to request for ``route``, parameters filled with real objects."""
    key = route_key(route)
    if key == "wagtaildocs_serve":
        return world["document"].url
    if key == "wagtail_bulk_action":
        path = reverse(key, args=("registrations", "registration", "shortlist"))
        return f"{path}?id={world['submitted_registration'].pk}"
    values = dict(world["values"])
    model = model_of(route)
    if model is not None and {"pk", "object_id"} & set(route.parameters):
        obj = object_for(world, model)
        if obj is not None:
            values["pk"] = values["object_id"] = obj.pk
    if key.startswith("community:"):
        values["pk"] = world["own_registration"].pk
    if key == "objection_evidence":
        values["pk"] = world["evidence"].pk
    return concrete(route, **values)


# -- classifying an answer -----------------------------------------------------------------

LOGIN_PATHS = ("/admin/login/", "/django-admin/login/", "/community/login/", "/_util/login/")


def bounced_with_an_error(response):
    """Wagtail answers a missing permission with a redirect and an error message."""
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(message.level >= message_levels.ERROR for message in queued)


def outcome(client, response, hops=3):
    """allowed, denied or other; a redirect is followed (a few hops) to where it leads."""
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if 200 <= status < 300 or status == 304:
        return "allowed"
    if status in (301, 302, 303, 307, 308):
        target = re.sub(r"^https?://testserver", "", response["Location"])
        if target.split("?")[0].startswith(LOGIN_PATHS) or bounced_with_an_error(response):
            return "denied"
        if hops == 0 or not target.startswith("/"):
            return "allowed"
        return outcome(client, client.get(target), hops - 1)
    if status in (401, 403, 404):
        return "denied"
    return f"other {status}"


def observe(world, role):
    """{route key: [(path, outcome), …]} for every route of the matrix, as ``role``."""
    client = client_for(world, role)
    translation.activate("zh-hans")  # unprefixed paths are the default language's
    seen = {}
    for route in matrix_routes():
        path = path_for(world, route)
        seen.setdefault(route_key(route), []).append((path, outcome(client, client.get(path))))
    return seen


# -- the matrix ------------------------------------------------------------------------------


def test_every_route_has_a_decision():
    """A new URL that no declaration names fails here, before anyone may open it."""
    undecided = [
        route_key(route)
        for route in matrix_routes()
        if not any(declared(patterns, route_key(route)) for patterns in ALLOWED.values())
        and not declared(SUPERUSER_ONLY + NOT_A_PAGE, route_key(route))
    ]
    assert not undecided, undecided
    assert len(matrix_routes()) > 500


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_its_allowed_set(world, role):
    seen = observe(world, role)
    errors, opened_but_not_allowed, refused_but_allowed = [], [], []
    for key, answers in seen.items():
        may = declared(ALLOWED[role], key) and not declared(NOT_A_PAGE, key)
        for path, answer in answers:
            if answer.startswith("error"):
                errors.append((path, answer))
            elif answer == "allowed" and not may:
                opened_but_not_allowed.append(path)
            elif answer != "allowed" and may:
                refused_but_allowed.append((path, answer))
    assert not errors, errors
    assert not opened_but_not_allowed, f"{role} opens: " + " ".join(opened_but_not_allowed)
    assert not refused_but_allowed, f"{role} is refused: {refused_but_allowed}"


# -- unsafe methods: a POST by a role that may not make it changes nothing -------------------


def rows(*querysets):
    """Every field of every row of the querysets: what a refused POST must leave as it was."""
    return [list(queryset.order_by("pk").values_list()) for queryset in querysets]


def bulk(model, action, obj):
    app_label, model_name = model.split(".")
    return f"{reverse('wagtail_bulk_action', args=(app_label, model_name, action))}?id={obj.pk}"


def unsafe_posts(world):
    """(roles that must not, URL, data, querysets the POST would change), one per decision."""
    from campaign_pages.models import ResidencePage
    from media_reports.models import LiveEntry
    from registrations.models import Objection, Registration, ResidencePhoto
    from voting.models import (
        Inspection,
        PanelScore,
        SelectionRecord,
        SelectionRules,
        StreetSubmission,
        Vote,
    )

    vote = Vote.objects.filter(status="valid").order_by("pk").first()
    other_candidate = ResidencePage.objects.exclude(pk=vote.candidate_id).live().first()
    registration = world["submitted_registration"]
    inspection = world["own_inspection"]
    criteria = SelectionRules.objects.get(campaign=world["campaign"]).criteria.all()
    scores = {f"criterion_{c.pk}": 1 for c in criteria}
    registrations = Registration.objects.filter(pk=registration.pk)
    history = registration.status_changes.all()
    selection = [SelectionRules.objects.all(), SelectionRecord.objects.all()]
    return [
        (
            ["street_officer", "editor"],
            bulk("registrations.registration", "shortlist", registration),
            {"reason": "矩阵测试"},
            [registrations, history],
        ),
        (
            ["street_officer", "panel", "editor"],
            bulk("voting.vote", "freeze_votes", vote),
            {"reason": "矩阵测试"},
            [Vote.objects.filter(pk=vote.pk)],
        ),
        (
            ["street_officer", "panel", "office"],
            bulk("registrations.residencephoto", "approve_upload", world["photo"]),
            {"reason": ""},
            [ResidencePhoto.objects.filter(pk=world["photo"].pk)],
        ),
        (
            ["street_officer", "panel", "editor"],
            bulk("registrations.objection", "uphold_objection", world["objection"]),
            {"reason": "矩阵测试"},
            [Objection.objects.filter(pk=world["objection"].pk)],
        ),
        (
            # Votes change by the actions only, never by an edit form (VotePermissionPolicy).
            ["office", "editor", "panel"],
            reverse("wagtailsnippets_voting_vote:edit", args=(vote.pk,)),
            vote_form_data(vote, candidate=other_candidate.pk, status="void"),
            [Vote.objects.filter(pk=vote.pk)],
        ),
        (
            ["panel", "editor", "office"],
            reverse("inspection:edit", args=(inspection.pk,)),
            {"candidate": inspection.candidate_id, "findings": "改写（测试）"},
            [Inspection.objects.filter(pk=inspection.pk)],
        ),
        (
            ["panel", "editor", "office"],
            reverse("inspection:delete", args=(inspection.pk,)),
            {},
            [Inspection.objects.filter(pk=inspection.pk)],
        ),
        (
            ["street_officer", "panel", "editor"],
            reverse("wagtailsnippets_registrations_registration:edit", args=(registration.pk,)),
            {"residence_name": "改名（测试）"},
            [registrations],
        ),
        (
            ["street_officer", "editor", "office"],
            reverse("selection:score", args=(world["candidate"].pk,)),
            scores,
            [PanelScore.objects.all()],
        ),
        (
            ["street_officer", "panel", "editor"],
            reverse("selection:ranking"),
            {"action": "close_panel"},
            selection,
        ),
        (
            ["street_officer", "panel", "editor"],
            reverse("selection:confirm"),
            {},
            [*selection, ResidencePage.objects.all()],
        ),
        (
            # Every street's lists are the district's to read; none is written here.
            ["street_officer", "panel", "editor", "office"],
            reverse("street_submission:add"),
            {"note": "改写（测试）"},
            [StreetSubmission.objects.all()],
        ),
        (
            # Wagtail shows the move confirmation to anyone; the move itself is checked.
            ["street_officer", "panel", "office"],
            reverse(
                "wagtailadmin_pages:move_confirm",
                args=(world["residence"].pk, world["campaign"].pk),
            ),
            {},
            [ResidencePage.objects.filter(pk=world["residence"].pk).values("path")],
        ),
        (
            ["street_officer", "panel", "office"],
            reverse("wagtailadmin_pages:delete", args=(world["residence"].pk,)),
            {},
            [ResidencePage.objects.filter(pk=world["residence"].pk)],
        ),
        (
            ["street_officer", "panel", "office", "anonymous"],
            reverse("wagtailsnippets_media_reports_liveentry:add"),
            {"text": "假消息（测试）"},
            [LiveEntry.objects.all()],
        ),
    ]


def vote_form_data(vote, **changes):
    """A complete, valid edit form for ``vote`` with ``changes``: what a forged POST sends."""
    data = {k: v for k, v in model_to_dict(vote).items() if v is not None}
    data["created_at"] = timezone.localtime(vote.created_at).strftime("%Y-%m-%d %H:%M")
    data["day"] = vote.day.isoformat()
    return data | changes


@pytest.mark.django_db
def test_unsafe_posts_by_roles_that_may_not_change_nothing(world):
    clients = {}
    for roles, url, data, querysets in unsafe_posts(world):
        for role in roles:
            client = clients.setdefault(role, client_for(world, role))
            before = rows(*querysets)
            response = client.post(url, data)
            assert response.status_code < 500, (role, url, response.status_code)
            assert rows(*querysets) == before, (role, url)


@pytest.mark.django_db
def test_the_same_posts_by_the_roles_that_may_do_change_the_database(world):
    """The snapshot sees a change: the refusals above are refusals, not blind spots."""
    from registrations.models import Registration
    from voting.models import Vote

    vote = Vote.objects.filter(status="valid").order_by("pk").first()
    office = client_for(world, "office")
    office.post(bulk("voting.vote", "freeze_votes", vote), {"reason": "矩阵测试"})
    assert Vote.objects.get(pk=vote.pk).status == "frozen"
    registration = world["submitted_registration"]
    panel = client_for(world, "panel")
    panel.post(bulk("registrations.registration", "start_review", registration), {"reason": ""})
    assert Registration.objects.get(pk=registration.pk).status != "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "community", "street_officer", "office"])
def test_only_a_verified_voter_may_post_a_vote(world, role):
    from voting.models import Vote

    before = Vote.objects.count()
    response = client_for(world, role).post(
        "/api/v1/votes/", {"candidate": world["candidate"].pk}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert Vote.objects.count() == before


# -- scoping: the same view, another street's, community's or member's object ---------------


@pytest.mark.django_db
def test_a_street_officer_cannot_open_another_streets_inspection(world):
    officer = client_for(world, "street_officer")
    other = Client()
    other.force_login(world["other_officer"])
    own, theirs = world["own_inspection"], world["other_inspection"]
    for view in ("inspect", "edit", "history", "usage"):
        assert officer.get(reverse(f"inspection:{view}", args=(own.pk,))).status_code == 200
        assert officer.get(reverse(f"inspection:{view}", args=(theirs.pk,))).status_code == 404
        assert other.get(reverse(f"inspection:{view}", args=(own.pk,))).status_code == 404
    listed = officer.get(reverse("inspection:index")).context["object_list"]
    assert own in listed and theirs not in listed
    before = rows(type(own).objects.filter(pk=own.pk))
    other.post(reverse("inspection:edit", args=(own.pk,)), {"findings": "改写（测试）"})
    assert rows(type(own).objects.filter(pk=own.pk)) == before
    # Nor another street's proposed list, through the district office's list.
    assert officer.get(reverse("street_submission:index")).status_code in (302, 403)


@pytest.mark.django_db
def test_a_community_cannot_open_another_communitys_registration_or_uploads(world):
    from registrations.models import ResidencePhoto

    community = client_for(world, "community")
    own, theirs = world["own_registration"], world["other_registration"]
    for name in ("community:registration", "community:media"):
        assert community.get(reverse(name, args=(own.pk,))).status_code == 200
        assert community.get(reverse(name, args=(theirs.pk,))).status_code == 404
    before = ResidencePhoto.objects.count()
    response = community.post(
        reverse("community:upload_photos", args=(theirs.pk,)), {"caption": "冒名（测试）"}
    )
    assert response.status_code == 404 and ResidencePhoto.objects.count() == before


@pytest.mark.django_db
def test_a_panel_member_sees_and_changes_only_their_own_scores(world):
    from voting.models import PanelScore

    chen, lin = world["users"]["panel"], User.objects.get(username="panel-lin")
    candidate = world["candidate"]
    panel = client_for(world, "panel")
    listing = panel.get(reverse("selection:scores"))
    assert listing.status_code == 200
    # Until the panel closes, a member's list has no other member's totals.
    assert all(row["others"] == [] for row in listing.context["rows"])
    form = panel.get(reverse("selection:score", args=(candidate.pk,))).context["form"]
    own = {
        f"criterion_{s.criterion_id}": s.score
        for s in PanelScore.objects.filter(member=chen, candidate=candidate)
    }
    assert form.initial == own
    theirs = PanelScore.objects.filter(member=lin)
    before = rows(theirs)
    values = dict.fromkeys(form.fields, 0)
    assert panel.post(reverse("selection:score", args=(candidate.pk,)), values).status_code == 302
    assert rows(theirs) == before
    assert set(
        PanelScore.objects.filter(member=chen, candidate=candidate).values_list("score", flat=True)
    ) == {0}
