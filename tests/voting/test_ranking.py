"""The combined ranking: a worked example computed by hand, ties broken as stated, the same
order whatever the input order, ineligible candidates apart; and the ranking from the data."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from voting.ranking import Candidate, Criterion, member_score, rank, shown

WEIGHTS = {"inspection": 40, "panel": 40, "vote": 20}
# Criterion 1 weighs 3 and is scored out of 10, criterion 2 weighs 1 and is out of 20.
CRITERIA = [Criterion(1, 3, 10), Criterion(2, 1, 20)]


def worked_example():
    return [
        # panel: m1 (3·8/10 + 1·10/20)/4 = 72.5, m2 100 → 86.25; votes 300/400 → 75
        Candidate(1, "A", "PA2016-00005", inspection=Fraction(90),
                  member_scores=({1: 8, 2: 10}, {1: 10, 2: 20}), votes=300),
        # panel: 100 and (2.7 + 0.8)/4 = 87.5 → 93.75; votes 400 = the most → 100
        Candidate(2, "B", "PA2016-00007", inspection=Fraction(80),
                  member_scores=({1: 10, 2: 20}, {1: 9, 2: 16}), votes=400),
        # panel 50 and 50 → 50; votes 200 → 50; total 40 + 20 + 10 = 70
        Candidate(3, "C", "PA2016-00011", inspection=Fraction(100),
                  member_scores=({1: 5, 2: 10}, {1: 5, 2: 10}), votes=200),
        # panel 62.5 and 87.5 → 75; total 30 + 30 + 10 = 70: ties with C, lower inspection
        Candidate(4, "F", "PA2016-00009", inspection=Fraction(75),
                  member_scores=({1: 5, 2: 20}, {1: 10, 2: 10}), votes=200),
        # exactly F's figures: the registration reference decides (00002 before 00009)
        Candidate(5, "G", "PA2016-00002", inspection=Fraction(75),
                  member_scores=({1: 5, 2: 20}, {1: 10, 2: 10}), votes=200),
        # one member scored one criterion only: no complete score, panel 0
        Candidate(6, "E", "PA2016-00003", inspection=Fraction(70),
                  member_scores=({1: 9},), votes=0),
        # ineligible: never ranked, and its 1,000 votes do not set the maximum
        Candidate(7, "D", "PA2016-00001", inspection=Fraction(100), votes=1000,
                  reasons_apart=("Yellow-card warning this year.",)),
    ]  # fmt: skip


def test_worked_example_totals_computed_by_hand():
    ranking = rank(worked_example(), WEIGHTS, CRITERIA)
    totals = {e.candidate.title: e.total for e in ranking.entries}
    # A: (90·40 + 86.25·40 + 75·20)/100 = 85.5; B: (80·40 + 93.75·40 + 100·20)/100 = 89.5
    assert totals == {
        "B": Fraction(179, 2),
        "A": Fraction(171, 2),
        "C": 70,
        "G": 70,
        "F": 70,
        "E": 28,
    }
    a = next(e for e in ranking.entries if e.candidate.title == "A")
    assert (a.inspection, a.panel, a.vote_share) == (90, Fraction(345, 4), 75)
    assert a.panel_members == 2
    assert ranking.max_votes == 400


def test_ties_are_broken_by_inspection_then_reference():
    ranking = rank(worked_example(), WEIGHTS, CRITERIA)
    assert [e.candidate.title for e in ranking.entries] == ["B", "A", "C", "G", "F", "E"]
    assert [e.position for e in ranking.entries] == [1, 2, 3, 4, 5, 6]


def test_tie_on_total_and_inspection_goes_to_the_higher_panel_then_more_votes():
    higher_panel = Candidate(1, "P", "PA2016-00009", inspection=Fraction(50),
                             member_scores=({1: 10, 2: 20},), votes=0)  # fmt: skip
    more_votes = Candidate(2, "V", "PA2016-00001", inspection=Fraction(50),
                           member_scores=({1: 0, 2: 0},), votes=10)  # fmt: skip
    # Weights without the vote, so both totals are 20 + 40·panel/100 … unequal: make them equal.
    weights = {"inspection": 100, "panel": 0, "vote": 0}
    ranking = rank([more_votes, higher_panel], weights, CRITERIA)
    assert ranking.entries[0].total == ranking.entries[1].total == 50
    assert [e.candidate.title for e in ranking.entries] == ["P", "V"]
    same_panel = Candidate(3, "Q", "PA2016-00000", inspection=Fraction(50), votes=5)
    ranking = rank([same_panel, more_votes], {"inspection": 100, "panel": 0, "vote": 0}, [])
    assert [e.candidate.title for e in ranking.entries] == ["V", "Q"]


def test_same_inputs_in_any_order_give_the_same_ranking():
    expected = [e.candidate.id for e in rank(worked_example(), WEIGHTS, CRITERIA).entries]
    for seed in range(5):
        shuffled = worked_example()
        random.Random(seed).shuffle(shuffled)
        assert [e.candidate.id for e in rank(shuffled, WEIGHTS, CRITERIA).entries] == expected


def test_ineligible_candidates_are_listed_apart_with_their_reasons():
    ranking = rank(worked_example(), WEIGHTS, CRITERIA)
    assert [c.title for c in ranking.apart] == ["D"]
    assert ranking.apart[0].reasons_apart == ("Yellow-card warning this year.",)
    assert "D" not in [e.candidate.title for e in ranking.entries]


def test_without_any_vote_every_vote_share_is_zero():
    candidates = [Candidate(1, "A", inspection=Fraction(80)), Candidate(2, "B")]
    ranking = rank(candidates, WEIGHTS, CRITERIA)
    assert all(e.vote_share == 0 for e in ranking.entries)
    assert ranking.entries[0].total == 32


@pytest.mark.parametrize(
    "weights",
    [{"inspection": 50, "panel": 40, "vote": 20}, {"inspection": 120, "panel": -20, "vote": 0}],
)
def test_weights_must_add_up_to_100(weights):
    with pytest.raises(ValueError):
        rank([], weights, CRITERIA)


def test_member_score_needs_every_criterion():
    assert member_score({1: 10}, CRITERIA) is None
    assert member_score({1: 10, 2: 0}, CRITERIA) == 75


def test_explained_components_are_rounded_half_up():
    assert shown(Fraction(200, 3)) == Decimal("66.67")
    assert shown(Fraction(1, 8)) == Decimal("0.13")
    entry = rank(worked_example(), WEIGHTS, CRITERIA).entries[1]  # A
    assert entry.explained(WEIGHTS) == {
        "inspection": (Decimal("90.00"), 40, Decimal("36.00")),
        "panel": (Decimal("86.25"), 40, Decimal("34.50")),
        "vote": (Decimal("75.00"), 20, Decimal("15.00")),
    }
