"""The URL enumeration helper that the permission matrix test will use (tests/urlpatterns.py)."""

import pytest
from django.urls import resolve
from django.utils import translation

from tests.urlpatterns import concrete, live_page_urls, site_routes


def by_name():
    return {route.name: route for route in site_routes() if route.name}


def test_every_area_of_the_site_is_enumerated():
    routes = by_name()
    assert routes["wagtailadmin_home"].area == "admin"
    assert routes["wagtailadmin_pages:edit"].route == "admin/pages/<int:page_id>/edit/"
    assert routes["admin:index"].area == "django-admin"
    assert routes["api:votes"].area == "api" and routes["api:votes"].route == "api/v1/votes/"
    assert routes["community:login"].area == "front" and routes["community:login"].localised
    assert routes["search"].localised and not routes["healthz"].localised
    assert {route.area for route in site_routes()} == {"admin", "django-admin", "api", "front"}
    assert len(site_routes()) > 300  # the admins bring hundreds of views


def test_concrete_paths_resolve_to_the_same_view(settings):
    routes = by_name()
    # Unprefixed paths are the default language's: a test client request before this one
    # may have left English active in this thread.
    translation.activate(settings.LANGUAGE_CODE)
    for name, values in [
        ("wagtailadmin_pages:edit", {"page_id": 5}),
        ("community:registration", {"pk": 3}),
        ("api:candidate", {"candidate_id": "7"}),
        ("live_updates", {"coverage_id": 9}),
    ]:
        route = routes[name]
        path = concrete(route, **values)
        assert resolve(path).func == route.view, path
    assert concrete(routes["wagtailadmin_pages:edit"], page_id=5) == "/admin/pages/5/edit/"
    assert concrete(routes["page_asset"], page_path="2016/register/", asset="qr.png") == (
        "/2016/register/qr.png"
    )


@pytest.mark.django_db
def test_the_page_tree_is_enumerated_in_both_languages():
    urls = live_page_urls()
    assert "/2016/" in urls and "/en/2016/" in urls and "/2016/register/" in urls
