"""``load_demo``: the 2016 campaign from the seed notice, idempotent, with --phase."""

import html
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page, Revision

from campaign_pages.demo import PHASE_KEYS, phase_dates
from campaign_pages.models import ArticlePage, CampaignPage

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "campaign_pages" / "fixtures"
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "notice-2016.txt"


def run(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def body_lines(page):
    """The text of every heading and paragraph of a page, in order."""

    lines = []
    for block in page.body:
        if block.block_type == "heading":
            lines.append(block.value["text"])
        elif block.block_type == "paragraph":
            lines.append(html.unescape(strip_tags(block.value.source)))
    return lines


def test_second_run_changes_nothing():
    revisions = Revision.objects.count()
    pages = Page.objects.count()
    output = run()
    assert "Nothing to change" in output
    assert Revision.objects.count() == revisions
    assert Page.objects.count() == pages


def test_fixture_is_the_customers_seed_verbatim():
    if not SEED.exists():
        pytest.skip("the shared seed folder is not beside this checkout")
    assert (FIXTURES / "notice-2016.zh.txt").read_bytes() == SEED.read_bytes()


def test_notice_and_rules_carry_the_seed_text_verbatim(notice, rules):
    seed = [line.strip() for line in (FIXTURES / "notice-2016.zh.txt").read_text().split("\n")]
    seed = [line for line in seed if line]
    attachment = seed.index("附件1")
    assert notice.title == seed[0]
    # The notice body is the seed up to the attachment, then a link to the attachment.
    assert body_lines(notice)[:-1] == seed[1:attachment]
    assert body_lines(notice)[-1] == f"附件1 {rules.title}"
    assert rules.title == seed[attachment + 1]
    assert body_lines(rules) == seed[attachment + 2 : seed.index("鹿城区“平安小区”评选活动报名表")]


def test_notice_structure_has_sections_and_subsections(notice):
    headings = [b.value for b in notice.body if b.block_type == "heading"]
    assert {"text": "一、组织机构", "level": "h2"} in [dict(h) for h in headings]
    assert {"text": "（一）前期宣传（3月17日——3月25日）", "level": "h3"} in [
        dict(h) for h in headings
    ]
    # A condition that ends with a full stop stays a paragraph.
    assert "（三）出租房流动人口登记率达到95%以上。" in body_lines(notice)
    assert "（三）出租房流动人口登记率达到95%以上。" not in [h["text"] for h in headings]


def test_campaign_has_the_notices_organisers_thresholds_and_phases(campaign):
    hosts = [b.value["name"] for b in campaign.organisers if b.value["role"] == "host"]
    implementers = [b.value["name"] for b in campaign.organisers if b.value["role"] != "host"]
    assert hosts[0] == "鹿城区委政法委" and len(hosts) == 5
    assert implementers == ["温州网", "智慧社区“我们”APP"]
    assert campaign.rental_registration_threshold == 95
    assert campaign.satisfaction_threshold == 90
    assert sorted(p.key for p in campaign.timeline) == sorted(PHASE_KEYS)
    assert campaign.theme == "小区安全 我们参与"


@pytest.mark.parametrize("key", PHASE_KEYS)
def test_phase_option_opens_that_phase_today(key, campaign):
    run("--phase", key)
    campaign = CampaignPage.objects.get(pk=campaign.pk)
    assert campaign.phase_is_open(key)
    assert "Nothing to change" in run("--phase", key)


def test_phase_shift_keeps_the_notices_durations_and_overlaps():
    base = {k: (s, e) for k, s, e in phase_dates("voting", today=date(2016, 4, 21))}
    # With today in the middle of the 2016 voting window, the shift is zero.
    assert base["registration"][0].date() == date(2016, 3, 25)
    assert base["registration"][1].date() == date(2016, 4, 28)
    assert base["voting"][0].date() == date(2016, 4, 14)
    assert base["voting"][1].date() == date(2016, 4, 29)
    shifted = {k: (s, e) for k, s, e in phase_dates("review", today=date(2030, 1, 1))}
    for key in PHASE_KEYS:
        assert shifted[key][1] - shifted[key][0] == base[key][1] - base[key][0]
    assert shifted["review"][0].date() <= date(2030, 1, 1) < shifted["review"][1].date()
    assert shifted["review"][0].tzinfo is not None
    assert shifted["review"][0].utcoffset() == timedelta(hours=8)


def test_unknown_phase_is_refused_with_a_clear_error():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("load_demo", "--phase", "nonsense")


def test_every_demo_page_is_live_in_both_languages():
    for page in ArticlePage.objects.all():
        assert page.live
        assert {p.locale.language_code for p in page.get_translations(inclusive=True)} == {
            "zh-hans",
            "en",
        }


def test_demo_dates_are_around_today():
    campaign = CampaignPage.objects.get(locale__language_code="zh-hans", slug="2016")
    assert (
        campaign.phase("voting").first_day
        <= timezone.localdate()
        <= campaign.phase("voting").last_day
    )


def test_demo_has_the_districts_streets_and_invented_communities():
    from campaign_pages.models import Community, Street

    names = list(Street.objects.values_list("name", flat=True))
    assert len(names) == 14 and names[0] == "五马街道" and names[-1] == "山福镇"
    assert Street.objects.get(name="藤桥镇").kind == "town"
    assert Community.objects.filter(street__name="五马街道").count() == 3
