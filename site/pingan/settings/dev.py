"""Local development: ``make run`` serves this on SQLite at http://127.0.0.1:8000."""

import contextlib

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-secret-key-not-for-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]  # noqa: F405

# runserver serves static files itself; no collectstatic step in development.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Developer overrides that are never committed (settings/local.py is git-ignored).
with contextlib.suppress(ImportError):
    from .local import *  # noqa: F403

# A fixed, public key for dev data only; production reads FIELD_ENCRYPTION_KEYS (required).
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or ["ZGV2LW9ubHkta2V5LWZvci1waW5nYW4tZGV2LWRhdGE="]  # noqa: F405

# A fixed, public key for dev data only; production reads VOTER_HASH_KEY (required).
VOTER_HASH_KEY = VOTER_HASH_KEY or "dev-only-voter-hash-key"  # noqa: F405
