"""Screening in the admin: panel decisions, their record, permissions, masked exports."""

import csv
import io

import pytest
from django.urls import reverse

from campaign_pages.models import ResidencePage
from registrations.models import Registration

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/snippets/registrations/registration/"


def bulk_url(action, *registrations):
    url = reverse("wagtail_bulk_action", args=("registrations", "registration", action))
    ids = "&".join(f"id={r.pk}" for r in registrations)
    return f"{url}?next={LIST_URL}&{ids}"


@pytest.fixture
def panel(client, panel_user):
    client.force_login(panel_user)
    client.user = panel_user
    return client


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    return client


def under_review(campaign):
    return Registration.objects.filter(campaign=campaign, status="under_review")


def test_panel_sees_the_list_with_masked_numbers(panel, campaign):
    response = panel.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    registration = Registration.objects.filter(campaign=campaign).first()
    assert registration.masked_phone in html
    assert registration.contact_phone not in html


def test_list_filters_and_search(panel, campaign):
    response = panel.get(LIST_URL, {"status": "candidate"})
    assert response.status_code == 200
    assert {r.status for r in response.context["object_list"]} == {"candidate"}
    name = Registration.objects.filter(campaign=campaign).first().residence_name
    response = panel.get(LIST_URL, {"q": name[1:3]})
    assert name in [r.residence_name for r in response.context["object_list"]]


def test_export_masks_phone_numbers(panel, campaign):
    response = panel.get(LIST_URL, {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == Registration.objects.count() + 1
    for registration in Registration.objects.all():
        assert registration.contact_phone not in content
    assert any(Registration.objects.first().masked_phone in row for row in rows)


def test_xlsx_export_is_offered(panel):
    response = panel.get(LIST_URL, {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_panel_inspect_shows_masked_number_and_history(panel, campaign):
    registration = Registration.objects.filter(campaign=campaign, status="not_shortlisted").first()
    url = reverse("wagtailsnippets_registrations_registration:inspect", args=[registration.pk])
    html = panel.get(url).content.decode()
    assert registration.masked_phone in html
    assert registration.contact_phone not in html
    assert "登记台帐不完整" in html  # the reason, in the status history


def test_district_office_sees_the_full_number(office, campaign):
    registration = Registration.objects.filter(campaign=campaign).first()
    url = reverse("wagtailsnippets_registrations_registration:inspect", args=[registration.pk])
    assert registration.contact_phone in office.get(url).content.decode()


def test_panel_cannot_edit_a_registration(panel, campaign):
    registration = Registration.objects.filter(campaign=campaign).first()
    url = reverse("wagtailsnippets_registrations_registration:edit", args=[registration.pk])
    assert panel.get(url).status_code in (302, 403)


def test_turning_down_needs_a_reason(panel, campaign):
    registration = under_review(campaign).first()
    response = panel.post(bulk_url("turn_down", registration), {"reason": "  "})
    assert response.status_code == 200  # the form comes back
    registration.refresh_from_db()
    assert registration.status == "under_review"


def test_turning_down_with_a_reason_is_recorded(panel, campaign):
    registrations = list(under_review(campaign)[:2])
    response = panel.post(bulk_url("turn_down", *registrations), {"reason": "物防不到位"})
    assert response.status_code == 302
    for registration in registrations:
        registration.refresh_from_db()
        assert registration.status == "not_shortlisted"
        change = registration.status_changes.last()
        assert (change.old_status, change.new_status) == ("under_review", "not_shortlisted")
        assert change.reason == "物防不到位" and change.changed_by == panel.user


def test_shortlisting_makes_a_draft_candidate_page_and_an_account(
    panel, campaign, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path)
    registration = under_review(campaign).first()
    with django_capture_on_commit_callbacks(execute=True):  # the invitation goes after commit
        response = panel.post(bulk_url("shortlist", registration), {"reason": ""})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "shortlisted"
    page = registration.residence
    assert isinstance(page, ResidencePage) and not page.live
    assert page.title == registration.residence_name and page.street == registration.street
    assert registration.account.username == registration.reference.lower()
    assert not registration.account.has_usable_password()
    messages = list(tmp_path.glob("*.json"))
    assert len(messages) == 1
    text = messages[0].read_text()
    assert registration.contact_phone in text and "/community/activate/" in text


def test_publishing_the_candidate_page_makes_it_a_candidate(campaign):
    registration = Registration.objects.filter(campaign=campaign, status="shortlisted").first()
    registration.residence.save_revision().publish()
    registration.refresh_from_db()
    assert registration.status == "candidate"


def test_decided_registrations_are_not_screened_again(panel, campaign):
    decided = Registration.objects.filter(campaign=campaign, status="candidate").first()
    panel.post(bulk_url("turn_down", decided), {"reason": "x"})
    decided.refresh_from_db()
    assert decided.status == "candidate"


def test_user_without_screening_permission_cannot_decide(client, campaign, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_registration"),
    )
    client.force_login(user)
    registration = under_review(campaign).first()
    client.post(bulk_url("shortlist", registration), {"reason": ""})
    registration.refresh_from_db()
    assert registration.status == "under_review"


def test_anonymous_cannot_see_registrations(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
