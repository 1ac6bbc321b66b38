"""Helpers of the selection tests: phases moved to a chosen day, role accounts, form data."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from PIL import Image

from campaign_pages.demo import phase_dates
from voting.casting import candidates
from voting.checklist import ITEMS, field_name
from voting.models import Inspection, StreetOfficer
from voting.permissions import DISTRICT_OFFICE, PANEL, STREET_OFFICE


def open_phase(campaign, key):
    """Shift the campaign's phases (as ``load_demo --phase`` does) so ``key`` is open today."""
    wanted = {k: (s, e) for k, s, e in phase_dates(key)}
    for phase in campaign.phases.all():
        phase.starts_at, phase.ends_at = wanted[phase.key]
        phase.save()
    campaign.__dict__.pop("timeline", None)
    return campaign


def account(username, group, street=None):
    user = User.objects.create_user(username, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=group))
    if street is not None:
        StreetOfficer.objects.create(user=user, street=street)
    return user


def two_streets(campaign):
    """Two candidates of two different streets: (candidate, other street's candidate)."""
    pages = list(candidates(campaign).order_by("street__sort_order", "title"))
    first = pages[0]
    other = next(p for p in pages if p.street_id != first.street_id)
    return first, other


def inspection_values(**overrides):
    """The model fields of a passing inspection (all items at their maximum)."""
    values = {
        "inspected_on": "2016-04-18",
        "inspectors": "街道综治办、派出所、社区（测试）",
        "ledger_checked": True,
        "floating_population": 200,
        "floating_registered": 200,
        "residents_interviewed": 50,
        "residents_satisfied": 48,
        "violent_crimes": 0,
        "robberies": 0,
        "burglaries": 0,
        "yellow_card": False,
        "one_vote_veto": False,
        "findings": "门岗值守到位，监控覆盖主要出入口。（测试）",
    }
    values.update(overrides)
    return values


def form_data(candidate=None, scores=None, **overrides):
    """POST data of the inspection form; checkboxes are left out when False, as browsers do."""
    data = {}
    for key, value in inspection_values(**overrides).items():
        if value is True:
            data[key] = "on"
        elif value is not False:
            data[key] = str(value)
    if candidate is not None:
        data["candidate"] = str(candidate.pk)
    scores = scores or {}
    for key, item in ITEMS.items():
        data[field_name(item)] = str(scores.get(key, item.max_score))
    return data


def make_inspection(candidate, total_share=Decimal(1), **overrides):
    """An inspection in the database; checklist items at ``total_share`` of their maximum."""
    inspection = Inspection(candidate=candidate, **inspection_values(**overrides))
    inspection.checklist_scores = {
        key: int(item.max_score * total_share) for key, item in ITEMS.items()
    }
    inspection.save()
    return inspection


def png_bytes(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, "#336699").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def inspection_open(campaign):
    return open_phase(campaign, "inspection")


@pytest.fixture
def review_open(campaign):
    return open_phase(campaign, "review")


@pytest.fixture
def pair(campaign):
    return two_streets(campaign)


@pytest.fixture
def officer(pair):
    return account("officer-one", STREET_OFFICE, pair[0].street)


@pytest.fixture
def other_officer(pair):
    return account("officer-two", STREET_OFFICE, pair[1].street)


@pytest.fixture
def district():
    return account("district-one", DISTRICT_OFFICE)


@pytest.fixture
def panel_members():
    return [account(f"panel-{n}", PANEL) for n in range(1, 4)]


def rules_with_criteria(campaign):
    """The campaign's selection rules with three known criteria instead of the demo's."""
    from voting.models import ScoringCriterion, SelectionRules

    rules, _created = SelectionRules.objects.get_or_create(campaign=campaign)
    if rules.criteria.count() != 3:
        rules.criteria.all().delete()
        for order, (name, weight, top) in enumerate(
            [("物防技防人防建设", 4, 10), ("控案成效", 3, 10), ("宣传展示", 3, 20)]
        ):
            ScoringCriterion.objects.create(
                rules=rules, name=name, weight=weight, max_score=top, sort_order=order
            )
    return rules


def prepare_review(campaign, pages=None, **inspection_overrides):
    """Every candidate inspected (eligible) and proposed by its street."""
    from voting.models import StreetSubmission

    pages = list(pages if pages is not None else candidates(campaign))
    for page in pages:
        if not Inspection.objects.filter(candidate=page).exists():
            make_inspection(page, **inspection_overrides)
    for page in pages:
        submission, _created = StreetSubmission.objects.get_or_create(
            campaign=campaign, street=page.street
        )
        submission.proposed.add(page)
    return pages


def score_data(rules, values):
    """POST data of the score form: ``values`` in criterion order."""
    return {f"criterion_{c.pk}": str(v) for c, v in zip(rules.criteria.all(), values, strict=True)}
