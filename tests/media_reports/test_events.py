"""Field-visit sign-up: validation, duplicates, capacity, closing, masked admin list/export."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign_pages.models import Community
from campaign_pages.phones import mask_phone
from media_reports.models import EventPage, EventSignup

pytestmark = pytest.mark.django_db

# 1741 is China's emergency-communications block, never issued to subscribers.
PHONE = "17419990001"


@pytest.fixture
def community():
    return Community.objects.get(name="五马一社区")


def sign_up(client, event, default_community, **overrides):
    data = {"name": "测试报名者", "phone": PHONE, "community": default_community.pk, **overrides}
    return client.post(event.url, data)


def test_sign_up_then_redirect_with_a_confirmation(client, event, community):
    before = event.seats_left()
    response = sign_up(client, event, community)
    assert response.status_code == 302
    assert EventSignup.objects.filter(event=event, phone=PHONE).exists()
    page = client.get(response["Location"]).content.decode()
    assert "You are signed up" in page or "报名" in page
    assert event.seats_left() == before - 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "12812345678"}, "phone"),
        ({"phone": "1381234567"}, "phone"),
        ({"phone": "138123456789"}, "phone"),
        ({"phone": "abc"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"name": "   "}, "name"),
        ({"community": "999999"}, "community"),
        ({"community": "x"}, "community"),
    ],
)
def test_bad_input_gets_a_field_message_and_saves_nothing(
    client, event, community, overrides, field
):
    count = EventSignup.objects.count()
    response = sign_up(client, event, community, **overrides)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert EventSignup.objects.count() == count


def test_duplicate_number_is_refused(client, event, community):
    assert sign_up(client, event, community).status_code == 302
    response = sign_up(client, event, community, name="另一个名字")
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    assert EventSignup.objects.filter(event=event, phone=PHONE).count() == 1


def test_spaces_in_the_number_are_ignored_and_still_count_as_duplicate(client, event, community):
    assert sign_up(client, event, community, phone="174 1999 0001").status_code == 302
    assert sign_up(client, event, community).status_code == 400


def test_full_event_closes_sign_up(client, event, community):
    event.capacity = event.signups.count() + 1
    event.save_revision().publish()
    assert sign_up(client, event, community).status_code == 302
    response = sign_up(client, event, community, phone="17419990002")
    assert response.status_code == 403
    assert response.context["form"] is None
    assert "full" in str(response.context["closed"]) or response.context["closed"]
    assert not EventSignup.objects.filter(phone="17419990002").exists()


def test_capacity_is_checked_inside_the_locked_transaction(client, event, community, monkeypatch):
    """Two readers both saw a free seat; the second one's save finds the event full."""
    event.capacity = event.signups.count() + 1
    event.save_revision().publish()
    monkeypatch.setattr(EventPage, "closed_reason", lambda self, at=None: None)
    assert sign_up(client, event, community).status_code == 302
    response = sign_up(client, event, community, phone="17419990003")
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert event.signups.count() == event.capacity


def test_past_event_is_closed(client, campaign, community):
    past = EventPage.objects.child_of(campaign).get(slug="visit-nanjiao")
    assert past.starts_at < timezone.now()
    response = sign_up(client, past, community)
    assert response.status_code == 403 and response.context["form"] is None
    assert not EventSignup.objects.filter(phone=PHONE).exists()


def test_deadline_and_closed_flag_close_sign_up(client, event, community):
    event.signup_deadline = timezone.now() - timedelta(minutes=1)
    event.save_revision().publish()
    assert event.closed_reason()
    event.signup_deadline = None
    event.signup_open = False
    event.save_revision().publish()
    assert event.closed_reason()
    assert sign_up(client, event, community).status_code == 403
    assert not EventSignup.objects.filter(phone=PHONE).exists()


def test_english_page_shares_the_seats(client, event, community, en):
    english = event.get_translation(en)
    assert (
        client.post(
            english.url, {"name": "Tester", "phone": PHONE, "community": community.pk}
        ).status_code
        == 302
    )
    assert EventSignup.objects.get(phone=PHONE).event_id == event.pk


def test_mask_phone():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("") == ""


def test_admin_list_and_csv_export_show_masked_numbers_only(admin_client, event, community):
    EventSignup.objects.create(event=event, name="导出测试", phone=PHONE, community=community)
    index = reverse("wagtailsnippets_media_reports_eventsignup:list")
    html = admin_client.get(index).content.decode()
    assert "174****0001" in html and PHONE not in html
    export = admin_client.get(index, {"export": "csv"})
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode()
    assert "174****0001" in body and PHONE not in body
    assert "导出测试" in body


def test_admin_cannot_add_sign_ups_and_the_edit_form_hides_the_number(
    admin_client, event, community
):
    signup = EventSignup.objects.create(
        event=event, name="编辑测试", phone=PHONE, community=community
    )
    add = admin_client.get(reverse("wagtailsnippets_media_reports_eventsignup:add"))
    assert add.status_code in (302, 403)
    edit = admin_client.get(
        reverse("wagtailsnippets_media_reports_eventsignup:edit", args=[signup.pk])
    )
    assert edit.status_code == 200
    assert PHONE not in edit.content.decode()


def test_demo_events_and_their_sign_ups(campaign):
    events = EventPage.objects.child_of(campaign)
    assert events.count() == 2
    for signup in EventSignup.objects.all():
        assert signup.phone.startswith("1741")
