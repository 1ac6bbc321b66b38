"""The SMS backends: file (one JSON file per message) and the HTTP gateway adapter."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from campaign_pages.sms import SMSDeliveryError, get_backend, send_sms


def test_file_backend_writes_one_json_file_per_message(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path)
    send_sms("13912345678", "验证码 123456")
    send_sms("13912345678", "验证码 654321")
    messages = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("*.json"))]
    assert [m["text"] for m in messages] == ["验证码 123456", "验证码 654321"]
    assert not list(tmp_path.glob("*.tmp"))


@pytest.fixture
def gateway():
    """A fake gateway on loopback that records what it receives and answers ``status``."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        status = 200

        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(
                {"auth": self.headers["Authorization"], "body": json.loads(self.rfile.read(length))}
            )
            self.send_response(Handler.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received = received
    server.handler = Handler
    server.url = f"http://127.0.0.1:{server.server_port}/send"
    yield server
    server.shutdown()


def test_http_gateway_posts_json_with_the_token(settings, gateway):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_TOKEN = "t0ken"
    send_sms("13912345678", "【温州网】您的验证码为123456")
    (request,) = gateway.received
    assert request["auth"] == "Bearer t0ken"
    assert request["body"] == {
        "phone": "13912345678",
        "text": "【温州网】您的验证码为123456",
        "sign": "温州网",
    }


def test_http_gateway_refusal_raises(settings, gateway):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = gateway.url
    gateway.handler.status = 500
    with pytest.raises(SMSDeliveryError):
        send_sms("13912345678", "x")


def test_http_gateway_unreachable_raises(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:1/send"  # nothing listens on port 1
    with pytest.raises(SMSDeliveryError):
        send_sms("13912345678", "x")


def test_http_gateway_without_url_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(ImproperlyConfigured):
        get_backend()
