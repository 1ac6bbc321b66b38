"""Every page type is routable and renders in both languages, as a phone reader needs it."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from campaign_pages.models import (
    ArticlePage,
    CampaignPage,
    Community,
    HomePage,
    ResidenceIndexPage,
    ResidencePage,
)

pytestmark = pytest.mark.django_db

DEMO_URLS = [
    ("/", "zh-Hans", HomePage),
    ("/2016/", "zh-Hans", CampaignPage),
    ("/2016/notice/", "zh-Hans", ArticlePage),
    ("/2016/rules/", "zh-Hans", ArticlePage),
    ("/2016/candidates/", "zh-Hans", ResidenceIndexPage),
    ("/en/", "en", HomePage),
    ("/en/2016/", "en", CampaignPage),
    ("/en/2016/notice/", "en", ArticlePage),
    ("/en/2016/rules/", "en", ArticlePage),
    ("/en/2016/candidates/", "en", ResidenceIndexPage),
]


@pytest.mark.parametrize(("url", "lang", "page_type"), DEMO_URLS)
def test_demo_page_renders_with_the_basics_of_an_accessible_page(client, url, lang, page_type):
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response.context["page"].specific, page_type)
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert re.search(r"<title>[^<]+</title>", html)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<main id="main"' in html
    assert re.search(r'<meta property="og:title" content="[^"]+">', html)
    assert re.search(r'<meta itemprop="name" content="[^"]+">', html)
    # Every picture says what it shows.
    for img in re.findall(r"<img [^>]*>", html):
        assert re.search(r'alt="[^"]+"', img), img


def test_english_pages_are_real_translations_not_chinese_aliases(client):
    html = client.get("/en/2016/notice/").content.decode()
    assert "Notice on the" in html
    assert "开展“小区安全" not in html


def test_portal_shows_timeline_with_the_open_phase_marked(client):
    response = client.get("/2016/")
    html = response.content.decode()
    # load_demo opens the voting phase today.
    assert re.search(
        r'<li class="phase is-open" aria-current="step">\s*<span class="phase-name">手机投票', html
    )
    assert "data-countdown-to=" in html
    assert "鹿城区委政法委" in html and "温州网" in html


def test_portal_links_to_notice_and_rules_in_its_navigation(client, notice, rules):
    html = client.get("/2016/").content.decode()
    assert f'href="{notice.url}"' in html
    assert f'href="{rules.url}"' in html


def test_language_switch_links_to_the_translation_of_the_same_page(client):
    html = client.get("/2016/notice/").content.decode()
    assert 'href="/en/2016/notice/" hreflang="en"' in html
    html = client.get("/en/2016/notice/").content.decode()
    assert 'href="/2016/notice/" hreflang="zh-Hans"' in html


def test_home_page_shows_the_current_campaign_and_lists_past_ones(client, home, campaign):
    past = CampaignPage(
        title="2015年度试点", slug="2015", theme="试点", year=2015, district="鹿城区"
    )
    home.add_child(instance=past)
    past.save_revision().publish()
    context = client.get("/").context
    assert context["current_campaign"].pk == campaign.pk
    assert [c.pk for c in context["past_campaigns"]] == [past.pk]


def test_article_page_has_a_print_stylesheet(client):
    html = client.get("/2016/notice/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*print\.css" media="print">', html)


def test_portal_page_weight_without_images_is_under_100_kb(client):
    from django.contrib.staticfiles import finders

    html = client.get("/2016/").content
    assets = ("css/site.css", "js/countdown.js")
    css = sum(Path(finders.find(path)).stat().st_size for path in assets)
    assert len(html) + css < 100 * 1024


def test_unknown_url_is_a_404_in_the_readers_language(client):
    assert client.get("/2016/no-such-page/").status_code == 404
    with translation.override("en"):
        assert client.get("/en/no-such-page/").status_code == 404


def test_every_link_in_the_demo_site_resolves(client, settings):
    """Crawl both language trees from their home pages; every internal link answers 200."""
    # One client fetches every QR code and poster of the demo: far past a reader's asset
    # rate, which has its own test (tests/security/test_rate_limits.py).
    settings.PAGE_ASSET_RATE = "10000/m"
    seen, queue = set(), ["/", "/en/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if "text/html" not in response["Content-Type"]:
            continue
        for href in re.findall(r'(?:href|src)="([^"#?]+)[^"]*"', response.content.decode()):
            if href.startswith(settings.MEDIA_URL):  # uploads are served by the web server
                assert (Path(settings.MEDIA_ROOT) / href.removeprefix(settings.MEDIA_URL)).is_file()
            elif href.startswith("/") and not href.startswith("//"):
                queue.append(href)
    assert {"/2016/notice/", "/2016/rules/", "/en/2016/notice/", "/en/2016/rules/"} <= seen


def test_not_found_page_is_translated_and_offers_search(client):
    response = client.get("/2016/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    response = client.get("/en/no-such-page/")
    assert "Page not found" in response.content.decode()


def test_candidate_page_shows_its_facts_in_the_readers_language(client):
    index = ResidenceIndexPage.objects.get(locale__language_code="zh-hans")
    community = Community.objects.select_related("street").get(name="五马一社区")
    residence = ResidencePage(
        title="示例花园", slug="shili", street=community.street, community=community, households=420
    )
    index.add_child(instance=residence)
    residence.save_revision().publish()
    html = client.get("/2016/candidates/shili/").content.decode()
    assert "五马街道" in html and "420" in html
    assert "示例花园" in client.get("/2016/candidates/").content.decode()
    english = residence.copy_for_translation(index.get_translation(en_locale()).locale)
    english.save_revision().publish()
    html = client.get("/en/2016/candidates/shili/").content.decode()
    assert "Wuma Sub-district" in html and "Wuma Community 1" in html


def en_locale():
    from wagtail.models import Locale

    return Locale.objects.get(language_code="en")
