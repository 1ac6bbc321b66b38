"""Objections (异议) to the public notice: the form, its window, bad input, the status link,
and handling in the admin (uphold, dismiss, permissions, masked export)."""

import csv
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from registrations.models import Objection, ObjectionEvidence, PublicNoticePage
from registrations.notice import confirmation_blockers, publish_proposed_list

from .conftest import beijing, entries_for, user_in

pytestmark = pytest.mark.django_db
URL = "/2016/public-notice/"
EN_URL = "/en/2016/public-notice/"
ADMIN_LIST = "/admin/snippets/registrations/objection/"


def png(name="photo.png", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#b3261e").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="record.pdf"):
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), "white").save(buffer, format="PDF")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@pytest.fixture
def valid(proposed):
    return {
        "name": "张测试",
        "phone": "174 1000 0002",
        "candidate": str(proposed[1].pk),
        "facts": "该小区东门监控探头长期损坏，台帐记录与实际不符。",
        "website": "",
    }


def post(client, data, url=URL, **extra):
    return client.post(url, data, **extra)


# -- the form and its window -----------------------------------------------------------------


def test_form_is_shown_during_the_period_with_only_the_proposed_candidates(
    client, published_notice, proposed
):
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields["candidate"].queryset) == set(proposed)
    html = response.content.decode()
    assert 'name="facts"' in html and "countdown" in html
    assert 'style="' not in html


def test_filing_an_objection_gives_a_reference_and_a_private_status_link(
    client, published_notice, valid, proposed
):
    response = post(client, valid)
    assert response.status_code == 200
    objection = Objection.objects.get()
    assert objection.page == published_notice and objection.candidate == proposed[1]
    assert objection.phone == "17410000002" and objection.status == "open"
    assert objection.reference == f"YY2016-{objection.pk:05d}"
    html = response.content.decode()
    assert objection.reference in html
    assert f"{URL}objection/{objection.status_token}/" in html
    assert objection.changes.get().new_status == "open"


def test_phone_is_encrypted_at_rest(published_notice, valid, client):
    post(client, valid)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM registrations_objection")
        (stored,) = cursor.fetchone()
    assert "17410000002" not in stored


def test_evidence_photos_are_reencoded_and_pdfs_kept(client, published_notice, valid):
    response = post(client, valid | {"evidence": [png(), pdf()]})
    assert response.status_code == 200
    kinds = sorted(ObjectionEvidence.objects.values_list("kind", flat=True))
    assert kinds == ["image", "pdf"]
    photo = ObjectionEvidence.objects.get(kind="image")
    assert photo.file.name.endswith(".jpg") and photo.original_name == "photo.png"
    with photo.file.open("rb") as handle:
        assert handle.read(3) == b"\xff\xd8\xff"  # a JPEG now
    assert "/media/" not in photo.file.path  # outside the public media folder


def test_a_failed_save_leaves_no_evidence_file_on_disk(client, published_notice, valid, settings):
    from django.db import DatabaseError

    def files():
        root = settings.PRIVATE_MEDIA_ROOT
        return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()

    before = files()
    real_save = ObjectionEvidence.save
    calls = []

    def fail_on_second(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise DatabaseError("disk I/O error")
        return real_save(self, *args, **kwargs)

    with (
        mock.patch.object(ObjectionEvidence, "save", fail_on_second),
        pytest.raises(DatabaseError),
    ):
        post(client, valid | {"evidence": [png(), pdf()]})
    assert not Objection.objects.exists() and not ObjectionEvidence.objects.exists()
    assert files() == before


def test_form_is_open_at_the_start_and_closed_at_the_exclusive_end_in_beijing_time(
    client, campaign, proposed, valid
):
    day = timezone.localdate() + timedelta(days=2)  # inside the demo campaign's timeline
    start = beijing(day.year, day.month, day.day)
    publish_proposed_list(campaign, entries_for(proposed), starts_at=start)
    end = start + timedelta(days=10)

    def at(moment, data):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            return post(client, data)

    assert at(start - timedelta(seconds=1), valid).status_code == 403
    assert at(start, valid).status_code == 200
    assert at(end - timedelta(seconds=1), valid | {"phone": "17410000003"}).status_code == 200
    assert at(end, valid).status_code == 403
    response = at(end + timedelta(seconds=1), valid)
    assert response.status_code == 403
    assert Objection.objects.count() == 2
    html = response.content.decode()
    last = (end - timedelta(days=1)).date()
    assert f"{day.year}年{day.month}月{day.day}日" in html
    assert f"{last.year}年{last.month}月{last.day}日" in html


def test_closed_form_says_so_in_english_under_en(client, campaign, proposed):
    publish_proposed_list(campaign, entries_for(proposed), starts_at=beijing(2016, 5, 11))
    response = client.get(EN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The public notice closed on May 20, 2016" in html
    assert "The notice period is over" in html
    assert 'name="facts"' not in html


def test_before_publication_the_page_says_not_yet_published(client, notice_page):
    html = client.get(URL).content.decode()
    assert "尚未公布" in html and 'name="facts"' not in html
    assert "not been published yet" in client.get(EN_URL).content.decode()
    assert post(client, {"name": "x"}).status_code == 403


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "0577-88888888"}, "phone"),
        ({"facts": ""}, "facts"),
        ({"facts": "太短"}, "facts"),
        ({"facts": "事" * 2001}, "facts"),
        ({"name": ""}, "name"),
        ({"candidate": ""}, "candidate"),
        ({"candidate": "abc"}, "candidate"),
    ],
)
def test_bad_input_is_refused_with_a_field_message_and_nothing_saved(
    client, published_notice, valid, change, field
):
    response = post(client, valid | change)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Objection.objects.count() == 0


def test_a_candidate_not_on_the_list_is_refused(client, published_notice, valid, campaign):
    from campaign_pages.models import ResidencePage

    on_list = [e.residence_id for e in published_notice.current_entries()]
    other = ResidencePage.objects.live().descendant_of(campaign).exclude(pk__in=on_list).first()
    response = post(client, valid | {"candidate": str(other.pk)})
    assert response.status_code == 400
    assert "拟评名单" in response.context["form"].errors["candidate"][0]
    assert Objection.objects.count() == 0


def test_a_withdrawn_candidate_can_no_longer_be_chosen(client, published_notice, valid, proposed):
    from registrations.notice import withdraw_candidate

    withdraw_candidate(published_notice, proposed[1], "异议成立。")
    response = post(client, valid)
    assert response.status_code == 400 and "candidate" in response.context["form"].errors


def test_a_renamed_executable_is_refused_as_evidence_and_nothing_is_stored(
    client, published_notice, valid, settings
):
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 500, "image/jpeg")
    fake_pdf = SimpleUploadedFile("record.pdf", b"MZ\x90\x00" + b"\x00" * 500, "application/pdf")
    for bad in (exe, fake_pdf):
        response = post(client, valid | {"evidence": [png(), bad]})
        assert response.status_code == 400
        assert "evidence" in response.context["form"].errors
    assert Objection.objects.count() == 0 and ObjectionEvidence.objects.count() == 0


def test_an_oversized_file_is_refused(client, published_notice, valid, settings):
    settings.OBJECTION_EVIDENCE_MAX_BYTES = 1024
    response = post(client, valid | {"evidence": [png(size=(800, 800))]})
    assert response.status_code == 400
    assert "1024" not in response.context["form"].errors["evidence"][0]
    assert "MB" in response.context["form"].errors["evidence"][0]
    assert Objection.objects.count() == 0


def test_too_many_files_are_refused(client, published_notice, valid):
    response = post(client, valid | {"evidence": [png(f"{n}.png") for n in range(6)]})
    assert response.status_code == 400 and Objection.objects.count() == 0


def test_bad_input_messages_are_english_under_en(client, published_notice, valid):
    response = post(client, valid | {"phone": "12345"}, url=EN_URL)
    assert response.status_code == 400
    assert "Enter a mainland mobile number" in response.content.decode()


def test_honeypot_filled_is_refused(client, published_notice, valid):
    response = post(client, valid | {"website": "http://spam.example"})
    assert response.status_code == 400 and Objection.objects.count() == 0


def test_repeated_failures_bring_a_captcha_and_too_many_posts_a_429(
    client, published_notice, valid, settings
):
    settings.OBJECTION_SUBMIT_RATE = "4/h"
    for _attempt in range(4):
        assert post(client, valid | {"phone": "1"}).status_code == 400
    response = client.get(URL)
    assert "captcha" in response.context["form"].fields
    response = post(client, valid)
    assert response.status_code == 429 and response["Retry-After"]
    assert Objection.objects.count() == 0


# -- the status link -------------------------------------------------------------------------


def test_status_link_shows_the_status_and_the_reply(
    client, published_notice, proposed, make_objection
):
    objection = make_objection(published_notice, proposed[0])
    url = f"{URL}objection/{objection.status_token}/"
    html = client.get(url).content.decode()
    assert objection.reference in html and "核查中" in html
    objection.dismiss(None, "经实地核查，监控设施运行正常。")
    html = client.get(url).content.decode()
    assert "异议不成立" in html and "监控设施运行正常" in html
    assert objection.phone not in html and objection.name not in html


def test_status_link_in_english(client, published_notice, proposed, make_objection):
    objection = make_objection(published_notice, proposed[0])
    response = client.get(f"{EN_URL}objection/{objection.status_token}/")
    assert response.status_code == 200 and "Being examined" in response.content.decode()


def test_unknown_or_malformed_tokens_are_404(client, published_notice):
    assert client.get(f"{URL}objection/{'x' * 43}/").status_code == 404
    assert client.get(f"{URL}objection/short/").status_code == 404


def test_a_token_of_another_notice_page_is_404(
    client, published_notice, proposed, make_objection, campaign
):
    objection = make_objection(published_notice, proposed[0])
    other = PublicNoticePage(title="另一公示", slug="other-notice")
    campaign.add_child(instance=other)
    other.save_revision().publish()
    assert client.get(f"/2016/other-notice/objection/{objection.status_token}/").status_code == 404


# -- handling in the admin -------------------------------------------------------------------


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    return client


@pytest.fixture
def objection(published_notice, proposed, make_objection):
    return make_objection(published_notice, proposed[0], phone="17410000009")


def bulk_url(action, *objections):
    url = reverse("wagtail_bulk_action", args=("registrations", "objection", action))
    ids = "&".join(f"id={o.pk}" for o in objections)
    return f"{url}?next={ADMIN_LIST}&{ids}"


def test_office_sees_the_list_masked_with_filters_and_the_full_number_on_inspect(
    office, objection, proposed
):
    response = office.get(ADMIN_LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "174****0009" in html and "17410000009" not in html
    inspect = reverse("wagtailsnippets_registrations_objection:inspect", args=[objection.pk])
    assert "17410000009" in office.get(inspect).content.decode()
    response = office.get(ADMIN_LIST, {"status": "open", "candidate": proposed[0].pk})
    assert list(response.context["object_list"]) == [objection]
    response = office.get(ADMIN_LIST, {"status": "dismissed"})
    assert list(response.context["object_list"]) == []


def test_inspect_view_shows_facts_evidence_and_history(office, client, published_notice, valid):
    client.logout()
    post(client, valid | {"evidence": [png()]})
    objection = Objection.objects.get()
    evidence = objection.evidence.get()
    office.force_login(user_in("区综治办", "office2"))
    url = reverse("wagtailsnippets_registrations_objection:inspect", args=[objection.pk])
    html = office.get(url).content.decode()
    assert "监控探头长期损坏" in html and "17410000002" in html
    evidence_url = reverse("objection_evidence", args=[evidence.pk])
    assert evidence_url in html
    response = office.get(evidence_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_uphold_withdraws_the_candidate_and_republishes_the_list(
    office, objection, published_notice, proposed, client, en
):
    reply = "经核查，该小区年度内发生入室盗窃案件，不符合参评条件。"
    response = office.post(bulk_url("uphold_objection", objection), {"reason": reply})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "accepted" and objection.reply == reply
    assert objection.handled_by.username == "office" and objection.handled_at
    change = objection.changes.last()
    assert (change.old_status, change.new_status, change.reply) == ("open", "accepted", reply)
    page = PublicNoticePage.objects.get(pk=published_notice.pk)
    assert not page.has_unpublished_changes
    withdrawn = page.entries().get(residence=proposed[0])
    assert withdrawn.withdrawn and withdrawn.withdrawn_reason == reply
    assert proposed[0] not in [e.residence for e in page.current_entries()]
    english = PublicNoticePage.objects.get(pk=page.get_translation(en).pk)
    assert english.proposed.get(residence=proposed[0]).withdrawn
    client.logout()
    html = client.get(URL).content.decode()
    assert proposed[0].title in html and "入室盗窃" in html  # shown as withdrawn, not removed
    status = client.get(f"{URL}objection/{objection.status_token}/").content.decode()
    assert "异议成立" in status and reply in status


def test_dismiss_records_the_reply_and_leaves_the_list(office, objection, published_notice):
    response = office.post(bulk_url("dismiss_objection", objection), {"reason": "反映情况不属实。"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "dismissed" and objection.reply == "反映情况不属实。"
    assert len(PublicNoticePage.objects.get(pk=published_notice.pk).current_entries()) == 3


@pytest.mark.parametrize("action", ["uphold_objection", "dismiss_objection"])
def test_a_decision_without_a_reply_is_refused(office, objection, action):
    response = office.post(bulk_url(action, objection), {"reason": "  "})
    assert response.status_code == 200  # the confirmation page again, with the error
    assert "reason" in response.context["form"].errors
    objection.refresh_from_db()
    assert objection.status == "open" and objection.changes.count() == 0


def test_a_decided_objection_cannot_be_decided_again(office, objection):
    objection.dismiss(None, "不属实。")
    office.post(bulk_url("uphold_objection", objection), {"reason": "成立。"})
    objection.refresh_from_db()
    assert objection.status == "dismissed" and objection.changes.count() == 1


def test_handled_objections_unblock_the_confirmation(campaign, objection, published_notice):
    after = published_notice.period_ends_at() + timedelta(seconds=1)
    assert confirmation_blockers(campaign, at=after)
    objection.dismiss(None, "不属实。")
    assert confirmation_blockers(campaign, at=after) == []


def test_export_masks_numbers(office, objection):
    response = office.get(ADMIN_LIST, {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 2
    assert "17410000009" not in content and "174****0009" in content
    response = office.get(ADMIN_LIST, {"export": "xlsx"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


@pytest.mark.parametrize("group", ["评审小组", "Editors", "社区账号"])
def test_other_groups_cannot_see_or_handle_objections(client, objection, group):
    user = user_in(group, f"user-{group}")
    client.force_login(user)
    assert client.get(ADMIN_LIST).status_code in (302, 403)
    inspect = reverse("wagtailsnippets_registrations_objection:inspect", args=[objection.pk])
    assert client.get(inspect).status_code in (302, 403)
    client.post(bulk_url("uphold_objection", objection), {"reason": "成立。"})
    objection.refresh_from_db()
    assert objection.status == "open"


def test_evidence_is_not_served_to_anyone_else(client, published_notice, valid):
    post(client, valid | {"evidence": [png()]})
    evidence = ObjectionEvidence.objects.get()
    url = reverse("objection_evidence", args=[evidence.pk])
    assert client.get(url).status_code in (302, 403)
    client.force_login(user_in("评审小组", "panel-evidence"))
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert not response.get("Content-Disposition")


def test_objections_cannot_be_added_or_edited_in_the_admin(office, objection):
    assert office.get(f"{ADMIN_LIST}add/").status_code in (302, 403, 404)
    assert office.get(f"{ADMIN_LIST}edit/{objection.pk}/").status_code in (302, 403, 404)


def test_period_started_yesterday_is_open(published_notice):
    assert published_notice.period_starts_at < timezone.now()
