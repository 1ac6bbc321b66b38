"""The JSON API under /api/v1/ for the 我们 app and the web page's script (DESIGN.md §6).

Errors are always ``{"error": {"code", "message"}}`` with the contract's status codes; the
message follows the request's Accept-Language (Chinese by default). A vote needs a Bearer
token from ``voter/session/`` (the app) or the web session plus its CSRF token.
"""

import logging

from django.conf import settings
from django.db import OperationalError
from django.http import Http404
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from campaign_pages import ratelimits
from campaign_pages.models import ResidencePage
from campaign_pages.params import as_id, search_text
from voting import casting, codes
from voting.messages import (
    VotingError,
    busy,
    invalid_request,
    not_authenticated,
    text,
    too_many_requests,
)
from voting.models import Voter
from voting.results import leaderboard

logger = logging.getLogger("pingan.voting")

ERROR = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorBody", {"code": serializers.CharField(), "message": serializers.CharField()}
        )
    },
)
CANDIDATE = inline_serializer(
    "Candidate",
    {
        "id": serializers.IntegerField(),
        "name": serializers.CharField(),
        "street": serializers.CharField(),
        "community": serializers.CharField(),
        "url": serializers.URLField(),
        "image_url": serializers.URLField(allow_null=True),
        "video_url": serializers.URLField(allow_null=True),
        "votes": serializers.IntegerField(allow_null=True),
    },
)


def error_response(error):
    response = Response(
        {"error": {"code": error.code, "message": error.message}}, status=error.status
    )
    if error.retry_after:
        response["Retry-After"] = str(int(error.retry_after))
    return response


def handle_api_exception(exc, context):
    """Every failure as the contract's JSON error; never an HTML page, never a 500 for input."""
    if isinstance(exc, VotingError):
        return error_response(exc)
    if isinstance(exc, exceptions.Throttled):
        return error_response(too_many_requests(exc.wait or 60))
    if isinstance(exc, exceptions.MethodNotAllowed):
        return error_response(VotingError(405, "method_not_allowed", str(exc.detail)))
    if isinstance(exc, exceptions.NotAcceptable):
        return error_response(VotingError(406, "not_acceptable", str(exc.detail)))
    if isinstance(exc, Http404 | exceptions.NotFound):
        return error_response(VotingError(404, "not_found", text("Not found.")))
    if isinstance(exc, exceptions.APIException):  # ParseError, UnsupportedMediaType, …
        return error_response(invalid_request())
    if isinstance(exc, OperationalError):
        return error_response(busy())
    return None


class ReadThrottle(BaseThrottle):
    """GET and HEAD per client address (``API_READ_RATE``); posts have their own limits."""

    def allow_request(self, request, view):
        if request.method not in ("GET", "HEAD"):
            return True
        return not ratelimits.exceeded(request, "api.read", settings.API_READ_RATE)

    def wait(self):
        return ratelimits.window_seconds(settings.API_READ_RATE)


class ApiView(APIView):
    """Common ground of the endpoints: JSON only, our own authentication and error format."""

    throttle_classes = [ReadThrottle]
    authentication_classes = []
    permission_classes = []
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    def initial(self, request, *args, **kwargs):
        # /api/v1/ is outside i18n_patterns: messages follow Accept-Language (zh-hans default).
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)

    def get_exception_handler(self):
        return handle_api_exception

    def body(self, request):
        """The JSON object sent, or 400 invalid_request for anything else."""
        try:
            data = request.data
        except exceptions.ParseError as error:
            raise invalid_request() from error
        if not isinstance(data, dict):
            raise invalid_request()
        return data

    def campaign(self):
        campaign = casting.current_campaign()
        if campaign is None:
            raise VotingError(404, "no_campaign", text("There is no campaign yet."))
        return campaign


# The picture the app shows for a candidate: its cover, sized for a phone.
IMAGE_RENDITION = "fill-720x480|format-jpeg"


def with_media(pages):
    """Candidates with their cover rendition and first approved, converted video, so that a
    list costs the same few queries whatever its length."""
    from django.db.models import Prefetch
    from wagtail.images import get_image_model

    from registrations.models import Moderation, ResidenceVideo

    images = get_image_model().objects.prefetch_renditions(IMAGE_RENDITION)
    pages = list(pages.prefetch_related(Prefetch("cover_image", queryset=images)))
    videos = (
        ResidenceVideo.objects.filter(
            registration__residence__in=pages,
            moderation=Moderation.APPROVED,
            processing=ResidenceVideo.Processing.READY,
            media__isnull=False,
        )
        .select_related("media")
        .order_by("uploaded_at", "pk")
        .values_list("registration__residence_id", "media__file")
    )
    first_video = {}
    for residence_id, file in videos:
        first_video.setdefault(residence_id, file)
    for page in pages:
        page.api_video_file = first_video.get(page.pk)
    return pages


def candidate_data(request, page, votes):
    """One candidate as the contract says (DESIGN.md §6); ``page`` comes from ``with_media``."""
    from django.core.files.storage import default_storage

    image = page.cover_image.get_rendition(IMAGE_RENDITION).url if page.cover_image else None
    video = getattr(page, "api_video_file", None)
    return {
        "id": page.pk,
        "name": page.title,
        "street": page.street.local_name if page.street_id else "",
        "community": page.community.local_name if page.community_id else "",
        "url": request.build_absolute_uri(page.url) if page.url else None,
        "image_url": request.build_absolute_uri(image) if image else None,
        "video_url": request.build_absolute_uri(default_storage.url(video)) if video else None,
        "votes": votes,
    }


class CurrentCampaignView(ApiView):
    @extend_schema(
        summary="The current campaign with its phases",
        responses={200: OpenApiResponse(description="title, theme, year, phases"), 404: ERROR},
    )
    def get(self, request):
        campaign = self.campaign()
        return Response(
            {
                "id": campaign.pk,
                "title": campaign.title,
                "theme": campaign.theme,
                "year": campaign.year,
                "phases": [
                    {
                        "key": phase.key,
                        "name": str(phase.name),
                        "starts_at": phase.starts_at.isoformat(),
                        "ends_at": phase.ends_at.isoformat(),
                        "is_open": phase.is_open(),
                    }
                    for phase in campaign.timeline
                ],
            }
        )


def visible_counts(campaign):
    entries, public, _final = leaderboard(campaign)
    if not public:
        return None
    return {e["candidate"]: e["votes"] for e in entries}


class CandidateListView(ApiView):
    @extend_schema(
        summary="The current campaign's candidates",
        responses={
            200: inline_serializer(
                "CandidateList",
                {"count": serializers.IntegerField(), "results": CANDIDATE},
            )
        },
    )
    def get(self, request):
        campaign = casting.current_campaign()
        if campaign is None:
            return Response({"count": 0, "results": []})
        pages = casting.candidates(campaign)
        street = search_text(request.query_params.get("street", ""), 100)
        if street:
            if street.isdigit():  # digits: an id (none matches one that cannot be an id)
                pages = pages.filter(street_id=as_id(street) or 0)
            else:
                pages = pages.filter(street__name__icontains=street)
        query = search_text(request.query_params.get("q", ""), 100)
        if query:
            pages = pages.filter(title__icontains=query)
        counts = visible_counts(campaign)
        results = [
            candidate_data(request, p, None if counts is None else counts.get(p.pk, 0))
            for p in with_media(pages)
        ]
        return Response({"count": len(results), "results": results})


class CandidateDetailView(ApiView):
    @extend_schema(
        summary="One candidate",
        operation_id="candidate_retrieve",
        responses={200: CANDIDATE, 404: ERROR},
    )
    def get(self, request, candidate_id):
        page = casting.find_candidate(candidate_id)
        if page is None:
            raise VotingError(404, "not_found", text("There is no such candidate."))
        counts = visible_counts(casting.campaign_of(page))
        page = with_media(
            ResidencePage.objects.filter(pk=page.pk).select_related("street", "community")
        )[0]
        return Response(
            candidate_data(request, page, None if counts is None else counts.get(page.pk, 0))
        )


class VoterCodeView(ApiView):
    @extend_schema(
        summary="Send a one-time code by SMS",
        request=inline_serializer("CodeRequest", {"phone": serializers.CharField()}),
        responses={202: OpenApiResponse(description="sent"), 400: ERROR, 429: ERROR},
    )
    def post(self, request):
        data = self.body(request)
        phone = codes.send_code(request, data.get("phone"))
        return Response(
            {
                "sent": True,
                "phone": codes.masked(phone),
                "expires_in": codes.settings.VOTE_CODE_TTL,
            },
            status=202,
        )


class VoterSessionView(ApiView):
    @extend_schema(
        summary="Exchange number and code for a voter token (and a web session)",
        request=inline_serializer(
            "SessionRequest", {"phone": serializers.CharField(), "code": serializers.CharField()}
        ),
        responses={
            201: inline_serializer(
                "Session",
                {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()},
            ),
            400: ERROR,
            429: ERROR,
        },
    )
    def post(self, request):
        data = self.body(request)
        voter = codes.verify_code(request, data.get("phone"), data.get("code"))
        token, expires_at = codes.issue_token(voter)
        codes.start_session(request._request, voter)
        return Response({"token": token, "expires_at": expires_at.isoformat()}, status=201)


def authenticated_voter_id(request):
    """(voter id, channel) from a Bearer token (app) or the web session with its CSRF token.

    No query: the token is signed and the session was made by ``voter/session/``, each for a
    verified voter (voters are never deleted; the vote's own reads check the row anyway)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        voter_id = codes.voter_id_from_token(token.strip()) if scheme.lower() == "bearer" else None
        if voter_id is None:
            raise not_authenticated()
        return voter_id, "app"
    voter_id = codes.voter_id_from_session(request._request)
    if voter_id is None:
        raise not_authenticated()
    if request.method == "POST":
        check = CsrfViewMiddleware(lambda r: None)
        if check.process_view(request._request, None, (), {}) is not None:
            raise VotingError(
                403,
                "csrf_failed",
                text("The security check failed: reload the page and try again."),
            )
    return voter_id, "web"


def authenticated_voter(request):
    """(voter, channel), as ``authenticated_voter_id`` but with the voter's row."""
    voter_id, channel = authenticated_voter_id(request)
    voter = Voter.objects.filter(pk=voter_id).first()
    if voter is None:
        raise not_authenticated()
    return voter, channel


class VoterView(ApiView):
    """The signed-in voter's state today (for the web page's script; never cached)."""

    @extend_schema(
        summary="The current voter's remaining votes today", responses={200: None, 401: ERROR}
    )
    def get(self, request):
        from django.middleware.csrf import get_token

        get_token(request._request)  # the web script posts votes with this cookie's token
        voter, _channel = authenticated_voter(request)
        campaign = self.campaign()
        response = Response(
            {
                "phone": voter.masked_phone,
                "remaining_today": casting.remaining_today(campaign, voter),
                "voted_today": sorted(casting.voted_today(campaign, voter)),
                "voting_open": casting.voting_is_open(campaign),
            }
        )
        response["Cache-Control"] = "private, no-store"
        return response


class VoteView(ApiView):
    @extend_schema(
        summary="Cast a vote",
        request=inline_serializer("VoteRequest", {"candidate": serializers.IntegerField()}),
        responses={
            201: inline_serializer(
                "VoteResult",
                {
                    "candidate": serializers.IntegerField(),
                    "votes": serializers.IntegerField(allow_null=True),
                    "remaining_today": serializers.IntegerField(),
                },
            ),
            400: ERROR,
            401: ERROR,
            403: ERROR,
            404: ERROR,
            409: ERROR,
            429: ERROR,
            503: ERROR,
        },
    )
    def post(self, request):
        data = self.body(request)
        voter_id, channel = authenticated_voter_id(request)
        candidate = data.get("candidate")
        if isinstance(candidate, bool) or not isinstance(candidate, int | str):
            raise invalid_request()
        # A string must be ASCII digits: "²" or "٣" pass str.isdigit but are no id at all.
        digits = candidate.strip() if isinstance(candidate, str) else None
        if digits is not None and not (digits.isascii() and digits.isdigit()):
            raise invalid_request()
        vote, rules = casting.cast_vote(request._request, voter_id, candidate, channel)
        votes = vote.tally if rules.counts_public else None
        return Response(
            {"candidate": vote.candidate_id, "votes": votes, "remaining_today": vote.remaining},
            status=201,
        )


class LeaderboardView(ApiView):
    @extend_schema(summary="Candidates ranked by valid votes", responses={200: None})
    def get(self, request):
        campaign = self.campaign()
        entries, public, final = leaderboard(campaign)
        return Response(
            {
                "campaign": campaign.pk,
                "counts_public": public,
                "final": final is not None,
                "frozen_at": final.frozen_at.isoformat() if final else None,
                "results": entries,
            }
        )


class UnknownView(ApiView):
    """Any other path under /api/v1/: a JSON 404, never the site's HTML page."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise VotingError(404, "not_found", text("Not found."))

    post = put = patch = delete = get
