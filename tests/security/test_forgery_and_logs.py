"""Cross-site request forgery on the public forms, and personal data kept out of the logs."""

import json
import logging
import re

import pytest
from django.test import Client

from media_reports.models import EventPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/2016/register/", "/community/login/", "/2016/visit-wuma/", "/admin/login/"],
)
def test_public_forms_refuse_a_post_without_the_csrf_token(url):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"name": "x", "username": "x", "password": "x"})
    assert response.status_code == 403


def test_a_web_vote_needs_the_csrf_token_too():
    from voting.models import Tally

    client = Client(enforce_csrf_checks=True)
    candidate = Tally.objects.values_list("candidate_id", flat=True).first()
    response = client.post(f"/vote/{candidate}/", {"action": "send_code", "phone": "17410000002"})
    assert response.status_code == 403


class FakeGateway:
    status = 200

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def test_logs_never_hold_a_full_phone_number_or_a_code(client, settings, monkeypatch, caplog):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "https://sms.example.cn/send"
    settings.SMS_GATEWAY_TOKEN = "t0ken-for-tests"
    sent = []

    def urlopen(request, timeout):
        sent.append(json.loads(request.data))
        return FakeGateway()

    monkeypatch.setattr("campaign_pages.sms.urllib.request.urlopen", urlopen)
    caplog.set_level(logging.DEBUG)
    phone = "17410007788"
    response = client.post("/api/v1/voter/code/", {"phone": phone}, content_type="application/json")
    assert response.status_code == 202
    code = re.search(r"\d{6}", sent[0]["text"])[0]
    # A failed sign-up and a failed vote session are logged too, if at all, without numbers.
    event = EventPage.objects.get(slug="visit-wuma", locale__language_code="zh-hans")
    client.post(event.url, {"name": "张三", "phone": phone})
    client.post(
        "/api/v1/voter/session/",
        {"phone": phone, "code": "000000"},
        content_type="application/json",
    )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "174****7788" in logged  # the gateway hand-over is logged, masked
    assert phone not in logged and code not in logged
