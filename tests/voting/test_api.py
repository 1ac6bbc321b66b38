"""The JSON API's contract (DESIGN.md §6): every status code and error code."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from voting import casting
from voting.models import Tally, Vote, VoterDay, VotingRules

from .conftest import new_phone, post, read_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_votes")]


def error_of(response):
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]["code"]


def test_current_campaign_lists_phases(client, campaign):
    body = client.get("/api/v1/campaigns/current/").json()
    assert body["year"] == campaign.year
    voting = next(p for p in body["phases"] if p["key"] == "voting")
    assert voting["is_open"] is True


def test_no_campaign_is_404(client, campaign):
    campaign.unpublish()
    assert error_of(client.get("/api/v1/campaigns/current/")) == "no_campaign"


def test_candidates_list_detail_and_unknown(client, candidate_ids):
    body = client.get("/api/v1/candidates/").json()
    assert body["count"] == len(candidate_ids) >= 5
    first = body["results"][0]
    assert set(first) == {
        "id",
        "name",
        "street",
        "community",
        "url",
        "image_url",
        "video_url",
        "votes",
    }
    assert client.get(f"/api/v1/candidates/{first['id']}/").json()["name"] == first["name"]
    response = client.get("/api/v1/candidates/999999999/")
    assert response.status_code == 404 and error_of(response) == "not_found"
    assert client.get("/api/v1/candidates/abc/").status_code == 404
    assert client.get("/api/v1/nowhere/").status_code == 404


def test_counts_hidden_when_campaign_says_so(client, campaign):
    VotingRules.objects.create(campaign=campaign, counts_public=False)
    assert all(c["votes"] is None for c in client.get("/api/v1/candidates/").json()["results"])
    board = client.get("/api/v1/leaderboard/").json()
    assert board["counts_public"] is False and all(r["votes"] is None for r in board["results"])


def test_code_is_sent_by_sms_in_chinese(client, sms_dir):
    phone = new_phone()
    response = post(client, "voter/code/", {"phone": f"+86 {phone}"})
    assert response.status_code == 202
    message = next(sms_dir.glob("*.json")).read_text(encoding="utf-8")
    assert "验证码" in message and read_code(sms_dir, phone)


@pytest.mark.parametrize("phone", ["", "123", "2" * 11, None, 13800138000, ["1"], {"a": 1}])
def test_invalid_phone_is_400(client, sms_dir, phone):
    response = post(client, "voter/code/", {"phone": phone})
    assert response.status_code == 400 and error_of(response) == "invalid_phone"


def test_message_follows_accept_language(client, sms_dir):
    zh = post(client, "voter/code/", {"phone": "1"}).json()["error"]["message"]
    en = post(client, "voter/code/", {"phone": "1"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "手机" in zh and "mobile" in en["error"]["message"]


def test_resend_is_throttled_with_retry_after(client, sms_dir):
    phone = new_phone()
    assert post(client, "voter/code/", {"phone": phone}).status_code == 202
    response = post(client, "voter/code/", {"phone": phone})
    assert response.status_code == 429 and error_of(response) == "too_many_requests"
    assert int(response["Retry-After"]) > 0


def test_codes_per_client_are_limited(client, sms_dir, settings):
    settings.VOTE_CODES_PER_CLIENT = "2/h"
    for _ in range(2):
        assert post(client, "voter/code/", {"phone": new_phone()}).status_code == 202
    assert post(client, "voter/code/", {"phone": new_phone()}).status_code == 429


@pytest.mark.parametrize("body", ["not json", "[]", "null", '"x"', "{"])
def test_unparseable_bodies_are_400_invalid_request(client, body):
    for path in ("voter/code/", "voter/session/", "votes/"):
        response = post(client, path, body)
        assert response.status_code == 400 and error_of(response) == "invalid_request"


def test_session_gives_token_and_cookie(client, sms_dir):
    phone = new_phone()
    post(client, "voter/code/", {"phone": phone})
    response = post(client, "voter/session/", {"phone": phone, "code": read_code(sms_dir, phone)})
    assert response.status_code == 201
    assert set(response.json()) == {"token", "expires_at"}
    assert "sessionid" in response.cookies


def test_wrong_used_and_expired_codes_are_400(client, sms_dir, settings):
    phone = new_phone()
    post(client, "voter/code/", {"phone": phone})
    code = read_code(sms_dir, phone)
    wrong = "000000" if code != "000000" else "111111"
    response = post(client, "voter/session/", {"phone": phone, "code": wrong})
    assert response.status_code == 400 and error_of(response) == "invalid_code"
    assert post(client, "voter/session/", {"phone": phone, "code": code}).status_code == 201
    again = post(client, "voter/session/", {"phone": phone, "code": code})
    assert error_of(again) == "invalid_code"  # single use

    settings.VOTE_CODE_RESEND_SECONDS = 0
    settings.VOTE_CODE_TTL = -1  # born expired
    post(client, "voter/code/", {"phone": phone})
    expired = post(client, "voter/session/", {"phone": phone, "code": read_code(sms_dir, phone)})
    assert error_of(expired) == "invalid_code"


def test_attempts_are_limited(client, sms_dir, settings):
    phone = new_phone()
    post(client, "voter/code/", {"phone": phone})
    code = read_code(sms_dir, phone)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.VOTE_CODE_ATTEMPTS):
        post(client, "voter/session/", {"phone": phone, "code": wrong})
    # Even the right code no longer works: guessing a million codes five at a time is hopeless.
    assert (
        error_of(post(client, "voter/session/", {"phone": phone, "code": code})) == "invalid_code"
    )


def test_vote_is_counted_and_stored_hashed(client, login, candidate_ids):
    phone, auth = login()
    response = post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)
    assert response.status_code == 201
    assert response.json() == {"candidate": candidate_ids[0], "votes": 1, "remaining_today": 4}
    vote = Vote.objects.get()
    assert vote.channel == "app" and vote.status == "valid"
    assert (
        phone not in vote.voter.phone_hash
        and vote.voter.masked_phone == f"{phone[:3]}****{phone[-4:]}"
    )
    assert Tally.objects.get(candidate_id=candidate_ids[0]).votes == 1


def test_vote_without_or_with_bad_token_is_401(client, candidate_ids):
    response = post(client, "votes/", {"candidate": candidate_ids[0]})
    assert response.status_code == 401 and error_of(response) == "not_authenticated"
    bad = post(client, "votes/", {"candidate": candidate_ids[0]}, HTTP_AUTHORIZATION="Bearer x.y.z")
    assert bad.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"candidate": None},
        {"candidate": "x"},
        {"candidate": True},
        {"candidate": [1]},
        {"candidate": "²"},  # a digit to str.isdigit, not to int()
        {"candidate": "٣"},  # an Arabic-Indic three: int() reads it, but it is no id
        {"candidate": ""},
    ],
)
def test_bad_vote_bodies_are_400(client, login, body):
    _phone, auth = login()
    response = post(client, "votes/", body, **auth)
    assert response.status_code == 400 and error_of(response) == "invalid_request"


def test_unknown_candidate_is_404(client, login):
    _phone, auth = login()
    for candidate in (999999999, 2**70, -1, 0):
        response = post(client, "votes/", {"candidate": candidate}, **auth)
        assert response.status_code == 404 and error_of(response) == "not_found"


def test_second_vote_same_candidate_same_day_is_rejected_with_409(client, login, candidate_ids):
    _phone, auth = login()
    assert post(client, "votes/", {"candidate": candidate_ids[0]}, **auth).status_code == 201
    response = post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)
    assert response.status_code == 409 and error_of(response) == "already_voted"
    assert Vote.objects.count() == 1


def test_daily_limit_exactly_at_its_value(client, login, candidate_ids, campaign):
    VotingRules.objects.create(campaign=campaign, per_day=3)
    _phone, auth = login()
    remaining = [
        post(client, "votes/", {"candidate": pk}, **auth).json()["remaining_today"]
        for pk in candidate_ids[:3]
    ]
    assert remaining == [2, 1, 0]
    response = post(client, "votes/", {"candidate": candidate_ids[3]}, **auth)
    assert response.status_code == 409 and error_of(response) == "daily_limit"
    assert Vote.objects.count() == 3 and VoterDay.objects.get().used == 3


def test_two_votes_per_candidate_when_the_rule_says_so(client, login, candidate_ids, campaign):
    VotingRules.objects.create(campaign=campaign, per_candidate_per_day=2)
    _phone, auth = login()
    codes = [
        post(client, "votes/", {"candidate": candidate_ids[0]}, **auth).status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 409]


def test_outside_the_window_is_403_with_dates(client, login, candidate_ids, campaign):
    _phone, auth = login()
    phase = campaign.phase("voting")
    phase.ends_at = timezone.now() - timedelta(days=1)
    phase.starts_at = phase.ends_at - timedelta(days=10)
    phase.save()
    response = post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)
    assert response.status_code == 403 and error_of(response) == "voting_closed"
    assert str(phase.last_day.day) in response.json()["error"]["message"]


def test_voter_rate_limit_is_429(client, login, candidate_ids, settings):
    settings.VOTE_RATE_VOTER = "2/m"
    _phone, auth = login()
    codes = [
        post(client, "votes/", {"candidate": pk}, **auth).status_code for pk in candidate_ids[:3]
    ]
    assert codes == [201, 201, 429]


def test_lock_timeout_is_503_with_retry_after(client, login, candidate_ids, monkeypatch):
    _phone, auth = login()

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(casting, "_record", locked)
    response = post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)
    assert response.status_code == 503 and response["Retry-After"]


def test_day_boundary_is_beijing_midnight(client, login, candidate_ids, monkeypatch):
    _phone, auth = login()
    today = casting.voting_day()
    before = datetime.combine(today, time(23, 59, 59), tzinfo=casting.BEIJING)
    after = before + timedelta(seconds=1)
    assert casting.voting_day(before) == today and casting.voting_day(after) == today + timedelta(1)
    # 16:00 UTC is midnight in Beijing: the UTC date has not changed, the voting day has.
    assert after.astimezone(UTC).hour == 16
    monkeypatch.setattr(casting.timezone, "now", lambda: before)
    assert post(client, "votes/", {"candidate": candidate_ids[0]}, **auth).status_code == 201
    assert post(client, "votes/", {"candidate": candidate_ids[0]}, **auth).status_code == 409
    monkeypatch.setattr(casting.timezone, "now", lambda: after)
    assert post(client, "votes/", {"candidate": candidate_ids[0]}, **auth).status_code == 201
    assert sorted(Vote.objects.values_list("day", flat=True)) == [today, today + timedelta(1)]


def test_web_session_vote_needs_csrf(sms_dir, candidate_ids):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    phone = new_phone()
    post(browser, "voter/code/", {"phone": phone})
    post(browser, "voter/session/", {"phone": phone, "code": read_code(sms_dir, phone)})
    refused = post(browser, "votes/", {"candidate": candidate_ids[0]})
    assert refused.status_code == 403 and error_of(refused) == "csrf_failed"
    state = browser.get("/api/v1/voter/").json()
    assert state["remaining_today"] == 5
    token = browser.cookies["csrftoken"].value
    accepted = post(browser, "votes/", {"candidate": candidate_ids[0]}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201 and Vote.objects.get().channel == "web"
    assert browser.get("/api/v1/voter/").json()["voted_today"] == [candidate_ids[0]]


def test_leaderboard_ranks_by_valid_votes(client, login, candidate_ids):
    for _ in range(2):
        _phone, auth = login()
        post(client, "votes/", {"candidate": candidate_ids[1]}, **auth)
    board = client.get("/api/v1/leaderboard/").json()
    assert board["results"][0]["candidate"] == candidate_ids[1]
    assert board["results"][0]["votes"] == 2 and board["results"][0]["rank"] == 1


def test_schema_is_served_and_documents_only_the_public_api(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/votes/" in paths
    assert all(path.startswith("/api/v1/") for path in paths), sorted(paths)
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_deploy_check_raises_no_schema_warnings():
    # `check --deploy --fail-level WARNING` runs drf-spectacular's schema check: it must
    # find nothing to warn about (no admin APIs walked, no colliding operation ids).
    from django.core import checks

    messages = list(checks.run_checks(include_deployment_checks=True))
    assert not [m for m in messages if m.id.startswith("drf_spectacular")], messages


def test_recount_check_passes_after_votes(client, login, candidate_ids):
    _phone, auth = login()
    post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)
    call_command("recount_votes", "--check", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_code_is_refused_with_503_not_500_when_the_sms_gateway_fails(client, settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:1/send"  # nothing listens on port 1
    response = client.post(
        "/api/v1/voter/code/", {"phone": "17410000999"}, content_type="application/json"
    )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "busy"
    assert "Retry-After" in response


def test_candidates_carry_their_cover_and_video_urls_in_bounded_queries(
    client, candidate_ids, django_assert_max_num_queries
):
    from campaign_pages.models import ResidencePage
    from registrations.models import Moderation, ResidenceVideo

    client.get("/api/v1/candidates/")  # the first call makes the renditions
    with django_assert_max_num_queries(14):
        body = client.get("/api/v1/candidates/").json()
    covers = set(
        ResidencePage.objects.filter(pk__in=candidate_ids, cover_image__isnull=False).values_list(
            "pk", flat=True
        )
    )
    by_id = {c["id"]: c for c in body["results"]}
    assert covers and all(by_id[pk]["image_url"].startswith("http://") for pk in covers)
    assert all(".jpg" in by_id[pk]["image_url"] for pk in covers)
    with_video = set(
        ResidenceVideo.objects.filter(
            moderation=Moderation.APPROVED, processing="ready", media__isnull=False
        ).values_list("registration__residence_id", flat=True)
    )
    for pk in candidate_ids:
        assert (by_id[pk]["video_url"] is not None) == (pk in with_video)
    if with_video:
        one = client.get(f"/api/v1/candidates/{next(iter(with_video))}/").json()
        assert one["video_url"].endswith(".mp4")
