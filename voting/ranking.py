"""The combined ranking of the selection: pure arithmetic, no database, same inputs → same order.

Components, each on a 0–100 scale:

- **inspection**: the street inspection's checklist total over its maximum × 100;
- **panel**: for each panel member who scored the candidate on every criterion, the weighted
  criteria score ``Σ weight × score / max ÷ Σ weight × 100``; the component is the mean over
  those members (0 when nobody scored the candidate);
- **vote share**: the candidate's valid votes ÷ the most valid votes of any ranked candidate
  × 100 (0 for all when nobody has a vote).

The total is ``(inspection × w_inspection + panel × w_panel + vote share × w_vote) / 100``
with the campaign's weights (together 100). Arithmetic is exact (``Fraction``), so ties are
real ties, and they are broken in this order: higher inspection, higher panel, more votes,
then the registration reference (ascending, e.g. PA2016-00023 before PA2016-00031). A
candidate with reasons not to be ranked (ineligible, not inspected, not proposed by its
street) is listed apart with those reasons and never ranked.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

HUNDRED = Fraction(100)


@dataclass(frozen=True)
class Criterion:
    id: int
    weight: int
    max_score: int


@dataclass(frozen=True)
class Candidate:
    """What the ranking needs to know about one candidate."""

    id: int
    title: str
    reference: str = ""
    street: str = ""
    inspection: Fraction | None = None  # 0–100, None when not inspected
    member_scores: tuple = ()  # one {criterion id: score} per panel member who scored it
    votes: int = 0
    reasons_apart: tuple = ()  # why it is not ranked (empty: it is ranked)


@dataclass
class Entry:
    """A ranked candidate with its components (0–100) and its combined total."""

    candidate: Candidate
    inspection: Fraction
    panel: Fraction
    panel_members: int
    vote_share: Fraction
    total: Fraction
    position: int = 0

    def sort_key(self):
        c = self.candidate
        return (-self.total, -self.inspection, -self.panel, -c.votes, c.reference, c.id)

    def explained(self, weights):
        """{component: (value, weight, contribution)}, rounded for display."""
        return {
            "inspection": (
                shown(self.inspection),
                weights["inspection"],
                shown(self.inspection * weights["inspection"] / HUNDRED),
            ),
            "panel": (
                shown(self.panel),
                weights["panel"],
                shown(self.panel * weights["panel"] / HUNDRED),
            ),
            "vote": (
                shown(self.vote_share),
                weights["vote"],
                shown(self.vote_share * weights["vote"] / HUNDRED),
            ),
        }


@dataclass
class Ranking:
    entries: list = field(default_factory=list)  # ranked, position 1 first
    apart: list = field(default_factory=list)  # Candidates not ranked, with their reasons
    max_votes: int = 0
    weights: dict = field(default_factory=dict)

    def top(self, n):
        return self.entries[:n]


def shown(value, places="0.01"):
    """An exact value rounded half up for display and export: Fraction(200, 3) → 66.67."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP
    )


def member_score(scores, criteria):
    """One member's weighted criteria score, 0–100; None unless every criterion is scored."""
    if not criteria or any(c.id not in scores for c in criteria):
        return None
    weights = sum(c.weight for c in criteria)
    return sum(Fraction(c.weight * scores[c.id], c.max_score) for c in criteria) * HUNDRED / weights


def panel_component(member_scores, criteria):
    """(mean of the members' weighted scores, how many members counted)."""
    values = [v for v in (member_score(s, criteria) for s in member_scores) if v is not None]
    if not values:
        return Fraction(0), 0
    return sum(values, Fraction(0)) / len(values), len(values)


def check_weights(weights):
    if set(weights) != {"inspection", "panel", "vote"}:
        raise ValueError("weights need inspection, panel and vote")
    if sum(weights.values()) != 100 or min(weights.values()) < 0:
        raise ValueError("the weights must be non-negative and add up to 100")


def rank(candidates, weights, criteria):
    """The ranking of ``candidates`` (``Candidate``) under ``weights`` and panel ``criteria``."""
    check_weights(weights)
    ranked = [c for c in candidates if not c.reasons_apart]
    apart = sorted((c for c in candidates if c.reasons_apart), key=lambda c: (c.reference, c.id))
    max_votes = max((c.votes for c in ranked), default=0)
    entries = []
    for c in ranked:
        inspection = Fraction(c.inspection or 0)
        panel, members = panel_component(c.member_scores, criteria)
        share = Fraction(c.votes, max_votes) * HUNDRED if max_votes else Fraction(0)
        total = (
            inspection * weights["inspection"] + panel * weights["panel"] + share * weights["vote"]
        ) / HUNDRED
        entries.append(Entry(c, inspection, panel, members, share, total))
    entries.sort(key=Entry.sort_key)
    for position, entry in enumerate(entries, start=1):
        entry.position = position
    return Ranking(entries=entries, apart=apart, max_votes=max_votes, weights=dict(weights))
