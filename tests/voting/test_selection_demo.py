"""``load_demo --phase inspection|review|public_notice|awards`` leaves the selection in the
state each phase implies, and a second run changes nothing."""

import pytest

from campaign_pages.demo import DemoBuilder
from campaign_pages.models import WinnersPage
from registrations.notice import confirmation_blockers, notice_page_for
from voting.casting import candidates
from voting.models import Inspection, PanelScore, StreetOfficer, StreetSubmission
from voting.selection import panel_candidates, ranking_for

pytestmark = pytest.mark.django_db


def build(phase):
    builder = DemoBuilder(open_phase=phase)
    pages = builder.build()
    return builder, pages["campaign"]


def test_each_phase_of_the_demo_and_a_second_run(campaign):
    builder, campaign = build("inspection")
    streets = set(Inspection.objects.values_list("candidate__street", flat=True))
    assert 2 <= len(streets) <= 3
    assert Inspection.objects.count() < candidates(campaign).count()
    assert Inspection.objects.filter(is_eligible=False).exists()
    assert StreetOfficer.objects.count() == 2 and not StreetSubmission.objects.exists()

    build("review")
    assert Inspection.objects.count() == candidates(campaign).count()
    assert StreetSubmission.objects.count() == len(set(candidates(campaign).values_list("street")))
    members = set(PanelScore.objects.values_list("member", flat=True))
    assert len(members) == 3
    ranking = ranking_for(campaign)
    assert len(ranking.entries) >= 10 and ranking.apart
    assert len(ranking.entries) == panel_candidates(campaign).count()

    build("public_notice")
    notice = notice_page_for(campaign)
    assert len(notice.current_entries()) == 10 and notice.period_is_open()

    build("awards")
    page = WinnersPage.objects.child_of(campaign).get()
    assert page.confirmed_at and page.winners.count() == 10
    assert page.organisation_awards.count() == 3
    assert confirmation_blockers(campaign) == []

    again, _campaign = build("awards")
    assert again.changes == []
