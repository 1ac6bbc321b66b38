"""The candidate list (cards, filters, sort, pagination, bounded queries) and one candidate's
page (facts, structured data, share meta, QR code and share poster)."""

import io
import json
import re

import pytest
import zxingcpp
from PIL import Image
from wagtail import hooks

from campaign_pages.models import ResidencePage, Street

pytestmark = pytest.mark.django_db

INDEX_URL = "/2016/candidates/"


def card_titles(response):
    return re.findall(r'class="card candidate-card">\s*<a href="[^"]+">.*?<strong>([^<]+)</strong>',
                      response.content.decode(), re.S)  # fmt: skip


def test_index_lists_every_live_candidate_as_a_card(client, index):
    response = client.get(INDEX_URL)
    assert response.status_code == 200
    live = ResidencePage.objects.child_of(index).live()
    assert sorted(card_titles(response)) == sorted(p.title for p in live)
    assert "{# vote control" not in response.content.decode()


def test_draft_candidates_are_not_listed(client, index):
    drafts = ResidencePage.objects.child_of(index).filter(live=False)
    assert drafts.exists()
    titles = card_titles(client.get(INDEX_URL))
    assert not set(titles) & {p.title for p in drafts}


def test_filter_by_street_shows_only_that_streets_candidates(client, candidate, index):
    response = client.get(INDEX_URL, {"street": candidate.street_id})
    expected = ResidencePage.objects.child_of(index).live().filter(street=candidate.street)
    assert sorted(card_titles(response)) == sorted(p.title for p in expected)
    live = ResidencePage.objects.child_of(index).live()
    empty = Street.objects.exclude(residences__in=live.values("pk")).first()
    assert card_titles(client.get(INDEX_URL, {"street": empty.pk})) == []


def test_search_finds_a_chinese_substring_of_the_name(client, candidate):
    fragment = candidate.title[1:3]
    titles = card_titles(client.get(INDEX_URL, {"q": fragment}))
    assert candidate.title in titles
    assert all(fragment in title for title in titles)
    response = client.get(INDEX_URL, {"q": "不存在的名字"})
    assert card_titles(response) == []
    assert "candidate-card" not in response.content.decode()


def test_newest_sort_puts_the_latest_published_first(client, index, candidate):
    from django.utils import timezone

    ResidencePage.objects.filter(pk=candidate.pk).update(
        first_published_at=timezone.now() + timezone.timedelta(days=1)
    )
    assert card_titles(client.get(INDEX_URL, {"sort": "newest"}))[0] == candidate.title
    default = card_titles(client.get(INDEX_URL))
    in_tree_order = [p.title for p in ResidencePage.objects.child_of(index).live().order_by("path")]
    assert default == in_tree_order


def test_most_votes_is_offered_only_when_counts_are_available(client, index, campaign, settings):
    from voting.models import VotingRules

    settings.PAGE_CACHE_SECONDS = 0  # the hook is swapped below at run time: no content change

    rules = VotingRules.for_campaign(campaign)
    rules.counts_public = False  # then the voting app adds no counts
    rules.save()
    html = client.get(INDEX_URL).content.decode()
    assert 'value="votes"' not in html
    assert "votes" not in card_titles(client.get(INDEX_URL, {"sort": "votes"}))  # ignored, no 500

    from django.db.models import F

    def with_votes(queryset, index_page):
        return queryset.annotate(vote_count=F("households"))  # a stand-in for real counts

    with hooks.register_temporarily("annotate_residences", with_votes):
        response = client.get(INDEX_URL, {"sort": "votes"})
        html = response.content.decode()
        assert 'value="votes" selected' in html
        ranked = ResidencePage.objects.child_of(index).live().order_by("-households", "path")
        assert card_titles(response) == [p.title for p in ranked]


def test_pagination_and_query_count_stay_bounded_with_200_candidates(
    client, index, candidate, make_image, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # counts uncached renders
    cover = make_image()
    for number in range(200):
        index.add_child(
            instance=ResidencePage(
                title=f"批量候选{number:03d}",
                slug=f"bulk-{number}",
                street=candidate.street,
                community=candidate.community,
                cover_image=cover,
            )
        )
    client.get(INDEX_URL)  # the first visit makes the renditions
    client.get(INDEX_URL, {"page": 2})
    # A constant number, whatever the number of candidates (the voting app adds two: the
    # campaign and its rules for the vote counts; the campaign's navigation bar one per page
    # type in its menu, which grows with the campaign's sections, not with the candidates).
    with django_assert_max_num_queries(40) as queries:
        response = client.get(INDEX_URL, {"page": 2})
    assert response.status_code == 200
    assert len(card_titles(response)) == 24
    assert 'rel="next"' in response.content.decode()
    first_page_queries = len(queries.captured_queries)
    with django_assert_max_num_queries(first_page_queries):
        client.get(INDEX_URL, {"page": 5, "street": candidate.street_id})
    html = response.content.decode()
    assert 'loading="lazy"' in html and "image/webp" in html and "srcset=" in html
    assert "original_images" not in html


def test_candidate_page_shows_facts_and_security_measures(client, candidate):
    response = client.get(candidate.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert candidate.title in html
    assert candidate.street.name in html
    for heading in ("技防", "物防", "人防"):
        assert heading in html
    assert "{# vote control" not in html


def ld_json(html):
    (text,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(text)


def test_structured_data_and_share_meta_name_the_candidate_and_its_image(
    client, candidate, make_image
):
    candidate.cover_image = make_image("cover-share", (3000, 2000))
    candidate.save_revision().publish()
    html = client.get(candidate.url).content.decode()
    data = ld_json(html)
    assert data["@type"] == "Place"
    assert data["name"] == candidate.title
    assert data["url"] == candidate.full_url
    assert data["image"].startswith("http")
    assert f'<meta property="og:title" content="{candidate.title}">' in html
    assert re.search(r'<meta property="og:image" content="http[^"]+images/[^"]+"', html)
    assert "original_images" not in html  # a phone never gets the 3000 px original


def test_structured_data_cannot_break_out_of_its_script(client, candidate):
    candidate.title = "</script><script>alert(1)</script>"
    candidate.save_revision().publish()
    html = client.get(candidate.url).content.decode()
    assert "<script>alert(1)" not in html
    assert ld_json(html)["name"] == candidate.title


def test_qr_code_and_share_poster_decode_to_the_candidate_url(client, candidate, make_image):
    candidate.cover_image = make_image()
    candidate.save_revision().publish()
    for asset in ("qr.png", "poster.png"):
        response = client.get(f"{candidate.url}{asset}")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
        assert result.text == candidate.full_url
    assert client.get(f"{candidate.url}qr.svg").status_code == 200


def test_a_draft_candidate_has_no_poster(client, index):
    draft = ResidencePage.objects.child_of(index).filter(live=False).first()
    assert client.get(f"{draft.url}poster.png").status_code == 404


def test_english_candidate_page_renders(client, candidate):
    from wagtail.models import Locale

    english = candidate.get_translation(Locale.objects.get(language_code="en"))
    response = client.get(english.url)
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert "Technical security" in response.content.decode()


def test_a_second_view_of_the_list_renders_no_photo_again(client, settings):
    from unittest import mock

    from wagtail.images import get_image_model

    settings.PAGE_CACHE_SECONDS = 0  # the uncached render is what is measured
    client.get(INDEX_URL)  # the first visit makes the renditions
    Image = get_image_model()
    with mock.patch.object(Image, "create_renditions", autospec=True) as create:
        assert client.get(INDEX_URL).status_code == 200
    # The prefetched renditions are found: no photo is resized again on every view (Wagtail
    # calls create_renditions with nothing to create when every rendition was found).
    resized = [call.args[1:] for call in create.call_args_list if call.args[1:]]
    assert resized == []
