"""Production: PostgreSQL, Redis, gunicorn behind a TLS-terminating proxy.

Refuses to start without ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``FIELD_ENCRYPTION_KEYS`` and
``VOTER_HASH_KEY`` (and the SMS gateway's URL and token with ``SMS_BACKEND=http``), or with
one of the public values the dev and test settings use: a site that starts with a guessable
key or accepts any Host header is worse than one that does not start.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def required_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in the environment for pingan.settings.production "
            "(see README, 'Operator interface')."
        )
    return value


# The public values that dev.py and test.py fall back to: never acceptable here.
PUBLIC_DEV_VALUES = {
    "dev-only-secret-key-not-for-production",
    "test-only-secret-key",
    "ZGV2LW9ubHkta2V5LWZvci1waW5nYW4tZGV2LWRhdGE=",
    "dGVzdC1vbmx5LWtleS1mb3ItcGluZ2FuLXRlc3RzISE=",
    "dev-only-voter-hash-key",
    "test-only-voter-hash-key",
}


def required_secret(name):
    """A required secret that is not one of the public development or test values."""
    value = required_env(name)
    if any(part.strip() in PUBLIC_DEV_VALUES for part in value.split(",")):
        raise ImproperlyConfigured(
            f"{name} is one of the public development/test values; generate a real one."
        )
    return value


def fernet_keys(value):
    """The comma-separated keys, each checked now: a bad key would fail the first save."""
    from cryptography.fernet import Fernet

    keys = [k.strip() for k in value.split(",") if k.strip()]
    for key in keys:
        try:
            Fernet(key)
        except ValueError as error:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS must be Fernet keys (see settings/base.py)."
            ) from error
    return keys


DEBUG = False
SECRET_KEY = required_secret("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in required_env("ALLOWED_HOSTS").split(",") if h.strip()]
FIELD_ENCRYPTION_KEYS = fernet_keys(required_secret("FIELD_ENCRYPTION_KEYS"))
VOTER_HASH_KEY = required_secret("VOTER_HASH_KEY")
if SMS_BACKEND == "http":  # noqa: F405 - the gateway's address and credential, or no start
    SMS_GATEWAY_URL = required_env("SMS_GATEWAY_URL")
    SMS_GATEWAY_TOKEN = required_secret("SMS_GATEWAY_TOKEN")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# TLS is terminated by the proxy in front (nginx), which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

LOGGING["root"]["level"] = "INFO"  # noqa: F405
