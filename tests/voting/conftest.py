"""Fixtures for voting: codes read from the ``file`` SMS backend, as the app's testers do."""

import json
import re
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


# The selection's fixtures (role accounts, phases moved to today, inspections).
from tests.voting.selection_helpers import *  # noqa: E402, F403
