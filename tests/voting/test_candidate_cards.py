"""Vote counts on the candidate cards follow the tallies and the campaign's rules."""

import pytest

from campaign_pages.models import ResidenceIndexPage
from voting.models import Tally, VotingRules

pytestmark = pytest.mark.django_db


def cards(client, url, **params):
    return {r.title: r.vote_count for r in client.get(url, params).context["residences"]}


def test_cards_show_valid_votes_in_both_languages_and_sort_by_them(client, campaign):
    tallies = {t.candidate.title: t.votes for t in Tally.objects.filter(campaign=campaign)}
    assert tallies, "the demo has votes"
    shown = cards(client, "/2016/candidates/")
    for title, votes in tallies.items():
        assert shown[title] == votes
    assert cards(client, "/en/2016/candidates/") == shown  # titles stay Chinese in English
    ranked = list(client.get("/2016/candidates/", {"sort": "votes"}).context["residences"])
    assert [r.vote_count for r in ranked] == sorted((r.vote_count for r in ranked), reverse=True)


def test_hidden_counts_hide_the_figures_and_the_sort(client, campaign):
    rules = VotingRules.for_campaign(campaign)
    rules.counts_public = False
    rules.save()
    html = client.get("/2016/candidates/").content.decode()
    assert 'value="votes"' not in html
    index = ResidenceIndexPage.objects.child_of(campaign).get()
    assert "vote_count" not in index.residences().query.annotations
