"""The selection's demo for ``load_demo``: role accounts, rules, and the state of each phase.

Always: the demo accounts (two street offices, three panel members, one district office; all
invented), the campaign's selection rules and panel criteria drawn from the notice. Then, by
``--phase``:

- ``inspection``: inspections of some candidates of three streets (one ineligible);
- ``review``: every candidate inspected, every street's proposed list sent, scores from the
  three panel members — the ranking can be computed;
- ``public_notice``: the top ten published for the public notice (period open today);
- ``awards``: organisation awards chosen and the winners confirmed.

Every step looks for what it would make first, so a second run changes nothing. Passwords:
random when an account is made (printed once), or ``DEMO_PASSWORD`` for all of them.
"""

import os
import random
import secrets

from django.contrib.auth.models import Group, User
from django.utils import timezone

from campaign_pages.models import Street
from voting.casting import candidates
from voting.checklist import ITEMS
from voting.models import (
    Inspection,
    OrganisationAwardChoice,
    PanelScore,
    ScoringCriterion,
    SelectionRecord,
    SelectionRules,
    StreetOfficer,
    StreetSubmission,
)
from voting.permissions import DISTRICT_OFFICE, PANEL, STREET_OFFICE

STAGES = ["inspection", "review", "public_notice", "awards"]
# (user name, invented name, group, street position in the district's list or None)
ACCOUNTS = [
    ("wuma-office", "五马街道综治办（演示）", STREET_OFFICE, 0),
    ("songtai-office", "松台街道综治办（演示）", STREET_OFFICE, 1),
    ("panel-chen", "陈评审（演示）", PANEL, None),
    ("panel-lin", "林评审（演示）", PANEL, None),
    ("panel-zhou", "周评审（演示）", PANEL, None),
    ("district-office", "区综治办（演示）", DISTRICT_OFFICE, None),
]
# The notice's basis of the award (第四条, 第九条): name, English name, weight, maximum.
CRITERIA = [
    ("物防、技防、人防建设", "Physical, technical and personnel security", 30, 10),
    ("控案成效", "Crime control", 25, 10),
    ("居民治安满意度", "Residents' satisfaction with safety", 20, 10),
    ("宣传展示", "Promotion and presentation", 15, 10),
    ("台帐与制度落实", "Ledgers and duty rules in practice", 10, 10),
]
INSPECTORS = "街道综治办、辖区派出所、房管所、社区（演示）"


def build_demo_selection(builder, campaign):
    accounts = demo_accounts(builder)
    rules = demo_rules(builder, campaign)
    stage = STAGES.index(builder.open_phase) if builder.open_phase in STAGES else -1
    if stage < 0:
        return
    pages = list(candidates(campaign).order_by("street__sort_order", "title"))
    demo_inspections(builder, campaign, pages, everyone=stage >= 1)
    if stage >= 1:
        demo_submissions(builder, campaign, pages, accounts)
        demo_scores(builder, campaign, rules, accounts)
    if stage >= 2:
        demo_proposal(builder, campaign, accounts)
    if stage >= 3:
        demo_awards(builder, campaign, rules, accounts)


def demo_accounts(builder):
    password = os.environ.get("DEMO_PASSWORD")
    streets = list(Street.objects.order_by("sort_order", "name"))
    accounts = {}
    for username, name, group, street_at in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            chosen = password or secrets.token_urlsafe(9)
            user = User.objects.create_user(username, password=chosen, last_name=name)
            shown = "DEMO_PASSWORD" if password else chosen
            builder.changes.append(f"demo account {username} (password: {shown})")
        elif password and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            builder.changes.append(f"demo account {username}: password set from DEMO_PASSWORD")
        if not user.groups.filter(name=group).exists():
            user.groups.add(Group.objects.get(name=group))
            builder.changes.append(f"{username} in group {group}")
        if street_at is not None and streets:
            officer, created = StreetOfficer.objects.get_or_create(
                user=user, defaults={"street": streets[street_at]}
            )
            if created:
                builder.changes.append(f"{username} inspects {officer.street}")
        accounts[username] = user
    return accounts


def demo_rules(builder, campaign):
    rules, created = SelectionRules.objects.get_or_create(campaign=campaign)
    if created:
        builder.changes.append("selection rules")
    if not rules.criteria.exists():
        for order, (name, name_en, weight, top) in enumerate(CRITERIA):
            ScoringCriterion.objects.create(
                rules=rules, name=name, name_en=name_en, weight=weight, max_score=top,
                sort_order=order,
            )  # fmt: skip
        builder.changes.append("panel criteria")
    return rules


def inspection_plan(pages, everyone):
    """(page, figures) to inspect: some of three streets' candidates, or all of them."""
    by_street = {}
    for page in pages:
        by_street.setdefault(page.street_id, []).append(page)
    chosen = []
    for n, street_pages in enumerate(by_street.values()):
        if everyone:
            chosen += street_pages
        elif n < 3:
            chosen += street_pages[:2]  # leave the others to the street office
    return chosen


def demo_inspections(builder, campaign, pages, everyone):
    plan = inspection_plan(pages, everyone)
    officers = {o.street_id: o.user for o in StreetOfficer.objects.all()}
    for n, page in enumerate(plan):
        if Inspection.objects.filter(candidate=page).exists():
            continue
        rng = random.Random(f"inspection-{page.title}")
        floating = rng.randrange(80, 400)
        interviewed = rng.randrange(30, 60)
        inspection = Inspection(
            candidate=page,
            inspected_on=timezone.localdate(campaign.phase("inspection").starts_at),
            inspectors=INSPECTORS,
            ledger_checked=True,
            floating_population=floating,
            floating_registered=floating - rng.randrange(0, max(1, floating // 25)),
            residents_interviewed=interviewed,
            residents_satisfied=interviewed - rng.randrange(0, max(1, interviewed // 12)),
            findings="门岗24小时值守，监控覆盖主要出入口，巡逻记录完整。（演示数据）",
            entered_by=officers.get(page.street_id),
            updated_by=officers.get(page.street_id),
        )
        if n == 1:  # one ineligible on verified data: registration below the threshold
            inspection.floating_registered = int(floating * 0.9)
            inspection.findings = "出租房流动人口登记不全，核实登记率低于95%。（演示数据）"
        if n == 6:  # and one with a burglary in the police's data
            inspection.burglaries = 1
            inspection.findings = "公安数据显示年度内发生入室盗窃案件1起。（演示数据）"
        inspection.checklist_scores = {
            key: max(0, item.max_score - rng.randrange(0, 1 + item.max_score // 3))
            for key, item in ITEMS.items()
        }
        inspection.save()
        builder.changes.append(f"inspection of {page.title}")


def demo_submissions(builder, campaign, pages, accounts):
    officers = {o.street_id: o.user for o in StreetOfficer.objects.all()}
    for street_id in dict.fromkeys(p.street_id for p in pages):
        if StreetSubmission.objects.filter(campaign=campaign, street_id=street_id).exists():
            continue
        submission = StreetSubmission.objects.create(
            campaign=campaign,
            street_id=street_id,
            submitted_by=officers.get(street_id),
            submitted_at=campaign.phase("inspection").ends_at - timezone.timedelta(days=1),
            note="考核验收情况见各小区考核记录。（演示数据）",
        )
        submission.proposed.set(
            [p for p in pages if p.street_id == street_id and p.inspection.is_eligible]
        )
        builder.changes.append(f"proposed list of {submission.street}")


def demo_scores(builder, campaign, rules, accounts):
    from voting.selection import panel_candidates

    criteria = list(rules.criteria.all())
    members = [accounts[name] for name, _n, group, _s in ACCOUNTS if group == PANEL]
    made = 0
    for page in panel_candidates(campaign):
        for member in members:
            if PanelScore.objects.filter(member=member, candidate=page).exists():
                continue
            rng = random.Random(f"score-{member.username}-{page.title}")
            for criterion in criteria:
                PanelScore.objects.create(
                    member=member,
                    candidate=page,
                    criterion=criterion,
                    score=rng.randint(criterion.max_score // 2, criterion.max_score),
                )
            made += 1
    if made:
        builder.changes.append(f"{made} panel score forms")


def demo_proposal(builder, campaign, accounts):
    from registrations.notice import notice_page_for, publish_proposed_list
    from voting.selection import ranking_for
    from voting.selection_admin import close_panel, entry_summary, ranking_rows

    starts_at = campaign.phase("public_notice").starts_at
    notice = notice_page_for(campaign)
    # Published already: the period moves with the phases (the demo's dates shift with
    # --phase), unless objections were filed against it.
    if (
        notice is not None
        and notice.period_starts_at
        and (notice.period_starts_at == starts_at or notice.objections.exists())
    ):
        return
    office = accounts["district-office"]
    rules = SelectionRules.for_campaign(campaign)
    if not rules.panel_closed_at:
        close_panel(campaign, rules, office)
    ranking = ranking_for(campaign)
    rows = ranking_rows(ranking)[: rules.winners_count]
    entries = [
        {
            "residence": candidates(campaign).get(pk=row["id"]),
            "rank": row["position"],
            "summary": entry_summary(row, ranking.weights),
        }
        for row in rows
    ]
    publish_proposed_list(campaign, entries, user=None, starts_at=starts_at)
    SelectionRecord.objects.create(
        campaign=campaign,
        action=SelectionRecord.Action.PROPOSAL_PUBLISHED,
        user=office,
        at=starts_at,
        summary=", ".join(f"{e['rank']}. {e['residence'].title}" for e in entries),
        details={"proposed": [e["residence"].pk for e in entries], "demo": True},
    )
    builder.changes.append(f"proposed list of {len(entries)} under public notice")


def demo_awards(builder, campaign, rules, accounts):
    from campaign_pages.models import WinnersPage
    from campaign_pages.winners import write_winners
    from registrations.notice import confirmation_blockers, notice_page_for
    from voting.organisations import metrics_of, organisation_metrics
    from voting.selection_admin import plaque_text, winner_citation
    from voting.selection_forms import default_citation

    office = accounts["district-office"]
    if not OrganisationAwardChoice.objects.filter(campaign=campaign).exists():
        for row in organisation_metrics(campaign)[: rules.organisation_awards_count]:
            OrganisationAwardChoice.objects.create(
                campaign=campaign,
                community=row["community"],
                citation=default_citation(row["community"]),
                metrics=metrics_of(row),
                rank=row["position"],
                chosen_by=office,
            )
        builder.changes.append("organisation awards chosen")
    page = WinnersPage.objects.child_of(campaign).first()
    if page is not None and page.confirmed_at:
        return
    if confirmation_blockers(campaign):
        return
    entries = notice_page_for(campaign).current_entries()
    winners = [
        {
            "residence": entry.residence,
            "rank": rank,
            "plaque_text": plaque_text(campaign),
            "citation": winner_citation(campaign, entry.residence, rank),
        }
        for rank, entry in enumerate(entries, start=1)
    ]
    awards = [
        {"community": a.community, "citation": a.citation, "metrics": a.metrics}
        for a in OrganisationAwardChoice.objects.filter(campaign=campaign)
    ]
    write_winners(campaign, winners, awards, user=None)
    SelectionRecord.objects.create(
        campaign=campaign,
        action=SelectionRecord.Action.WINNERS_CONFIRMED,
        user=office,
        summary=", ".join(f"{w['rank']}. {w['residence'].title}" for w in winners),
        details={"winners": [w["residence"].pk for w in winners], "demo": True},
    )
    builder.changes.append(f"{len(winners)} winners confirmed")
