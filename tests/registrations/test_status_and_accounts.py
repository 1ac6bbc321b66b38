"""The registrant's private status link and the community accounts' front end (IDOR)."""

import pytest
from django.contrib.auth.models import User

from registrations.models import Registration

pytestmark = pytest.mark.django_db


def status_url(registration):
    return f"/2016/register/status/{registration.status_token}/"


def test_status_link_shows_status_and_history(client, campaign):
    registration = Registration.objects.filter(campaign=campaign, status="not_shortlisted").first()
    response = client.get(status_url(registration))
    assert response.status_code == 200
    html = response.content.decode()
    assert registration.reference in html
    assert registration.get_status_display() in html
    assert "登记台帐不完整" in html  # the panel's reason is shown to the registrant
    assert 'content="noindex"' in html


@pytest.mark.parametrize("token", ["x" * 43, "short", "../../admin", "%00" * 10])
def test_unknown_or_malformed_token_is_404(client, token):
    assert client.get(f"/2016/register/status/{token}/").status_code == 404


def test_a_token_from_another_campaign_page_is_404(client, campaign, home_2017_form):
    registration = Registration.objects.filter(campaign=campaign).first()
    assert client.get(f"{home_2017_form.url}status/{registration.status_token}/").status_code == 404


def test_registrant_corrects_a_submitted_registration(client, submitted, valid_data):
    valid_data.update(residence_name=submitted.residence_name, street=submitted.street_id)
    valid_data.update(community=submitted.community_id, households="700", residents="2100")
    response = client.post(f"{status_url(submitted)}edit/", valid_data)
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.households == 700
    assert submitted.status == "submitted"


def test_correction_with_bad_input_changes_nothing(client, submitted, valid_data):
    before = submitted.households
    valid_data.update(residence_name=submitted.residence_name, households="-1")
    response = client.post(f"{status_url(submitted)}edit/", valid_data)
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.households == before


def test_correction_is_refused_once_review_started(client, submitted, valid_data):
    submitted.start_review(None)
    response = client.post(f"{status_url(submitted)}edit/", valid_data)
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.residence_name != valid_data["residence_name"]


@pytest.fixture
def home_2017_form(campaign):
    from campaign_pages.models import CampaignPage
    from registrations.models import RegistrationPage

    other = CampaignPage(title="2017", slug="2017", theme="t", year=2017, district="鹿城区")
    campaign.get_parent().add_child(instance=other)
    form = RegistrationPage(title="2017 报名", slug="register")
    other.add_child(instance=form)
    return form


# -- community accounts ---------------------------------------------------------------------


@pytest.fixture
def community_client(client, campaign):
    registration = Registration.objects.filter(campaign=campaign, status="candidate").first()
    user = registration.account
    user.set_password("pw-for-tests-only")
    user.save()
    client.force_login(user)
    client.registration = registration
    return client


def test_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get("/community/")
    assert response.status_code == 302
    assert response["Location"].startswith("/community/login/")


def test_login_page_signs_in_with_the_account_name(client, campaign):
    registration = Registration.objects.filter(campaign=campaign, status="candidate").first()
    registration.account.set_password("pw-for-tests-only")
    registration.account.save()
    response = client.post(
        "/community/login/",
        {"username": registration.account.username, "password": "pw-for-tests-only"},
    )
    assert response.status_code == 302 and response["Location"] == "/community/"


def test_wrong_password_is_refused_in_chinese(client):
    response = client.post("/community/login/", {"username": "nobody", "password": "x"})
    assert response.status_code == 200
    assert "用户名" in response.content.decode() or "密码" in response.content.decode()


def test_dashboard_lists_only_the_accounts_own_registration(community_client, campaign):
    response = community_client.get("/community/")
    assert response.status_code == 200
    shown = list(response.context["registrations"])
    assert shown == [community_client.registration]


def test_own_registration_is_shown_with_a_masked_phone(community_client):
    registration = community_client.registration
    response = community_client.get(f"/community/registrations/{registration.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert registration.masked_phone in html
    assert registration.contact_phone not in html


def test_another_communitys_registration_is_404(community_client, campaign):
    others = Registration.objects.filter(campaign=campaign).exclude(
        pk=community_client.registration.pk
    )
    for other in others[:5]:
        assert community_client.get(f"/community/registrations/{other.pk}/").status_code == 404
    assert community_client.get("/community/registrations/999999/").status_code == 404


def test_community_account_cannot_enter_the_wagtail_admin(community_client):
    response = community_client.get("/admin/")
    assert response.status_code in (302, 403)


def test_invitation_link_sets_the_password(client, campaign):
    from registrations.candidates import invitation_url

    registration = Registration.objects.filter(campaign=campaign, status="shortlisted").first()
    path = invitation_url(registration.account).split("8000", 1)[-1]
    response = client.get(path, follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "a-Strong-pass-2016", "new_password2": "a-Strong-pass-2016"}
    )
    assert response.status_code == 302
    user = User.objects.get(pk=registration.account.pk)
    assert user.check_password("a-Strong-pass-2016")
