"""Demo voters and votes for ``load_demo``: invented 1741-block numbers (never issued to a
subscriber), votes spread over the voting days so far, written once (idempotent)."""

import random
from datetime import datetime, time, timedelta

from django.db.models import Count

from voting.casting import BEIJING, add_to_tally, candidates
from voting.models import LeaderboardPage, Vote, Voter, VoterDay
from voting.models.voters import keyed_hash

VOTERS = 40
LEADERBOARD_INTRO = "<p>按有效票数排名。每位市民每天可为每个候选小区投1票，每天最多投5票。</p>"
LEADERBOARD_INTRO_EN = (
    "<p>Candidates ranked by valid votes. Each resident may vote once a day for each "
    "candidate, and up to five times a day in all.</p>"
)


def build_demo_leaderboard(builder, campaign):
    """The public leaderboard (slug ``leaderboard``) with its English translation."""
    page = LeaderboardPage.objects.child_of(campaign).first()
    if page is None:
        page = LeaderboardPage(title="投票排行榜", slug="leaderboard")
        campaign.add_child(instance=page)
        builder.changes.append("vote leaderboard")
    builder.update(page, intro=LEADERBOARD_INTRO, show_in_menus=True, menu_title="排行榜")
    en = builder.locales()[1]
    builder.translate(
        page, en, title="Vote leaderboard", intro=LEADERBOARD_INTRO_EN, menu_title="Leaderboard"
    )
    return page


def build_demo_votes(builder, campaign):
    phase = campaign.phase("voting")
    pages = list(candidates(campaign))
    if phase is None or not pages:
        return
    if Vote.objects.filter(campaign=campaign).exists():
        return
    rng = random.Random(2016)
    first = phase.first_day
    today = min(phase.last_day, datetime.now(BEIJING).date())
    days = [first + timedelta(n) for n in range((today - first).days + 1)] or [first]
    made = 0
    for number in range(VOTERS):
        phone = f"1741{number + 2_016_000:07d}"
        voter = Voter.for_phone(phone)
        for day in days[:-1]:  # leave today's votes to the visitor
            chosen = rng.sample(pages, k=rng.randint(0, min(3, len(pages))))
            for page in chosen:
                moment = datetime.combine(
                    day, time(rng.randint(7, 22), rng.randint(0, 59)), BEIJING
                )
                Vote.objects.create(
                    campaign=campaign,
                    candidate=page,
                    voter=voter,
                    day=day,
                    created_at=moment,
                    channel=rng.choice(["web", "app"]),
                    client_hash=keyed_hash(f"demo-{number}", "client"),
                    client_block_hash=keyed_hash(f"demo-block-{number % 7}", "block"),
                    user_agent_hash=keyed_hash(f"demo-agent-{number % 5}", "agent"),
                )
                add_to_tally(campaign, page, 1)
                made += 1
            if chosen:
                VoterDay.objects.update_or_create(
                    campaign=campaign, voter=voter, day=day, defaults={"used": len(chosen)}
                )
    if made:
        builder.changes.append(f"{made} demo votes from {VOTERS} voters")


def demo_counts(campaign):
    return dict(
        Vote.objects.filter(campaign=campaign).values_list("candidate").annotate(n=Count("pk"))
    )
