"""Casting a vote: the campaign's rules, the Beijing day and the transaction that enforces them.

Everything a vote must respect is checked inside one transaction, and the database has the
last word: the per-candidate rule is a unique constraint, the daily limit a conditional
``UPDATE`` on the voter's quota row for the day, and the tally is updated in the same
transaction, so rows = tallies at every commit.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import formats, timezone
from wagtail.models import Locale

from campaign_pages.models import CampaignPage, ResidencePage
from voting import clients
from voting.messages import VotingError, busy, text, too_many_requests
from voting.models import PhoneCode, Tally, Vote, VoterDay, VotingRules

BEIJING = ZoneInfo("Asia/Shanghai")


def voting_day(at=None):
    """The calendar day in Beijing of moment ``at``: limits reset at Beijing midnight."""
    return (at or timezone.now()).astimezone(BEIJING).date()


def current_campaign():
    """The newest live campaign in the default language (the one the app shows)."""
    return (
        CampaignPage.objects.live()
        .filter(locale=Locale.get_default())
        .order_by("-year", "-first_published_at")
        .first()
    )


def original(page):
    """The default-language original of a page (votes count for the original)."""
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page
    return page.get_translation_or_none(default) or page


def campaign_of(candidate):
    return CampaignPage.objects.ancestor_of(candidate).first()


def candidates(campaign):
    return (
        ResidencePage.objects.live()
        .public()
        .descendant_of(campaign)
        .select_related("street", "community")
        .order_by("title")
    )


def find_candidate(candidate_id, campaign=None):
    """The live candidate with this id in ``campaign`` (the current one by default), or None."""
    campaign = campaign or current_campaign()
    if campaign is None:
        return None
    try:
        candidate_id = int(candidate_id)
    except (TypeError, ValueError):
        return None
    if not 0 < candidate_id < 2**63:
        return None
    return candidates(campaign).filter(pk=candidate_id).first()


def window_text(phase):
    if phase is None:
        return "—", "—"
    return (
        formats.date_format(phase.first_day, "DATE_FORMAT"),
        formats.date_format(phase.last_day, "DATE_FORMAT"),
    )


def voting_is_open(campaign, at=None):
    return campaign.phase_is_open("voting", at)


def closed_error(campaign):
    start, end = window_text(campaign.phase("voting"))
    return VotingError(
        403,
        "voting_closed",
        text("Voting is closed. It runs from %(start)s to %(end)s.", start=start, end=end),
    )


def already_voted_error():
    return VotingError(
        409,
        "already_voted",
        text("You have already voted for this candidate today. Come back tomorrow."),
    )


def daily_limit_error(rules):
    return VotingError(
        409,
        "daily_limit",
        text(
            "You have used all of today's %(limit)s votes. Come back tomorrow.", limit=rules.per_day
        ),
    )


def remaining_today(campaign, voter, rules=None, day=None):
    rules = rules or VotingRules.for_campaign(campaign)
    used = (
        VoterDay.objects.filter(campaign=campaign, voter=voter, day=day or voting_day())
        .values_list("used", flat=True)
        .first()
    )
    return max(rules.per_day - (used or 0), 0)


def voted_today(campaign, voter, day=None):
    return set(
        Vote.objects.filter(campaign=campaign, voter=voter, day=day or voting_day()).values_list(
            "candidate_id", flat=True
        )
    )


def check_rate_limits(request, voter, fingerprint):
    """Per voter, per client address and per address block (cache-counted; fail open)."""
    limits = [
        ("voting.vote.voter", f"v{voter.pk}", settings.VOTE_RATE_VOTER),
        ("voting.vote.client", fingerprint["client_hash"], settings.VOTE_RATE_CLIENT),
        ("voting.vote.block", fingerprint["client_block_hash"], settings.VOTE_RATE_BLOCK),
    ]
    for group, key, rate in limits:
        if clients.over_limit(request, group, key, rate):
            raise too_many_requests(retry_after=60)


def flags_for(campaign, candidate, voter, fingerprint, now):
    """Why this vote looks abnormal, if it does (the vote still counts until reviewed)."""
    reasons = []
    window_start = now - timezone.timedelta(seconds=settings.VOTE_FLAG_WINDOW)
    same_block = Vote.objects.filter(
        candidate=candidate,
        client_block_hash=fingerprint["client_block_hash"],
        created_at__gte=window_start,
    ).count()
    if same_block >= settings.VOTE_FLAG_BLOCK_VOTES:
        reasons.append("block_burst")
    code_sent = (
        PhoneCode.objects.filter(phone_hash=voter.phone_hash, used_at__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if code_sent and (now - code_sent).total_seconds() < settings.VOTE_FLAG_AFTER_CODE_SECONDS:
        reasons.append("fast_after_code")
    same_agent = (
        Vote.objects.filter(
            candidate=candidate,
            user_agent_hash=fingerprint["user_agent_hash"],
            created_at__gte=window_start,
        )
        .values("voter_id")
        .distinct()
        .count()
    )
    if same_agent >= settings.VOTE_FLAG_SAME_AGENT_VOTERS:
        reasons.append("same_user_agent")
    return reasons


def cast_vote(request, voter, candidate_id, channel):
    """Record a vote of ``voter``; return ``(vote, remaining_today)`` or raise ``VotingError``."""
    campaign = current_campaign()
    candidate = find_candidate(candidate_id, campaign)
    if candidate is None:
        raise VotingError(404, "not_found", text("There is no such candidate."))
    now = timezone.now()
    if not voting_is_open(campaign, now):
        raise closed_error(campaign)
    fingerprint = clients.fingerprint(request)
    check_rate_limits(request, voter, fingerprint)
    rules = VotingRules.for_campaign(campaign)
    day = voting_day(now)
    try:
        return _record(campaign, candidate, voter, rules, day, now, channel, fingerprint)
    except IntegrityError as error:
        # Another request of the same voter took this candidate's slot first.
        raise already_voted_error() from error
    except OperationalError as error:  # "database is locked", lock_timeout, serialization
        raise busy() from error


@transaction.atomic
def _record(campaign, candidate, voter, rules, day, now, channel, fingerprint):
    quota, _created = VoterDay.objects.get_or_create(campaign=campaign, voter=voter, day=day)
    # The daily limit: one conditional UPDATE, which also makes this voter's concurrent votes
    # queue on the row (everything below runs with the row locked on PostgreSQL, and under the
    # write lock of an IMMEDIATE transaction on SQLite).
    taken = VoterDay.objects.filter(pk=quota.pk, used__lt=rules.per_day).update(used=F("used") + 1)
    already = Vote.objects.filter(
        campaign=campaign, voter=voter, candidate=candidate, day=day
    ).count()
    if already >= rules.per_candidate_per_day:
        raise already_voted_error()
    if not taken:
        raise daily_limit_error(rules)
    reasons = flags_for(campaign, candidate, voter, fingerprint, now)
    vote = Vote.objects.create(
        campaign=campaign,
        candidate=candidate,
        voter=voter,
        day=day,
        slot=already + 1,
        created_at=now,
        channel=channel,
        flagged=bool(reasons),
        flag_reasons=",".join(reasons),
        **fingerprint,
    )
    add_to_tally(campaign, candidate, 1)
    used = VoterDay.objects.filter(pk=quota.pk).values_list("used", flat=True).get()
    return vote, max(rules.per_day - used, 0)


def add_to_tally(campaign, candidate, delta):
    updated = Tally.objects.filter(campaign=campaign, candidate=candidate).update(
        votes=F("votes") + delta
    )
    if not updated:
        tally, created = Tally.objects.get_or_create(
            campaign=campaign, candidate=candidate, defaults={"votes": delta}
        )
        if not created:
            Tally.objects.filter(pk=tally.pk).update(votes=F("votes") + delta)


def tally_of(candidate):
    return Tally.objects.filter(candidate=candidate).values_list("votes", flat=True).first() or 0
