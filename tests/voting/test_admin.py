"""The district office's admin: votes listed with filters, exported masked, frozen in bulk."""

import pytest

from voting.models import Tally, Vote

pytestmark = pytest.mark.django_db


def test_demo_has_votes_and_recount_agrees(campaign):
    from django.core.management import call_command

    assert Vote.objects.filter(campaign=campaign).count() > 0
    call_command("recount_votes", "--check", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_votes_list_filters_and_masked_export(admin_client):
    assert admin_client.get("/admin/snippets/voting/vote/?status=valid").status_code == 200
    export = admin_client.get("/admin/snippets/voting/vote/?export=csv")
    assert export.status_code == 200
    text = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    voter = Vote.objects.select_related("voter").first().voter
    assert voter.masked_phone in text and voter.phone not in text


def test_bulk_freeze_with_reason_moves_the_counts(admin_client):
    votes = list(Vote.objects.filter(status="valid")[:2])
    candidate = votes[0].candidate_id
    before = Tally.objects.get(candidate_id=candidate).votes
    ids = "&".join(f"id={v.pk}" for v in votes)
    url = f"/admin/bulk/voting/vote/freeze_votes/?{ids}"
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"reason": "同一网段集中投票"})
    assert Vote.objects.filter(pk__in=[v.pk for v in votes], status="frozen").count() == 2
    lost = sum(1 for v in votes if v.candidate_id == candidate)
    assert Tally.objects.get(candidate_id=candidate).votes == before - lost
