"""The live coverage's JSON endpoint and the per-coverage version kept in the cache.

``GET live/<id>/updates.json?since=<seq>`` answers the entries changed after change number
``seq`` (new, edited, pinned, unpinned or retracted), the coverage's live/ended flag and the
new cursor. Its ETag is the coverage's version (change number and live flag). The version is
kept in the cache, so a poll with a matching ``If-None-Match`` is answered ``304 Not Modified``
without touching the database. Every entry change and every publication of the page resets
the cached version after the transaction commits; cached versions also expire after
``LIVE_VERSION_TTL`` seconds, which bounds how long an out-of-order cache write could hide a
change.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseNotModified, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from campaign_pages import ratelimits
from campaign_pages.params import ID

MAX_CHANGES = 100
# A one-second memo of the cached version in each process: with Redis, most unchanged polls
# then need no network round trip either. Other processes see a change at most a second late.
_memo = {}


def memo_seconds():
    return getattr(settings, "LIVE_MEMO_SECONDS", 1.0)


def cached_version(coverage_id):
    now = time.monotonic()
    hit = _memo.get(coverage_id)
    if hit is not None and hit[0] > now:
        return hit[1]
    version = cache.get(version_key(coverage_id))
    if version is not None:
        _memo[coverage_id] = (now + memo_seconds(), version)
    return version


def forget(coverage_id):
    _memo.pop(coverage_id, None)
    cache.delete(version_key(coverage_id))


def version_key(coverage_id):
    return f"live:version:{coverage_id}"


def ttl():
    return getattr(settings, "LIVE_VERSION_TTL", 30)


def load_version(coverage_id):
    """(seq, is_live) read from the database and cached; ``None`` if not a public coverage."""
    from media_reports.models import LiveCoveragePage, LiveFeedState

    page = LiveCoveragePage.objects.live().public().filter(pk=coverage_id).first()
    if page is None or page.source.pk != page.pk:
        return None
    seq = LiveFeedState.objects.filter(pk=coverage_id).values_list("seq", flat=True).first()
    version = (seq or 0, page.is_live)
    cache.set(version_key(coverage_id), version, ttl())
    _memo.pop(coverage_id, None)
    return version


def current_version(coverage_id):
    """The cached (seq, is_live) of a coverage, loading it on a miss."""
    return cached_version(coverage_id) or load_version(coverage_id)


def bump_version(coverage_id, seq=None):
    """Forget the cached version once the current transaction commits."""
    transaction.on_commit(lambda: forget(coverage_id))


def etag_for(coverage_id, version):
    seq, is_live = version
    return f'"{get_language()}-{coverage_id}-{seq}-{int(is_live)}"'


def error(code, message, status):
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def entry_json(entry):
    return {
        "id": entry.pk,
        "seq": entry.seq,
        "posted_at": entry.posted_at.isoformat(),
        "order": entry.order_key,
        "pinned": entry.pinned,
        "retracted": entry.retracted,
        "html": render_to_string("media_reports/includes/live_entry.html", {"entry": entry}),
    }


@require_safe
def live_updates(request, coverage_id):
    since = request.GET.get("since", "0")
    if not ID.fullmatch(since):  # ASCII digits that fit the database's integer
        return error("invalid_since", _("The since cursor must be a whole number."), 400)
    since = int(since)
    # The cache answers an unchanged poll; the database is read only on a cache miss.
    version = cached_version(coverage_id) or load_version(coverage_id)
    if version is None:
        return error("not_found", _("There is no such live coverage."), 404)
    etag = etag_for(coverage_id, version)
    sent = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
    if etag in sent or "*" in sent:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        return response
    # Something changed: read the entries (and make sure the page is still public). Only
    # these polls are limited per address: a 304 from the cache costs no query, and many
    # readers behind one carrier NAT share an address.
    if ratelimits.exceeded(request, "live.read", settings.LIVE_POLL_RATE):
        response = error("too_many_requests", _("Too many requests. Please try again later."), 429)
        response["Retry-After"] = str(ratelimits.window_seconds(settings.LIVE_POLL_RATE))
        return response
    version = load_version(coverage_id)
    if version is None:
        return error("not_found", _("There is no such live coverage."), 404)
    etag = etag_for(coverage_id, version)
    seq, is_live = version
    from media_reports.models import LiveEntry

    changes = list(
        LiveEntry.objects.filter(coverage_id=coverage_id, seq__gt=since, seq__lte=seq)
        .select_related("image", "video")
        .order_by("seq")[:MAX_CHANGES]
    )
    cursor = changes[-1].seq if len(changes) == MAX_CHANGES else max(seq, since)
    response = JsonResponse(
        {
            "coverage": coverage_id,
            "live": is_live,
            "cursor": cursor,
            "more": len(changes) == MAX_CHANGES,
            "entries": [entry_json(e) for e in changes],
        }
    )
    if cursor >= seq:
        response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response
