"""The selection's rules in one place: who sees which inspections, when what is read-only,
which candidates the panel scores, and the data the combined ranking is computed from.

Each rule asks the campaign at request time (phases are data, no job flips a switch):

- inspections and the streets' proposed lists are editable until the end of the campaign's
  ``inspection`` phase (``inspection_closed_reason``);
- the panel scores while the ``review`` phase is open and until the panel closes
  (``scoring_closed_reason``): at the end of that phase, or earlier when the district office
  closes it or publishes the proposed list;
- once the campaign has ended (``campaign.has_ended()``) everything is an archive.
"""

from collections import defaultdict
from fractions import Fraction

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from voting import ranking
from voting.casting import candidates, current_campaign
from voting.checklist import MAX_TOTAL
from voting.models import (
    Inspection,
    PanelScore,
    SelectionRules,
    StreetOfficer,
    StreetSubmission,
)
from voting.results import counts_from_rows, final_result

ALL_INSPECTIONS = "voting.view_all_inspections"
SCORE_PERMISSION = "voting.score_candidates"
SELECTION_PERMISSION = "voting.run_selection"


def the_campaign():
    """The campaign the selection admin works on: the current one (newest live edition)."""
    return current_campaign()


def day(moment):
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def archive_reason(campaign, at=None):
    if campaign.has_ended(at):
        return _("The campaign has ended: its selection is kept read-only as an archive.")
    return None


# -- street offices ----------------------------------------------------------------------


def officer_street(user):
    """The street the account inspects, or None."""
    officer = StreetOfficer.objects.filter(user_id=user.pk).select_related("street").first()
    return officer.street if officer else None


def sees_all_inspections(user):
    return user.is_superuser or user.has_perm(ALL_INSPECTIONS)


def visible_inspections(user, queryset=None):
    """The inspections ``user`` may see: every street's, its own street's, or none."""
    queryset = Inspection.objects.all() if queryset is None else queryset
    if sees_all_inspections(user):
        return queryset
    street = officer_street(user)
    if street is None:
        return queryset.none()
    return queryset.filter(candidate__street=street)


def street_candidates(campaign, street):
    """The published candidates of ``street`` in ``campaign`` (Chinese originals)."""
    return candidates(campaign).filter(street=street)


def inspection_closed_reason(campaign, at=None):
    """Why inspections and proposed lists cannot be changed now, or None while they can."""
    at = at or timezone.now()
    archived = archive_reason(campaign, at)
    if archived:
        return archived
    phase = campaign.phase("inspection")
    if phase is None:
        return _("This campaign has no inspection phase, so inspections cannot be entered.")
    if phase.has_ended(at):
        return _(
            "The inspection deadline (%(date)s) has passed: inspections and proposed lists "
            "are read-only."
        ) % {"date": day(phase.ends_at)}
    return None


# -- the panel ---------------------------------------------------------------------------


def panel_is_closed(campaign, at=None):
    rules = SelectionRules.for_campaign(campaign)
    phase = campaign.phase("review")
    return bool(rules.panel_closed_at) or (phase is not None and phase.has_ended(at))


def scoring_closed_reason(campaign, at=None):
    """Why the panel cannot score now, or None while it can."""
    at = at or timezone.now()
    archived = archive_reason(campaign, at)
    if archived:
        return archived
    rules = SelectionRules.for_campaign(campaign)
    if rules.panel_closed_at:
        return _("The panel was closed on %(date)s: scores are final.") % {
            "date": day(rules.panel_closed_at)
        }
    phase = campaign.phase("review")
    if phase is None:
        return _("This campaign has no review phase, so the panel cannot score.")
    if at < phase.starts_at:
        return _("The panel scores from %(date)s, when the review opens.") % {
            "date": day(phase.starts_at)
        }
    if phase.has_ended(at):
        return _("The review ended on %(date)s: scores are final.") % {"date": day(phase.ends_at)}
    if not rules.pk or not rules.criteria.exists():
        return _("The district office has not set the panel's criteria yet.")
    return None


def proposed_by_streets(campaign):
    """Ids of the candidates on their street's proposed list."""
    return set(
        StreetSubmission.proposed.through.objects.filter(
            streetsubmission__campaign=campaign
        ).values_list("residencepage_id", flat=True)
    )


def reasons_apart(page, inspection, proposed, campaign):
    """Why a candidate is not ranked (nor scored): not inspected, ineligible, not proposed."""
    if inspection is None:
        return (_("Not inspected by its street office."),)
    failures = tuple(inspection.failures(campaign))
    if failures:
        return failures
    if page.pk not in proposed:
        return (_("Not on its street's proposed list."),)
    return ()


def panel_candidates(campaign):
    """The candidates the panel scores: inspected, eligible and proposed by their street."""
    proposed = proposed_by_streets(campaign)
    return (
        candidates(campaign)
        .filter(pk__in=proposed, inspection__is_eligible=True)
        .order_by("street__sort_order", "title")
    )


# -- the data of the combined ranking ------------------------------------------------------


def vote_counts(campaign):
    """(valid votes by candidate id, source): the frozen final result once it exists."""
    final = final_result(campaign)
    if final is not None:
        return {row["candidate"]: row["votes"] or 0 for row in final.results}, "final"
    return counts_from_rows(campaign), "live"


def criteria_of(rules):
    if not rules.pk:
        return []
    return [ranking.Criterion(c.pk, c.weight, c.max_score) for c in rules.criteria.all()]


def ranking_for(campaign):
    """The campaign's combined ranking (``voting.ranking.Ranking``) from the current data."""
    rules = SelectionRules.for_campaign(campaign)
    criteria = criteria_of(rules)
    pages = list(candidates(campaign).select_related("registration"))
    inspections = {i.candidate_id: i for i in Inspection.objects.filter(candidate__in=pages)}
    proposed = proposed_by_streets(campaign)
    votes, source = vote_counts(campaign)
    by_member = defaultdict(lambda: defaultdict(dict))
    scores = PanelScore.objects.filter(candidate__in=pages, criterion__rules_id=rules.pk)
    for candidate_id, member_id, criterion_id, score in scores.values_list(
        "candidate_id", "member_id", "criterion_id", "score"
    ):
        by_member[candidate_id][member_id][criterion_id] = score
    inputs = []
    for page in pages:
        inspection = inspections.get(page.pk)
        registration = getattr(page, "registration", None)
        inputs.append(
            ranking.Candidate(
                id=page.pk,
                title=page.title,
                reference=registration.reference if registration else "",
                street=page.street.name,
                inspection=Fraction(inspection.checklist_total * 100, MAX_TOTAL)
                if inspection
                else None,
                member_scores=tuple(by_member[page.pk][m] for m in sorted(by_member[page.pk])),
                votes=votes.get(page.pk, 0),
                reasons_apart=reasons_apart(page, inspection, proposed, campaign),
            )
        )
    result = ranking.rank(inputs, rules.weights, criteria)
    result.vote_source = source
    result.rules = rules
    return result
