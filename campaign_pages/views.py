"""Site-wide views that are not pages: search, sitemap and robots.txt."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Locale, Page, Site

from campaign_pages.search import build_query

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 100


@require_safe
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


@require_safe
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
