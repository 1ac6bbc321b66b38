"""Casting a vote: the campaign's rules, the Beijing day and the transaction that enforces them.

Everything a vote must respect is checked inside one transaction, and the database has the
last word: the per-candidate rule is a unique constraint, the daily limit a conditional
``UPDATE`` on the voter's quota row for the day, and the tally is updated in the same
transaction, so rows = tallies at every commit.
"""

import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, F, Q, Subquery
from django.utils import formats, timezone
from wagtail.models import Locale

from campaign_pages.models import CampaignPage, ResidencePage
from voting import clients
from voting.messages import VotingError, busy, text, too_many_requests
from voting.models import PhoneCode, Tally, Vote, Voter, VoterDay, VotingRules

BEIJING = ZoneInfo("Asia/Shanghai")


def voting_day(at=None):
    """The calendar day in Beijing of moment ``at``: limits reset at Beijing midnight."""
    return (at or timezone.now()).astimezone(BEIJING).date()


def current_campaign():
    """The newest live campaign in the default language (the one the app shows)."""
    campaign = (
        CampaignPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("-year", "-first_published_at")
        .first()
    )
    if campaign is not None:
        # It is its own original: saves the locale lookup of ``schedule_page`` on every vote.
        campaign.__dict__["schedule_page"] = campaign
    return campaign


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


def candidate_pk(candidate_id):
    """``candidate_id`` as a primary key, or None when it cannot be one."""
    try:
        candidate_id = int(candidate_id)
    except (TypeError, ValueError):
        return None
    return candidate_id if 0 < candidate_id < 2**63 else None


def find_candidate(candidate_id, campaign=None):
    """The live candidate with this id in ``campaign`` (the current one by default), or None."""
    campaign = campaign or current_campaign()
    pk = candidate_pk(candidate_id)
    if campaign is None or pk is None:
        return None
    return candidates(campaign).filter(pk=pk).first()


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
    # One pass over the candidate's votes of the window counts both patterns.
    recent = Vote.objects.filter(candidate=candidate, created_at__gte=window_start).aggregate(
        same_block=Count("pk", filter=Q(client_block_hash=fingerprint["client_block_hash"])),
        same_agent=Count(
            "voter_id", filter=Q(user_agent_hash=fingerprint["user_agent_hash"]), distinct=True
        ),
    )
    if recent["same_block"] >= settings.VOTE_FLAG_BLOCK_VOTES:
        reasons.append("block_burst")
    code_sent = (
        PhoneCode.objects.filter(phone_hash=voter.phone_hash, used_at__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if code_sent and (now - code_sent).total_seconds() < settings.VOTE_FLAG_AFTER_CODE_SECONDS:
        reasons.append("fast_after_code")
    if recent["same_agent"] >= settings.VOTE_FLAG_SAME_AGENT_VOTERS:
        reasons.append("same_user_agent")
    return reasons


@dataclass(frozen=True)
class VotingContext:
    """What every vote reads of the current campaign: the campaign with its timeline, its
    rules and the ids of its live, public candidates."""

    campaign: CampaignPage
    rules: VotingRules
    candidate_ids: frozenset


_context_memo = {"value": None, "expires": 0.0}


def voting_context():
    """The current ``VotingContext`` (None without a campaign), kept per process.

    Every vote needs the same five reads (campaign, timeline, rules, candidates); each
    process keeps them for ``VOTE_CONTEXT_SECONDS`` and forgets them at once when a page is
    published or unpublished or rules or phases are saved in that process (signals in
    ``VotingConfig.ready``), so another process sees an edit at most that many seconds late.
    The rules themselves are still applied by the database on every vote, and the window
    still closes on the second: only the ``now`` comparison uses the kept timeline.
    """
    ttl = settings.VOTE_CONTEXT_SECONDS
    clock = time.monotonic()
    if ttl > 0 and _context_memo["value"] is not None and clock < _context_memo["expires"]:
        return _context_memo["value"]
    campaign = current_campaign()
    value = None
    if campaign is not None:
        campaign.timeline  # noqa: B018 - loads the phases now, once
        value = VotingContext(
            campaign=campaign,
            rules=VotingRules.for_campaign(campaign),
            candidate_ids=frozenset(candidates(campaign).values_list("pk", flat=True)),
        )
    _context_memo.update(value=value, expires=clock + ttl)
    return value


def forget_voting_context(**kwargs):
    """Signal receiver: the next vote reads the campaign, rules and candidates again."""
    _context_memo["value"] = None


def cast_vote(request, voter, candidate_id, channel):
    """Record a vote of ``voter``; return ``(vote, remaining_today, rules)`` or raise
    ``VotingError``."""
    context = voting_context()
    candidate = candidate_pk(candidate_id)
    if context is None or candidate not in context.candidate_ids:
        raise VotingError(404, "not_found", text("There is no such candidate."))
    campaign, rules = context.campaign, context.rules
    now = timezone.now()
    if not voting_is_open(campaign, now):
        raise closed_error(campaign)
    fingerprint = clients.fingerprint(request)
    check_rate_limits(request, voter, fingerprint)
    day = voting_day(now)
    try:
        vote, remaining = _record(campaign, candidate, voter, rules, day, now, channel, fingerprint)
    except IntegrityError as error:
        # Another request of the same voter took this candidate's slot first.
        raise already_voted_error() from error
    except OperationalError as error:  # "database is locked", lock_timeout, serialization
        raise busy() from error
    return vote, remaining, rules


def take_from_quota(campaign, voter, day, rules):
    """Use one of the voter's votes of ``day``: True, or False when the day's are all used.

    One conditional ``UPDATE``, which also makes this voter's concurrent votes queue on the
    row: everything after it in the vote's transaction runs with the row locked on
    PostgreSQL, and under the write lock of an IMMEDIATE transaction on SQLite. The first
    vote of the day finds no row and inserts it (a concurrent first vote that inserted it
    first makes this insert fail: then the UPDATE is tried again, now on that row).
    """
    mine = VoterDay.objects.filter(campaign=campaign, voter=voter, day=day)
    if mine.filter(used__lt=rules.per_day).update(used=F("used") + 1):
        return True
    if mine.exists():
        # Full, or made by a concurrent first vote that committed after the UPDATE above took
        # its snapshot (PostgreSQL, READ COMMITTED): the UPDATE again tells which.
        return bool(mine.filter(used__lt=rules.per_day).update(used=F("used") + 1))
    try:
        with transaction.atomic():
            VoterDay.objects.create(campaign=campaign, voter=voter, day=day, used=1)
        return True
    except IntegrityError:
        return bool(mine.filter(used__lt=rules.per_day).update(used=F("used") + 1))


@transaction.atomic
def _record(campaign, candidate, voter, rules, day, now, channel, fingerprint):
    taken = take_from_quota(campaign, voter, day, rules)
    already = Vote.objects.filter(
        campaign=campaign, voter=voter, candidate_id=candidate, day=day
    ).count()
    if already >= rules.per_candidate_per_day:
        raise already_voted_error()
    if not taken:
        raise daily_limit_error(rules)
    reasons = flags_for(campaign, candidate, voter, fingerprint, now)
    vote = Vote.objects.create(
        campaign=campaign,
        candidate_id=candidate,
        voter=voter,
        day=day,
        slot=already + 1,
        created_at=now,
        channel=channel,
        flagged=bool(reasons),
        flag_reasons=",".join(reasons),
        **fingerprint,
    )
    if reasons:  # the voter's pattern is abnormal: the district office sees it flagged too
        Voter.objects.filter(pk=voter.pk).update(flagged=True, flag_reason=",".join(reasons))
    add_to_tally(campaign, candidate, 1)
    # The voter's votes used today and the candidate's new tally, in one round trip.
    tally = Tally.objects.filter(campaign=campaign, candidate_id=candidate).values("votes")
    used, vote.tally_after = (
        VoterDay.objects.filter(campaign=campaign, voter=voter, day=day)
        .annotate(tally=Subquery(tally[:1]))
        .values_list("used", "tally")
        .get()
    )
    return vote, max(rules.per_day - used, 0)


def add_to_tally(campaign, candidate, delta):
    """Add ``delta`` to a candidate's tally (a page or its id), making the row if missing."""
    candidate_id = getattr(candidate, "pk", candidate)
    updated = Tally.objects.filter(campaign=campaign, candidate_id=candidate_id).update(
        votes=F("votes") + delta
    )
    if not updated:
        tally, created = Tally.objects.get_or_create(
            campaign=campaign, candidate_id=candidate_id, defaults={"votes": delta}
        )
        if not created:
            Tally.objects.filter(pk=tally.pk).update(votes=F("votes") + delta)


def tally_of(candidate):
    """A candidate's tally (a page or its id)."""
    candidate_id = getattr(candidate, "pk", candidate)
    return (
        Tally.objects.filter(candidate_id=candidate_id).values_list("votes", flat=True).first() or 0
    )
