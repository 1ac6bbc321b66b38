import pytest

from campaign_pages.models import ArticlePage


@pytest.fixture
def notice(campaign):
    return ArticlePage.objects.child_of(campaign).get(slug="notice")


@pytest.fixture
def rules(campaign):
    return ArticlePage.objects.child_of(campaign).get(slug="rules")
