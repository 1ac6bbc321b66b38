import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from campaign_pages.models import CampaignPage, ResidenceIndexPage, ResidencePage
from registrations.models import Registration


@pytest.fixture
def campaign(db):
    return CampaignPage.objects.get(locale__language_code="zh-hans", slug="2016")


@pytest.fixture
def index(campaign):
    return ResidenceIndexPage.objects.child_of(campaign).get()


@pytest.fixture
def candidate(index):
    """A published demo candidate with its registration and community account."""
    return ResidencePage.objects.child_of(index).live().order_by("-path").first()  # no demo video


@pytest.fixture
def registration(candidate):
    return Registration.objects.get(residence=candidate)


def png_bytes(size=(1600, 1200), color=(30, 120, 200), fmt="PNG"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def make_image(db):
    def make(title="cover", size=(1600, 1200)):
        return get_image_model().objects.create(
            title=title, file=ImageFile(io.BytesIO(png_bytes(size)), name=f"{title}.png")
        )

    return make
