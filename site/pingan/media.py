"""Uploaded files as the development server serves them: never shown as a page of our site.

In production nginx serves ``/media/`` with the same headers (docs/deployment.md, section 7);
this view does the same under ``DEBUG`` so development behaves like production:

- ``Content-Security-Policy: default-src 'none'; sandbox`` and ``nosniff`` on every file, so
  even an HTML or SVG file that got in could run no script and reach nothing;
- ``Content-Disposition: attachment`` for everything but the raster images and videos of
  ``MEDIA_INLINE_CONTENT_TYPES``: an SVG or an HTML file is downloaded, not opened;
- ``/media/documents/`` is not served at all: documents go through Wagtail's
  ``/documents/<id>/<name>`` view, which checks privacy and sets the same headers.
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve

SANDBOX = "default-src 'none'; sandbox"


def media_response_headers(response):
    """Give a response for an uploaded file the headers that keep it from acting as a page."""
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in settings.MEDIA_INLINE_CONTENT_TYPES:
        response["Content-Disposition"] = "attachment"
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_media(request, path):
    if path.startswith("documents/"):
        raise Http404
    return media_response_headers(serve(request, path, document_root=settings.MEDIA_ROOT))
