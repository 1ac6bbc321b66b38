"""Phase logic: a phase is open from ``starts_at`` up to, not including, ``ends_at``."""

import os
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext

from campaign_pages.models import CampaignPage, CampaignPhase, PhaseKey

BEIJING = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign_2016(home):
    """A campaign whose registration runs 25 March to 27 April 2016 (ends 28 April 00:00)."""
    campaign = CampaignPage(title="边界测试", slug="boundary", theme="t", year=2016, district="d")
    home.add_child(instance=campaign)
    CampaignPhase.objects.create(
        page=campaign,
        key=PhaseKey.REGISTRATION,
        starts_at=datetime(2016, 3, 25, 0, 0, tzinfo=BEIJING),
        ends_at=datetime(2016, 4, 28, 0, 0, tzinfo=BEIJING),
    )
    CampaignPhase.objects.create(
        page=campaign,
        key=PhaseKey.VOTING,
        starts_at=datetime(2016, 4, 14, 0, 0, tzinfo=BEIJING),
        ends_at=datetime(2016, 4, 29, 0, 0, tzinfo=BEIJING),
    )
    return CampaignPage.objects.get(pk=campaign.pk)


@pytest.fixture(params=["UTC", "America/Los_Angeles", "Asia/Shanghai", "Pacific/Kiritimati"])
def server_clock_zone(request):
    """Run the test with the process clock in another zone: the answers must not change."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def at(*args):
    return datetime(*args, tzinfo=BEIJING)


def test_phase_ending_at_beijing_midnight_is_closed_one_second_later(
    campaign_2016, server_clock_zone
):
    assert campaign_2016.phase_is_open("registration", at(2016, 4, 27, 23, 59, 59))
    assert not campaign_2016.phase_is_open("registration", at(2016, 4, 28, 0, 0, 0))
    assert not campaign_2016.phase_is_open("registration", at(2016, 4, 28, 0, 0, 1))


def test_phase_opens_exactly_at_its_start(campaign_2016, server_clock_zone):
    assert not campaign_2016.phase_is_open("registration", at(2016, 3, 24, 23, 59, 59))
    assert campaign_2016.phase_is_open("registration", at(2016, 3, 25, 0, 0, 0))


def test_boundary_holds_when_asked_in_utc(campaign_2016):
    # 2016-04-27 16:00:01 UTC is 2016-04-28 00:00:01 in Beijing.
    utc = ZoneInfo("UTC")
    assert campaign_2016.phase_is_open(
        "registration", datetime(2016, 4, 27, 15, 59, 59, tzinfo=utc)
    )
    assert not campaign_2016.phase_is_open(
        "registration", datetime(2016, 4, 27, 16, 0, 1, tzinfo=utc)
    )


def test_overlapping_phases_are_both_open(campaign_2016):
    moment = at(2016, 4, 20, 12, 0)
    assert [p.key for p in campaign_2016.open_phases(moment)] == ["registration", "voting"]


def test_missing_phase_is_never_open(campaign_2016):
    assert campaign_2016.phase("awards") is None
    assert not campaign_2016.phase_is_open("awards", at(2016, 4, 20))


def test_next_phase_and_archive(campaign_2016):
    assert campaign_2016.next_phase(at(2016, 4, 1)).key == "voting"
    assert campaign_2016.next_phase(at(2016, 4, 20)) is None
    assert not campaign_2016.has_ended(at(2016, 4, 28, 12))
    assert campaign_2016.has_ended(at(2016, 4, 29, 0, 0))


def test_last_day_is_the_day_before_an_exclusive_midnight_end(campaign_2016):
    assert str(campaign_2016.phase("registration").last_day) == "2016-04-27"
    assert str(campaign_2016.phase("registration").first_day) == "2016-03-25"


def test_english_translation_answers_from_the_chinese_timeline(client, campaign, en):
    english = campaign.get_translation(en)
    english.phases.all().delete()  # a stale or missing copy must not matter
    english = CampaignPage.objects.get(pk=english.pk)
    assert english.phase_is_open("voting")
    assert [p.key for p in english.timeline] == [p.key for p in campaign.timeline]


def test_admin_form_refuses_a_phase_twice_and_a_phase_ending_before_it_starts(
    admin_client, campaign
):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    def phase(key, start, end):
        return {"key": key, "starts_at": start, "ends_at": end}

    data = nested_form_data(
        {
            "title": campaign.title,
            "slug": campaign.slug,
            "theme": campaign.theme,
            "year": 2016,
            "district": campaign.district,
            "intro": rich_text(""),
            "organisers": streamfield([]),
            "rental_registration_threshold": "95",
            "satisfaction_threshold": "90",
            "phases": inline_formset(
                [
                    phase("voting", "2016-04-14 00:00", "2016-04-29 00:00"),
                    phase("voting", "2016-04-15 00:00", "2016-04-20 00:00"),
                    phase("review", "2016-05-10 00:00", "2016-05-01 00:00"),
                ]
            ),
        }
    )
    from django.urls import reverse

    before = list(campaign.phases.values_list("key", "starts_at"))
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[campaign.pk]), data)
    assert response.status_code == 200  # the form comes back with errors, nothing saved
    html = response.content.decode()
    with translation.override("zh-hans"):
        assert gettext("This phase is already in the timeline.") in html
        assert gettext("A phase must close after it opens.") in html
    assert list(campaign.phases.values_list("key", "starts_at")) == before
