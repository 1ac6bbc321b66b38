"""Outages while someone registers: a 503 with Retry-After in their language, nothing saved.

The database part runs against the real thing: SQLite's write lock held by another
connection (or a PostgreSQL table lock) past a short busy timeout, and on PostgreSQL the
app's own backend terminated in the middle of the request (``pg_terminate_backend``; the
suite's own connection only, never anybody else's).
"""

import errno
import sqlite3
from contextlib import contextmanager

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connection
from django.db.models.signals import post_save
from django.test import RequestFactory

from campaign_pages import unavailable
from registrations.models import Registration, RegistrationPhoto, StatusChange

from .conftest import FORM_URL

DEVNULL = open("/dev/null", "w")  # noqa: SIM115
ON_POSTGRES = connection.vendor == "postgresql"


def counts():
    return (
        Registration.objects.count(),
        RegistrationPhoto.objects.count(),
        StatusChange.objects.count(),
    )


def photo_upload(name="gate.jpg"):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#b3261e").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# -- upload folder full ------------------------------------------------------------------------


@pytest.fixture
def storage_full(monkeypatch):
    """Every file write fails as on a full disk (the MEDIA_ROOT filesystem has no space)."""
    written = []

    def no_space(self, name, content):
        written.append(name)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", no_space)
    return written


@pytest.mark.django_db
def test_photo_when_the_upload_folder_is_full_gets_503_in_chinese_and_saves_nothing(
    client, valid_data, storage_full
):
    before = counts()
    valid_data["photos"] = [photo_upload(), photo_upload("door.jpg")]
    response = client.post(FORM_URL, valid_data)
    assert storage_full, "the photo was not even written: the test did not test anything"
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.STORAGE_RETRY_AFTER)
    page = response.content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "上传存储空间已满" in page
    assert 'style="' not in page and "<script" not in page
    # The transaction rolled back: no registration, no status row, no photo row at all, so no
    # record points at a file that is missing.
    assert counts() == before
    assert not Registration.objects.filter(residence_name=valid_data["residence_name"]).exists()


@pytest.mark.django_db
def test_registration_without_photos_is_saved_while_the_upload_folder_is_full(
    client, valid_data, storage_full
):
    before = Registration.objects.count()
    response = client.post(FORM_URL, valid_data)
    assert response.status_code == 200
    assert Registration.objects.count() == before + 1


# -- the database fails mid-request ------------------------------------------------------------


@pytest.mark.django_db
def test_english_page_gets_an_english_503_when_the_database_fails(client, monkeypatch):
    from campaign_pages import views

    def dropped(_text):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "build_query", dropped)
    response = client.get("/en/search/?q=safe")
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.DATABASE_RETRY_AFTER)
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Nothing was saved: please send it again in a moment." in page


@pytest.mark.django_db
def test_api_gets_a_json_503_when_the_database_connection_is_gone(client, monkeypatch):
    from voting import casting

    def gone():
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(casting, "current_campaign", gone)
    response = client.get("/api/v1/campaigns/current/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.DATABASE_RETRY_AFTER)
    error = response.json()["error"]
    assert error["code"] == "unavailable"
    assert "没有保存" in error["message"]


def test_outage_outside_a_view_is_a_503_through_handler500():
    request = RequestFactory().get("/2016/")
    try:
        raise OperationalError("terminating connection due to administrator command")
    except OperationalError:
        response = unavailable.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.DATABASE_RETRY_AFTER)


def test_a_real_bug_outside_a_view_stays_a_500():
    request = RequestFactory().get("/2016/")
    try:
        raise KeyError("a bug, not an outage")
    except KeyError:
        response = unavailable.server_error(request)
    assert response.status_code == 500


def test_other_os_errors_are_not_outages():
    assert unavailable.outage_kind(OSError(errno.ENOENT, "No such file")) is None
    assert unavailable.outage_kind(OSError(errno.ENOSPC, "No space")) == "storage"
    assert unavailable.outage_kind(PermissionError(errno.EACCES, "Permission denied")) == "storage"


@contextmanager
def write_lock_held_elsewhere():
    """Another connection holds the write lock of what a registration writes, then lets go."""
    if ON_POSTGRES:
        import psycopg

        params = connection.get_connection_params()
        other = psycopg.connect(**params)
        try:
            other.execute("LOCK TABLE registrations_registration IN ACCESS EXCLUSIVE MODE")
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '200ms'")
            yield
        finally:
            other.rollback()
            other.close()
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    else:
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # SQLite's one write lock
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 200")  # instead of 20 s
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 20000")


@pytest.fixture
def demo(transactional_db):
    """A transactional test (so that another connection can lock) starts empty: build the demo."""
    call_command("load_demo", stdout=DEVNULL)


@pytest.mark.django_db(transaction=True)
def test_registration_under_a_held_write_lock_gets_503_not_500_then_goes_through(
    demo, client, valid_data
):
    valid_data["contact_phone"] = "17410000001"
    before = counts()
    with write_lock_held_elsewhere():
        response = client.post(FORM_URL, valid_data)
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.DATABASE_RETRY_AFTER)
    assert "请稍后重新提交" in response.content.decode()
    assert counts() == before
    # The lock is free again: the same post goes through (no 500, no half-saved first try).
    response = client.post(FORM_URL, valid_data)
    assert response.status_code == 200
    assert counts() == (before[0] + 1, before[1], before[2] + 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="a dropped server connection needs PostgreSQL")
def test_connection_terminated_mid_registration_rolls_back_then_reconnects(
    demo, client, valid_data
):
    import psycopg

    valid_data["contact_phone"] = "17410000002"
    before = counts()
    terminated = []

    def terminate_own_backend(sender, instance, created, **kwargs):
        # The registration row is written (inside the request's transaction); now the
        # server drops this connection, as a PostgreSQL restart or failover would.
        pid = connection.connection.info.backend_pid
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        terminated.append(pid)

    post_save.connect(terminate_own_backend, sender=Registration)
    try:
        response = client.post(FORM_URL, valid_data)
    finally:
        post_save.disconnect(terminate_own_backend, sender=Registration)
    assert terminated
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.DATABASE_RETRY_AFTER)
    # Django dropped the dead connection; the next request opens a new one.
    assert client.get("/healthz").status_code == 200
    assert connection.connection.info.backend_pid != terminated[0]
    assert counts() == before  # the half-done registration was rolled back
    response = client.post(FORM_URL, valid_data)
    assert response.status_code == 200
    assert counts() == (before[0] + 1, before[1], before[2] + 1)
