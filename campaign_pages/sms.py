"""Text messages through a pluggable backend (``SMS_BACKEND``).

``console`` logs each message (development); ``file`` writes one JSON file per message into
``SMS_FILE_PATH`` (tests and black-box clients read codes from there); ``http`` posts to an
HTTP gateway (``SMS_GATEWAY_*``); any other value is the dotted path of a class with a
``send(phone, text)`` method (another gateway's adapter).
"""

import json
import logging
import secrets
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from campaign_pages.phones import mask_phone

logger = logging.getLogger("pingan.sms")


class ConsoleBackend:
    def send(self, phone, text):
        logger.info("SMS to %s: %s", mask_phone(phone), text)


class FileBackend:
    def __init__(self, folder=None):
        self.folder = Path(folder or settings.SMS_FILE_PATH)

    def send(self, phone, text):
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.json"
        message = {"phone": phone, "text": text, "sent_at": timezone.now().isoformat()}
        path = self.folder / name
        tmp = path.with_suffix(".tmp")
        # Written aside then renamed, so a reader never sees half a message.
        tmp.write_text(json.dumps(message, ensure_ascii=False), encoding="utf-8")
        tmp.rename(path)


class SMSDeliveryError(Exception):
    """The gateway did not accept the message."""


class HttpGatewayBackend:
    """Posts each message as JSON to an HTTP SMS gateway (``SMS_GATEWAY_URL``).

    The body is ``{"phone", "text", "sign"}`` (``sign`` is the registered signature, e.g.
    温州网), with ``Authorization: Bearer SMS_GATEWAY_TOKEN``. Any answer but 2xx, or no answer
    within ``SMS_GATEWAY_TIMEOUT`` seconds, raises ``SMSDeliveryError``: the caller decides
    whether to retry or to tell the user.
    """

    def __init__(self):
        if not settings.SMS_GATEWAY_URL:
            raise ImproperlyConfigured(
                "SMS_BACKEND names the HTTP gateway but SMS_GATEWAY_URL is empty."
            )
        self.url = settings.SMS_GATEWAY_URL
        self.token = settings.SMS_GATEWAY_TOKEN
        self.sign = settings.SMS_GATEWAY_SIGN
        self.timeout = settings.SMS_GATEWAY_TIMEOUT

    def send(self, phone, text):
        body = json.dumps({"phone": phone, "text": text, "sign": self.sign}, ensure_ascii=False)
        request = urllib.request.Request(
            self.url,
            data=body.encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SMSDeliveryError(f"SMS gateway unreachable: {error}") from error
        if not 200 <= status < 300:
            raise SMSDeliveryError(f"SMS gateway answered {status}")
        logger.info("SMS to %s handed to the gateway", mask_phone(phone))


BACKENDS = {"console": ConsoleBackend, "file": FileBackend, "http": HttpGatewayBackend}


def get_backend():
    name = settings.SMS_BACKEND
    backend_class = BACKENDS.get(name) or import_string(name)
    return backend_class()


def send_sms(phone, text):
    get_backend().send(phone, text)
