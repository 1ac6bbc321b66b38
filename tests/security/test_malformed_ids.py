"""A malformed id in a URL is a 404 (or another 4xx), never a 500, on every route.

Every route whose pattern lets text through (a ``str`` or regex parameter, not an ``int``
converter) is requested as a superuser, who reaches furthest into each view, with text
where an id would be. Wagtail's chooser "chosen" views answered 500 to ``chosen/x/`` before
``campaign_pages.choosers.answer_malformed_ids_with_404``.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.urlpatterns import concrete, site_routes

MALFORMED = ("x", "1x", "-1", "9" * 30)


def text_parameters(route):
    """The parameters of ``route`` that let text through (all of a regex route's)."""
    if route.is_regex:
        return list(route.parameters)
    return [name for name in route.parameters if f"<int:{name}>" not in route.route]


def text_routes():
    """Routes with a parameter that lets text through (Wagtail's page catch-all aside)."""
    return [
        route
        for route in site_routes()
        if route.name not in (None, "wagtail_serve") and text_parameters(route)
    ]


def test_the_sweep_covers_the_choosers_and_snippet_views():
    names = {route.name for route in text_routes()}
    assert "wagtailimages_chooser:chosen" in names
    assert "wagtailsnippetchoosers_voting_vote:chosen" in names
    assert len(names) > 50


@pytest.mark.django_db
@pytest.mark.parametrize("value", MALFORMED)
def test_no_route_answers_500_to_a_malformed_id(client, value):
    admin = get_user_model().objects.create_superuser("sweeper", "", "a-long-test-password")
    client.force_login(admin)
    client.raise_request_exception = False
    failures = []
    for route in text_routes():
        url = concrete(route, **dict.fromkeys(text_parameters(route), value))
        status = client.get(url).status_code
        if status >= 500:
            failures.append(f"{status} {route.name} {url}")
    assert not failures, "\n".join(failures)
