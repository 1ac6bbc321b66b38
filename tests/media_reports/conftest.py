import pytest
from django.core.cache import cache

from campaign_pages.models import Community, ResidenceIndexPage, ResidencePage
from media_reports.models import EventPage, LiveCoveragePage, ReportIndexPage


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test rolls its database back, so the cached live versions must go too."""
    from media_reports.live import _memo

    cache.clear()
    _memo.clear()
    yield
    cache.clear()
    _memo.clear()


@pytest.fixture
def index(campaign):
    return ReportIndexPage.objects.child_of(campaign).get(slug="reports")


@pytest.fixture
def coverage(campaign):
    return LiveCoveragePage.objects.child_of(campaign).get(slug="live")


@pytest.fixture
def event(campaign):
    return EventPage.objects.child_of(campaign).get(slug="visit-wuma")


@pytest.fixture
def candidate(campaign):
    """A published candidate page (the demo has none yet: registrations will add them)."""
    community = Community.objects.select_related("street").get(name="南郊一社区")
    residence_index = ResidenceIndexPage.objects.child_of(campaign).get()
    page = ResidencePage(
        title="南郊一社区演示花园", slug="demo-garden", street=community.street, community=community
    )
    residence_index.add_child(instance=page)
    page.save_revision().publish()
    return page
