"""DESIGN.md §7: tallies are derived, votes are never deleted, nothing is lost or doubled."""

import json
import socket
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from voting import casting
from voting.models import Tally, Vote
from voting.results import change_status

from .conftest import clear_votes, new_phone, post, read_code

DEVNULL = open("/dev/null", "w")  # noqa: SIM115


def check_recount():
    with pytest.raises(SystemExit) as exit_info:
        call_command("recount_votes", "--check", stdout=DEVNULL, stderr=DEVNULL)
    return exit_info.value.code


@pytest.mark.django_db
@pytest.mark.usefixtures("no_votes")
def test_recount_repairs_a_tampered_tally(client, login, candidate_ids):
    _phone, auth = login()
    post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)
    Tally.objects.filter(candidate_id=candidate_ids[0]).update(votes=42)
    Tally.objects.create(
        campaign=casting.current_campaign(), candidate_id=candidate_ids[1], votes=3
    )
    assert check_recount() == 1
    call_command("recount_votes", stdout=DEVNULL)
    assert Tally.objects.get(candidate_id=candidate_ids[0]).votes == 1
    assert Tally.objects.get(candidate_id=candidate_ids[1]).votes == 0
    call_command("recount_votes", "--check", stdout=DEVNULL)  # no exit: they match


@pytest.mark.django_db
@pytest.mark.usefixtures("no_votes")
def test_frozen_vote_leaves_the_counts_and_stays(client, login, candidate_ids, admin_user):
    for _ in range(2):
        _phone, auth = login()
        post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)
    vote = Vote.objects.first()
    assert change_status([vote], "frozen", admin_user, "同一网段集中投票") == 1
    vote.refresh_from_db()
    assert (vote.status, vote.status_changed_by, vote.status_reason) == (
        "frozen",
        admin_user,
        "同一网段集中投票",
    )
    assert Tally.objects.get(candidate_id=candidate_ids[0]).votes == 1
    board = client.get("/api/v1/leaderboard/").json()["results"]
    assert next(r for r in board if r["candidate"] == candidate_ids[0])["votes"] == 1
    change_status([vote], "void", admin_user, "核实为刷票")
    assert (
        Tally.objects.get(candidate_id=candidate_ids[0]).votes == 1
    )  # void from frozen: no change
    change_status([vote], "valid", admin_user, "误判，恢复")
    assert Tally.objects.get(candidate_id=candidate_ids[0]).votes == 2
    assert Vote.objects.count() == 2
    call_command("recount_votes", "--check", stdout=DEVNULL)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_votes")
def test_redis_stopped_mid_test_loses_no_vote(client, login, candidate_ids, own_redis):
    """A real redis-server, killed between votes: votes, sign-ins and pages carry on.

    Rate limits and cached pages fail open (DJANGO_REDIS_IGNORE_EXCEPTIONS); the database
    still enforces every voting rule; /healthz says the cache is down; rows = tallies.
    """
    server, redis_client = own_redis
    port = redis_client.connection_pool.connection_kwargs["port"]
    assert client.get("/healthz").json()["checks"]["cache"] == "ok"  # Redis is in use
    voters = [login() for _ in range(4)]
    for _phone, auth in voters[:2]:
        assert post(client, "votes/", {"candidate": candidate_ids[0]}, **auth).status_code == 201
    server.kill()
    server.wait()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0  # really gone
    for _phone, auth in voters:
        assert post(client, "votes/", {"candidate": candidate_ids[1]}, **auth).status_code == 201
    # A new voter signs in (code and session limits are not counted) and votes.
    _phone, auth = login()
    assert post(client, "votes/", {"candidate": candidate_ids[1]}, **auth).status_code == 201
    # The database still enforces the rules without the cache: a second vote is refused.
    again = post(client, "votes/", {"candidate": candidate_ids[1]}, **auth)
    assert again.status_code == 409
    # Pages render uncached; the health check reports the outage.
    assert client.get("/2016/candidates/").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["checks"]["cache"] == "down"
    assert Vote.objects.count() == 7
    assert Tally.objects.get(candidate_id=candidate_ids[1]).votes == 5
    call_command("recount_votes", "--check", stdout=DEVNULL)
    # And should a tally have drifted, recount_votes repairs it from the rows.
    Tally.objects.filter(candidate_id=candidate_ids[1]).update(votes=0)
    call_command("recount_votes", stdout=DEVNULL)
    assert Tally.objects.get(candidate_id=candidate_ids[1]).votes == 5


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)
BODIES = st.one_of(
    JSON.map(json.dumps),
    st.fixed_dictionaries({"candidate": JSON}).map(json.dumps),
    st.fixed_dictionaries({"phone": JSON, "code": JSON}).map(json.dumps),
    st.binary(max_size=60),
)


@pytest.mark.django_db
@hsettings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=BODIES, path=st.sampled_from(["votes/", "voter/code/", "voter/session/"]))
def test_fuzzed_bodies_never_yield_a_500(client, login, body, path, settings):
    settings.VOTE_CODES_PER_CLIENT = "10000/h"
    settings.VOTE_SESSIONS_PER_CLIENT = "10000/h"
    if not hasattr(test_fuzzed_bodies_never_yield_a_500, "auth"):
        test_fuzzed_bodies_never_yield_a_500.auth = login()[1]
    response = client.post(
        f"/api/v1/{path}",
        body,
        content_type="application/json",
        **test_fuzzed_bodies_never_yield_a_500.auth,
    )
    assert response.status_code < 500
    assert "error" in response.json() or response.status_code in (201, 202)


# -- concurrency against a real server ---------------------------------------------------------


def call(url, data, headers=None):
    """POST JSON like the app does, retrying a 503 as its Retry-After says; (status, body)."""
    for _ in range(20):
        request = urllib.request.Request(
            url,
            json.dumps(data).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code != 503:
                return error.code, json.loads(error.read())
            time.sleep(0.05)
    return 503, None


@pytest.mark.django_db(transaction=True)
def test_fifty_threads_and_fifty_voters_against_a_live_server(live_server, settings, tmp_path):
    call_command("load_demo", stdout=DEVNULL)
    clear_votes()
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path)
    settings.VOTE_CODES_PER_CLIENT = "10000/h"
    settings.VOTE_SESSIONS_PER_CLIENT = "10000/h"
    settings.VOTE_RATE_VOTER = "1000/m"
    settings.VOTE_RATE_CLIENT = "100000/m"
    settings.VOTE_RATE_BLOCK = "100000/m"
    api = f"{live_server.url}/api/v1/"
    candidate_ids = list(
        casting.candidates(casting.current_campaign()).values_list("pk", flat=True)
    )

    def login():
        phone = new_phone()
        assert call(api + "voter/code/", {"phone": phone})[0] == 202
        status, body = call(
            api + "voter/session/", {"phone": phone, "code": read_code(tmp_path, phone)}
        )
        assert status == 201
        return {"Authorization": f"Bearer {body['token']}"}

    # One voter, 50 threads, each candidate 7 times: exactly 5 votes (the daily limit) pass.
    auth = login()
    jobs = [candidate_ids[i % len(candidate_ids)] for i in range(50)]
    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(lambda pk: call(api + "votes/", {"candidate": pk}, auth), jobs))
    statuses = [status for status, _body in results]
    assert 500 not in statuses and 503 not in statuses
    assert statuses.count(201) == 5
    assert {body["error"]["code"] for status, body in results if status == 409} <= {
        "already_voted",
        "daily_limit",
    }

    # 50 voters at once, all for the same candidate: every vote passes and is counted once.
    voters = [login() for _ in range(50)]
    with ThreadPoolExecutor(50) as pool:
        results = list(
            pool.map(lambda a: call(api + "votes/", {"candidate": candidate_ids[0]}, a), voters)
        )
    assert [status for status, _body in results].count(201) == 50
    successes = 5 + 50
    assert Vote.objects.count() == successes
    assert sum(Tally.objects.values_list("votes", flat=True)) == successes
    call_command("recount_votes", "--check", stdout=DEVNULL)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_votes")
def test_kept_campaign_snapshot_saves_queries_and_follows_edits_at_once(
    client, login, candidate_ids, settings
):
    """With VOTE_CONTEXT_SECONDS on, a vote reads no campaign data, and saving rules, phases
    or publishing pages in this process makes the next vote read them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from voting.models import VotingRules

    settings.VOTE_CONTEXT_SECONDS = 60
    casting.forget_voting_context()
    _phone, auth = login()
    post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)  # builds the snapshot
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as kept:
        assert post(client, "votes/", {"candidate": candidate_ids[1]}, **auth).status_code == 201
    tables = " ".join(q["sql"] for q in kept.captured_queries)
    assert "campaign_pages_campaignphase" not in tables and "voting_votingrules" not in tables

    campaign = casting.current_campaign()
    VotingRules.objects.create(campaign=campaign, per_day=2)  # post_save forgets the snapshot
    response = post(client, "votes/", {"candidate": candidate_ids[2]}, **auth)
    assert response.status_code == 409 and response.json()["error"]["code"] == "daily_limit"

    phase = campaign.phase("voting")
    phase.ends_at = timezone.now() - timezone.timedelta(minutes=1)
    phase.save()
    response = post(client, "votes/", {"candidate": candidate_ids[3]}, **login()[1])
    assert response.status_code == 403 and response.json()["error"]["code"] == "voting_closed"
    casting.forget_voting_context()
