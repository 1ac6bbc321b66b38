"""The shared page cache (campaign_pages/page_cache.py): hits, invalidation, nothing personal."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from campaign_pages import page_cache
from campaign_pages.models import ArticlePage, ResidenceIndexPage, ResidencePage
from media_reports.models import LiveCoveragePage, LiveEntry, ReportPage
from registrations.models import Registration
from voting.models import LeaderboardPage

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def candidate(campaign):
    index = ResidenceIndexPage.objects.child_of(campaign).get()
    return ResidencePage.objects.child_of(index).live().order_by("path").first()


@pytest.fixture
def stored_timeouts(monkeypatch):
    """{path: timeout} the cache decides for every storable page during the test."""
    timeouts = {}
    timeout_for = page_cache.timeout_for

    def spy(request, response):
        timeouts[request.path] = timeout_for(request, response)
        return timeouts[request.path]

    monkeypatch.setattr(page_cache, "timeout_for", spy)
    return timeouts


@pytest.fixture
def editor(db):
    return User.objects.create_superuser("cache-editor", "editor@example.invalid", "pw-tests")


def test_second_anonymous_request_is_a_hit_with_the_same_page(client):
    first = client.get("/2016/")
    second = Client().get("/2016/")
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_hit_answers_304_to_its_etag(client):
    etag = client.get("/2016/notice/")["ETag"]
    response = Client().get("/2016/notice/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["X-Cache"] == "hit"


def test_each_language_and_query_has_its_own_entry(client):
    client.get("/2016/candidates/")
    assert client.get("/en/2016/candidates/")["X-Cache"] == "miss"
    assert client.get("/2016/candidates/?sort=newest")["X-Cache"] == "miss"
    assert client.get("/2016/candidates/?sort=newest")["X-Cache"] == "hit"


def test_wechat_share_parameters_do_not_make_a_new_entry(client):
    client.get("/2016/")
    shared = client.get("/2016/?from=groupmessage&isappinstalled=0&utm_source=wechat")
    assert shared["X-Cache"] == "hit"


def test_publishing_a_page_invalidates_the_cached_copy(client, campaign):
    assert "旧标题" not in client.get("/2016/notice/").content.decode()
    notice = ArticlePage.objects.child_of(campaign).get(slug="notice")
    notice.title = "通知（新标题）"
    notice.save_revision().publish()
    response = Client().get("/2016/notice/")
    assert response["X-Cache"] == "miss"
    assert "通知（新标题）" in response.content.decode()


def test_unpublishing_a_page_drops_it_from_the_cache(client, campaign):
    assert client.get("/2016/rules/").status_code == 200
    ArticlePage.objects.child_of(campaign).get(slug="rules").unpublish()
    assert Client().get("/2016/rules/").status_code == 404


def test_moving_a_page_invalidates_the_old_address(client, campaign, home):
    assert client.get("/2016/rules/").status_code == 200
    ArticlePage.objects.child_of(campaign).get(slug="rules").move(home, pos="last-child")
    moved = Client().get("/2016/rules/")
    assert moved.status_code == 301  # Wagtail's automatic redirect, not the cached page
    assert moved["Location"] == "/rules/"


def test_deleting_a_report_removes_it_from_the_cached_list(client, campaign):
    html = client.get("/2016/reports/").content.decode()
    reports = ReportPage.objects.live().descendant_of(campaign)
    report = next(r for r in reports if r.title in html)
    report.get_translations().delete()
    report.delete()
    assert report.title not in Client().get("/2016/reports/").content.decode()


def test_a_candidates_registration_change_shows_on_its_cached_page(client, candidate):
    url = candidate.url
    assert client.get(url)["X-Cache"] == "miss"
    assert Client().get(url)["X-Cache"] == "hit"
    registration = Registration.objects.get(residence=candidate)
    registration.cameras = 987
    registration.save()
    response = Client().get(url)
    assert response["X-Cache"] == "miss"
    assert "987" in response.content.decode()


def test_a_registration_that_is_no_candidate_does_not_flush_the_cache(client, campaign):
    client.get("/2016/")
    registration = Registration.objects.filter(campaign=campaign, residence__isnull=True).first()
    registration.cameras += 1
    registration.save()
    assert Client().get("/2016/")["X-Cache"] == "hit"


def test_a_live_entry_invalidates_the_coverage_page(client, campaign):
    coverage = LiveCoveragePage.objects.child_of(campaign).get(slug="live")
    client.get(coverage.url)
    LiveEntry.objects.create(coverage=coverage, text="缓存测试的快讯")
    response = Client().get(coverage.url)
    assert response["X-Cache"] == "miss"
    assert "缓存测试的快讯" in response.content.decode()


def test_logged_in_editor_never_gets_a_cached_page(client, editor):
    client.get("/2016/")  # an anonymous reader fills the cache
    client.force_login(editor)
    assert client.get("/2016/")["X-Cache"] == "skip"


def test_logged_in_editor_never_fills_the_cache(client, editor):
    client.force_login(editor)
    assert client.get("/2016/")["X-Cache"] == "skip"
    assert Client().get("/2016/")["X-Cache"] == "miss"


def test_community_account_never_gets_nor_fills_a_cached_page(client, campaign):
    account = Registration.objects.filter(campaign=campaign, account__isnull=False).first().account
    community = Client()
    community.force_login(account)
    assert community.get("/2016/candidates/")["X-Cache"] == "skip"
    assert client.get("/2016/candidates/")["X-Cache"] == "miss"
    assert community.get("/2016/candidates/")["X-Cache"] == "skip"


def test_a_voter_session_is_served_shared_pages_but_never_fills_them(client, candidate):
    voter_client = Client()
    session = voter_client.session
    session["voting_voter_id"] = 1
    session.save()
    voter_client.cookies["sessionid"] = session.session_key
    assert voter_client.get(candidate.url)["X-Cache"] == "skip"
    assert client.get(candidate.url)["X-Cache"] == "miss"
    hit = voter_client.get(candidate.url)
    assert hit["X-Cache"] == "hit"
    assert not hit.cookies


def test_pending_messages_skip_the_cache(client):
    client.get("/2016/")
    with_messages = Client()
    with_messages.cookies["messages"] = "anything"
    assert with_messages.get("/2016/")["X-Cache"] == "skip"


def test_the_registration_form_is_never_stored_with_anyones_csrf_token(client):
    first = client.get("/2016/register/")
    token = CSRF_INPUT.search(first.content.decode()).group(1)
    assert first["X-Cache"] == "skip"
    assert "csrftoken" in first.cookies
    # The same reader again (the cookie is sent now, no new cookie set): still not stored.
    assert client.get("/2016/register/")["X-Cache"] == "skip"
    other = Client().get("/2016/register/")
    assert other["X-Cache"] == "skip"
    assert token not in other.content.decode()
    assert "csrftoken" in other.cookies


def test_the_event_sign_up_form_is_not_cached(client, campaign):
    response = client.get("/2016/visit-wuma/")
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert response["X-Cache"] == "skip"
    assert Client().get("/2016/visit-wuma/")["X-Cache"] == "skip"


def test_the_private_registration_status_link_is_never_cached(client):
    registration = Registration.objects.filter(residence__isnull=False).first()
    url = f"/2016/register/status/{registration.status_token}/"
    assert client.get(url)["X-Cache"] == "skip"
    assert Client().get(url)["X-Cache"] == "skip"


def test_a_cached_response_never_sets_a_cookie(client):
    client.get("/2016/")
    with_csrf_cookie = Client()
    with_csrf_cookie.cookies["csrftoken"] = "x" * 32
    with_bad_csrf_cookie = Client()  # Django would answer this one with a new CSRF cookie
    with_bad_csrf_cookie.cookies["csrftoken"] = "bad"
    for reader in (Client(), with_csrf_cookie, with_bad_csrf_cookie):
        response = reader.get("/2016/")
        assert response["X-Cache"] == "hit"
        assert not response.cookies
        assert "Set-Cookie" not in response


def test_the_vote_button_on_a_cached_page_carries_no_voter_state(client, candidate):
    html = client.get(candidate.url).content.decode()
    assert 'class="vote-control"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "js/vote.js" in html  # the voter's state is fetched from /api/v1/voter/


def test_pages_with_vote_counts_are_kept_briefly(client, settings, stored_timeouts, campaign):
    settings.PAGE_CACHE_VOTE_COUNT_SECONDS = 7
    leaderboard = LeaderboardPage.objects.child_of(campaign).get()
    for url in ("/2016/candidates/", leaderboard.url, "/2016/notice/"):
        client.get(url)
    assert stored_timeouts["/2016/candidates/"] == 7
    assert stored_timeouts[leaderboard.url] == 7
    assert stored_timeouts["/2016/notice/"] > 7


def test_a_vote_does_not_flush_the_page_cache(client, candidate):
    from voting.models import Tally

    client.get("/2016/")
    Tally.objects.filter(candidate=candidate).update(votes=12345)
    assert Client().get("/2016/")["X-Cache"] == "hit"


def test_no_entry_outlives_the_next_phase_boundary(client, campaign, stored_timeouts):
    phase = campaign.schedule_page.phases.get(key="voting")
    phase.ends_at = timezone.now() + timedelta(seconds=40)
    phase.save()
    client.get("/2016/notice/")
    assert 0 < stored_timeouts["/2016/notice/"] <= 41


def test_page_cache_seconds_zero_turns_it_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/2016/")
    assert "X-Cache" not in Client().get("/2016/")


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_pages_are_served_uncached_while_the_cache_is_down(client, monkeypatch):
    monkeypatch.setattr(page_cache, "cache", BrokenCache())
    page_cache.forget_generation()
    response = client.get("/2016/")
    assert response.status_code == 200
    assert response["X-Cache"] == "skip"


def test_post_to_a_page_is_never_served_from_the_cache(client):
    client.get("/2016/")
    response = Client(enforce_csrf_checks=False).post("/2016/", {})
    assert response.get("X-Cache") == "skip"


@pytest.fixture
def later(monkeypatch):
    """later(seconds): the page cache's clock moved on by that much from the test's start.

    Cache lifetimes in these tests are 100 s, far more than a slow machine's requests take.
    """
    start = page_cache.clock()

    def move(seconds):
        monkeypatch.setattr(page_cache, "clock", lambda: start + seconds)

    return move


@pytest.fixture
def stored_keys(monkeypatch):
    """The cache keys the page cache stores during the test, in order."""
    keys = []
    store = page_cache.store

    def spy(key, response, timeout, stale=0):
        keys.append(key)
        return store(key, response, timeout, stale)

    monkeypatch.setattr(page_cache, "store", spy)
    return keys


def test_an_expired_page_is_renewed_by_one_reader_while_the_others_get_the_old_copy(
    client, settings, candidate, later, stored_keys
):
    from django.core.cache import cache

    from voting.models import Tally

    settings.PAGE_CACHE_VOTE_COUNT_SECONDS = 100
    url = "/2016/candidates/?sort=votes"
    old = client.get(url)
    assert old["X-Cache"] == "miss"
    Tally.objects.filter(candidate=candidate).update(votes=98765)
    later(50)
    assert Client().get(url)["X-Cache"] == "hit"
    later(120)
    # Another process has claimed the renewal: this reader gets the expired copy at once.
    cache.add(page_cache.renewal_key(stored_keys[-1]), 1, 30)
    stale = Client().get(url)
    assert stale["X-Cache"] == "stale" and stale.content == old.content
    # Once the claim is gone, the next reader renders the page and stores it.
    cache.delete(page_cache.renewal_key(stored_keys[-1]))
    renewed = Client().get(url)
    assert renewed["X-Cache"] == "miss" and "98765" in renewed.content.decode()
    assert "98765" not in stale.content.decode()
    assert Client().get(url)["X-Cache"] == "hit"


def test_the_first_reader_after_the_expiry_renews_the_page(client, settings, later):
    settings.PAGE_CACHE_VOTE_COUNT_SECONDS = 100
    client.get("/2016/candidates/")
    later(120)
    assert Client().get("/2016/candidates/")["X-Cache"] == "miss"
    assert Client().get("/2016/candidates/")["X-Cache"] == "hit"


def test_an_expired_page_is_not_served_past_the_stale_window(client, settings, later):
    settings.PAGE_CACHE_VOTE_COUNT_SECONDS = 100
    settings.PAGE_CACHE_STALE_SECONDS = 0
    client.get("/2016/candidates/")
    later(120)
    assert Client().get("/2016/candidates/")["X-Cache"] == "miss"


def test_no_stale_copy_outlives_the_next_phase_boundary(client, campaign, stored_timeouts):
    phase = campaign.schedule_page.phases.get(key="voting")
    phase.ends_at = timezone.now() + timedelta(seconds=40)
    phase.save()
    response = client.get("/2016/notice/")
    assert response["X-Cache"] == "miss"
    fresh = stored_timeouts["/2016/notice/"]
    request = response.wsgi_request
    assert fresh + page_cache.stale_seconds(request, fresh) <= 41


def test_a_popular_page_is_served_from_the_process_memo_without_a_cache_round_trip(
    client, monkeypatch
):
    from django.core.cache import cache

    client.get("/2016/")
    assert Client().get("/2016/")["X-Cache"] == "hit"
    reads = []
    get = cache.get
    monkeypatch.setattr(cache, "get", lambda *a, **k: reads.append(a) or get(*a, **k))
    assert Client().get("/2016/")["X-Cache"] == "hit"
    assert reads == []  # generation and entry both memoised
    # An invalidation changes the key, so the memo cannot hide it.
    page_cache.invalidate()
    assert Client().get("/2016/")["X-Cache"] == "miss"


def test_the_process_memo_keeps_a_bounded_number_of_pages(client, settings):
    for n in range(page_cache.HOT_ENTRIES + 5):
        client.get(f"/2016/candidates/?page={n}")
        client.get(f"/2016/candidates/?page={n}")
    assert len(page_cache._hot) == page_cache.HOT_ENTRIES
