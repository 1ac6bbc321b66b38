"""Anti-fraud flags: abnormal patterns flag the vote and its voter; the vote still counts."""

import pytest

from voting.models import Tally, Vote

from .conftest import post

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
