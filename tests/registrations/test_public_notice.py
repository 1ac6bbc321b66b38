"""The public notice (公示): publishing the proposed list, the period, confirmation blockers,
the page tree and the page in both languages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override
from wagtail.models import Page

from campaign_pages.models import CampaignPage, ResidencePage
from registrations.models import PublicNoticePage
from registrations.notice import (
    confirmation_blockers,
    notice_page_for,
    publish_proposed_list,
)

from .conftest import beijing, entries_for

pytestmark = pytest.mark.django_db


# -- the interface the selection uses --------------------------------------------------------


def test_notice_page_for_finds_the_demo_page_of_the_original_campaign(campaign, en, notice_page):
    assert notice_page_for(campaign) == notice_page
    english_campaign = campaign.get_translation(en)
    assert notice_page_for(english_campaign) == notice_page


def test_publish_writes_the_list_in_rank_order_and_starts_the_period(campaign, proposed):
    starts_at = beijing(2016, 5, 11, 0, 0)
    reversed_entries = list(reversed(entries_for(proposed)))
    page = publish_proposed_list(campaign, reversed_entries, starts_at=starts_at)
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert page.period_starts_at == starts_at
    assert [e.residence for e in page.current_entries()] == proposed
    assert [e.rank for e in page.current_entries()] == [1, 2, 3]
    assert page.current_entries()[0].summary.startswith("考核")


def test_publish_starts_the_period_now_by_default(campaign, proposed):
    before = timezone.now()
    page = publish_proposed_list(campaign, entries_for(proposed))
    assert before <= page.period_starts_at <= timezone.now()
    assert page.period_is_open()


def test_publish_keeps_the_english_translation_in_sync(campaign, en, proposed):
    page = publish_proposed_list(campaign, entries_for(proposed), starts_at=beijing(2016, 5, 11))
    english = PublicNoticePage.objects.get(pk=page.get_translation(en).pk)
    assert english.live
    assert english.period_starts_at == page.period_starts_at
    assert [p.residence_id for p in english.proposed.order_by("rank")] == [r.pk for r in proposed]
    assert english.title != page.title  # the translated title is left alone


def test_publish_creates_the_page_when_the_campaign_has_none(campaign, notice_page, proposed):
    notice_page.delete()
    page = publish_proposed_list(campaign, entries_for(proposed))
    assert page.get_parent().pk == campaign.pk
    assert page.slug == "public-notice" and page.live
    assert notice_page_for(campaign) == page


def test_publish_again_replaces_the_list_while_no_objection_exists(campaign, proposed):
    publish_proposed_list(campaign, entries_for(proposed))
    page = publish_proposed_list(campaign, entries_for(proposed[:2]))
    assert [e.residence for e in page.current_entries()] == proposed[:2]
    assert page.proposed.count() == 2


def test_publish_is_refused_once_the_period_started_and_objections_exist(
    campaign, published_notice, proposed, make_objection
):
    make_objection(published_notice, proposed[0])
    with override("zh-hans"), pytest.raises(ValueError, match="异议"):
        publish_proposed_list(campaign, entries_for(proposed[:1]))
    published_notice.refresh_from_db()
    assert len(published_notice.current_entries()) == 3


def test_publish_refuses_a_candidate_of_no_campaign_and_a_rank_given_twice(campaign, proposed):
    stranger = ResidencePage.objects.exclude(
        pk__in=ResidencePage.objects.descendant_of(campaign)
    ).first()
    entries = entries_for(proposed)
    entries[1]["rank"] = 1
    with pytest.raises(ValueError, match="1"):
        publish_proposed_list(campaign, entries)
    with override("en"), pytest.raises(ValueError, match="listed twice"):
        publish_proposed_list(campaign, entries_for([proposed[0], proposed[0]]))
    if stranger is not None:
        with pytest.raises(ValueError):
            publish_proposed_list(campaign, entries_for([stranger]))
    assert notice_page_for(campaign).proposed.count() == 0


# -- the period, in Beijing time -------------------------------------------------------------


def test_period_is_open_from_its_start_to_its_exclusive_end_in_beijing_time(campaign, proposed):
    page = publish_proposed_list(campaign, entries_for(proposed), starts_at=beijing(2016, 5, 11))
    assert page.period_ends_at() == beijing(2016, 5, 21)
    assert not page.period_is_open(beijing(2016, 5, 10, 23, 59, 59))
    assert page.period_is_open(beijing(2016, 5, 11, 0, 0, 0))
    assert page.period_is_open(beijing(2016, 5, 20, 23, 59, 59))
    assert not page.period_is_open(beijing(2016, 5, 21, 0, 0, 0))
    assert not page.period_is_open(beijing(2016, 5, 21, 0, 0, 1))
    assert str(page.period_last_day()) == "2016-05-20"


def test_period_length_is_the_pages_data(campaign, proposed, notice_page):
    notice_page.notice_days = 7
    notice_page.save_revision().publish()
    page = publish_proposed_list(campaign, entries_for(proposed), starts_at=beijing(2016, 5, 11))
    assert page.period_ends_at() == beijing(2016, 5, 18)


def test_an_unpublished_notice_has_no_period(notice_page):
    assert notice_page.period_ends_at() is None
    assert not notice_page.period_is_open()
    assert notice_page.current_entries() == []


# -- may the winners be confirmed? -----------------------------------------------------------


def test_blockers_when_no_list_was_published(campaign):
    with override("en"):
        assert confirmation_blockers(campaign) == [
            "The proposed list has not been published for public notice."
        ]


def test_blockers_while_the_period_runs_name_its_last_day(campaign, proposed):
    publish_proposed_list(campaign, entries_for(proposed), starts_at=beijing(2016, 5, 11))
    with override("zh-hans"):
        blockers = confirmation_blockers(campaign, at=beijing(2016, 5, 20, 23, 59, 59))
    assert len(blockers) == 1
    assert "2016年5月20日" in blockers[0]
    with override("en"):
        (blocker,) = confirmation_blockers(campaign, at=beijing(2016, 5, 15))
        assert "still running" in blocker


def test_blockers_before_the_period_starts(campaign, proposed):
    publish_proposed_list(campaign, entries_for(proposed), starts_at=beijing(2016, 5, 11))
    with override("en"):
        (blocker,) = confirmation_blockers(campaign, at=beijing(2016, 5, 10))
    assert "not started" in blocker


def test_blockers_count_open_objections_after_the_period(campaign, proposed, make_objection):
    page = publish_proposed_list(campaign, entries_for(proposed), starts_at=beijing(2016, 5, 11))
    first = make_objection(page, proposed[0])
    make_objection(page, proposed[1])
    after = beijing(2016, 5, 21, 0, 0, 0)
    with override("en"):
        assert confirmation_blockers(campaign, at=after) == ["2 objections are still open."]
    first.dismiss(None, "经核查，反映情况不属实。")
    with override("en"):
        assert confirmation_blockers(campaign, at=after) == ["1 objection is still open."]


def test_no_blocker_once_the_period_is_over_without_open_objections(campaign, proposed):
    publish_proposed_list(campaign, entries_for(proposed), starts_at=beijing(2016, 5, 11))
    assert confirmation_blockers(campaign, at=beijing(2016, 5, 21)) == []


# -- the page tree ---------------------------------------------------------------------------


def test_notice_page_goes_only_under_a_campaign_and_has_no_children():
    assert PublicNoticePage.parent_page_types == ["campaign_pages.CampaignPage"]
    assert PublicNoticePage.subpage_types == []
    assert PublicNoticePage in CampaignPage.allowed_subpage_models()
    assert PublicNoticePage not in Page.allowed_subpage_models()


def test_demo_notice_page_is_empty_and_translated(notice_page, en):
    assert notice_page.slug == "public-notice" and notice_page.live
    assert notice_page.period_starts_at is None and notice_page.proposed.count() == 0
    assert notice_page.get_translation(en).live


def test_published_notice_is_open_now(published_notice):
    assert published_notice.period_is_open()
    assert published_notice.period_ends_at() > timezone.now() + timedelta(days=8)


# -- the page in both languages --------------------------------------------------------------


def test_page_lists_the_candidates_in_rank_order_with_links_places_and_summaries(
    client, published_notice, proposed
):
    response = client.get("/2016/public-notice/")
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f'href="{r.url}"') for r in proposed]
    assert positions == sorted(positions)
    for residence in proposed:
        assert residence.street.name in html and residence.community.name in html
    assert "考核 95 分" in html
    assert "<script>" not in html and 'style="' not in html
    assert 'data-countdown-to="' in html and "countdown.js" in html


def test_cover_images_are_renditions_with_alt_texts(client, published_notice, proposed):
    with_cover = [r for r in proposed if r.cover_image_id]
    html = client.get("/2016/public-notice/").content.decode()
    for residence in with_cover:
        assert f'alt="{residence.title}"' in html
    assert "/media/original_images/" not in html


def test_english_page_shows_the_same_list_linking_to_english_candidate_pages(
    client, published_notice, proposed, en
):
    html = client.get("/en/2016/public-notice/").content.decode()
    assert "Notice period" in html and "Beijing time" in html
    for residence in proposed:
        english = residence.get_translation_or_none(en)
        assert f'href="{english.url if english else residence.url}"' in html


def test_a_withdrawn_candidate_stays_on_the_page_marked_with_the_reason(
    client, published_notice, proposed
):
    from registrations.notice import withdraw_candidate

    withdraw_candidate(published_notice, proposed[2], "经核查不符合参评条件。")
    html = client.get("/2016/public-notice/").content.decode()
    assert proposed[2].title in html and "已从名单中撤销" in html
    assert "经核查不符合参评条件" in html
    assert [e.residence for e in published_notice.current_entries()] == proposed[:2]


def test_before_the_period_the_page_gives_its_start(client, campaign, proposed):
    starts = timezone.now() + timedelta(days=3)
    publish_proposed_list(campaign, entries_for(proposed), starts_at=starts)
    html = client.get("/2016/public-notice/").content.decode()
    assert "公示将于" in html and 'name="facts"' not in html
