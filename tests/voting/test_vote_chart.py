"""The per-day chart in the admin: SVG bars of valid votes per Beijing day per candidate."""

import re
from datetime import datetime, time, timedelta

import pytest

from campaign_pages.models import ResidencePage
from voting import casting
from voting.charts import bar_chart, chart_days, daily_series, nice_ceiling
from voting.models import Vote, Voter
from voting.models.voters import keyed_hash
from voting.results import change_status

from .conftest import new_phone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_votes")]

URL = "/admin/voting/chart/"


def vote_on(campaign, candidate_id, day):
    """One valid vote of a fresh voter on ``day`` at 23:59 Beijing time."""
    return Vote.objects.create(
        campaign=campaign,
        candidate=ResidencePage.objects.get(pk=candidate_id),
        voter=Voter.for_phone(new_phone()),
        day=day,
        created_at=datetime.combine(day, time(23, 59), casting.BEIJING),
        channel="web",
        client_hash=keyed_hash("c", "client"),
        client_block_hash=keyed_hash("b", "block"),
        user_agent_hash=keyed_hash("a", "agent"),
    )


def chart_of(html, chart_id):
    return re.search(rf'<svg [^>]*aria-labelledby="{chart_id}-title".*?</svg>', html, re.S).group()


def test_chart_counts_valid_votes_per_beijing_day(
    admin_client, campaign, candidate_ids, admin_user
):
    first_day = campaign.phase("voting").first_day
    second_day = first_day + timedelta(days=1)
    target = candidate_ids[0]
    for _ in range(3):
        vote_on(campaign, target, first_day)
    frozen = vote_on(campaign, target, second_day)
    vote_on(campaign, target, second_day)
    change_status([frozen], "frozen", admin_user, "同一网段集中投票")

    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    svg = chart_of(html, f"chart-{target}")
    bars = re.findall(r"<rect [^>]*><title>([^<]+)</title></rect>", svg)
    label = f"{first_day.month}/{first_day.day}"
    assert f"{label}：3张有效票" in bars
    assert f"{second_day.month}/{second_day.day}：1张有效票" in bars  # the frozen one is left out
    assert 'role="img"' in svg and "style=" not in svg and "<script" not in svg
    name = ResidencePage.objects.get(pk=target).title
    assert name in re.search(r"<title id=[^>]*>([^<]+)</title>", svg).group(1)
    # The busiest candidate comes first, with its total.
    first_heading = re.search(r'<ul class="vote-chart-grid">\s*<li>\s*<h2>([^<]+)<', html).group(1)
    assert first_heading.strip() == name
    assert 'aria-labelledby="chart-total-title"' in html


def test_bars_share_one_scale_and_are_as_tall_as_their_counts(campaign, candidate_ids):
    day = campaign.phase("voting").first_day
    for _ in range(4):
        vote_on(campaign, candidate_ids[0], day)
    vote_on(campaign, candidate_ids[1], day)
    days, series = daily_series(campaign, today=day)
    assert days == [day]
    by_id = {s["candidate"]: s for s in series}
    assert by_id[candidate_ids[0]]["counts"] == [4] and by_id[candidate_ids[1]]["counts"] == [1]
    assert series[0]["candidate"] == candidate_ids[0]
    heights = [
        float(re.search(r'height="([\d.]+)" fill', bar_chart(days, s["counts"], "t", 5)).group(1))
        for s in (by_id[candidate_ids[0]], by_id[candidate_ids[1]])
    ]
    assert heights[0] == pytest.approx(4 * heights[1])


def test_chart_days_run_from_the_window_start_to_today(campaign):
    phase = campaign.phase("voting")
    today = phase.first_day + timedelta(days=3)
    assert chart_days(campaign, set(), today=today) == [
        phase.first_day + timedelta(days=n) for n in range(4)
    ]
    before = phase.first_day - timedelta(days=1)
    assert chart_days(campaign, set(), today=before) == []


def test_nice_ceiling():
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 11, 51, 999)] == [1, 1, 5, 10, 20, 100, 1000]


def test_chart_csv_has_one_row_per_candidate(admin_client, campaign, candidate_ids):
    day = campaign.phase("voting").first_day
    vote_on(campaign, candidate_ids[0], day)
    response = admin_client.get(URL, {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("候选小区,") and day.isoformat() in lines[0]
    assert len(lines) == 1 + len(candidate_ids)
    name = ResidencePage.objects.get(pk=candidate_ids[0]).title
    assert lines[1].startswith(f"{name},1") and lines[1].endswith(",1")


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-1", "0"])
def test_bad_campaign_parameter_falls_back_to_the_current_campaign(admin_client, value):
    response = admin_client.get(URL, {"campaign": value})
    assert response.status_code == 200
    assert casting.current_campaign().title in response.content.decode()


def test_chart_before_any_vote_says_so(admin_client, campaign):
    phase = campaign.phase("voting")
    phase.starts_at += timedelta(days=60)
    phase.ends_at += timedelta(days=60)
    phase.save()
    assert "尚无投票" in admin_client.get(URL).content.decode()
