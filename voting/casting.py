"""Casting a vote: the campaign's rules, the Beijing day and the transaction that enforces them.

Everything a vote must respect is checked inside one transaction, and the database has the
last word: the per-candidate rule is a unique constraint, the daily limit a conditional
upsert of the voter's quota row for the day, and the tally is updated in the same
transaction, so rows = tallies at every commit. On PostgreSQL that transaction is one call
of a function of the database's own (migration ``voting/0007``); elsewhere it is the
statements of ``voting/statements.py``.
"""

import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import formats, timezone
from wagtail.models import Locale

from campaign_pages.models import CampaignPage, ResidencePage
from campaign_pages.params import as_id
from voting import clients, statements
from voting.messages import VotingError, busy, not_authenticated, text, too_many_requests
from voting.models import Tally, Vote, Voter, VoterDay, VotingRules
from voting.models.votes import VoteStatus

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


def find_candidate(candidate_id, campaign=None):
    """The live candidate with this id in ``campaign`` (the current one by default), or None."""
    campaign = campaign or current_campaign()
    pk = as_id(candidate_id)
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


def check_rate_limits(request, voter_id, fingerprint):
    """Per voter, per client address and per address block (cache-counted, all three in one
    Redis round trip; fail open)."""
    limits = [
        ("voting.vote.voter", f"v{voter_id}", settings.VOTE_RATE_VOTER),
        ("voting.vote.client", fingerprint["client_hash"], settings.VOTE_RATE_CLIENT),
        ("voting.vote.block", fingerprint["client_block_hash"], settings.VOTE_RATE_BLOCK),
    ]
    if clients.over_any_limit(request, limits):
        raise too_many_requests(retry_after=60)


def flag_reasons(reads, now):
    """Why this vote looks abnormal, if it does (the vote still counts until reviewed).

    ``reads`` is ``statements.vote_reads``' answer, read in the vote's transaction. On
    PostgreSQL the function ``voting_cast_vote`` applies the same thresholds itself.
    """
    reasons = []
    if reads.same_block >= settings.VOTE_FLAG_BLOCK_VOTES:
        reasons.append("block_burst")
    code_sent = reads.code_sent
    if code_sent and (now - code_sent).total_seconds() < settings.VOTE_FLAG_AFTER_CODE_SECONDS:
        reasons.append("fast_after_code")
    if reads.same_agent >= settings.VOTE_FLAG_SAME_AGENT_VOTERS:
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


class Recorded(NamedTuple):
    """An accepted vote: its row, the candidate's tally after it, the voter's votes left."""

    vote_id: int
    candidate_id: int
    tally: int
    remaining: int


def cast_vote(request, voter, candidate_id, channel):
    """Record a vote of ``voter`` (a ``Voter`` or its id); return ``(Recorded, rules)`` or
    raise ``VotingError``."""
    voter_id = getattr(voter, "pk", voter)
    context = voting_context()
    candidate = as_id(candidate_id)
    if context is None or candidate not in context.candidate_ids:
        raise VotingError(404, "not_found", text("There is no such candidate."))
    campaign, rules = context.campaign, context.rules
    now = timezone.now()
    if not voting_is_open(campaign, now):
        raise closed_error(campaign)
    fingerprint = clients.fingerprint(request)
    check_rate_limits(request, voter_id, fingerprint)
    day = voting_day(now)
    try:
        recorded = _record(campaign, candidate, voter_id, rules, day, now, channel, fingerprint)
    except IntegrityError as error:
        # Another request of the same voter took this candidate's slot first.
        raise already_voted_error() from error
    except OperationalError as error:  # "database is locked", lock_timeout, serialization
        raise busy() from error
    return recorded, rules


def _record(campaign, candidate, voter_id, rules, day, now, channel, fingerprint):
    """The vote's transaction: one call of the database's own function on PostgreSQL, the
    statements of ``voting/statements.py`` elsewhere; the same steps and rules either way."""
    args = campaign, candidate, voter_id, rules, day, now, channel, fingerprint
    if connection.vendor == "postgresql":
        return _record_in_one_call(*args)
    return _record_statements(*args)


def _record_in_one_call(campaign, candidate, voter_id, rules, day, now, channel, fingerprint):
    """PostgreSQL: ``voting_cast_vote`` (migration ``voting/0007``), one round trip.

    In autocommit the call is its own transaction, with no BEGIN or COMMIT round trip;
    inside a caller's transaction (a test, a script) it runs in a savepoint, so that a
    unique violation leaves that transaction usable.
    """
    own = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with own:
        cast = statements.cast(
            campaign_id=campaign.pk,
            candidate_id=candidate,
            voter_id=voter_id,
            day=day,
            now=now,
            channel=channel,
            fingerprint=fingerprint,
            status=VoteStatus.VALID,
            rules=rules,
            since=now - timezone.timedelta(seconds=settings.VOTE_FLAG_WINDOW),
            caps=(settings.VOTE_FLAG_BLOCK_VOTES, settings.VOTE_FLAG_SAME_AGENT_VOTERS),
            code_after=now - timezone.timedelta(seconds=settings.VOTE_FLAG_AFTER_CODE_SECONDS),
        )
    if cast.outcome == "not_authenticated":  # a token or session of a voter no longer there
        raise not_authenticated()
    if cast.outcome == "already_voted":
        raise already_voted_error()
    if cast.outcome == "daily_limit":
        raise daily_limit_error(rules)
    return Recorded(cast.vote_id, candidate, cast.tally, max(rules.per_day - cast.used, 0))


@transaction.atomic
def _record_statements(campaign, candidate, voter_id, rules, day, now, channel, fingerprint):
    """Elsewhere (SQLite): four statements in one transaction (two on a refusal, five when
    the vote is flagged: the voter is marked too), then the commit.

    1. the quota upsert, which also makes this voter's concurrent votes queue on the row
       (SQLite's write lock, taken at BEGIN by IMMEDIATE);
    2. one read: does the voter exist, its votes for the candidate today, the flag patterns;
    3. the vote's row (the unique constraint on its slot is the per-candidate rule);
    4. the tally upsert, last, so the candidate's row is locked only until the commit.
    """
    used = statements.take_from_quota(campaign.pk, voter_id, day, rules.per_day)
    reads = statements.vote_reads(
        campaign_id=campaign.pk,
        voter_id=voter_id,
        candidate_id=candidate,
        day=day,
        since=now - timezone.timedelta(seconds=settings.VOTE_FLAG_WINDOW),
        block=fingerprint["client_block_hash"],
        agent=fingerprint["user_agent_hash"],
        block_cap=settings.VOTE_FLAG_BLOCK_VOTES,
        agent_limit=statements.agent_rows(
            settings.VOTE_FLAG_SAME_AGENT_VOTERS,
            rules.per_candidate_per_day,
            settings.VOTE_FLAG_WINDOW,
        ),
    )
    if not reads.voter_exists:  # a token or session of a voter no longer there
        raise not_authenticated()  # rolls the quota row back with the transaction
    if reads.already >= rules.per_candidate_per_day:
        raise already_voted_error()
    if used is None:
        raise daily_limit_error(rules)
    reasons = flag_reasons(reads, now)
    vote = Vote(
        campaign=campaign,
        candidate_id=candidate,
        voter_id=voter_id,
        day=day,
        slot=reads.already + 1,
        created_at=now,
        channel=channel,
        flagged=bool(reasons),
        flag_reasons=",".join(reasons),
        **fingerprint,
    )
    statements.insert(vote)
    if reasons:  # the voter's pattern is abnormal: the district office sees it flagged too
        Voter.objects.filter(pk=voter_id).update(flagged=True, flag_reason=",".join(reasons))
    tally = statements.add_to_tally(campaign.pk, candidate, 1)
    return Recorded(vote.pk, candidate, tally, max(rules.per_day - used, 0))


def add_to_tally(campaign, candidate, delta):
    """Add ``delta`` to a candidate's tally (a page or its id), making the row if missing;
    return the new count."""
    return statements.add_to_tally(
        getattr(campaign, "pk", campaign), getattr(candidate, "pk", candidate), delta
    )


def tally_of(candidate):
    """A candidate's tally (a page or its id)."""
    candidate_id = getattr(candidate, "pk", candidate)
    return (
        Tally.objects.filter(candidate_id=candidate_id).values_list("votes", flat=True).first() or 0
    )
