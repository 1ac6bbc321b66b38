"""Outages answered as "try again": a 503 with ``Retry-After``, never a 500.

Two kinds of failure are not the visitor's fault and go away by themselves, so the visitor is
told to send the request again (nothing was saved: every write view saves in one transaction,
which the failure rolled back):

- the database: the connection was dropped (PostgreSQL restarted, a backend terminated, a
  network blip) or SQLite's write lock was not free within the busy timeout. Django raises
  ``OperationalError`` or ``InterfaceError`` and reconnects on the next request (persistent
  connections are health-checked, and a connection that raised is closed when the request
  ends);
- the media storage: the upload folder is full, over quota, read-only or not writable
  (``OSError`` with ``ENOSPC``, ``EDQUOT``, ``EROFS``, ``EACCES`` or ``EPERM``). A file field
  writes its file before the row is inserted, so no row points at a file that is missing.

``ServiceUnavailableMiddleware`` turns such an exception from a view into the 503;
``server_error`` (the project's ``handler500``) does the same for one raised anywhere else
(another middleware, a session save). Under ``/api/`` the answer is the API's JSON error
(DESIGN.md §6), elsewhere a small page in the request's language that needs no database.
"""

import errno
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger("pingan.unavailable")

DATABASE_RETRY_AFTER = 5  # seconds: a reconnect or a lock queue clears quickly
STORAGE_RETRY_AFTER = 300  # seconds: a full disk needs an operator
STORAGE_ERRNOS = frozenset(
    code
    for code in (
        errno.ENOSPC,
        getattr(errno, "EDQUOT", None),
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
    )
    if code is not None
)


def outage_kind(exception):
    """``"database"``, ``"storage"`` or None (a real bug: let it be a 500)."""
    if isinstance(exception, OperationalError | InterfaceError):
        return "database"
    if isinstance(exception, OSError) and exception.errno in STORAGE_ERRNOS:
        return "storage"
    return None


def outage_message(kind):
    if kind == "storage":
        return _(
            "The file could not be stored: the server's upload storage is full or cannot be "
            "written. Nothing was saved. Please try again later."
        )
    return _(
        "The site is briefly unavailable. Nothing was saved: please send it again in a moment."
    )


def unavailable_response(request, exception):
    """The 503 for an outage of ``kind``, or None when ``exception`` is not an outage."""
    kind = outage_kind(exception)
    if kind is None:
        return None
    # Operators need the details; the visitor gets the short message.
    logger.error(
        "%s unavailable on %s %s: %s",
        kind,
        request.method,
        request.path,
        exception,
        exc_info=(type(exception), exception, exception.__traceback__),
    )
    retry_after = STORAGE_RETRY_AFTER if kind == "storage" else DATABASE_RETRY_AFTER
    if request.path.startswith("/api/"):
        # The API is outside i18n_patterns: its language follows Accept-Language.
        translation.activate(translation.get_language_from_request(request, check_path=False))
        code = "storage_unavailable" if kind == "storage" else "unavailable"
        response = JsonResponse(
            {"error": {"code": code, "message": outage_message(kind)}}, status=503
        )
    else:
        response = TemplateResponse(
            request,
            "service_unavailable.html",
            {"message": outage_message(kind), "kind": kind},
            status=503,
        ).render()
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    """A view that fails on the database or the media storage answers 503, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return unavailable_response(request, exception)


def server_error(request):
    """``handler500``: an outage raised outside a view is still a 503; anything else a 500.

    Django calls it from inside its ``except`` block, so ``sys.exc_info()`` is the failure.
    The plain 500 page needs no request context (nothing that could fail again).
    """
    exception = sys.exc_info()[1]
    if exception is not None:
        response = unavailable_response(request, exception)
        if response is not None:
            return response
    return HttpResponseServerError(loader.get_template("500.html").render())
