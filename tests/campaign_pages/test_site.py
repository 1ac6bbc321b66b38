"""Settings, languages, sitemap and robots.txt: what every deployment relies on."""

import base64
import os
from pathlib import Path
from xml.etree import ElementTree

import polib
import pytest
from django.conf import settings
from django.db import connection

from tests import fresh_django

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


SECRETS = ("SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS", "VOTER_HASH_KEY")


def run_django(settings_module, code, **env):
    """``code`` in a fresh interpreter, without this process's secrets unless given."""
    return fresh_django.run_django(settings_module, code, drop=SECRETS.__contains__, **env)


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_django("pingan.settings.production", "print('started')", ALLOWED_HOSTS="x.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "started" not in result.stdout


def test_production_settings_refuse_to_start_without_an_encryption_key():
    result = run_django(
        "pingan.settings.production", "print('started')", SECRET_KEY="k" * 60, ALLOWED_HOSTS="x.cn"
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = run_django("pingan.settings.production", "print('started')", SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_read_database_and_redis_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.DEBUG)"
    )
    result = run_django(
        "pingan.settings.production",
        code,
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="pingan.example.cn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        REDIS_URL="redis://127.0.0.1:6379/0",
        # A key made for this run: production refuses the public dev and test keys.
        FIELD_ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        VOTER_HASH_KEY="v" * 40,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django_redis.cache.RedisCache",
        "False",
    ]


def test_embedded_sqlite_is_tuned_for_concurrent_writers():
    from pingan.settings.base import database_from_env

    config = database_from_env(Path("/tmp/x.db")) if "DATABASE_URL" not in os.environ else None
    if config is None:
        pytest.skip("DATABASE_URL points elsewhere")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] > 0
    assert config["CONN_MAX_AGE"] > 0


@pytest.mark.django_db
def test_sqlite_connection_really_runs_in_wal_mode(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL run")
    result = run_django(
        "pingan.settings.dev",
        "from django.db import connection as c; c.cursor().execute('select 1');"
        "print(c.cursor().execute('pragma journal_mode').fetchone()[0])",
        DATABASE_URL=f"sqlite:///{tmp_path / 'wal.db'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"


def test_time_zone_is_beijing_and_aware():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(PO))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    mo = polib.mofile(str(PO.with_suffix(".mo")))

    def translations(catalogue):
        return {
            (e.msgctxt, e.msgid): e.msgstr or {int(k): v for k, v in e.msgstr_plural.items()}
            for e in catalogue
            if e.msgid
        }

    # The committed .mo says exactly what the .po says: nobody forgot `make messages`.
    assert translations(mo) == translations(po.translated_entries())


@pytest.mark.django_db
def test_interface_text_is_chinese_by_default_and_english_under_en(client):
    assert "跳到正文" in client.get("/2016/").content.decode()
    assert "Skip to content" in client.get("/en/2016/").content.decode()


@pytest.mark.django_db
def test_sitemap_lists_live_pages_in_both_languages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {loc.text for loc in tree.findall("s:url/s:loc", ns)}
    paths = {loc.split("8000", 1)[-1] for loc in locations}
    assert {"/", "/2016/", "/2016/notice/", "/en/", "/en/2016/rules/"} <= paths


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in body
