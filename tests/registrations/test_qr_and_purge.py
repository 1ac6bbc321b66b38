"""QR codes that decode to the page's own URL, the A4 poster, and the contact-data purge."""

import io
from datetime import timedelta

import pytest
import zxingcpp
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from registrations.models import Registration

pytestmark = pytest.mark.django_db


def decode(png_bytes):
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png_bytes)))
    return [r.text for r in results]


def test_qr_png_decodes_to_the_registration_pages_url(client, form_page):
    response = client.get("/2016/register/qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert decode(response.content) == [form_page.full_url]
    assert Image.open(io.BytesIO(response.content)).width >= 900  # print resolution


def test_qr_svg_is_a_safe_svg_of_the_same_code(client):
    response = client.get("/2016/register/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b"<script" not in response.content
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_poster_is_an_a4_png_whose_qr_code_leads_to_the_form(client, form_page):
    response = client.get("/2016/register/poster.png")
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1240, 1754)  # A4 at 150 dpi
    assert decode(response.content) == [form_page.full_url]


def test_no_qr_code_for_pages_without_one_or_arbitrary_addresses(client):
    assert client.get("/2016/notice/qr.png").status_code == 404
    assert client.get("/no-such-page/qr.png").status_code == 404
    assert client.get("/2016/register/qr.png?url=http://evil.example").status_code == 200
    assert decode(client.get("/2016/register/qr.png?url=http://evil.example").content)[0].endswith(
        "/2016/register/"
    )


def test_purge_erases_contact_data_after_the_retention_date(campaign):
    campaign.contact_data_retained_until = timezone.localdate() - timedelta(days=1)
    campaign.save()
    count = Registration.objects.filter(campaign=campaign).count()
    out = io.StringIO()
    call_command("purge_contact_data", stdout=out)
    assert f"{count} registrations purged" in out.getvalue()
    for registration in Registration.objects.filter(campaign=campaign):
        assert registration.contact_phone == "" and registration.contact_purged_at
    assert "0 registrations purged" in run_purge()


def test_purge_keeps_contact_data_before_the_retention_date(campaign):
    campaign.contact_data_retained_until = timezone.localdate()
    campaign.save()
    assert "0 registrations purged" in run_purge()
    assert all(r.contact_phone for r in Registration.objects.filter(campaign=campaign))


def run_purge():
    out = io.StringIO()
    call_command("purge_contact_data", stdout=out)
    return out.getvalue()


def test_form_page_and_admin_offer_the_qr_codes_and_poster(client, admin_client, form_page):
    html = client.get("/2016/register/").content.decode()
    for asset in ("poster.png", "qr.png", "qr.svg"):
        assert f'href="/2016/register/{asset}"' in html
    html = admin_client.get(f"/admin/pages/{form_page.pk}/").content.decode()
    for asset in ("poster.png", "qr.png", "qr.svg"):
        assert f"/2016/register/{asset}" in html
