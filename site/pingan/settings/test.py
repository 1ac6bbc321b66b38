"""Fast, isolated settings for the test suite (SQLite in memory unless DATABASE_URL is set)."""

import os
import secrets

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = PROJECT_DIR / "test-artifacts" / "media"  # noqa: F405
PRIVATE_MEDIA_ROOT = PROJECT_DIR / "test-artifacts" / "private-media"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files from the apps' folders, as runserver does, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A fixed, public key for test data only; production reads FIELD_ENCRYPTION_KEYS (required).
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or ["dGVzdC1vbmx5LWtleS1mb3ItcGluZ2FuLXRlc3RzISE="]  # noqa: F405

# A shared Redis outlives a test run: give each run its own key space, so nothing cached by
# another run (renditions pointing at another checkout's files, rate-limit counters) leaks in.
if "KEY_PREFIX" in CACHES["default"]:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"pingan-test-{os.getpid()}-{secrets.token_hex(4)}"  # noqa: F405

# A fixed, public key for test data only; production reads VOTER_HASH_KEY (required).
VOTER_HASH_KEY = VOTER_HASH_KEY or "test-only-voter-hash-key"  # noqa: F405

# SQLite tests use a file, not the in-memory default: live-server tests (concurrent votes)
# then give each server thread its own connection with WAL and IMMEDIATE transactions, as in
# production, instead of sharing one in-memory connection across threads.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    TEST_DATABASE_DIR = PROJECT_DIR / "test-artifacts"  # noqa: F405
    TEST_DATABASE_DIR.mkdir(exist_ok=True)  # a fresh clone has no test-artifacts/ yet
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(TEST_DATABASE_DIR / f"test-{os.getpid()}.sqlite3")
    }

# Tests roll their changes back without signals, so a kept campaign snapshot could outlive
# the test that made it: votes read the campaign afresh (tests of the memo turn it on).
VOTE_CONTEXT_SECONDS = 0
