"""The vote's fast path: one call on PostgreSQL (few statements elsewhere), one Redis command
for the rate limits, no voter query.

These pin the shape that docs/performance.md measured (bench/vote_profile.py), so a change
that adds round trips to every vote shows up here rather than only in a benchmark.
"""

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from voting import casting, clients, codes
from voting.models import Vote, VoterDay

from .conftest import post

TRANSACTION = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")


@pytest.mark.django_db
@pytest.mark.usefixtures("no_votes")
def test_a_vote_is_one_call_on_postgresql_four_statements_elsewhere_and_reads_no_voter(
    client, login, candidate_ids, settings
):
    settings.VOTE_CONTEXT_SECONDS = 60
    settings.VOTE_FLAG_AFTER_CODE_SECONDS = 0  # a flagged vote also marks its voter (+1)
    casting.forget_voting_context()
    try:
        _phone, auth = login()
        assert post(client, "votes/", {"candidate": candidate_ids[0]}, **auth).status_code == 201
        with CaptureQueriesContext(connection) as queries:
            response = post(client, "votes/", {"candidate": candidate_ids[1]}, **auth)
        assert response.status_code == 201
        assert response.json()["remaining_today"] == 3 and response.json()["votes"] >= 1
        statements = [
            q["sql"] for q in queries.captured_queries if not q["sql"].startswith(TRANSACTION)
        ]
        if connection.vendor == "postgresql":
            # One call of voting_cast_vote, in a savepoint here only because the test runs in
            # a transaction: in autocommit (a request) it is the whole transaction.
            assert len(statements) == 1 and "voting_cast_vote(" in statements[0], statements
        else:
            # The quota upsert, the one read, the vote's row and the tally upsert.
            assert len(statements) == 4, "\n".join(s[:90] for s in statements)
        assert not any(s.startswith('SELECT "voting_voter"') for s in statements)
    finally:
        casting.forget_voting_context()


@pytest.mark.django_db
@pytest.mark.usefixtures("no_votes")
def test_a_token_of_a_voter_that_is_gone_is_401_and_takes_nothing(client, candidate_ids):
    token = signing.dumps({"v": 987_654_321}, salt=codes.TOKEN_SALT, compress=True)
    response = post(
        client, "votes/", {"candidate": candidate_ids[0]}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not Vote.objects.exists() and not VoterDay.objects.exists()


@pytest.mark.parametrize("payload", [{"v": "12"}, {"v": True}, {"v": None}, ["v", 1], 7])
def test_a_signed_token_without_a_voter_id_is_refused(payload):
    token = signing.dumps(payload, salt=codes.TOKEN_SALT, compress=True)
    assert codes.voter_id_from_token(token) is None


@pytest.mark.django_db
@pytest.mark.usefixtures("no_votes")
def test_the_daily_limit_is_one_upsert_and_refuses_after_the_limit(
    client, login, candidate_ids, campaign
):
    from voting.models import VotingRules

    VotingRules.objects.create(campaign=campaign, per_day=2)
    _phone, auth = login()
    statuses = [
        post(client, "votes/", {"candidate": pk}, **auth).status_code for pk in candidate_ids[:3]
    ]
    assert statuses == [201, 201, 409]
    assert VoterDay.objects.get().used == 2  # the refused vote's increment was not applied
    # Already voted wins over the daily limit, as before.
    again = post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)
    assert again.json()["error"]["code"] == "already_voted"


def calls(redis_client, command):
    stats = redis_client.info("commandstats")
    return stats.get(f"cmdstat_{command}", {}).get("calls", 0)


def test_three_rate_limits_are_one_redis_command_and_expire(own_redis, rf):
    server, redis_client = own_redis
    request = rf.post("/api/v1/votes/")
    limits = [("g.voter", "v1", "2/m"), ("g.client", "c1", "10/m"), ("g.block", "b1", "10/h")]
    # A fresh server does not know the script yet: the first call loads it.
    assert not clients.over_any_limit(request, [("g.warm", "w", "5/m")])
    before = {c: calls(redis_client, c) for c in ("evalsha", "eval", "incr")}
    assert [clients.over_any_limit(request, limits) for _ in range(3)] == [False, False, True]
    assert calls(redis_client, "evalsha") - before["evalsha"] == 3  # one command per vote
    assert calls(redis_client, "eval") == before["eval"]
    assert calls(redis_client, "incr") - before["incr"] == 9  # every counter, every time
    keys = redis_client.keys("*rl:vote:g.[vcb]*")
    assert len(keys) == 3
    ttls = sorted(redis_client.ttl(k) for k in keys)
    assert 0 < ttls[0] <= 65 and 3600 < ttls[-1] <= 3605
    # Another key for the same group is counted apart.
    assert not clients.over_any_limit(request, [("g.voter", "v2", "2/m")])

    server.kill()
    server.wait()
    assert clients.over_any_limit(request, limits) is False  # down: nothing refused


@pytest.mark.django_db
def test_a_vote_row_writes_only_the_indexes_some_query_needs():
    """Every index of the vote table is written by every vote: none that another index
    already leads with, and the office's lists (flagged, frozen or void) only as partial
    indexes, which an ordinary vote does not write."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Vote._meta.db_table)
    full = {
        tuple(c["columns"])
        for name, c in found.items()
        if (c["index"] or c["unique"]) and not c["primary_key"] and name not in PARTIAL_VOTE_INDEXES
    }
    assert full == {
        ("campaign_id", "voter_id", "candidate_id", "day", "slot"),  # the per-candidate rule
        ("candidate_id", "client_block_hash", "created_at"),  # flag: one block's burst
        ("candidate_id", "user_agent_hash", "created_at"),  # flag: one user agent
        ("voter_id",),  # a voter's votes (the admin, deleting a voter)
        ("created_at",),  # the admin's list, newest first
    }
    assert set(found) >= PARTIAL_VOTE_INDEXES


PARTIAL_VOTE_INDEXES = {"vote_flagged_newest", "vote_not_valid_newest", "vote_changed_by"}
