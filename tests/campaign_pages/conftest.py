import pytest
from wagtail.models import Locale

from campaign_pages.models import ArticlePage, CampaignPage, HomePage


@pytest.fixture
def zh(db):
    return Locale.objects.get(language_code="zh-hans")


@pytest.fixture
def en(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def home(zh):
    return HomePage.objects.get(locale=zh)


@pytest.fixture
def campaign(zh):
    return CampaignPage.objects.get(locale=zh, slug="2016")


@pytest.fixture
def notice(campaign):
    return ArticlePage.objects.child_of(campaign).get(slug="notice")


@pytest.fixture
def rules(campaign):
    return ArticlePage.objects.child_of(campaign).get(slug="rules")
