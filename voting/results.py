"""Counts: the leaderboard, the frozen final result, recounting tallies from vote rows."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from voting.casting import candidates
from voting.models import FinalResult, Tally, Vote, VotingRules
from voting.models.votes import VoteStatus


def counts_from_rows(campaign):
    """{candidate id: valid votes} computed from the vote rows (the truth)."""
    rows = (
        Vote.objects.filter(campaign=campaign)
        .values("candidate_id")
        .annotate(n=Count("pk", filter=Q(status=VoteStatus.VALID)))
    )
    return {row["candidate_id"]: row["n"] for row in rows}


def tally_counts(campaign):
    return dict(Tally.objects.filter(campaign=campaign).values_list("candidate_id", "votes"))


def differences(campaign):
    """[(candidate id, tally, rows)] wherever the tally disagrees with the rows."""
    rows, tallies = counts_from_rows(campaign), tally_counts(campaign)
    return [
        (pk, tallies.get(pk, 0), rows.get(pk, 0))
        for pk in sorted(set(rows) | set(tallies))
        if tallies.get(pk, 0) != rows.get(pk, 0)
    ]


@transaction.atomic
def recount(campaign):
    """Rebuild the campaign's tallies from the rows; return the differences repaired."""
    list(Tally.objects.select_for_update().filter(campaign=campaign))
    found = differences(campaign)
    rows = counts_from_rows(campaign)
    for pk, _tally, _rows in found:
        Tally.objects.update_or_create(
            campaign=campaign, candidate_id=pk, defaults={"votes": rows.get(pk, 0)}
        )
    return found


def final_result(campaign, now=None):
    """The frozen result once the voting window is over (made the first time it is asked)."""
    phase = campaign.phase("voting")
    if phase is None or not phase.has_ended(now or timezone.now()):
        return None
    existing = FinalResult.objects.filter(campaign=campaign).first()
    if existing:
        return existing
    rows = counts_from_rows(campaign)
    ranked = ranking(campaign, rows)
    try:
        with transaction.atomic():
            return FinalResult.objects.create(
                campaign=campaign, window_ends_at=phase.ends_at, results=ranked
            )
    except IntegrityError:  # another request froze it first: theirs is the same
        return FinalResult.objects.get(campaign=campaign)


def ranking(campaign, counts):
    """Candidates ranked by valid votes (ties share a rank, then by title)."""
    entries = [
        {"candidate": page.pk, "title": page.title, "votes": counts.get(page.pk, 0)}
        for page in candidates(campaign)
    ]
    entries.sort(key=lambda e: (-e["votes"], e["title"]))
    rank, previous = 0, None
    for position, entry in enumerate(entries, start=1):
        if entry["votes"] != previous:
            rank, previous = position, entry["votes"]
        entry["rank"] = rank
    return entries


def leaderboard(campaign):
    """(entries, counts_public, final): the frozen result after the window, live tallies before."""
    rules = VotingRules.for_campaign(campaign)
    final = final_result(campaign)
    if final is not None:
        return final.results, True, final
    entries = ranking(campaign, tally_counts(campaign))
    if not rules.counts_public:
        for entry in entries:
            entry["votes"] = None
            entry["rank"] = None
        entries.sort(key=lambda e: e["title"])
    return entries, rules.counts_public, None


@transaction.atomic
def change_status(votes, status, user, reason):
    """Freeze, void or restore votes; the tallies follow in the same transaction."""
    from voting.casting import add_to_tally

    changed = 0
    now = timezone.now()
    for vote in Vote.objects.select_for_update().filter(pk__in=[v.pk for v in votes]):
        if vote.status == status:
            continue
        was_valid = vote.status == VoteStatus.VALID
        vote.status = status
        vote.status_changed_at = now
        vote.status_changed_by = user
        vote.status_reason = reason[:200]
        vote.save(
            update_fields=["status", "status_changed_at", "status_changed_by", "status_reason"]
        )
        if was_valid and status != VoteStatus.VALID:
            add_to_tally(vote.campaign, vote.candidate, -1)
        elif not was_valid and status == VoteStatus.VALID:
            add_to_tally(vote.campaign, vote.candidate, 1)
        changed += 1
    return changed
