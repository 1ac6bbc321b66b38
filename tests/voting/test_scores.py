"""Panel scores: one form per candidate, validated ranges, one score per (member, candidate,
criterion) in the database, and a member sees only their own scores until the panel closes."""

import pytest
from django.db import IntegrityError, transaction

from tests.voting.selection_helpers import (
    account,
    open_phase,
    prepare_review,
    rules_with_criteria,
    score_data,
)
from voting.models import PanelScore
from voting.permissions import STREET_OFFICE

pytestmark = pytest.mark.django_db

SCORES = "/admin/selection/scores/"


@pytest.fixture
def scoring(review_open):
    campaign = review_open
    rules = rules_with_criteria(campaign)
    pages = prepare_review(campaign)
    return campaign, rules, pages


def test_member_scores_a_candidate_on_every_criterion(client, scoring, panel_members):
    campaign, rules, pages = scoring
    member = panel_members[0]
    client.force_login(member)
    listing = client.get(SCORES)
    assert listing.status_code == 200 and pages[0].title in listing.content.decode()
    form = client.get(f"{SCORES}{pages[0].pk}/")
    assert form.status_code == 200
    response = client.post(f"{SCORES}{pages[0].pk}/", score_data(rules, [8, 6, 15]))
    assert response.status_code == 302
    saved = PanelScore.objects.filter(member=member, candidate=pages[0])
    assert sorted(saved.values_list("score", flat=True)) == [6, 8, 15]
    # Scoring again replaces the member's scores; never a second row.
    client.post(f"{SCORES}{pages[0].pk}/", score_data(rules, [9, 6, 15]))
    assert saved.count() == 3 and saved.get(criterion__max_score=10, score__gte=9).score == 9


@pytest.mark.parametrize(
    "values, bad",
    [([11, 5, 5], 0), ([5, -1, 5], 1), ([5, 5, "abc"], 2), ([5, 5, 21], 2), ([5, "", 5], 1)],
)
def test_scores_out_of_range_are_field_errors_in_chinese_and_save_nothing(
    client, scoring, panel_members, values, bad
):
    campaign, rules, pages = scoring
    client.force_login(panel_members[0])
    response = client.post(f"{SCORES}{pages[0].pk}/", score_data(rules, values))
    assert response.status_code == 200
    criterion = list(rules.criteria.all())[bad]
    errors = response.context["form"].errors[f"criterion_{criterion.pk}"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(errors))
    assert not PanelScore.objects.filter(candidate=pages[0]).exists()


def test_a_member_sees_only_their_own_scores_until_the_panel_closes(
    client, scoring, panel_members, district
):
    campaign, rules, pages = scoring
    first, second = panel_members[:2]
    for member, values in ((first, [10, 10, 20]), (second, [5, 5, 10])):
        client.force_login(member)
        client.post(f"{SCORES}{pages[0].pk}/", score_data(rules, values))
    client.force_login(first)
    body = client.get(SCORES).content.decode()
    assert "100.00" in body and "50.00" not in body and second.username not in body
    form = client.get(f"{SCORES}{pages[0].pk}/")
    assert form.context["form"].initial[f"criterion_{rules.criteria.first().pk}"] == 10
    client.force_login(district)
    assert client.post("/admin/selection/ranking/", {"action": "close_panel"}).status_code == 302
    client.force_login(first)
    body = client.get(SCORES).content.decode()
    assert "50.00" in body and second.username in body


def test_after_the_panel_closes_scores_are_refused(client, scoring, panel_members, district):
    campaign, rules, pages = scoring
    client.force_login(district)
    client.post("/admin/selection/ranking/", {"action": "close_panel"})
    client.force_login(panel_members[0])
    response = client.post(f"{SCORES}{pages[0].pk}/", score_data(rules, [5, 5, 5]))
    assert response.status_code == 403
    assert not PanelScore.objects.exists()


def test_scores_are_refused_before_the_review_opens(client, campaign, panel_members):
    rules = rules_with_criteria(campaign)
    pages = prepare_review(open_phase(campaign, "inspection"))
    client.force_login(panel_members[0])
    response = client.post(f"{SCORES}{pages[0].pk}/", score_data(rules, [5, 5, 5]))
    assert response.status_code == 403
    assert "评审开始" in response.content.decode()
    assert not PanelScore.objects.exists()


def test_an_ineligible_or_unproposed_candidate_cannot_be_scored(client, review_open, panel_members):
    campaign = review_open
    rules = rules_with_criteria(campaign)
    pages = prepare_review(campaign, yellow_card=True)  # all ineligible
    client.force_login(panel_members[0])
    assert client.get(f"{SCORES}{pages[0].pk}/").status_code == 404
    assert client.post(f"{SCORES}{pages[0].pk}/", score_data(rules, [5, 5, 5])).status_code == 404


def test_only_panel_members_score(client, scoring, pair):
    campaign, rules, pages = scoring
    client.force_login(account("street-x", STREET_OFFICE, pair[0].street))
    assert client.get(SCORES).status_code in (302, 403)
    response = client.post(f"{SCORES}{pages[0].pk}/", score_data(rules, [5, 5, 5]))
    assert response.status_code in (302, 403)
    assert not PanelScore.objects.exists()


def test_database_holds_one_score_per_member_candidate_and_criterion(scoring, panel_members):
    campaign, rules, pages = scoring
    criterion = rules.criteria.first()
    PanelScore.objects.create(member=panel_members[0], candidate=pages[0], criterion=criterion,
                              score=5)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        PanelScore.objects.create(member=panel_members[0], candidate=pages[0],
                                  criterion=criterion, score=6)  # fmt: skip
