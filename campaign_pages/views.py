"""Site-wide views that are not pages: search, sitemap and robots.txt."""

import logging
import secrets

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Locale, Page, Site

from campaign_pages.params import search_text
from campaign_pages.ratelimits import rate_limited
from campaign_pages.search import build_query

logger = logging.getLogger("pingan.health")

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 100


@require_safe
@rate_limited("search", "SEARCH_RATE", methods=("GET", "HEAD"))
def search(request):
    """Search the live pages of the reader's language; Chinese substrings included."""
    query_text = search_text(request.GET.get("q", ""), MAX_QUERY_LENGTH)
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


def queued_tasks():
    """django-tasks-db's queue: how many tasks wait for a worker, and since when the oldest."""
    ready = apps.get_model("django_tasks_database", "DBTaskResult").objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    if oldest is None:
        return 0, None
    enqueued_at, run_after = oldest
    if run_after and run_after <= timezone.now():  # a delayed task waits from its run_after
        enqueued_at = max(enqueued_at, run_after)
    return ready.count(), enqueued_at


def check_tasks():
    """The task queue: ``inline`` when tasks run in the web process (the immediate backend),
    otherwise the number of waiting tasks and the age of the oldest (django-tasks-db).

    A task waiting longer than ``TASKS_MAX_QUEUE_SECONDS`` means no worker is taking tasks
    (``db_worker`` stopped or stuck): the queue is reported down.
    """
    backend = task_backends["default"]
    if isinstance(backend, ImmediateBackend):
        return "inline", {"backend": "immediate"}
    if not type(backend).__module__.startswith("django_tasks_db"):
        return "ok", {"backend": type(backend).__name__}
    count, waiting_since = queued_tasks()
    age = 0 if waiting_since is None else (timezone.now() - waiting_since).total_seconds()
    details = {"backend": "database", "queued": count, "oldest_queued_seconds": max(int(age), 0)}
    if age > settings.TASKS_MAX_QUEUE_SECONDS:
        raise QueueStalled(details)
    return "ok", details


class QueueStalled(RuntimeError):
    """The oldest queued task has waited too long: no worker is running."""

    def __init__(self, details):
        super().__init__(f"oldest queued task waiting {details['oldest_queued_seconds']} s")
        self.details = details


HEALTH_CHECKS = {"database": check_database, "cache": check_cache, "tasks": check_tasks}


@require_safe
@never_cache
def healthz(request):
    """200 when every component answers, 503 (with Retry-After) when one does not.

    For load balancers and monitoring: it says which part failed, never why in detail. A
    check returns nothing (``"ok"``) or a state and details (the task queue's backend and
    the age of its oldest waiting task), and raises when its component is down.
    """
    results = {}
    details = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            outcome = check()
        except Exception as error:  # any failure of a component means "down", whatever its kind
            logger.exception("health check failed: %s", name)
            results[name] = "down"
            if isinstance(error, QueueStalled):
                details[name] = error.details
        else:
            state, detail = outcome if outcome else ("ok", None)
            results[name] = state
            if detail:
                details[name] = detail
    healthy = all(state != "down" for state in results.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": results}
    if details:
        body["details"] = details
    response = JsonResponse(body, status=200 if healthy else 503)
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
