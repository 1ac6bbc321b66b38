"""The public registration form: happy paths, thresholds, every bad input, the phase window."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from campaign_pages.models import Community
from registrations.models import Registration, RegistrationPhoto, StatusChange

from .conftest import FORM_URL

pytestmark = pytest.mark.django_db


def errors_of(response):
    return response.context["form"].errors


@pytest.mark.parametrize("route", ["owners_committee", "community"])
def test_registration_is_saved_with_a_reference_and_a_private_status_link(
    submit, valid_data, campaign, route
):
    valid_data["recommended_by"] = route
    before = Registration.objects.count()
    response = submit(valid_data)
    assert response.status_code == 200
    registration = Registration.objects.latest("pk")
    assert Registration.objects.count() == before + 1
    assert registration.status == "submitted"
    assert registration.recommended_by == route
    assert registration.campaign == campaign
    assert registration.reference == f"PA2016-{registration.pk:05d}"
    html = response.content.decode()
    assert registration.reference in html
    assert f"/2016/register/status/{registration.status_token}/" in html
    assert StatusChange.objects.filter(registration=registration, new_status="submitted").exists()


def test_phone_number_is_not_readable_from_the_database(submit, valid_data):
    submit(valid_data)
    registration = Registration.objects.latest("pk")
    assert registration.contact_phone == "13912345678"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_phone FROM registrations_registration WHERE id = %s", [registration.pk]
        )
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored and "5678" not in stored
    assert registration.masked_phone == "139****5678"


def test_phone_number_with_spaces_and_country_code_is_accepted(submit, valid_data):
    valid_data["contact_phone"] = "+86 139 1234 5678"
    assert submit(valid_data).status_code == 200
    assert Registration.objects.latest("pk").contact_phone == "13912345678"


@pytest.mark.parametrize(
    ("registered", "total", "accepted"),
    [(949, 1000, False), (950, 1000, True), (19, 20, True), (0, 0, True)],
)
def test_rental_registration_rate_at_the_threshold(submit, valid_data, registered, total, accepted):
    valid_data.update(floating_registered=str(registered), floating_population=str(total))
    response = submit(valid_data)
    assert (response.status_code == 200) is accepted
    if not accepted:
        message = errors_of(response)["floating_registered"][0]
        assert "94.9" in message and "95" in message
        assert "出租房流动人口登记率" in message


@pytest.mark.parametrize(("rate", "accepted"), [("89.99", False), ("90", True), ("90.00", True)])
def test_declared_satisfaction_at_the_threshold(submit, valid_data, rate, accepted):
    valid_data["satisfaction_rate"] = rate
    response = submit(valid_data)
    assert (response.status_code == 200) is accepted
    if not accepted:
        assert "满意度" in errors_of(response)["satisfaction_rate"][0]


def test_thresholds_come_from_the_campaign(submit, valid_data, campaign):
    campaign.rental_registration_threshold = 80
    campaign.save()
    valid_data.update(floating_registered="85", floating_population="100")
    assert submit(valid_data).status_code == 200


@pytest.mark.parametrize(
    "declaration",
    [
        "declares_no_serious_crime",
        "declares_security_in_place",
        "declares_rental_registration",
        "declares_satisfaction",
        "declares_no_yellow_card",
    ],
)
def test_each_condition_of_the_notice_must_be_declared(submit, valid_data, declaration):
    del valid_data[declaration]
    response = submit(valid_data)
    assert response.status_code == 400
    assert "必须" in errors_of(response)[declaration][0]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("floating_registered", "250", "不能多于流动人口"),
        ("rental_households", "700", "不能多于总户数"),
        ("households", "-5", ""),
        ("households", "9999999", ""),
        ("residents", "abc", ""),
        ("year_built", "2999", ""),
        ("satisfaction_rate", "120", ""),
        ("cameras", "-1", ""),
        ("contact_phone", "12345678901", "手机号码"),
        ("contact_phone", "1391234567", "手机号码"),
        ("contact_phone", "010-12345678", "手机号码"),
        ("residence_name", "", ""),
        ("street", "99999", ""),
        ("recommended_by", "mayor", ""),
    ],
)
def test_bad_input_gets_a_field_message_and_nothing_is_saved(
    submit, valid_data, field, value, message
):
    valid_data[field] = value
    before = Registration.objects.count()
    response = submit(valid_data)
    assert response.status_code == 400
    assert field in errors_of(response)
    assert message in " ".join(errors_of(response)[field])
    assert Registration.objects.count() == before
    assert "表单有" in response.content.decode()  # the error summary, in Chinese


def test_community_must_belong_to_the_chosen_street(submit, valid_data):
    other = Community.objects.exclude(street_id=valid_data["street"]).first()
    valid_data["community"] = other.pk
    response = submit(valid_data)
    assert response.status_code == 400
    assert "community" in errors_of(response)


def test_duplicate_points_to_the_existing_registrations_status(submit, valid_data):
    assert submit(valid_data).status_code == 200
    first = Registration.objects.latest("pk")
    first.start_review(None)
    valid_data["residence_name"] = " 测试 花园 "  # spaces and width do not make it new
    response = submit(valid_data)
    assert response.status_code == 400
    message = errors_of(response)["residence_name"][0]
    assert first.reference in message and "审核中" in message
    assert Registration.objects.filter(residence_key="测试花园").count() == 1


def test_honeypot_filled_in_is_refused(submit, valid_data):
    valid_data["website"] = "http://spam.example"
    before = Registration.objects.count()
    assert submit(valid_data).status_code == 400
    assert Registration.objects.count() == before


def test_english_form_answers_in_english(client, valid_data):
    valid_data["contact_phone"] = "123"
    response = client.post("/en/2016/register/", valid_data)
    assert response.status_code == 400
    assert "mainland mobile number" in errors_of(response)["contact_phone"][0]


def set_registration_phase(campaign, starts_in_days, ends_in_days):
    phase = campaign.phase("registration")
    now = timezone.now()
    type(phase).objects.filter(pk=phase.pk).update(
        starts_at=now + timedelta(days=starts_in_days), ends_at=now + timedelta(days=ends_in_days)
    )


def test_form_before_the_phase_says_when_it_opens(client, campaign, valid_data):
    set_registration_phase(campaign, 3, 10)
    response = client.get(FORM_URL)
    assert response.status_code == 200
    assert "报名将于" in response.content.decode()
    before = Registration.objects.count()
    client.post(FORM_URL, valid_data)
    assert Registration.objects.count() == before


def test_form_after_the_phase_says_when_it_closed(client, campaign, valid_data):
    set_registration_phase(campaign, -10, -1)
    html = client.get(FORM_URL).content.decode()
    assert "报名已于" in html
    assert "closed on" in client.get("/en/2016/register/").content.decode()
    before = Registration.objects.count()
    client.post(FORM_URL, valid_data)
    assert Registration.objects.count() == before


def test_form_renders_on_a_phone_with_its_privacy_notice(client):
    html = client.get(FORM_URL).content.decode()
    assert 'name="contact_phone"' in html and 'inputmode="tel"' in html
    assert "加密" in html  # the privacy notice says the number is stored encrypted
    assert 'enctype="multipart/form-data"' in html


def test_many_failed_attempts_bring_a_captcha_then_a_limit(client, valid_data, settings):
    settings.REGISTRATION_SUBMIT_RATE = "5/h"
    bad = dict(valid_data, contact_phone="123")
    for _ in range(3):
        assert client.post(FORM_URL, bad).status_code == 400
    assert "captcha" not in client.get(FORM_URL).context["form"].fields
    client.post(FORM_URL, bad)
    form = client.get(FORM_URL).context["form"]
    assert "captcha" in form.fields
    # Without the captcha, even a correct registration is refused now.
    response = client.post(FORM_URL, valid_data)
    assert response.status_code == 400 and "captcha" in errors_of(response)
    response = client.post(FORM_URL, valid_data)  # the sixth post in the hour
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"


def test_photos_are_checked_by_content_and_reencoded(submit, valid_data, jpeg_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    valid_data["photos"] = [
        SimpleUploadedFile("gate.jpg", jpeg_bytes(with_gps=True), content_type="image/jpeg")
    ]
    assert submit(valid_data).status_code == 200
    photo = RegistrationPhoto.objects.latest("pk")
    assert photo.image.name.endswith(".jpg") and photo.width == 64
    from PIL import Image

    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()  # the phone's GPS position is gone


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"MZ\x90\x00 this is a renamed program", "不是"),
        ("empty.jpg", b"", "空"),
        ("truncated.jpg", None, "不是"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_saved(
    submit, valid_data, jpeg_bytes, name, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if content is None:
        content = jpeg_bytes()[:200]
    valid_data["photos"] = [SimpleUploadedFile(name, content, content_type="image/jpeg")]
    before = (Registration.objects.count(), RegistrationPhoto.objects.count())
    response = submit(valid_data)
    assert response.status_code == 400
    assert message in " ".join(errors_of(response)["photos"])
    assert (Registration.objects.count(), RegistrationPhoto.objects.count()) == before


def test_oversized_photo_is_refused(submit, valid_data, settings, jpeg_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registrations import forms

    big = jpeg_bytes() + b"\0" * (forms.MAX_PHOTO_BYTES + 1)
    valid_data["photos"] = [SimpleUploadedFile("big.jpg", big, content_type="image/jpeg")]
    response = submit(valid_data)
    assert response.status_code == 400
    assert "MB" in " ".join(errors_of(response)["photos"])


def test_too_many_photos_are_refused(submit, valid_data, jpeg_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    valid_data["photos"] = [
        SimpleUploadedFile(f"p{i}.jpg", jpeg_bytes(), content_type="image/jpeg") for i in range(6)
    ]
    assert submit(valid_data).status_code == 400


@pytest.fixture
def jpeg_bytes():
    import io

    from PIL import Image

    def make(with_gps=False):
        image = Image.new("RGB", (64, 48), "#b3261e")
        buffer = io.BytesIO()
        exif = Image.Exif()
        if with_gps:
            exif[0x8825] = {1: "N", 2: (27.0, 59.0, 0.0)}  # GPSInfo
            exif[0x010F] = "DemoPhone"
        image.save(buffer, format="JPEG", exif=exif)
        return buffer.getvalue()

    return make


HOSTILE_VALUES = ["", "\x00", "9" * 400, "1e309", "NaN", "１２３"]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_values_in_every_field_never_cause_a_500(client, valid_data, value, settings):
    settings.REGISTRATION_SUBMIT_RATE = "10000/h"  # this test is about bad values, not limits
    for field in valid_data:
        data = dict(valid_data, **{field: value})
        response = client.post(FORM_URL, data)
        assert response.status_code in (200, 400), (field, value, response.status_code)
    # Lists where one value is expected, and fields that are missing altogether.
    assert (
        client.post(FORM_URL, {"street": ["1", "2"], "households": ["1", "x"]}).status_code == 400
    )
