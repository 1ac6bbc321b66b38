"""A community's photo upload when the upload folder is full: a clear 503, nothing recorded."""

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from wagtail.images import get_image_model

from campaign_pages import unavailable
from registrations.models import ResidencePhoto

from .conftest import png_bytes
from .test_uploads import account, community, post_photo  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_photo_upload_when_the_folder_is_full_gets_503_and_records_nothing(
    community,  # noqa: F811
    registration,
    monkeypatch,
):
    attempts = []

    def no_space(self, name, content):
        attempts.append(name)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", no_space)
    before = (ResidencePhoto.objects.count(), get_image_model().objects.count())
    response = post_photo(community, registration, png_bytes((800, 600), fmt="JPEG"))
    assert attempts, "nothing was written: the test did not reach the storage"
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.STORAGE_RETRY_AFTER)
    assert "上传存储空间已满" in response.content.decode()
    # No photo row and no image row: nothing in the database points at a missing file.
    assert (ResidencePhoto.objects.count(), get_image_model().objects.count()) == before
