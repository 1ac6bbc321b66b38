"""Site search finds Chinese substrings (on SQLite and, in CI, on PostgreSQL)."""

import pytest
from django.db import connection

from campaign_pages.models import CampaignPage
from campaign_pages.search import build_query, segment_cjk

pytestmark = pytest.mark.django_db


def titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [page.title for page in response.context["page_obj"].object_list]


def test_segmenting_puts_each_chinese_character_on_its_own():
    assert segment_cjk("鹿城区平安小区 2016年 safe") == "鹿 城 区 平 安 小 区 2016 年 safe"


def test_query_syntax_characters_are_not_passed_to_the_database():
    assert build_query('"平安" OR *') is not None
    assert build_query('"" * ()') is None


def test_two_character_substring_finds_pages_that_contain_it(client):
    found = titles(client, "/search/?q=平安")
    assert "2016年度鹿城区平安小区评选" in found
    assert "开展“小区安全 我们参与——鹿城平安小区”评选活动的通知" in found


def test_substring_deep_in_the_body_is_found(client):
    # Only the notice's body says 出租房流动人口登记率.
    assert titles(client, "/search/?q=流动人口") == [
        "开展“小区安全 我们参与——鹿城平安小区”评选活动的通知"
    ]


def test_characters_must_be_adjacent(client):
    # 平 and 小 both occur in the notice, but never as 平小.
    assert titles(client, "/search/?q=平小") == []


def test_several_terms_must_all_match(client):
    assert titles(client, "/search/?q=台帐 实地勘验") == ["鹿城区“平安小区”评选办法"]


def test_english_search_finds_english_pages_only(client):
    found = titles(client, "/en/search/?q=selection")
    assert found and all("平安" not in title for title in found)


def test_chinese_pages_are_not_listed_under_english(client):
    assert titles(client, "/en/search/?q=平安") == []


def test_new_page_is_found_once_published(client, home):
    page = CampaignPage(
        title="2017年度龙湾区平安小区评选", slug="2017", theme="t", year=2017, district="龙湾区"
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    assert "2017年度龙湾区平安小区评选" in titles(client, "/search/?q=龙湾")


@pytest.mark.parametrize("q", ["", "   ", '"', "*", "a" * 500, "平安%00", "' OR 1=1 --"])
def test_odd_queries_never_fail(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200


def test_bad_page_number_shows_the_first_page(client):
    response = client.get("/search/", {"q": "平安", "page": "abc"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_backend_in_use_matches_the_database():
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    expected = "Postgres" if connection.vendor == "postgresql" else "SQLite"
    assert expected in type(backend).__name__
