"""Every public form and endpoint has a per-client limit: 429, Retry-After, a clear message.

docs/security.md lists them all; the limits that existed before (registration form, voting
codes, sessions and votes) have their tests next to their features and are named there.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.models import Page

from campaign_pages.models import CampaignPage, ResidencePage
from campaign_pages.ratelimits import window_seconds
from media_reports.models import EventPage, LiveCoveragePage
from registrations.models import Registration

pytestmark = pytest.mark.django_db


def assert_limited(response, seconds, language_text="请求过于频繁"):
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)
    assert language_text in response.content.decode()


def test_window_seconds_of_a_rate():
    assert window_seconds("20/h") == 3600
    assert window_seconds("60/m") == 60
    assert window_seconds("5/10m") == 600
    with pytest.raises(ValueError):
        window_seconds("lots")


def test_search_is_limited_per_address(client, settings):
    settings.SEARCH_RATE = "3/m"
    assert [client.get("/search/", {"q": "平安"}).status_code for _ in range(3)] == [200] * 3
    assert_limited(client.get("/search/", {"q": "平安"}), 60)
    # Another address still searches.
    assert client.get("/search/", {"q": "平安"}, REMOTE_ADDR="198.51.100.2").status_code == 200


def test_english_readers_are_told_in_english(client, settings):
    settings.SEARCH_RATE = "1/m"
    client.get("/en/search/", {"q": "safe"})
    assert_limited(client.get("/en/search/", {"q": "safe"}), 60, "Too many requests")


def test_qr_codes_and_posters_are_limited_per_address(client, settings):
    settings.PAGE_ASSET_RATE = "2/m"
    assert client.get("/2016/register/qr.svg").status_code == 200
    assert client.get("/2016/register/qr.png").status_code == 200
    assert_limited(client.get("/2016/register/poster.png"), 60)


def test_event_sign_up_posts_are_limited_per_address(client, settings):
    settings.EVENT_SIGNUP_RATE = "2/h"
    event = EventPage.objects.get(slug="visit-wuma", locale__language_code="zh-hans")
    for _ in range(2):
        assert client.post(event.url, {"name": "", "phone": "1"}).status_code == 400
    assert_limited(client.post(event.url, {"name": "", "phone": "1"}), 3600)
    assert client.get(event.url).status_code == 200  # reading the page is not limited


def test_registration_corrections_are_limited_per_address(client, settings):
    settings.REGISTRATION_EDIT_RATE = "2/h"
    campaign = CampaignPage.objects.get(slug="2016", locale__language_code="zh-hans")
    registration = Registration.objects.filter(campaign=campaign, status="submitted").first()
    url = f"/2016/register/status/{registration.status_token}/edit/"
    for _ in range(2):
        assert client.post(url, {"name": ""}).status_code == 400
    assert_limited(client.post(url, {"name": ""}), 3600)


@pytest.fixture
def community_client(client):
    registration = (
        Registration.objects.filter(residence__isnull=False, account__isnull=False)
        .order_by("pk")
        .first()
    )
    client.force_login(registration.account)
    return client, registration


def photo():
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 480), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), "image/jpeg")


def test_community_uploads_are_limited_per_account(community_client, settings):
    settings.UPLOAD_RATE = "1/h"
    client, registration = community_client
    url = f"/community/registrations/{registration.pk}/media/photos/"
    assert client.post(url, {"photos": photo(), "caption": "门岗"}).status_code == 302
    limited = client.post(url, {"photos": photo(), "caption": "门岗"})
    assert_limited(limited, 3600)
    # The progress script gets JSON it can show.
    script = client.post(
        url, {"photos": photo(), "caption": "门岗"}, HTTP_ACCEPT="application/json"
    )
    assert script.status_code == 429 and "请求过于频繁" in script.json()["errors"][0]


def test_live_polls_that_read_the_database_are_limited(client, settings):
    settings.LIVE_POLL_RATE = "2/m"
    coverage = LiveCoveragePage.objects.get(slug="live", locale__language_code="zh-hans")
    url = f"/live/{coverage.pk}/updates.json"
    first = client.get(url, {"since": 0})
    etag = first["ETag"]
    client.get(url, {"since": 1})
    limited = client.get(url, {"since": 2})
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "too_many_requests"
    assert limited["Retry-After"] == "60"
    # An unchanged poll answered from the cache (304) is never limited.
    assert client.get(url, {"since": 0}, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_api_reads_are_limited_per_address_with_the_json_error(client, settings):
    settings.API_READ_RATE = "2/m"
    for _ in range(2):
        assert client.get("/api/v1/candidates/").status_code == 200
    response = client.get("/api/v1/leaderboard/")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "too_many_requests"
    assert response["Retry-After"] == "60"


def test_voter_sessions_are_limited_per_address(client, settings):
    settings.VOTE_SESSIONS_PER_CLIENT = "2/h"
    body = {"phone": "17410000001", "code": "000000"}
    codes = [
        client.post("/api/v1/voter/session/", body, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]


def test_captcha_images_and_refreshes_are_limited_per_address(client, settings):
    settings.CAPTCHA_RATE = "2/m"
    for _ in range(2):
        assert (
            client.get("/captcha/refresh/", HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code
            == 200
        )
    assert client.get("/captcha/refresh/").status_code == 429


def test_a_cache_outage_skips_the_limit_instead_of_failing(client, settings, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("campaign_pages.ratelimits.get_usage", down)
    settings.SEARCH_RATE = "1/m"
    assert [client.get("/search/", {"q": "平安"}).status_code for _ in range(3)] == [200] * 3


def test_candidate_pages_themselves_are_not_limited(client, settings):
    # Page views are cached and shared by thousands behind one carrier NAT: never limited.
    page = ResidencePage.objects.live().filter(locale__language_code="zh-hans").first()
    assert {client.get(page.url).status_code for _ in range(5)} == {200}


# -- every public POST endpoint, derived from the routes and the page tree -------------------
#
# A POST endpoint is public when an anonymous POST gets anything but 405 (no POST here) or a
# redirect to a sign-in page. Each one is either LIMITED (a test below drives it past its
# limit: 429 and Retry-After) or EXEMPT with the reason; a new one that is neither fails
# ``test_every_public_post_endpoint_is_limited_or_exempt``. Pages take a POST only if their
# type sets ``accepts_post`` (the others answer 405, campaign_pages/wagtail_hooks.py).

EXEMPT = {
    "community:activate": "sets a password only behind an unguessable signed token",
    "wagtailadmin_password_reset_confirm": "sets a password only behind a signed token",
    "admin:logout": "signs the client's own session out",
    "wagtaildocs_serve": "a document download, whatever the method (as its GET)",
    "wagtailadmin_sprite": "Wagtail's icon sprite, a static file whatever the method",
    "api:unknown": "a JSON 404 for any other path under /api/v1/",
}


def sign_in(path, field="username"):
    def drive(client, settings, ctx):
        settings.LOGIN_RATE = "2/m"
        body = {field: "nobody", "password": "wrong-password"}
        for _ in range(2):
            client.post(path, body, REMOTE_ADDR="203.0.113.9")
        return client.post(path, body, REMOTE_ADDR="203.0.113.9"), 60

    return drive


def password_form(path_of):
    def drive(client, settings, ctx):
        settings.LOGIN_RATE = "2/m"
        for _ in range(2):
            client.post(path_of(ctx), {"password": "guess"})
        return client.post(path_of(ctx), {"password": "guess"}), 60

    return drive


def password_reset(client, settings, ctx):
    settings.PASSWORD_RESET_RATE = "2/h"
    for _ in range(2):
        client.post("/admin/password_reset/", {"email": "nobody@example.com"})
    return client.post("/admin/password_reset/", {"email": "nobody@example.com"}), 3600


def captcha(path_of):
    def drive(client, settings, ctx):
        settings.CAPTCHA_RATE = "2/m"
        for _ in range(2):
            client.post(path_of(ctx))
        return client.post(path_of(ctx)), 60

    return drive


def json_post(client, path, body):
    return client.post(path, body, content_type="application/json")


def voter_code(client, settings, ctx):
    settings.VOTE_CODES_PER_CLIENT = "2/h"
    for n in range(2):
        json_post(client, "/api/v1/voter/code/", {"phone": f"1741999{n:04d}"})
    return json_post(client, "/api/v1/voter/code/", {"phone": "17419990099"}), None


def voter_session(client, settings, ctx):
    settings.VOTE_SESSIONS_PER_CLIENT = "2/h"
    body = {"phone": "17419990001", "code": "000000"}
    for _ in range(2):
        json_post(client, "/api/v1/voter/session/", body)
    return json_post(client, "/api/v1/voter/session/", body), None


def votes(client, settings, ctx):
    from voting import codes
    from voting.models import Voter

    settings.VOTE_RATE_VOTER = "1/m"
    token, _expires = codes.issue_token(Voter.for_phone("17419990003"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first, second = ctx["candidates"][:2]
    client.post("/api/v1/votes/", {"candidate": first}, content_type="application/json", **auth)
    return client.post(
        "/api/v1/votes/", {"candidate": second}, content_type="application/json", **auth
    ), None


def web_vote(client, settings, ctx):
    settings.VOTE_CODES_PER_CLIENT = "1/h"
    settings.VOTE_CAPTCHA_AFTER = "100/h"
    url = f"/vote/{ctx['candidates'][0]}/"
    client.post(url, {"action": "send_code", "phone": "17419990004"})
    return client.post(url, {"action": "send_code", "phone": "17419990005"}), None


def registration_form(client, settings, ctx):
    settings.REGISTRATION_SUBMIT_RATE = "2/h"
    settings.REGISTRATION_CAPTCHA_AFTER = "100/h"
    for _ in range(2):
        client.post("/2016/register/", {"residence_name": ""})
    return client.post("/2016/register/", {"residence_name": ""}), 3600


def event_sign_up(client, settings, ctx):
    settings.EVENT_SIGNUP_RATE = "2/h"
    event = EventPage.objects.get(slug="visit-wuma", locale__language_code="zh-hans")
    for _ in range(2):
        client.post(event.url, {"name": ""})
    return client.post(event.url, {"name": ""}), 3600


def objection_form(client, settings, ctx):
    from django.utils import timezone

    from registrations.notice import publish_proposed_list

    settings.OBJECTION_SUBMIT_RATE = "2/h"
    settings.REGISTRATION_CAPTCHA_AFTER = "100/h"
    residences = ResidencePage.objects.live().descendant_of(ctx["campaign"]).order_by("path")[:3]
    entries = [{"residence": r, "rank": n, "summary": "测试"} for n, r in enumerate(residences, 1)]
    page = publish_proposed_list(
        ctx["campaign"], entries, starts_at=timezone.now() - timezone.timedelta(days=1)
    )
    for _ in range(2):
        assert client.post(page.url, {"name": ""}).status_code == 400
    return client.post(page.url, {"name": ""}), 3600


LIMITED = {
    "django-admin/login/": sign_in("/django-admin/login/"),
    "admin:login": sign_in("/django-admin/login/"),
    "wagtailadmin_login": sign_in("/admin/login/"),
    "community:login": sign_in("/community/login/"),
    "wagtailcore_login": sign_in("/_util/login/"),
    "wagtailadmin_password_reset": password_reset,
    "wagtailcore_authenticate_with_password": password_form(
        lambda ctx: f"/_util/authenticate_with_password/1/{ctx['candidates'][0]}/"
    ),
    "wagtaildocs_authenticate_with_password": password_form(
        lambda ctx: "/documents/authenticate_with_password/1/"
    ),
    "captcha-image": captcha(lambda ctx: f"/captcha/image/{ctx['captcha']}/"),
    "captcha-image-2x": captcha(lambda ctx: f"/captcha/image/{ctx['captcha']}@2/"),
    "captcha-audio": captcha(lambda ctx: f"/captcha/audio/{ctx['captcha']}.wav"),
    "captcha-refresh": captcha(lambda ctx: "/captcha/refresh/"),
    "api:voter_code": voter_code,
    "api:voter_session": voter_session,
    "api:votes": votes,
    "voting:vote": web_vote,
    "page:RegistrationPage": registration_form,
    "page:EventPage": event_sign_up,
    "page:PublicNoticePage": objection_form,
    # Also limited, with their own tests above: the registration correction form (a
    # RegistrationPage sub-route) and the community uploads (signed-in accounts only).
}

LOGIN_PATHS = ("/admin/login/", "/django-admin/login/", "/community/login/", "/_util/login/")


@pytest.fixture
def ctx(campaign):
    from captcha.models import CaptchaStore

    from voting.casting import candidates

    return {
        "campaign": campaign,
        "candidates": list(candidates(campaign).values_list("pk", flat=True)),
        "captcha": CaptchaStore.generate_key(),
    }


def public_post_endpoints(ctx):
    """{key: path} of every URL that takes an anonymous POST, found by posting to each."""
    from django.test import Client
    from django.utils import translation

    from tests.urlpatterns import concrete, live_page_urls, site_routes

    client = Client(raise_request_exception=False)
    translation.activate("zh-hans")
    values = {
        "key": ctx["captcha"],
        "candidate_id": ctx["candidates"][0],
        "page_path": "2016/register/",
        "asset": "qr.png",
    }
    found = {}
    for route in site_routes():
        key = route.name or route.route
        if key == "wagtail_serve" or key == "wagtailadmin_error_test":
            continue
        path = concrete(route, **values)
        if takes_a_post(client.post(path, {})):
            found[key] = path
    for page in Page.objects.live().filter(depth__gt=1).specific():
        if page.url in live_page_urls() and takes_a_post(client.post(page.url, {})):
            found[f"page:{type(page).__name__}"] = page.url
    return found


def takes_a_post(response):
    if response.status_code == 405:
        return False
    location = response.get("Location", "")
    return not (response.status_code == 302 and location.split("?")[0].startswith(LOGIN_PATHS))


def test_every_public_post_endpoint_is_limited_or_exempt(ctx):
    found = public_post_endpoints(ctx)
    unlimited = sorted(set(found) - set(LIMITED) - set(EXEMPT))
    assert not unlimited, f"POST endpoints without a limit: {unlimited}"
    # And nothing is declared that is not there (a stale list proves nothing).
    assert sorted(set(LIMITED) | set(EXEMPT)) == sorted(found)


@pytest.mark.parametrize("endpoint", sorted(LIMITED))
def test_each_public_post_endpoint_answers_429_with_retry_after(endpoint, ctx, client, settings):
    response, window = LIMITED[endpoint](client, settings, ctx)
    assert response.status_code == 429, (endpoint, response.status_code)
    retry_after = int(response["Retry-After"])
    assert retry_after == window if window else retry_after > 0


def test_pages_without_a_form_refuse_a_post(client):
    from campaign_pages.models import ArticlePage

    page = ArticlePage.objects.live().first()
    response = client.post(page.url, {})
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert client.get(page.url).status_code == 200
