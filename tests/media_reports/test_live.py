"""Live coverage: the JSON endpoint (since cursor, ETag/304 without queries), pinned and
retracted entries, the no-JavaScript fallback, and posting from the admin."""

import pytest
from django.urls import reverse

from media_reports.models import LiveEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(coverage, django_capture_on_commit_callbacks):
    """Save an entry as the admin would, running the after-commit cache reset."""

    def save(entry=None, **fields):
        entry = entry or LiveEntry(coverage=coverage)
        for name, value in fields.items():
            setattr(entry, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            entry.full_clean()
            entry.save()
        return entry

    return save


def endpoint(coverage, prefix=""):
    return prefix + reverse("live_updates", args=[coverage.pk]).removeprefix("/")


def test_demo_coverage_has_40_entries_some_pinned_one_retracted(coverage):
    entries = coverage.live_entries.all()
    assert entries.count() == 40
    assert entries.filter(pinned=True).count() >= 2
    assert entries.filter(retracted=True).count() == 1


def test_first_poll_returns_everything_then_only_changes_since_the_cursor(client, coverage, post):
    url = reverse("live_updates", args=[coverage.pk])
    data = client.get(url, {"since": 0}).json()
    assert len(data["entries"]) == 40 and data["live"] is True
    cursor = data["cursor"]
    assert client.get(url, {"since": cursor}).json()["entries"] == []
    entry = post(text="区领导为监督团授旗。")
    data = client.get(url, {"since": cursor}).json()
    assert [e["id"] for e in data["entries"]] == [entry.pk]
    assert "区领导为监督团授旗。" in data["entries"][0]["html"]
    assert data["cursor"] == cursor + 1


def test_unchanged_poll_is_304_without_any_database_query(
    client, coverage, django_assert_num_queries
):
    url = reverse("live_updates", args=[coverage.pk])
    first = client.get(url, {"since": 0})
    etag = first["ETag"]
    cursor = first.json()["cursor"]
    with django_assert_num_queries(0):
        response = client.get(url, {"since": cursor}, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_a_change_invalidates_the_etag(client, coverage, post):
    url = reverse("live_updates", args=[coverage.pk])
    first = client.get(url, {"since": 0})
    post(text="新消息")
    second = client.get(url, {"since": first.json()["cursor"]}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert len(second.json()["entries"]) == 1


def test_pin_edit_and_retract_are_sent_as_changes(client, coverage, post):
    url = reverse("live_updates", args=[coverage.pk])
    cursor = client.get(url).json()["cursor"]
    entry = coverage.live_entries.filter(pinned=False, retracted=False).first()
    post(entry, pinned=True)
    data = client.get(url, {"since": cursor}).json()
    assert data["entries"][0]["pinned"] is True and data["entries"][0]["id"] == entry.pk
    entry.refresh_from_db()
    assert entry.edited_at is None  # pinning is not an edit
    post(entry, text="更正后的文字")
    entry.refresh_from_db()
    assert entry.edited_at is not None
    post(entry, retracted=True, retraction_note="信息有误")
    data = client.get(url, {"since": cursor}).json()
    assert [e["id"] for e in data["entries"]] == [entry.pk]  # one entry, latest state
    assert data["entries"][0]["retracted"] is True
    assert "信息有误" in data["entries"][0]["html"]
    assert "<del>更正后的文字</del>" in data["entries"][0]["html"]


def test_retraction_needs_a_reason_and_a_picture_needs_alt_text(coverage):
    from django.core.exceptions import ValidationError
    from wagtail.images.models import Image

    entry = LiveEntry(coverage=coverage, text="x", retracted=True, image=Image.objects.first())
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert {"retraction_note", "image_alt"} <= set(error.value.message_dict)


def test_live_entry_refuses_embeds_outside_the_allow_list(coverage):
    from django.core.exceptions import ValidationError

    entry = LiveEntry(coverage=coverage, text="x", embed_url="https://evil.example/video")
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "embed_url" in error.value.message_dict


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "9" * 30])
def test_bad_since_is_a_400_with_a_json_error(client, coverage, since):
    response = client.get(reverse("live_updates", args=[coverage.pk]), {"since": since})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_since"


def test_unknown_or_unpublished_coverage_is_404(
    client, coverage, django_capture_on_commit_callbacks
):
    assert client.get(reverse("live_updates", args=[999999])).status_code == 404
    url = reverse("live_updates", args=[coverage.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        coverage.unpublish()
    assert client.get(url).status_code == 404


def test_ending_the_coverage_is_sent_to_readers(
    client, coverage, django_capture_on_commit_callbacks
):
    url = reverse("live_updates", args=[coverage.pk])
    first = client.get(url)
    coverage.is_live = False
    with django_capture_on_commit_callbacks(execute=True):
        coverage.save_revision().publish()
    response = client.get(url, {"since": first.json()["cursor"]}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and response.json()["live"] is False
    html = client.get(coverage.url).content.decode()
    assert "is-ended" in html


def test_page_without_javascript_is_newest_first_paginated_with_pins_on_top(client, coverage):
    response = client.get(coverage.url)
    page_obj = response.context["page_obj"]
    assert len(page_obj) == 20 and page_obj.paginator.num_pages == 2
    times = [e.posted_at for e in page_obj]
    assert times == sorted(times, reverse=True)
    html = response.content.decode()
    assert html.index('id="live-pinned"') < html.index('id="live-stream"')
    assert 'rel="next" href="?page=2"' in html
    second = client.get(coverage.url, {"page": 2})
    assert len(second.context["page_obj"]) == 20
    assert "时间有误，以官方通知为准。" in second.content.decode()  # the retraction is shown
    assert client.get(coverage.url, {"page": "x"}).status_code == 200
    assert f'data-live-endpoint="/live/{coverage.pk}/updates.json"' in html
    assert "js/live.js" in html


def test_english_page_reads_the_same_entries_in_english(client, coverage, en):
    english = coverage.get_translation(en)
    html = client.get(english.url).content.decode()
    assert f'data-live-endpoint="/en/live/{coverage.pk}/updates.json"' in html
    data = client.get(f"/en/live/{coverage.pk}/updates.json").json()
    assert len(data["entries"]) == 40
    assert "Retracted" in "".join(e["html"] for e in data["entries"])


def test_editor_posts_an_entry_from_the_admin_in_one_short_form(admin_client, coverage, client):
    url = reverse("live_updates", args=[coverage.pk])
    cursor = client.get(url).json()["cursor"]
    add_url = reverse("wagtailsnippets_media_reports_liveentry:add")
    assert admin_client.get(add_url).status_code == 200
    response = admin_client.post(
        add_url,
        {
            "coverage": coverage.pk,
            "text": "监督团出发前往五马一社区。",
            "posted_at": "2030-01-01 10:00:00",
            "image_alt": "",
            "embed_url": "",
            "retraction_note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LiveEntry.objects.get(text="监督团出发前往五马一社区。")
    assert entry.author is not None
    data = client.get(url, {"since": cursor}).json()
    assert [e["id"] for e in data["entries"]] == [entry.pk]


def test_admin_refuses_a_bad_entry_with_field_messages(admin_client, coverage):
    response = admin_client.post(
        reverse("wagtailsnippets_media_reports_liveentry:add"),
        {
            "coverage": coverage.pk,
            "text": "",
            "posted_at": "2030-01-01 10:00:00",
            "embed_url": "https://evil.example/x",
            "retracted": "on",
            "retraction_note": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"text", "embed_url", "retraction_note"} <= set(errors)


def test_an_editor_who_is_not_a_superuser_posts_a_live_entry_from_the_admin(client, coverage):
    from django.contrib.auth.models import Group, User

    editor = User.objects.create_user("newsroom-editor", password="unused-in-this-test")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    add = "/admin/snippets/media_reports/liveentry/add/"
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {"coverage": coverage.pk, "text": "编辑部：评审组进场。", "posted_at": "2016-04-20 10:00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LiveEntry.objects.get(text="编辑部：评审组进场。")
    assert entry.author == editor
    # Sign-ups come from the public form only: the editor can read the list, not add to it.
    assert client.get("/admin/snippets/media_reports/eventsignup/").status_code == 200
    assert client.get("/admin/snippets/media_reports/eventsignup/add/").status_code in (302, 403)
