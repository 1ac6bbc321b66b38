"""Encryption at rest for personal data (phone numbers) in model fields.

Values are encrypted with Fernet (AES-128-CBC + HMAC, from the ``cryptography`` package)
under keys from the environment (``FIELD_ENCRYPTION_KEYS``, comma-separated, newest first:
old keys still decrypt, so keys can be rotated). A database dump without the key shows only
ciphertext. The key is deliberately separate from ``SECRET_KEY``, so rotating one does not
destroy the other's data.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys):
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: personal data cannot be stored."
        )
    return MultiFernet([Fernet(key) for key in keys])


def fernet():
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


class EncryptedCharField(models.TextField):
    """A text field stored encrypted; reads give the clear text back to the application.

    It cannot be filtered or ordered on: store a keyed hash beside it where lookups are needed.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken as error:
            raise ImproperlyConfigured(
                "A stored value does not decrypt with FIELD_ENCRYPTION_KEYS: was a key removed?"
            ) from error

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return fernet().encrypt(value.encode()).decode()
