"""/healthz: 200 when the database and the cache answer, 503 with Retry-After when not."""

import pytest
from django.db.utils import OperationalError

from campaign_pages import views

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200_with_each_component(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_cache_down_answers_503(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "down"}
    assert response["Retry-After"] == "30"


def test_database_down_answers_503(client, monkeypatch):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setitem(views.HEALTH_CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"
