"""The public leaderboard page: ranked by valid votes, hidden counts, the frozen final result."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale
from wagtail.test.utils import WagtailPageTestCase

from campaign_pages.models import CampaignPage, HomePage, ResidenceIndexPage, ResidencePage
from voting import casting
from voting.models import FinalResult, LeaderboardPage, Vote, Voter, VotingRules
from voting.models.voters import keyed_hash
from voting.results import change_status

from .conftest import new_phone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_votes")]

URL = "/2016/leaderboard/"


class LeaderboardPageTreeTests(WagtailPageTestCase):
    def test_leaderboard_lives_under_a_campaign_and_is_a_leaf(self):
        self.assertCanCreateAt(CampaignPage, LeaderboardPage)
        self.assertCanNotCreateAt(HomePage, LeaderboardPage)
        self.assertCanNotCreateAt(ResidenceIndexPage, LeaderboardPage)
        self.assertAllowedSubpageTypes(LeaderboardPage, {})


def give_votes(campaign, candidate_id, count):
    """``count`` valid votes for a candidate from fresh voters (rows and tally, as a vote does)."""
    page = ResidencePage.objects.get(pk=candidate_id)
    today = casting.voting_day()
    votes = []
    for _ in range(count):
        voter = Voter.for_phone(new_phone())
        votes.append(
            Vote.objects.create(
                campaign=campaign,
                candidate=page,
                voter=voter,
                day=today,
                created_at=timezone.now(),
                channel="app",
                client_hash=keyed_hash("test", "client"),
                client_block_hash=keyed_hash("test", "block"),
                user_agent_hash=keyed_hash("test", "agent"),
            )
        )
        casting.add_to_tally(campaign, page, 1)
    return votes


def rows_of(html):
    """[(rank or None, name, votes text or None)] in page order."""
    board = re.search(r'<ol class="leaderboard[^"]*">(.*?)</ol>', html, re.S).group(1)
    rows = []
    for item in re.findall(r"<li[^>]*>(.*?)</li>", board, re.S):
        rank = re.search(r'class="board-rank"[^>]*>(\d+)<', item)
        name = re.search(r'class="board-name">\s*(?:<a [^>]*>)?([^<]+)<', item).group(1)
        votes = re.search(r'class="board-votes">([^<]+)<', item)
        rows.append(
            (int(rank.group(1)) if rank else None, name.strip(), votes and votes.group(1).strip())
        )
    return rows


def test_demo_has_the_leaderboard_in_both_languages(client):
    zh = client.get(URL)
    en = client.get("/en/2016/leaderboard/")
    assert zh.status_code == 200 and en.status_code == 200
    assert "投票排行榜" in zh.content.decode() and "Vote leaderboard" in en.content.decode()
    assert 'href="/2016/leaderboard/"' in client.get("/2016/").content.decode()  # in the menu


def test_load_demo_twice_makes_one_leaderboard(campaign):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert LeaderboardPage.objects.filter(locale__language_code="zh-hans").count() == 1
    assert LeaderboardPage.objects.filter(locale__language_code="en").count() == 1


def test_candidates_ranked_by_valid_votes_with_name_street_thumbnail_and_link(
    client, campaign, candidate_ids
):
    first, second, third = candidate_ids[:3]
    give_votes(campaign, second, 3)
    give_votes(campaign, first, 2)
    give_votes(campaign, third, 2)
    html = client.get(URL).content.decode()
    rows = rows_of(html)
    top = ResidencePage.objects.get(pk=second)
    assert rows[0] == (1, top.title, "3 票")
    assert [r[0] for r in rows[1:3]] == [2, 2]  # a tie shares its rank
    assert rows[3][0] == 4 and rows[3][2] == "0 票"
    assert len(rows) == len(candidate_ids)
    assert f'href="{top.url}"' in html and top.street.name in html
    if top.cover_image_id:
        assert f'alt="{top.title}"' in html and "image/webp" in html
    assert "实时" in html  # live count while the window is open


def test_frozen_votes_leave_the_ranking(client, campaign, candidate_ids, admin_user):
    give_votes(campaign, candidate_ids[0], 2)
    give_votes(campaign, candidate_ids[1], 1)
    change_status(
        Vote.objects.filter(candidate_id=candidate_ids[0]), "frozen", admin_user, "同一网段集中投票"
    )
    rows = rows_of(client.get(URL).content.decode())
    leader = ResidencePage.objects.get(pk=candidate_ids[1])
    assert rows[0] == (1, leader.title, "1 票")


def test_hidden_counts_list_candidates_by_name_with_an_explanation(client, campaign, candidate_ids):
    VotingRules.objects.create(campaign=campaign, counts_public=False)
    give_votes(campaign, candidate_ids[-1], 5)
    html = client.get(URL).content.decode()
    rows = rows_of(html)
    names = [name for _rank, name, _votes in rows]
    assert names == sorted(names)
    assert all(rank is None and votes is None for rank, _name, votes in rows)
    assert "不公开票数" in html and "board-votes" not in html and "5 票" not in html


def test_after_the_window_the_frozen_final_result_is_shown(client, campaign, candidate_ids):
    give_votes(campaign, candidate_ids[2], 2)
    phase = campaign.phase("voting")
    phase.ends_at = timezone.now() - timedelta(hours=1)
    phase.starts_at = phase.ends_at - timedelta(days=14)
    phase.save()
    VotingRules.objects.create(campaign=campaign, counts_public=False)  # the result is out
    html = client.get(URL).content.decode()
    final = FinalResult.objects.get(campaign=campaign)
    assert "最终结果" in html
    leader = ResidencePage.objects.get(pk=candidate_ids[2])
    assert rows_of(html)[0] == (1, leader.title, "2 票")
    # Rows changed after the freeze (e.g. a late void) do not move the published result.
    give_votes(campaign, candidate_ids[3], 4)
    assert rows_of(client.get(URL).content.decode())[0] == (1, leader.title, "2 票")
    assert FinalResult.objects.get(campaign=campaign).pk == final.pk


def test_english_page_shows_the_same_counts_with_english_names(client, campaign, candidate_ids):
    give_votes(campaign, candidate_ids[0], 2)
    original = ResidencePage.objects.get(pk=candidate_ids[0])
    english = original.get_translation(Locale.objects.get(language_code="en"))
    english.title = "Jinxiu Garden (English)"
    english.save_revision().publish()
    html = client.get("/en/2016/leaderboard/").content.decode()
    assert rows_of(html)[0] == (1, "Jinxiu Garden (English)", "2 votes")
    assert f'href="{english.url}"' in html


def test_query_count_stays_bounded_whatever_the_number_of_candidates(
    client, campaign, candidate_ids, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # counts uncached renders
    give_votes(campaign, candidate_ids[0], 1)
    client.get(URL)  # the first visit makes the renditions
    # Besides the ranking, the campaign's navigation bar costs one query per page type in it.
    with django_assert_max_num_queries(40):
        response = client.get(URL)
    assert response.status_code == 200
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    index = ResidenceIndexPage.objects.child_of(campaign).get()
    model = ResidencePage.objects.get(pk=candidate_ids[0])
    for number in range(10):
        index.add_child(
            instance=ResidencePage(
                title=f"批量候选{number:02d}",
                slug=f"bulk-board-{number}",
                street=model.street,
                community=model.community,
                cover_image=model.cover_image,
            )
        )
    client.get(URL)
    connection.queries_log.clear()  # a full log (9,000 entries) would capture nothing
    with CaptureQueriesContext(connection) as after:
        response = client.get(URL)
    assert len(rows_of(response.content.decode())) == len(candidate_ids) + 10
    assert len(after.captured_queries) == len(before.captured_queries)


def test_leaderboard_has_no_inline_script_or_style(client):
    html = client.get(URL).content.decode()
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
