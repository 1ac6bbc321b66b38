"""Settings shared by every environment; dev, test and production adjust them.

Every value an operator may change comes from the environment (see README, "Operator
interface"); the defaults make ``make run`` work on a fresh machine with SQLite only.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

# The checkout: manage.py, the apps and templates/ live here.
PROJECT_DIR = Path(__file__).resolve().parents[3]
BASE_DIR = PROJECT_DIR

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "campaign_pages",
    "registrations",
    "media_reports",
    "voting",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales: locale admin with sync options
    "wagtailmedia",
    "django_tasks",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "captcha",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",  # after django.contrib.auth (login lockout)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pingan.security.SecurityHeadersMiddleware",  # CSP + Permissions-Policy (django-csp)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside session, CSRF and messages, so what it stores is what they have finished with.
    "campaign_pages.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lockout into campaign_pages.logins' page
    # Last, so it sees a view's exception first: database or storage outages answer 503.
    "campaign_pages.unavailable.ServiceUnavailableMiddleware",
]

# Sign-in protection of every login form (campaign_pages/logins.py, docs/security.md): axes
# locks a (user name, address) pair after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME,
# counted in the database (it holds with the cache down); LOGIN_RATE limits sign-in posts per
# address in the cache.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "campaign_pages.ratelimits.client_ip"
AXES_LOCKOUT_CALLABLE = "campaign_pages.logins.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password"]
LOGIN_RATE = os.environ.get("LOGIN_RATE", "10/m")  # sign-in posts per client address

# Security headers on every response, in every environment (docs/security.md). No
# 'unsafe-inline' for scripts anywhere: every script is a file under /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: for the inline QR SVG and Wagtail's placeholders
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # frame-src: the embed providers of REPORT_EMBED_PROVIDERS, added by the middleware.
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# The admins (Wagtail's and Django's) differ from the public policy only in these directives,
# measured in Chromium by tests/browser/test_csp.py: see docs/security.md.
ADMIN_CSP_PATH_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_CSP = {
    # The admin's JavaScript libraries insert <style> elements (measured: vendor.js); styles
    # only, never scripts.
    "style-src": ["'self'", "'unsafe-inline'"],
    # The editor's preview panel frames the page preview, which is itself an admin URL.
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    # The multiple-image uploader previews each chosen file from a blob: URL before upload.
    "img-src": ["'self'", "data:", "blob:"],
}
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the dashboard would fetch releases.wagtail.org
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "pingan.urls"
WSGI_APPLICATION = "pingan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]


def database_from_env(default_sqlite_path):
    """The ``default`` database from ``DATABASE_URL``, SQLite in the checkout when unset.

    SQLite is tuned for a small server that takes concurrent votes: WAL lets readers go on
    while one writer writes, ``IMMEDIATE`` transactions take the write lock at BEGIN (so two
    writers queue instead of failing with "database is locked" half-way through), and the
    busy timeout says how long a writer waits in that queue.
    """
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_sqlite_path}"
    config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        }
    return config


DATABASES = {"default": database_from_env(PROJECT_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_env():
    """Redis when ``REDIS_URL`` is set (shared by every app server), local memory otherwise."""
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "pingan",
                "OPTIONS": {
                    "SOCKET_CONNECT_TIMEOUT": 1,
                    "SOCKET_TIMEOUT": 1,
                },
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


CACHES = cache_from_env()
# A Redis outage must not take the site down: cache reads miss and writes are dropped (pages
# render uncached, rate limits are not counted: the database still enforces every voting rule)
# until Redis is back; each ignored error is logged and /healthz reports the cache "down".
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# The shared page cache (campaign_pages/page_cache.py): how long a public page may be served
# from the cache at most (0 turns it off), and how stale vote counts on cards and the
# leaderboard may be (they change with every vote and send no invalidation).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_VOTE_COUNT_SECONDS = int(os.environ.get("PAGE_CACHE_VOTE_COUNT_SECONDS", "15"))
PAGE_CACHE_MEMO_SECONDS = 1.0  # per-process memo of the cache generation
# An expired page is served for this long more while one request renders it again; the
# renewal claim lapses after PAGE_CACHE_RENEW_SECONDS if that render never stores.
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "60"))
PAGE_CACHE_RENEW_SECONDS = 30

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Simplified Chinese at un-prefixed URLs, English under /en/.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
USE_I18N = True

# The campaign is run in Beijing time: phases, deadlines and a voting "day" are reckoned here.
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or PROJECT_DIR / "media")
MEDIA_URL = "/media/"
# Files nobody may download from the media URL (objection evidence): served only through
# permission-checked admin views. Keep it outside MEDIA_ROOT and out of the web server's reach.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT") or PROJECT_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "平安小区"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # "simple": no language stemming, so Chinese characters pass through untouched.
        "SEARCH_CONFIG": "simple",
    }
}
# Uploaded files are never served inline as HTML or SVG (docs/security.md): documents are an
# allow-list of office formats (no html, svg, xml, js), always served as attachments through
# Wagtail's view (privacy checked, CSP default-src 'none', nosniff); images are raster only.
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "zip"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Media files (MEDIA_URL) shown in the browser; any other type is served as an attachment
# (pingan/media.py in development, nginx in production).
MEDIA_INLINE_CONTENT_TYPES = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/avif",
    "video/mp4",
    "video/webm",
]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Keys that encrypt personal data at rest (campaign_pages/crypto.py): Fernet keys, newest
# first. Generate one with
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
FIELD_ENCRYPTION_KEYS = [k for k in os.environ.get("FIELD_ENCRYPTION_KEYS", "").split(",") if k]

# Public submissions: django-ratelimit counts per client address in the cache. Behind a
# trusted proxy, name the header it sets (e.g. HTTP_X_REAL_IP); never a header a client sets.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
# While the cache (Redis) is down the limits are not applied rather than refusing everyone.
RATELIMIT_FAIL_OPEN = True
REGISTRATION_SUBMIT_RATE = "20/h"  # registration form posts per client address
REGISTRATION_CAPTCHA_AFTER = "3/h"  # failed posts before the form asks for a captcha
OBJECTION_SUBMIT_RATE = "10/h"  # objection form posts per client address
# Every other public form and endpoint (campaign_pages/ratelimits.py; docs/security.md lists
# them all): per client address unless said otherwise.
REGISTRATION_EDIT_RATE = os.environ.get("REGISTRATION_EDIT_RATE", "20/h")  # correction posts
EVENT_SIGNUP_RATE = os.environ.get("EVENT_SIGNUP_RATE", "10/h")  # field-visit sign-up posts
UPLOAD_RATE = os.environ.get("UPLOAD_RATE", "30/h")  # community uploads, per account
SEARCH_RATE = os.environ.get("SEARCH_RATE", "60/m")
PAGE_ASSET_RATE = os.environ.get("PAGE_ASSET_RATE", "30/m")  # QR codes, posters, certificates
LIVE_POLL_RATE = os.environ.get("LIVE_POLL_RATE", "120/m")  # live polls that read the database
API_READ_RATE = os.environ.get("API_READ_RATE", "300/m")  # GET /api/v1/…
CAPTCHA_RATE = os.environ.get("CAPTCHA_RATE", "30/m")  # new captcha images
PASSWORD_RESET_RATE = os.environ.get("PASSWORD_RESET_RATE", "5/h")  # admin reset e-mails
OBJECTION_EVIDENCE_MAX_FILES = 5
OBJECTION_EVIDENCE_MAX_BYTES = 8 * 1024 * 1024  # per file
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600  # community account invitations stay valid a week
LOGIN_URL = "community:login"

# Reports and live entries may embed content from these hosts (and their sub-domains) only.
REPORT_EMBED_PROVIDERS = [
    "v.qq.com",
    "bilibili.com",
    "youku.com",
    "ixigua.com",
    "weibo.com",
]
# Live coverage: how often readers' pages poll, and how long a cached version may live.
LIVE_POLL_SECONDS = 10
LIVE_VERSION_TTL = 30
LIVE_MEMO_SECONDS = 1.0  # per-process memo of the cached version (see media_reports/live.py)
# bench/live.py: serve the trivial yardstick view at /bench/trivial/ only when this is on.
BENCH_VIEWS = os.environ.get("BENCH_VIEWS", "").lower() in ("1", "true", "yes")

# Background tasks (django-tasks, Django's task framework): video conversion. By default a
# task runs in the same process once the upload's transaction commits (views use on_commit),
# so `make run` needs no worker; TASKS_BACKEND=database queues them in the database for `manage.py
# db_worker` (the django-tasks-db package; see docs/deployment.md).
if os.environ.get("TASKS_BACKEND") == "database":
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# /healthz reports the task queue down when its oldest waiting task has waited this long.
TASKS_MAX_QUEUE_SECONDS = int(os.environ.get("TASKS_MAX_QUEUE_SECONDS", "900"))

# Community uploads of promotional videos (§五(三)) and photos.
CANDIDATE_VIDEO_MAX_BYTES = int(os.environ.get("CANDIDATE_VIDEO_MAX_MB", "200")) * 1024 * 1024
CANDIDATE_VIDEO_MAX_SECONDS = int(os.environ.get("CANDIDATE_VIDEO_MAX_SECONDS", "300"))
CANDIDATE_VIDEO_TIMEOUT = 30 * 60  # seconds one conversion may take before it is failed
CANDIDATE_MAX_PHOTOS = 30  # photos one candidate may have at a time (pending and approved)
# Large uploads go to a temporary file, not to memory (ffmpeg reads the file).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILMEDIA = {"MEDIA_MODEL": "wagtailmedia.Media"}

# Voting (voting/): voters are a keyed hash (HMAC-SHA256) of their number under this key.
VOTER_HASH_KEY = os.environ.get("VOTER_HASH_KEY", "")
VOTER_TOKEN_DAYS = 30  # how long the app's Bearer token lasts
VOTE_CODE_TTL = 300  # seconds a one-time code stays valid
VOTE_CODE_ATTEMPTS = 5  # wrong guesses before a code is spent
VOTE_CODE_RESEND_SECONDS = 60  # per number, between two codes
VOTE_CODES_PER_NUMBER = os.environ.get("VOTE_CODES_PER_NUMBER", "5/h")
VOTE_CODES_PER_CLIENT = os.environ.get("VOTE_CODES_PER_CLIENT", "20/h")
VOTE_CAPTCHA_AFTER = os.environ.get("VOTE_CAPTCHA_AFTER", "3/h")  # web: codes before a captcha
VOTE_SESSIONS_PER_CLIENT = os.environ.get("VOTE_SESSIONS_PER_CLIENT", "30/h")
VOTE_RATE_VOTER = os.environ.get("VOTE_RATE_VOTER", "20/m")
VOTE_RATE_CLIENT = os.environ.get("VOTE_RATE_CLIENT", "120/m")
VOTE_RATE_BLOCK = os.environ.get("VOTE_RATE_BLOCK", "600/m")
# How long each process keeps what votes read of the campaign (casting.voting_context).
VOTE_CONTEXT_SECONDS = float(os.environ.get("VOTE_CONTEXT_SECONDS", "5"))
# Anti-fraud flags: more than this many votes for one candidate from one address block in
# VOTE_FLAG_WINDOW seconds, or a vote this soon after the voter's code was sent.
VOTE_FLAG_BLOCK_VOTES = 20
VOTE_FLAG_WINDOW = 600
VOTE_FLAG_AFTER_CODE_SECONDS = 5
VOTE_FLAG_SAME_AGENT_VOTERS = 30
# SMS_BACKEND=http posts each message as JSON to this gateway (campaign_pages/sms.py).
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_SIGN = os.environ.get("SMS_GATEWAY_SIGN", "温州网")
SMS_GATEWAY_TIMEOUT = 5  # seconds

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "平安小区 API",
    "DESCRIPTION": "The JSON API of the campaign for the 我们 app (DESIGN.md §6).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["voting.schema.only_public_api"],
}

SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "pingan": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Names shown in the admin for the two content languages.
LANGUAGE_NAMES = {"zh-hans": _("Chinese"), "en": _("English")}

FORMAT_MODULE_PATH = ["pingan.formats"]
