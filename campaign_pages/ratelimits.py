"""Per-client limits on public endpoints, counted in the cache (django-ratelimit).

docs/security.md lists every public form and endpoint with its limit; the numbers are
settings (``SEARCH_RATE``, ``EVENT_SIGNUP_RATE`` …). A request over its limit gets 429 with
``Retry-After`` (the limit's window) and a message in the reader's language, never a 500:
when the cache is down the limit is skipped and logged, as for votes, since the forms
behind it still validate everything and the database still enforces every rule.

The client address comes from the header named by ``RATELIMIT_IP_META_KEY`` (set by a
trusted proxy), otherwise from the connection: one setting for every per-address limit,
sign-in lockout included (``campaign_pages.logins``).
"""

import logging
import re
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

logger = logging.getLogger("pingan.security")

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_ip(request):
    """The client's address: the trusted proxy's header if one is named, else the socket's."""
    key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    value = request.META.get(key, "") or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[0].strip()


def window_seconds(rate):
    """The length of a rate's window: ``"20/h"`` → 3600, ``"5/10m"`` → 600."""
    match = re.fullmatch(r"\s*\d+\s*/\s*(\d*)\s*([smhd])\s*", rate)
    if not match:
        raise ValueError(f"not a rate: {rate!r}")
    return int(match[1] or 1) * UNITS[match[2]]


def exceeded(request, group, rate, key=None):
    """Count this request of ``group`` for ``key`` (default: the client address).

    True once the key has made more requests than ``rate`` allows in the current window.
    """
    try:
        usage = get_usage(
            request,
            group=group,
            key=lambda _group, request: key if key is not None else client_ip(request),
            rate=rate,
            increment=True,
        )
    except Exception:  # noqa: BLE001 - a cache outage must not turn into a 500 or a lock-out
        logger.warning("rate limit %s not checked: cache unavailable", group, exc_info=True)
        return False
    return bool(usage and usage["should_limit"])


def too_many_requests(request, rate, as_json=False):
    """429 with ``Retry-After``: a page in the reader's language, or JSON for scripts."""
    retry_after = window_seconds(rate)
    message = _("Too many requests from your connection. Please try again in a while.")
    if as_json:
        # The shape the upload script reads (static/js/upload.js).
        response = JsonResponse({"ok": False, "errors": [message]}, status=429)
    else:
        response = TemplateResponse(
            request, "too_many_requests.html", {"message": message}, status=429
        )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(group, rate_setting, methods=("POST",), per_user=False, as_json=None):
    """Limit a view's ``methods`` to the rate named by the setting ``rate_setting``.

    ``per_user`` counts per signed-in account instead of per address; ``as_json`` (a
    function of the request) chooses a JSON answer for scripts.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                rate = getattr(settings, rate_setting)
                key = f"user:{request.user.pk}" if per_user else None
                if exceeded(request, group, rate, key=key):
                    json = bool(as_json and as_json(request))
                    return too_many_requests(request, rate, as_json=json)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
