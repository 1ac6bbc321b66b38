"""bench/floor: the benchmark's bare vote (``bench/votes.py --endpoint floor``).

It must write a real vote, as the API does, or its figures would not be a floor of a vote;
and only the benchmark's own URLconf may route it, never the site's.
"""

import importlib
import json
from pathlib import Path

import pytest
from django.urls import resolve

from voting.api import VoteView
from voting.models import Tally, Vote, VoterDay

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def floor(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("floor.views"), importlib.import_module("floor.urls")


def test_only_the_benchmarks_urlconf_routes_the_floor(floor):
    views, urls = floor
    assert resolve("/api/v1/votes/", urlconf=urls).func is views.vote
    site = resolve("/api/v1/votes/").func
    assert getattr(site, "view_class", None) is VoteView


@pytest.mark.django_db
@pytest.mark.usefixtures("no_votes")
def test_the_floor_records_a_vote_as_the_api_does(floor, rf, login, candidate_ids):
    views, _urls = floor
    _phone, auth = login()
    request = rf.post(
        "/api/v1/votes/",
        json.dumps({"candidate": candidate_ids[0]}),
        content_type="application/json",
        **auth,
    )
    response = views.vote(request)
    assert response.status_code == 201
    assert json.loads(response.content) == {
        "candidate": candidate_ids[0],
        "votes": 1,
        "remaining_today": 4,
    }
    vote = Vote.objects.get()
    assert vote.candidate_id == candidate_ids[0] and vote.channel == "app"
    assert Tally.objects.get(candidate_id=candidate_ids[0]).votes == 1
    assert VoterDay.objects.get().used == 1
