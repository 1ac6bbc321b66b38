"""The district office's selection rules in the admin: weights that add up to 100, and
criteria the panel has scored cannot be removed (a form error, never a database error)."""

import pytest
from django.urls import reverse

from tests.voting.selection_helpers import prepare_review, rules_with_criteria
from voting.models import PanelScore, ScoringCriterion, SelectionRules

pytestmark = pytest.mark.django_db


def edit_url(rules):
    return reverse("selection_rules:edit", args=[rules.pk])


def rules_data(rules, weights=(40, 40, 20), delete=()):
    """POST data of the edit form: the rules' fields and every criterion, some deleted."""
    criteria = list(rules.criteria.all())
    data = {
        "campaign": str(rules.campaign_id),
        "inspection_weight": str(weights[0]),
        "panel_weight": str(weights[1]),
        "vote_weight": str(weights[2]),
        "winners_count": "10",
        "organisation_awards_count": "3",
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, criterion in enumerate(criteria):
        prefix = f"criteria-{i}-"
        data |= {
            f"{prefix}id": str(criterion.pk),
            f"{prefix}name": criterion.name,
            f"{prefix}name_en": criterion.name_en,
            f"{prefix}description": criterion.description,
            f"{prefix}weight": str(criterion.weight),
            f"{prefix}max_score": str(criterion.max_score),
            f"{prefix}ORDER": str(i + 1),
        }
        if i in delete:
            data[f"{prefix}DELETE"] = "1"
    return data


@pytest.fixture
def rules(review_open):
    return rules_with_criteria(review_open)


@pytest.mark.parametrize("weights", [(40, 40, 19), (50, 40, 20), (100, 0, 1)])
def test_weights_that_do_not_add_up_to_100_are_refused_in_chinese(client, district, rules, weights):
    client.force_login(district)
    response = client.post(edit_url(rules), rules_data(rules, weights))
    assert response.status_code == 200
    errors = response.context["form"].errors["vote_weight"]
    assert "100" in str(errors) and any("\u4e00" <= ch <= "\u9fff" for ch in str(errors))
    rules.refresh_from_db()
    assert rules.weights == {"inspection": 40, "panel": 40, "vote": 20}


def test_weights_that_add_up_to_100_are_saved(client, district, rules):
    client.force_login(district)
    response = client.post(edit_url(rules), rules_data(rules, (30, 50, 20)))
    assert response.status_code == 302
    rules.refresh_from_db()
    assert rules.weights == {"inspection": 30, "panel": 50, "vote": 20}


def test_a_scored_criterion_cannot_be_removed(client, district, panel_members, rules):
    pages = prepare_review(rules.campaign)
    scored = rules.criteria.first()
    member = panel_members[0]
    PanelScore.objects.create(member=member, candidate=pages[0], criterion=scored, score=7)
    client.force_login(district)
    response = client.post(edit_url(rules), rules_data(rules, delete=(0,)))
    assert response.status_code == 200
    message = " ".join(response.context["form"].non_field_errors())
    assert scored.name in message and "不能" in message
    assert ScoringCriterion.objects.filter(pk=scored.pk).exists()
    assert PanelScore.objects.filter(criterion=scored).count() == 1


def test_an_unscored_criterion_can_be_removed(client, district, rules):
    client.force_login(district)
    last = rules.criteria.last()
    response = client.post(edit_url(rules), rules_data(rules, delete=(2,)))
    assert response.status_code == 302
    assert not ScoringCriterion.objects.filter(pk=last.pk).exists()
    assert rules.criteria.count() == 2


def test_rules_with_scores_cannot_be_deleted_and_nothing_is_lost(
    client, district, panel_members, rules
):
    pages = prepare_review(rules.campaign)
    PanelScore.objects.create(
        member=panel_members[0], candidate=pages[0], criterion=rules.criteria.first(), score=7
    )
    client.force_login(district)
    url = reverse("selection_rules:delete", args=[rules.pk])
    assert client.get(url).status_code in (200, 302)
    response = client.post(url)
    assert response.status_code in (200, 302)
    assert SelectionRules.objects.filter(pk=rules.pk).exists()
    assert PanelScore.objects.count() == 1
