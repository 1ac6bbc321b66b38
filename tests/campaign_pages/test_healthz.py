"""/healthz: 200 when the database, the cache and the task queue answer, 503 when one does not."""

from datetime import timedelta

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from campaign_pages import views

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200_with_each_component(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "tasks": "inline"},
        "details": {"tasks": {"backend": "immediate"}},
    }
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
    assert response.json()["checks"] == {"database": "ok", "cache": "down", "tasks": "inline"}
    assert response["Retry-After"] == "30"


def test_database_down_answers_503(client, monkeypatch):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setitem(views.HEALTH_CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


@pytest.fixture
def database_queue(settings):
    """The production queue (django-tasks-db's database backend) in place of the inline one."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.usefixtures("database_queue")
def test_task_queue_reports_the_oldest_waiting_task(client, monkeypatch):
    waiting_since = timezone.now() - timedelta(seconds=40)
    monkeypatch.setattr(views, "queued_tasks", lambda: (3, waiting_since))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["tasks"] == "ok"
    assert body["details"]["tasks"]["backend"] == "database"
    assert body["details"]["tasks"]["queued"] == 3
    assert 40 <= body["details"]["tasks"]["oldest_queued_seconds"] < 900


@pytest.mark.usefixtures("database_queue")
def test_empty_task_queue_is_ok(client, monkeypatch):
    monkeypatch.setattr(views, "queued_tasks", lambda: (0, None))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["details"]["tasks"]["oldest_queued_seconds"] == 0


@pytest.mark.usefixtures("database_queue")
def test_task_waiting_past_the_limit_means_no_worker_and_answers_503(client, monkeypatch, settings):
    settings.TASKS_MAX_QUEUE_SECONDS = 600
    monkeypatch.setattr(views, "queued_tasks", lambda: (1, timezone.now() - timedelta(hours=1)))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "ok", "cache": "ok", "tasks": "down"}
    assert body["details"]["tasks"]["oldest_queued_seconds"] >= 3600
