"""Protection of every sign-in form: the Wagtail admin, the Django admin, community accounts.

Two layers, the same for all three forms:

- **django-axes** locks a (user name, client address) pair after ``AXES_FAILURE_LIMIT``
  failed sign-ins for ``AXES_COOLOFF_TIME``; the right password is refused too until then.
  Another user name from the same address, or the same name from another address, is not
  locked, so an attacker cannot lock the office out by guessing at its account from afar.
  Failures are counted in the database (``AxesDatabaseHandler``): they hold across app
  servers and while the cache is down.
- **django-ratelimit** counts sign-in posts per client address (``LOGIN_RATE``) in the
  cache, against one address trying many user names. While the cache is down this layer is
  skipped (and logged); axes still applies.

Both take the client address from the header named by ``RATELIMIT_IP_META_KEY`` (set by a
trusted proxy), so one setting governs every per-address limit of the site.
"""

import logging
from functools import wraps

from django.conf import settings
from django.template.response import TemplateResponse
from django_ratelimit.core import get_usage

from campaign_pages.ratelimits import client_ip

logger = logging.getLogger("pingan.security")

LOGIN_GROUP = "logins.address"


def login_rate_exceeded(request):
    """Count this sign-in post; True once its address has posted more than ``LOGIN_RATE``."""
    try:
        usage = get_usage(
            request,
            group=LOGIN_GROUP,
            key=lambda _group, request: client_ip(request),
            rate=settings.LOGIN_RATE,
            increment=True,
        )
    except Exception:  # noqa: BLE001 - a cache outage must not lock everybody out
        logger.warning("sign-in rate limit not checked: cache unavailable", exc_info=True)
        return False
    return bool(usage and usage["should_limit"])


def too_many_sign_ins(request, retry_after):
    response = TemplateResponse(
        request, "campaign_pages/sign_in_blocked.html", {"locked_out": False}, status=429
    )
    response["Retry-After"] = str(int(retry_after))
    return response


def rate_limited_login(view):
    """Wrap a login view: a client over ``LOGIN_RATE`` gets 429 with Retry-After."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and login_rate_exceeded(request):
            return too_many_sign_ins(request, retry_after=60)
        return view(request, *args, **kwargs)

    return wrapped


def locked_out(request, original_response=None, credentials=None):
    """axes' lockout response (``AXES_LOCKOUT_CALLABLE``): 429, how long, in the user's language."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = max(1, int(cool_off.total_seconds() // 60))
    response = TemplateResponse(
        request,
        "campaign_pages/sign_in_blocked.html",
        {"locked_out": True, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response.render()  # returned by axes' middleware, after the view's rendering
