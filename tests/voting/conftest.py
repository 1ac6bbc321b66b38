"""Fixtures for voting: codes read from the ``file`` SMS backend, as the app's testers do."""

import json
import re
import shutil
import socket
import subprocess
import time
from itertools import count

import pytest

from voting import casting

_numbers = count(1)


def new_phone():
    """A number of the 1741 block, never issued to a subscriber."""
    return f"1741{next(_numbers) + 3_000_000:07d}"


def read_code(folder, phone):
    messages = sorted(folder.glob("*.json"))
    for path in reversed(messages):
        message = json.loads(path.read_text(encoding="utf-8"))
        if message["phone"] == phone:
            return re.search(r"\d{6}", message["text"]).group()
    raise AssertionError(f"no SMS to {phone}")


def post(client, path, data, **extra):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(f"/api/v1/{path}", body, content_type="application/json", **extra)


@pytest.fixture
def sms_dir(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    return tmp_path / "sms"


@pytest.fixture
def campaign(db):
    return casting.current_campaign()


@pytest.fixture
def candidate_ids(campaign):
    return list(casting.candidates(campaign).values_list("pk", flat=True))


@pytest.fixture
def login(client, sms_dir):
    """login() -> (phone, Bearer header) for a fresh verified voter."""

    def make(phone=None):
        phone = phone or new_phone()
        assert post(client, "voter/code/", {"phone": phone}).status_code == 202
        response = post(
            client, "voter/session/", {"phone": phone, "code": read_code(sms_dir, phone)}
        )
        assert response.status_code == 201, response.content
        return phone, {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    return make


def clear_votes():
    """Tests of counting start from no votes (the demo's are rolled back after each test)."""
    from voting.models import Tally, Vote, VoterDay

    Vote.objects.all().delete()
    Tally.objects.all().delete()
    VoterDay.objects.all().delete()


@pytest.fixture
def no_votes(db):
    clear_votes()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis(settings):
    """A redis-server of this test alone, as the cache: (its process, a client to it).

    A test may stop it (an outage) or count its commands; it is killed at the end.
    """
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    import redis

    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
            }
        }
        yield server, redis.Redis(port=port)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


# The selection's fixtures (role accounts, phases moved to today, inspections).
from tests.voting.selection_helpers import *  # noqa: E402, F403
