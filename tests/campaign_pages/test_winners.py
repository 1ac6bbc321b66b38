"""The results page: write_winners, the page in both languages, certificates and plaques."""

import pytest
from django.utils.translation import override
from wagtail.models import Page

from campaign_pages.models import CampaignPage, Community, ResidencePage, WinnersPage
from campaign_pages.winners import winners_page_for, write_winners

pytestmark = pytest.mark.django_db
URL = "/2016/winners/"
EN_URL = "/en/2016/winners/"


@pytest.fixture
def winners_page(campaign):
    return WinnersPage.objects.child_of(campaign).get()


@pytest.fixture
def residences(campaign):
    return list(ResidencePage.objects.live().descendant_of(campaign).order_by("path")[:3])


def winner_rows(residences):
    return [
        {
            "residence": r,
            "rank": n,
            "plaque_text": "鹿城区“十佳平安小区”\n" + r.title if n == 1 else "",
            "citation": f"综合得分第{n}名。",
        }
        for n, r in enumerate(residences, start=1)
    ]


@pytest.fixture
def communities(residences):
    return list(Community.objects.filter(pk__in=[r.community_id for r in residences[:2]]))


def award_rows(communities):
    return [
        {
            "community": c,
            "citation": "组织发动有力。",
            "metrics": {"registrations": 4, "votes": 120},
        }
        for c in communities
    ]


@pytest.fixture
def confirmed(campaign, residences, communities):
    return write_winners(campaign, winner_rows(residences), award_rows(communities))


# -- write_winners -----------------------------------------------------------------------


def test_write_winners_writes_rows_confirms_and_publishes(confirmed, residences, winners_page):
    page = WinnersPage.objects.get(pk=winners_page.pk)
    assert page.pk == confirmed.pk and page.live and not page.has_unpublished_changes
    assert page.confirmed_at is not None
    assert [w.residence for w in page.confirmed_winners()] == residences
    assert [w.rank for w in page.confirmed_winners()] == [1, 2, 3]
    award = page.confirmed_awards().first()
    assert award.metrics == {"registrations": 4, "votes": 120}


def test_write_winners_twice_is_idempotent(campaign, residences, communities, confirmed):
    first_confirmation = WinnersPage.objects.get(pk=confirmed.pk).confirmed_at
    page = write_winners(campaign, winner_rows(residences), award_rows(communities))
    page = WinnersPage.objects.get(pk=page.pk)
    assert page.winners.count() == 3 and page.organisation_awards.count() == 2
    assert page.confirmed_at == first_confirmation
    assert WinnersPage.objects.child_of(campaign).count() == 1


def test_write_winners_keeps_the_english_translation_in_sync(confirmed, en, residences):
    english = WinnersPage.objects.get(pk=confirmed.get_translation(en).pk)
    assert english.live
    assert english.confirmed_at == WinnersPage.objects.get(pk=confirmed.pk).confirmed_at
    assert [w.residence_id for w in english.winners.order_by("rank")] == [r.pk for r in residences]
    assert english.organisation_awards.count() == 2


def test_write_winners_creates_the_page_when_missing(campaign, winners_page, residences):
    winners_page.delete()
    page = write_winners(campaign, winner_rows(residences), [])
    assert page.get_parent().pk == campaign.pk and page.slug == "winners"
    assert winners_page_for(campaign) == page


def test_write_winners_refuses_a_rank_given_twice_and_writes_nothing(
    campaign, residences, winners_page
):
    rows = winner_rows(residences)
    rows[2]["rank"] = 1
    with override("en"), pytest.raises(ValueError, match="Rank 1 is given twice"):
        write_winners(campaign, rows, [])
    assert WinnersPage.objects.get(pk=winners_page.pk).confirmed_at is None
    assert winners_page.winners.count() == 0


def test_write_winners_refuses_a_community_listed_twice(campaign, residences, communities):
    with pytest.raises(ValueError):
        write_winners(campaign, winner_rows(residences), award_rows([communities[0]] * 2))


# -- the page --------------------------------------------------------------------------------


def test_winners_page_goes_only_under_a_campaign_and_has_no_children():
    assert WinnersPage.parent_page_types == ["campaign_pages.CampaignPage"]
    assert WinnersPage.subpage_types == []
    assert WinnersPage in CampaignPage.allowed_subpage_models()
    assert WinnersPage not in Page.allowed_subpage_models()


def test_before_confirmation_the_page_says_not_yet_announced(client, winners_page):
    html = client.get(URL).content.decode()
    assert "尚未公布" in html
    html = client.get(EN_URL).content.decode()
    assert "not been announced yet" in html


def test_page_lists_winners_with_rank_street_photo_plaque_and_links(client, confirmed, residences):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for residence in residences:
        assert residence.title in html
        assert residence.url in html
        assert residence.street.name in html
    assert "综合得分第1名" in html
    assert "优秀组织奖" in html and "组织发动有力" in html
    assert "报名" in html and "120" in html
    assert 'style="' not in html and "<script>" not in html


def test_english_page_links_to_the_english_candidate_pages(client, confirmed, residences, en):
    html = client.get(EN_URL).content.decode()
    for residence in residences:
        english = residence.get_translation_or_none(en)
        assert (english.url if english else residence.url) in html
    assert "Top Ten" in html and "Certificate" in html


# -- certificates and plaques ----------------------------------------------------------------


def test_a_certificate_pdf_for_every_winner_and_award_and_a_plaque_for_every_winner(
    client, confirmed
):
    page = WinnersPage.objects.get(pk=confirmed.pk)
    for winner in page.confirmed_winners():
        for url in (f"{URL}certificate/winner/{winner.pk}.pdf", f"{URL}plaque/{winner.pk}.pdf"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF")
    for award in page.confirmed_awards():
        response = client.get(f"{URL}certificate/organisation/{award.pk}.pdf")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


def test_the_page_links_to_each_certificate_and_plaque(client, confirmed):
    html = client.get(URL).content.decode()
    page = WinnersPage.objects.get(pk=confirmed.pk)
    for winner in page.confirmed_winners():
        assert f"certificate/winner/{winner.pk}.pdf" in html
        assert f"plaque/{winner.pk}.pdf" in html
    for award in page.confirmed_awards():
        assert f"certificate/organisation/{award.pk}.pdf" in html


def test_unknown_ids_and_other_kinds_are_404(client, confirmed):
    page = WinnersPage.objects.get(pk=confirmed.pk)
    award = page.confirmed_awards().first()
    assert client.get(f"{URL}certificate/winner/999999.pdf").status_code == 404
    assert client.get(f"{URL}plaque/999999.pdf").status_code == 404
    assert client.get(f"{URL}certificate/other/1.pdf").status_code == 404
    # An award's id is not a winner's plaque.
    if not page.confirmed_winners().filter(pk=award.pk).exists():
        assert client.get(f"{URL}plaque/{award.pk}.pdf").status_code == 404


def test_no_certificate_before_the_winners_are_confirmed(client, confirmed):
    page = WinnersPage.objects.get(pk=confirmed.pk)
    winner = page.confirmed_winners().first()
    page.confirmed_at = None
    page.save_revision().publish()
    assert client.get(f"{URL}certificate/winner/{winner.pk}.pdf").status_code == 404
    assert client.get(f"{URL}plaque/{winner.pk}.pdf").status_code == 404


def test_english_page_serves_the_same_certificates(client, confirmed):
    winner = WinnersPage.objects.get(pk=confirmed.pk).confirmed_winners().first()
    response = client.get(f"{EN_URL}certificate/winner/{winner.pk}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_default_plaque_wording_names_the_district_and_the_winner(campaign, confirmed):
    winner = WinnersPage.objects.get(pk=confirmed.pk).confirmed_winners()[1]
    with override("zh-hans"):
        lines = winner.plaque_lines(campaign)
    assert lines[0] == "鹿城区“十佳平安小区”"
    assert lines[1] == winner.residence.title


def test_demo_winners_page_is_empty_translated_and_in_the_menu(winners_page, en):
    assert winners_page.live and winners_page.show_in_menus
    assert winners_page.confirmed_at is None and winners_page.winners.count() == 0
    assert winners_page.get_translation(en).live


def test_the_page_editor_shows_the_winners_read_only_and_a_save_keeps_them(
    client, confirmed, residences, admin_user
):
    """Only the selection writes winners: the editor lists them, its form cannot change them."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    client.force_login(admin_user)
    url = f"/admin/pages/{confirmed.pk}/edit/"
    html = client.get(url).content.decode()
    assert residences[0].title in html and "winners-TOTAL_FORMS" not in html
    # A hand-made post with a winners formset (one row, another candidate) changes nothing.
    data = nested_form_data(
        {
            "title": confirmed.title,
            "slug": confirmed.slug,
            "intro": rich_text("<p>评选结果。</p>"),
            "winners": inline_formset([{"residence": residences[2].pk, "rank": 1}]),
            "action-publish": "publish",
        }
    )
    assert client.post(url, data).status_code == 302
    page = WinnersPage.objects.get(pk=confirmed.pk)
    assert [w.residence for w in page.confirmed_winners()] == residences
    assert "评选结果。" in page.intro  # the edit was saved
