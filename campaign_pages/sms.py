"""Text messages through a pluggable backend (``SMS_BACKEND``).

``console`` logs each message (development); ``file`` writes one JSON file per message into
``SMS_FILE_PATH`` (tests and black-box clients read codes from there); any other value is the
dotted path of a class with a ``send(phone, text)`` method (a gateway adapter).
"""

import json
import logging
import secrets
from pathlib import Path

from django.conf import settings
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


BACKENDS = {"console": ConsoleBackend, "file": FileBackend}


def get_backend():
    name = settings.SMS_BACKEND
    backend_class = BACKENDS.get(name) or import_string(name)
    return backend_class()


def send_sms(phone, text):
    get_backend().send(phone, text)
