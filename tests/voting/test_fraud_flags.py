"""Anti-fraud flags: abnormal patterns flag the vote and its voter; the vote still counts."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from voting import casting, statements
from voting.models import Tally, Vote, Voter, VotingRules

from .conftest import new_phone, post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_votes")]


def test_votes_from_one_address_block_for_one_candidate_are_flagged(
    client, login, candidate_ids, settings
):
    settings.VOTE_FLAG_BLOCK_VOTES = 2
    settings.VOTE_FLAG_AFTER_CODE_SECONDS = 0  # only the pattern under test
    for _ in range(3):
        _phone, auth = login()
        post(client, "votes/", {"candidate": candidate_ids[0]}, REMOTE_ADDR="10.1.2.3", **auth)
    votes = list(Vote.objects.order_by("created_at", "pk"))
    assert [v.flagged for v in votes] == [False, False, True]
    assert votes[2].flag_reasons == "block_burst"
    assert votes[2].voter.flagged and "block_burst" in votes[2].voter.flag_reason
    assert not votes[0].voter.flagged
    assert Tally.objects.get(candidate_id=candidate_ids[0]).votes == 3  # flagged still counts


def test_a_vote_seconds_after_the_code_is_flagged(client, login, candidate_ids, settings):
    settings.VOTE_FLAG_AFTER_CODE_SECONDS = 3600
    _phone, auth = login()
    post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)
    vote = Vote.objects.get()
    assert vote.flagged and "fast_after_code" in vote.flag_reasons


def test_many_voters_with_one_user_agent_are_flagged(client, login, candidate_ids, settings):
    settings.VOTE_FLAG_SAME_AGENT_VOTERS = 2
    settings.VOTE_FLAG_AFTER_CODE_SECONDS = 0
    for n in range(3):
        _phone, auth = login()
        post(
            client,
            "votes/",
            {"candidate": candidate_ids[1]},
            REMOTE_ADDR=f"10.{n}.0.1",
            HTTP_USER_AGENT="same-bot/1.0",
            **auth,
        )
    assert [v.flag_reasons for v in Vote.objects.order_by("created_at", "pk")] == [
        "",
        "",
        "same_user_agent",
    ]


def test_flagged_voters_can_be_filtered_in_the_admin(admin_client, client, login, candidate_ids):
    _phone, auth = login()
    post(client, "votes/", {"candidate": candidate_ids[0]}, **auth)
    response = admin_client.get("/admin/snippets/voting/vote/?voter__flagged=true")
    assert response.status_code == 200


def test_a_voters_second_vote_for_a_candidate_does_not_count_as_another_user_agent(
    client, login, campaign, candidate_ids, settings
):
    # Two votes per candidate a day: two voters' four votes are two voters, not four.
    VotingRules.objects.create(campaign=campaign, per_candidate_per_day=2)
    settings.VOTE_FLAG_SAME_AGENT_VOTERS = 3
    settings.VOTE_FLAG_AFTER_CODE_SECONDS = 0
    agent = {"HTTP_USER_AGENT": "WeMenApp/2.1 (Android 9)"}
    for n in range(4):
        _phone, auth = login()
        for _ in range(2 if n < 2 else 1):
            vote = {"candidate": candidate_ids[2]}
            response = post(client, "votes/", vote, REMOTE_ADDR=f"10.9.{n}.1", **agent, **auth)
            assert response.status_code == 201
    reasons = [v.flag_reasons for v in Vote.objects.order_by("created_at", "pk")]
    # The third voter's vote follows two voters; the fourth's follows three: flagged.
    assert reasons == ["", "", "", "", "", "same_user_agent"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="auto_explain is PostgreSQL's")
def test_the_user_agent_pattern_reads_a_bounded_number_of_votes(campaign, candidate_ids, settings):
    """A popular candidate's votes from one app (one user agent): the vote's read stops
    after ``agent_rows`` of them instead of reading them all, and still sees the pattern."""
    settings.VOTE_FLAG_AFTER_CODE_SECONDS = 0
    candidate, now = candidate_ids[0], timezone.now()
    day, agent = casting.voting_day(now), "a" * 64
    voters = [Voter.for_phone(new_phone()) for _ in range(301)]
    Vote.objects.bulk_create(
        Vote(
            campaign=campaign,
            candidate_id=candidate,
            voter=voter,
            day=day,
            created_at=now - timedelta(seconds=n),
            channel="app",
            client_hash=f"c{n}",
            client_block_hash=f"b{n}",
            user_agent_hash=agent,
        )
        for n, voter in enumerate(voters[:300])
    )
    rules = VotingRules.for_campaign(campaign)
    limit = statements.agent_rows(
        settings.VOTE_FLAG_SAME_AGENT_VOTERS, rules.per_candidate_per_day, settings.VOTE_FLAG_WINDOW
    )
    fingerprint = {"client_hash": "c", "client_block_hash": "b", "user_agent_hash": agent}

    plans = []
    connection.ensure_connection()

    def handler(diagnostic):  # read now: the diagnostic is freed after the call
        plans.append(diagnostic.message_primary or "")

    connection.connection.add_notice_handler(handler)
    try:
        with connection.cursor() as cursor:
            cursor.execute("LOAD 'auto_explain'")
            for name, value in EXPLAIN_EVERY_STATEMENT.items():
                cursor.execute(f"SET auto_explain.{name} = {value}")
            cursor.execute("SET client_min_messages = log")
        recorded = casting._record(
            campaign, candidate, voters[300].pk, rules, day, now, "app", fingerprint
        )
    finally:
        connection.connection.remove_notice_handler(handler)
        with connection.cursor() as cursor:
            cursor.execute("RESET client_min_messages")
            cursor.execute("RESET auto_explain.log_min_duration")

    assert "same_user_agent" in Vote.objects.get(pk=recorded.vote_id).flag_reasons
    scans = [
        node
        for notice in plans
        if "plan:" in notice
        for node in plan_nodes(json.loads(notice.split("plan:", 1)[1]))
        if "user_agent_hash" in node.get("Index Cond", "") + node.get("Filter", "")
    ]
    assert scans, "the vote's read did not look at the user agent"
    assert all(node["Actual Rows"] <= limit < 300 for node in scans), scans


EXPLAIN_EVERY_STATEMENT = {
    "log_min_duration": 0,
    "log_analyze": "on",
    "log_nested_statements": "on",  # the statements inside voting_cast_vote
    "log_format": "json",
}


def plan_nodes(plan):
    """Every node of an auto_explain JSON plan, sub-plans included."""
    stack = [plan.get("Plan", plan)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.get("Plans", []))
