"""Report index filters, tag and team pages, feeds, the residence include and embeds."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from taggit.models import Tag

from campaign_pages.models import Street
from media_reports.blocks import AllowListedEmbedBlock
from media_reports.embeds import is_allowed_embed
from media_reports.models import MonitorMember, ReportKind, ReportPage, ReportResidence

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def titles(response):
    return [r.title for r in response.context["reports"]]


def test_demo_has_reports_of_every_kind(index):
    kinds = set(index.reports().values_list("kind", flat=True))
    assert kinds == set(ReportKind.values)
    assert index.reports().count() == 12


def test_index_filters_by_kind(client):
    response = client.get("/2016/reports/", {"kind": "hazard"})
    assert response.status_code == 200
    assert len(titles(response)) == 5
    assert all(r.kind == "hazard" for r in response.context["reports"])


def test_index_filters_by_street_of_a_named_community(client):
    street = Street.objects.get(name="南汇街道")
    response = client.get("/2016/reports/", {"street": street.pk})
    assert titles(response) == ["南汇二社区：围墙破损"]


def test_index_filters_by_candidate_and_street_of_a_candidate(client, index, candidate):
    report = ReportPage.objects.child_of(index).get(slug="nanjiao-fire-exit")
    ReportResidence.objects.create(page=report, residence=candidate)
    response = client.get("/2016/reports/", {"residence": candidate.pk})
    assert titles(response) == ["南郊一社区：消防通道被占用"]
    response = client.get("/2016/reports/", {"street": candidate.street_id, "kind": "hazard"})
    assert titles(response) == ["南郊一社区：消防通道被占用"]


@pytest.mark.parametrize(
    "query",
    [{"kind": "nonsense"}, {"street": "abc"}, {"street": "999999"}, {"residence": "-1"},
     {"page": "zzz"}, {"page": "9999"}],
)  # fmt: skip
def test_bad_filter_values_are_reported_not_a_500(client, query):
    response = client.get("/2016/reports/", query)
    assert response.status_code == 200
    if "page" not in query:
        assert 'role="alert"' in response.content.decode()


def test_tag_page_lists_the_reports_with_that_tag(client):
    tag = Tag.objects.get(name="消防")
    response = client.get(f"/2016/reports/tags/{tag.slug}/")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(
        ["南郊一社区：消防通道被占用", "蒲鞋市二社区：电动车飞线充电"]
    )
    assert client.get("/2016/reports/tags/no-such-tag/").status_code == 404


def test_report_page_links_tags_reporters_and_residences(client):
    html = client.get("/2016/reports/wuma-gate/").content.decode()
    tag = Tag.objects.get(name="门禁")
    assert f'href="/2016/reports/tags/{tag.slug}/"' in html
    member = MonitorMember.objects.get(name="演示监督员甲")
    assert f'href="/2016/reports/team/{member.pk}/"' in html
    assert "五马一社区演示小区" in html and "五马街道" in html


def test_member_page_lists_their_reports(client):
    member = MonitorMember.objects.get(name="演示监督员丙")
    response = client.get(f"/2016/reports/team/{member.pk}/")
    assert response.status_code == 200
    assert set(titles(response)) == {
        "南郊一社区：消防通道被占用",
        "南汇二社区：围墙破损",
        "仰义一社区：单元门锁损坏",
    }
    assert client.get("/2016/reports/team/999999/").status_code == 404


@pytest.mark.parametrize("flavour", ["rss", "atom"])
@pytest.mark.parametrize("kind", [None, "hazard", "highlight", "interview"])
def test_feeds_are_valid_xml_with_the_right_items(client, flavour, kind):
    url = f"/2016/reports/feed/{kind}/{flavour}/" if kind else f"/2016/reports/feed/{flavour}/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/rss+xml" if flavour == "rss" else "application/atom+xml"
    )
    root = ET.fromstring(response.content)
    if flavour == "rss":
        assert root.tag == "rss"
        items = root.findall("./channel/item")
        links = [i.findtext("link") for i in items]
    else:
        assert root.tag == f"{ATOM}feed"
        items = root.findall(f"{ATOM}entry")
        links = [i.find(f"{ATOM}link").get("href") for i in items]
    expected = {None: 12, "hazard": 5, "highlight": 3, "interview": 4}[kind]
    assert len(items) == expected
    assert all(link.startswith("http://") and "/2016/reports/" in link for link in links)


@pytest.mark.parametrize("url", ["/2016/reports/feed/rss/", "/2016/reports/feed/atom/"])
def test_feeds_parse_cleanly_in_a_standard_feed_parser(client, url):
    import feedparser

    parsed = feedparser.parse(client.get(url).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == 12
    assert all(entry.title and entry.link and entry.get("published") for entry in parsed.entries)
    assert parsed.feed.title


def test_feed_items_escape_html(client, index):
    report = ReportPage.objects.child_of(index).get(slug="wuma-gate")
    report.title = "<script>alert(1)</script> & 门禁"
    report.summary = '<img src=x onerror="alert(2)">摘要'
    report.save_revision().publish()
    for url in ("/2016/reports/feed/rss/", "/2016/reports/feed/atom/"):
        body = client.get(url).content.decode()
        assert "<script>" not in body and "<img" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 门禁" in body
        root = ET.fromstring(body)  # still well-formed
        texts = [el.text or "" for el in root.iter()]
        assert "<script>alert(1)</script> & 门禁" in texts  # the parser gets the text back


def test_unknown_feed_kind_or_flavour_is_404(client):
    assert client.get("/2016/reports/feed/bad/rss/").status_code == 404
    assert client.get("/2016/reports/feed/json/").status_code == 404


def test_feeds_are_advertised_on_the_index(client):
    html = client.get("/2016/reports/").content.decode()
    assert 'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html


def test_residence_page_shows_its_reports_and_hazard_follow_up(client, index, candidate):
    report = ReportPage.objects.child_of(index).get(slug="nanhui-fence")
    ReportResidence.objects.create(page=report, residence=candidate)
    html = client.get(candidate.url).content.decode()
    assert "南汇二社区：围墙破损" in html
    assert 'class="followup status-rectified"' in html
    assert "复查确认已整改到位。" in html


def test_residence_page_without_reports_shows_no_section(client, candidate):
    html = client.get(candidate.url).content.decode()
    assert "residence-reports" not in html


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://v.qq.com/x/page/demo.html", True),
        ("https://www.bilibili.com/video/BV1demo", True),
        ("https://bilibili.com.evil.example/video", False),
        ("https://www.youtube.com/watch?v=x", False),
        ("javascript:alert(1)", False),
        ("ftp://v.qq.com/x", False),
        ("not a url", False),
    ],
)
def test_embed_allow_list(url, allowed):
    assert is_allowed_embed(url) is allowed


def test_embed_block_refuses_providers_outside_the_allow_list_without_fetching(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a refused URL must not be fetched")

    monkeypatch.setattr("wagtail.embeds.embeds.get_embed", no_network)
    block = AllowListedEmbedBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python("https://www.youtube.com/watch?v=x"))
    assert "v.qq.com" in str(error.value)


def test_report_page_form_refuses_an_embed_outside_the_allow_list(admin_client, index):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    data = nested_form_data(
        {
            "title": "嵌入测试",
            "slug": "embed-test",
            "kind": "highlight",
            "report_date": "2016-03-20",
            "summary": "测试",
            "body": streamfield([("embed", "https://www.youtube.com/watch?v=x")]),
            "residences": inline_formset([]),
            "hazard_updates": inline_formset([]),
            "reporters": [],
            "tags": "",
        }
    )
    response = admin_client.post(f"/admin/pages/add/media_reports/reportpage/{index.pk}/", data)
    assert response.status_code == 200
    assert not ReportPage.objects.filter(slug="embed-test").exists()
    assert "bilibili.com, youku.com" in response.content.decode()  # the allow-list is named


def test_report_and_live_entry_play_videos_from_the_media_library(client, index, coverage):
    from django.core.files.base import ContentFile
    from wagtailmedia.models import Media

    from media_reports.models import LiveEntry

    video = Media.objects.create(title="演示视频", type="video", duration=4)
    video.file.save("demo-clip.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=True)
    report = ReportPage.objects.child_of(index).get(slug="wuma-gate")
    report.body.append(("video", {"video": video, "caption": "门禁演示"}))
    report.save_revision().publish()
    html = client.get(report.url).content.decode()
    assert f'src="{video.url}"' in html and "门禁演示" in html

    LiveEntry.objects.create(coverage=coverage, text="视频直播片段", video=video)
    assert f'src="{video.url}"' in client.get(coverage.url).content.decode()
