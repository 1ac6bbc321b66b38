"""SQL queries per public page type, uncached, against the bounds in bench/page_types.py.

Each page is rendered once first (renditions made, the site's root paths cached, as on a
running site), then the page cache is dropped and the next render is counted. A cached hit
costs no query at all.
"""

import pytest
from django.test import Client

from bench.page_types import PAGE_TYPES
from campaign_pages import page_cache

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_uncached_page_stays_within_its_query_bound(name, django_assert_max_num_queries):
    url, bound, cached = PAGE_TYPES[name]
    assert Client().get(url).status_code == 200
    page_cache.invalidate()
    with django_assert_max_num_queries(bound):
        response = Client().get(url)
    assert response.status_code == 200
    assert response.get("X-Cache", "skip") == ("miss" if cached else "skip")


@pytest.mark.parametrize("name", [name for name, spec in PAGE_TYPES.items() if spec[2]])
def test_cached_page_is_served_without_a_query(name, django_assert_num_queries):
    url = PAGE_TYPES[name][0]
    Client().get(url)
    with django_assert_num_queries(0):
        response = Client().get(url)
    assert response["X-Cache"] == "hit"
