"""After the campaign (every phase over) its public forms are closed and the portal is an
archive that leads with the winners."""

from datetime import timedelta

import pytest

from campaign_pages.models import Community, ResidencePage
from campaign_pages.winners import write_winners
from media_reports.models import EventPage, EventSignup
from registrations.models import Objection, PublicNoticePage
from registrations.notice import publish_proposed_list

pytestmark = pytest.mark.django_db


def end_campaign(campaign):
    """Move every phase back a year: the campaign is over, as it is from June 2016 on."""
    for phase in campaign.phases.all():
        phase.starts_at -= timedelta(days=400)
        phase.ends_at -= timedelta(days=400)
        phase.save()


@pytest.fixture
def residences(campaign):
    return list(ResidencePage.objects.live().descendant_of(campaign).order_by("path")[:2])


def test_registration_form_is_closed_with_the_archive_message(client, campaign):
    end_campaign(campaign)
    html = client.get("/2016/register/").content.decode()
    assert "存档" in html and 'name="residence_name"' not in html
    assert "archive" in client.get("/en/2016/register/").content.decode()


def test_objections_are_closed_once_the_campaign_has_ended_even_inside_the_period(
    client, campaign, residences
):
    page = publish_proposed_list(
        campaign, [{"residence": r, "rank": n} for n, r in enumerate(residences, 1)]
    )
    end_campaign(campaign)
    assert PublicNoticePage.objects.get(pk=page.pk).period_is_open()
    response = client.post(
        "/2016/public-notice/",
        {
            "name": "张测试",
            "phone": "17410000002",
            "candidate": residences[0].pk,
            "facts": "x" * 20,
        },
    )
    assert response.status_code == 403
    assert "存档" in response.content.decode() and Objection.objects.count() == 0


def test_event_sign_up_is_closed_with_the_archive_message(client, campaign):
    event = EventPage.objects.child_of(campaign).get(slug="visit-wuma")
    end_campaign(campaign)
    community = Community.objects.get(name="五马一社区")
    before = EventSignup.objects.count()
    response = client.post(
        event.url, {"name": "测试报名者", "phone": "17419990002", "community": community.pk}
    )
    assert response.status_code == 403 and "存档" in response.content.decode()
    assert EventSignup.objects.count() == before


def test_portal_says_it_is_an_archive_and_shows_the_winners_first(client, campaign, residences):
    write_winners(campaign, [{"residence": r, "rank": n} for n, r in enumerate(residences, 1)], [])
    end_campaign(campaign)
    html = client.get("/2016/").content.decode()
    assert "存档" in html
    results = html.index('id="results-heading"')
    assert results < html.index('id="status-heading"') < html.index('id="timeline-heading"')
    for residence in residences:
        assert residence.title in html[results:]
    assert "/2016/winners/" in html
    assert "archive" in client.get("/en/2016/").content.decode()


def test_portal_shows_no_results_before_confirmation(client, campaign):
    html = client.get("/2016/").content.decode()
    assert 'id="results-heading"' not in html
