"""Site-wide views that are not pages: search, sitemap and robots.txt."""

import logging
import secrets

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Locale, Page, Site

from campaign_pages.ratelimits import rate_limited
from campaign_pages.search import build_query

logger = logging.getLogger("pingan.health")

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 100


@require_safe
@rate_limited("search", "SEARCH_RATE", methods=("GET", "HEAD"))
def search(request):
    """Search the live pages of the reader's language; Chinese substrings included."""
    query_text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    query = build_query(query_text)
    results = []
    if query is not None:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        results = pages.search(query)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page_obj = paginator.page(1)
    return render(
        request,
        "campaign_pages/search.html",
        {"query": query_text, "page_obj": page_obj, "searched": query is not None},
    )


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    key = f"healthz:{secrets.token_hex(4)}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


HEALTH_CHECKS = {"database": check_database, "cache": check_cache}


@require_safe
@never_cache
def healthz(request):
    """200 when every component answers, 503 (with Retry-After) when one does not.

    For load balancers and monitoring: it says which part failed, never why in detail.
    """
    results = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            check()
        except Exception:  # any failure of a component means "down", whatever its kind
            logger.exception("health check failed: %s", name)
            results[name] = "down"
        else:
            results[name] = "ok"
    healthy = all(state == "ok" for state in results.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )
    if not healthy:
        response["Retry-After"] = "30"
    return response


@require_safe
@rate_limited("page_assets", "PAGE_ASSET_RATE", methods=("GET", "HEAD"))
def page_asset(request, page_path, asset):
    """``<page URL>qr.png`` and friends: handed to the page, which decides what it serves.

    Only a live page's own assets exist: a page type without ``serve_asset`` answers 404.
    """
    page = Page.find_for_request(request, page_path)
    serve_asset = getattr(page, "serve_asset", None)
    if serve_asset is None:
        raise Http404
    return serve_asset(request, asset)


class LocalisedSitemap(Sitemap):
    """Every live page of the site in every language (Wagtail's lists only the default)."""

    def items(self):
        root = self.get_wagtail_site().root_page
        in_any_tree = Q()
        for translated_root in Page.objects.filter(translation_key=root.translation_key):
            in_any_tree |= Q(path__startswith=translated_root.path)
        return (
            Page.objects.live()
            .public()
            .filter(in_any_tree)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


@require_safe
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": LocalisedSitemap(request)})


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    site = Site.find_for_request(request)
    root_url = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        "Disallow: /en/search/",
        f"Sitemap: {root_url}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
