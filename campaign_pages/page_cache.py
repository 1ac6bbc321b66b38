"""The shared page cache: public pages served from the cache, dropped when content changes.

Why our own and not wagtail-cache: wagtail-cache 3.0 (the newest) requires ``wagtail<8``, so
installing it would downgrade Wagtail (see docs/performance.md). This is the small
equivalent on Django's cache framework (Redis with ``REDIS_URL``, local memory otherwise).

What is cached: the response of a Wagtail page (the ``wagtail_serve`` route, sub-routes of
routable pages included) to an anonymous GET or HEAD. What is never stored, by construction
rather than by a list of page types:

- a response to a request that carries a session cookie, an ``Authorization`` header or
  pending messages (editors, community accounts, voters right after the no-JS vote page);
- a response that sets a cookie (a CSRF token, a session), that says ``Vary: Cookie`` (the
  page read the session or the user, or used a CSRF token), or whose ``Cache-Control``
  says ``private``, ``no-cache`` or ``no-store`` (``never_cache``);
- anything but a 200.

So a page with a POST form (registration, event sign-up, objection) is rendered afresh for
each reader, and a page that shows anything personal cannot be stored by mistake: reading
the session is enough to keep it out. Voters with a session cookie (and no messages) are
*served* cached pages (the vote button's state comes from ``/api/v1/voter/``), but a miss
of theirs does not fill the cache.

Invalidation is one generation number kept in the cache and part of every key: publishing,
unpublishing, moving or deleting a page, and saving or deleting a model registered with
``invalidate_on_change`` (candidate data, live entries, settings, images), sets a new
generation, so every cached page misses once. Coarse on purpose: editors change content a
few times an hour, readers read thousands of times a minute, and a coarse rule cannot
forget a page that shows the changed thing somewhere (a card, a menu, a footer). The
generation is memoised for ``PAGE_CACHE_MEMO_SECONDS`` in each process, so a hit is one
cache round trip; other processes see a change that late at most.

How long an entry lives (the smallest of): ``PAGE_CACHE_SECONDS``; the page's
``cache_timeout`` attribute; what ``page_cache_timeout`` hooks return for the page (the
voting app shortens pages that show vote counts, which change with every vote and send no
signal); the response's ``max-age``; and the time until the next phase boundary of any
campaign (a page that says "voting open" must not outlive the end of voting).

An expired entry is kept ``PAGE_CACHE_STALE_SECONDS`` longer (never past that phase
boundary): the first reader after the expiry renders the page again while everyone else is
served the expired copy, so a popular page that expires under load (a list with vote counts
every 15 s) costs one render, not one per reader waiting at that moment. The renewal is
claimed with ``cache.add`` on a key of its own, so one process renders, whichever it is.

Every page response says what happened in ``X-Cache``: ``hit`` (served from the cache),
``stale`` (an expired copy served while another request renders it), ``miss`` (rendered and
stored) or ``skip`` (rendered and not stored).
"""

import hashlib
import logging
import re
import time
import uuid
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import get_max_age, has_vary_header
from django.utils.timezone import now
from wagtail import hooks

logger = logging.getLogger("pingan.page_cache")

HEADER = "X-Cache"
GENERATION_KEY = "pagecache:generation"
# Response headers a stored page keeps; every other header is set afresh on a hit by the
# middleware of that request (security headers, Vary, and never Set-Cookie).
KEPT_HEADERS = ("Content-Type", "Content-Language")
# Query parameters that do not change a page: share links from WeChat and campaign
# trackers. Ignored in the cache key, so a link shared in a group is one entry, not many.
IGNORED_PARAMS = re.compile(
    r"^(utm_\w+|from|isappinstalled|scene|clicktime|enterid|nsukey|share_\w+|spm)$"
)
_memo = {"generation": None, "until": 0.0}
# The entries this process served last, each for PAGE_CACHE_MEMO_SECONDS (as the generation):
# a popular page is then served without a cache round trip. Keys carry the generation, so
# an invalidation is seen as soon as the generation is; at most HOT_ENTRIES are kept.
_hot = OrderedDict()
HOT_ENTRIES = 32
clock = time.time  # wall-clock seconds: entries' freshness is compared across processes


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


# Invalidation ---------------------------------------------------------------------------


def _new_generation():
    # A fresh random value, never a counter: a counter reset by an evicted or cleared key
    # could count up to a generation whose old entries are still cached.
    generation = uuid.uuid4().hex[:12]
    try:
        cache.set(GENERATION_KEY, generation, None)
    except Exception:  # the cache being down must not fail the edit that invalidates
        logger.warning("page cache: could not store a new generation", exc_info=True)
    _memo.update(generation=generation, until=time.monotonic() + memo_seconds())


def invalidate():
    """Drop every cached page: now, and again once the current transaction commits.

    Now, so this process (and, a memo later, the others) stops serving the old version at
    once; after the commit, so a page rendered in between from the not yet committed data
    (the old version) is dropped too.
    """
    if not enabled():
        return
    _new_generation()
    transaction.on_commit(_new_generation)


def _invalidate_on_signal(sender, **kwargs):
    invalidate()


def _invalidate_on_page_change(sender, instance, **kwargs):
    from wagtail.models import Page

    # Also a page saved without publishing a revision (made live in code, a draft saved):
    # editors save a few times an hour, so the extra misses cost nothing worth counting.
    if isinstance(instance, Page):
        invalidate()


def invalidate_on_change(*models, when=None):
    """Drop cached pages whenever one of ``models`` is saved or deleted.

    Each app lists the models whose rows appear on public pages (called from its
    ``AppConfig.ready``). ``when(instance)``, if given, says whether a row is public at all
    (a registration before it is a candidate is not), so a public form does not flush the
    cache with every post. High-volume rows whose figures are shown with a short time-out
    instead (votes, tallies) are deliberately not listed.
    """

    def changed(sender, instance, **kwargs):
        if when is None or when(instance):
            invalidate()

    for model in models:
        label = model._meta.label_lower
        for signal, kind in ((post_save, "s"), (post_delete, "d")):
            signal.connect(
                changed, sender=model, weak=False, dispatch_uid=f"pagecache-{kind}-{label}"
            )


def connect_page_signals():
    """Publishing, unpublishing, moving and deleting any page, and the site's own objects."""
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(_invalidate_on_signal, dispatch_uid=f"pagecache-{id(signal)}")
    post_save.connect(_invalidate_on_page_change, dispatch_uid="pagecache-page-save")
    post_delete.connect(_invalidate_on_page_change, dispatch_uid="pagecache-page-delete")
    # A new view restriction must not leave an anonymous copy in the cache; an image
    # changed or deleted changes the rendition URLs that cached pages point at.
    invalidate_on_change(Site, PageViewRestriction, get_image_model())


# Lookup and storage ---------------------------------------------------------------------


def memo_seconds():
    return settings.PAGE_CACHE_MEMO_SECONDS


def forget_generation():
    """Drop this process's memos (after ``cache.clear()``, which they would outlive)."""
    _memo.update(generation=None, until=0.0)
    _hot.clear()


def lookup(key):
    """The entry stored under ``key``, from this process's memo while it is fresh."""
    clock = time.monotonic()
    memo = _hot.get(key)
    if memo is not None and memo[1] > clock and is_fresh(memo[0]):
        _hot.move_to_end(key)
        return memo[0]
    # Not memoised, or expired: what the shared cache holds now (another process may have
    # renewed it already).
    entry = cache.get(key)
    if entry is not None and len(entry) == 5:
        _hot[key] = (entry, clock + memo_seconds())
        _hot.move_to_end(key)
        while len(_hot) > HOT_ENTRIES:
            _hot.popitem(last=False)
    else:
        _hot.pop(key, None)
    return entry


def generation():
    clock = time.monotonic()
    if _memo["generation"] is not None and _memo["until"] > clock:
        return _memo["generation"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex[:12], None)
        value = cache.get(GENERATION_KEY)
    _memo.update(generation=value, until=clock + memo_seconds())
    return value


def cache_key(request):
    params = sorted(
        (key, value)
        for key, values in request.GET.lists()
        if not IGNORED_PARAMS.match(key)
        for value in values
    )
    identity = "|".join(
        (
            request.scheme,
            request.get_host(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.path,
            urlencode(params),
        )
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return f"pagecache:{generation()}:{digest}"


def has_personal_state(request):
    """Whether a request may not be served a shared page (nor fill one)."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    if request.COOKIES.get(getattr(settings, "MESSAGE_COOKIE_NAME", "messages")):
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    session = request.session
    # A logged-in editor or community account, or messages waiting to be shown.
    return "_auth_user_id" in session or "_messages" in session


def storable(request, response):
    """Whether ``response`` is the same for every anonymous reader (see the module doc)."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def seconds_to_next_phase_boundary():
    """Seconds until a phase of any campaign opens or closes; ``None`` when none will."""
    from django.db.models import Min, Q

    from campaign_pages.models import CampaignPhase

    moment = now()
    bounds = CampaignPhase.objects.aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=moment)),
        ends=Min("ends_at", filter=Q(ends_at__gt=moment)),
    )
    upcoming = [b for b in bounds.values() if b is not None]
    if not upcoming:
        return None
    return max(1, int((min(upcoming) - moment).total_seconds()) + 1)


def timeout_for(request, response):
    """How long this response may be served from the cache (0: not at all)."""
    candidates = [settings.PAGE_CACHE_SECONDS]
    page = getattr(request, "page_cache_page", None)
    if page is not None:
        own = getattr(page, "cache_timeout", None)
        if own is not None:
            candidates.append(own)
        for hook in hooks.get_hooks("page_cache_timeout"):
            seconds = hook(page, request)
            if seconds is not None:
                candidates.append(seconds)
    max_age = get_max_age(response)
    if max_age is not None:
        candidates.append(max_age)
    boundary = None
    if min(candidates) > 0:
        boundary = seconds_to_next_phase_boundary()
        if boundary is not None:
            candidates.append(boundary)
    # Kept for store(): an entry may be served stale up to the boundary, never past it.
    request.page_cache_boundary = boundary
    return max(0, min(candidates))


def stale_seconds(request, timeout):
    """How long after ``timeout`` an entry may still be served while it is renewed."""
    stale = settings.PAGE_CACHE_STALE_SECONDS
    boundary = getattr(request, "page_cache_boundary", None)
    if boundary is not None:
        stale = min(stale, boundary - timeout)
    return max(0, stale)


def renewal_key(key):
    return f"{key}:renewing"


def store(key, response, timeout, stale=0):
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:24]}"'
    headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
    fresh_until = clock() + timeout
    entry = (response.status_code, response.content, headers, etag, fresh_until)
    cache.set(key, entry, timeout + stale)
    if stale:
        cache.delete(renewal_key(key))  # the next expiry may be renewed at once
    response["ETag"] = etag


def is_fresh(entry):
    return clock() < entry[4]


def rebuild(request, entry):
    status, content, headers, etag, _fresh_until = entry
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
    response["ETag"] = etag
    return response


class PageCacheMiddleware:
    """Serves and stores public page responses; goes right after WhiteNoise in MIDDLEWARE.

    It must wrap the session, CSRF and message middleware, so that what it stores is what
    they have finished with (their cookies and ``Vary`` are visible); the lookup happens in
    ``process_view``, once the URL is resolved, so that only page URLs cost a cache lookup.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        state = getattr(request, "_page_cache", None)
        if state is None:
            return response
        if state in ("hit", "stale"):
            # A shared response carries no cookie, not even one an inner middleware added
            # on the way out (a CSRF cookie renewed because the request's was malformed).
            response.cookies.clear()
            response[HEADER] = state
            return response
        outcome = "skip"
        if state != "skip" and storable(request, response):
            try:
                timeout = timeout_for(request, response)
                if timeout:
                    store(state, response, timeout, stale_seconds(request, timeout))
                    outcome = "miss"
            except Exception:
                logger.warning("page cache: could not store %s", request.path, exc_info=True)
        response[HEADER] = outcome
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.url_name != "wagtail_serve" or not enabled():
            return None
        request._page_cache = "skip"
        if request.method not in ("GET", "HEAD") or has_personal_state(request):
            return None
        # A reader with a session (a voter) may be served a shared page, never fill one.
        may_fill = settings.SESSION_COOKIE_NAME not in request.COOKIES
        try:
            key = cache_key(request)
            entry = lookup(key)
            if entry is not None and len(entry) != 5:
                entry = None  # stored by an older version of this module: render it again
            if entry is not None and not is_fresh(entry):
                # Expired: one reader renews it (the one that claims the renewal), the
                # others are served the expired copy meanwhile.
                if may_fill and cache.add(renewal_key(key), 1, settings.PAGE_CACHE_RENEW_SECONDS):
                    request._page_cache = key
                    return None
                request._page_cache = "stale"
                return rebuild(request, entry)
        except Exception:  # a cache outage must not take the pages down with it
            logger.warning("page cache: lookup failed", exc_info=True)
            return None
        if entry is not None:
            request._page_cache = "hit"
            return rebuild(request, entry)
        if may_fill:
            request._page_cache = key
        return None
