"""The benchmarks' yardstick view (``BENCH_VIEWS``): a trivial JSON answer, GET and HEAD only."""

import json

from django.urls import get_resolver

from media_reports.views import trivial


def test_the_trivial_view_answers_json_and_only_to_safe_methods(rf):
    response = trivial(rf.get("/bench/trivial/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"ok": True}
    assert trivial(rf.post("/bench/trivial/")).status_code == 405


def test_the_site_serves_it_only_when_bench_views_is_on(settings):
    # The test settings leave BENCH_VIEWS off, as production does.
    assert not settings.BENCH_VIEWS
    names = {getattr(p, "name", None) for p in get_resolver().url_patterns}
    assert "bench_trivial" not in names
