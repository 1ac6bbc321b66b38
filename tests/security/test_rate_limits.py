"""Every public form and endpoint has a per-client limit: 429, Retry-After, a clear message.

docs/security.md lists them all; the limits that existed before (registration form, voting
codes, sessions and votes) have their tests next to their features and are named there.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

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
