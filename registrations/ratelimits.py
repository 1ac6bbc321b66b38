"""Limits on public submissions, per client address (django-ratelimit, cache-backed).

Behind a proxy, set ``RATELIMIT_IP_META_KEY`` to the header the trusted proxy sets (e.g.
``HTTP_X_REAL_IP``); otherwise the connection's address is used, which a client cannot forge.
"""

from django.conf import settings
from django.template.response import TemplateResponse
from django_ratelimit.core import get_usage

SUBMIT_GROUP = "registrations.submit"
FAILED_GROUP = "registrations.failed"
# The objection form (公示) counts apart from the registration form: one does not lock the other.
OBJECTION_SUBMIT_GROUP = "registrations.objection"
OBJECTION_FAILED_GROUP = "registrations.objection_failed"


def submissions_exceeded(request, group=SUBMIT_GROUP, rate=None):
    """Count this submission; True once the client has sent more than the limit allows."""
    usage = get_usage(
        request,
        group=group,
        key="ip",
        rate=rate or settings.REGISTRATION_SUBMIT_RATE,
        increment=True,
    )
    return bool(usage and usage["should_limit"])


def count_failed_attempt(request, group=FAILED_GROUP):
    get_usage(
        request,
        group=group,
        key="ip",
        rate=settings.REGISTRATION_CAPTCHA_AFTER,
        increment=True,
    )


def needs_captcha(request, group=FAILED_GROUP):
    """After a few failed attempts from one client, the form asks for a captcha too."""
    usage = get_usage(
        request,
        group=group,
        key="ip",
        rate=settings.REGISTRATION_CAPTCHA_AFTER,
        increment=False,
    )
    return bool(usage and usage["should_limit"])


def too_many_requests(request, page, message=None):
    context = {"page": page, "self": page, "message": message}
    response = TemplateResponse(
        request, "registrations/too_many_requests.html", context, status=429
    )
    response["Retry-After"] = "3600"
    return response
