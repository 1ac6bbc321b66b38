"""Security headers on every response: the Content-Security-Policy and its companions.

django-csp writes the policy of ``CONTENT_SECURITY_POLICY`` (settings/base.py). This
subclass adds the parts that depend on a setting or on the path, at request time:

- ``frame-src``: the embed providers of ``REPORT_EMBED_PROVIDERS`` (each host and its
  sub-domains, https only), so the allow-list of embeds and the policy are one setting;
- on the admin paths (``ADMIN_CSP_PATH_PREFIXES``) only, the directives of ``ADMIN_CSP``
  in place of the public ones: what the Wagtail and Django admins were measured to need in
  Chromium (docs/security.md says which and why).

On admin HTML pages it turns the Wagtail admin's inline scripts into data for
``static/js/admin-init.js`` (``pingan.admin_scripts``), so the admin too runs without
'unsafe-inline' for scripts. It also sets ``Permissions-Policy`` (Django has no setting for
it). Referrer-Policy, nosniff and Cross-Origin-Opener-Policy come from Django's
SecurityMiddleware settings.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

from pingan.admin_scripts import rewrite_inline_scripts


def embed_frame_sources():
    """``https://host`` and ``https://*.host`` for every allow-listed embed provider."""
    sources = []
    for host in getattr(settings, "REPORT_EMBED_PROVIDERS", []):
        host = host.strip().lower().rstrip(".")
        if host:
            sources += [f"https://{host}", f"https://*.{host}"]
    return sources


def is_html(response):
    return not getattr(response, "streaming", False) and response.get(
        "Content-Type", ""
    ).startswith("text/html")


def is_admin_path(path):
    return path.startswith(tuple(getattr(settings, "ADMIN_CSP_PATH_PREFIXES", ())))


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware with the embed providers and the admin's own directives."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        update = {"frame-src": embed_frame_sources() or None}
        for directive, sources in (parts.update or {}).items():
            update[directive] = list(update.get(directive) or []) + list(sources)
        parts.update = update
        if is_admin_path(request.path_info):
            parts.replace = {**getattr(settings, "ADMIN_CSP", {}), **(parts.replace or {})}
        return parts

    def process_response(self, request, response):
        if is_admin_path(request.path_info) and is_html(response):
            response.content = rewrite_inline_scripts(response.content.decode(response.charset))
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        # A preview in the admin renders the page through the middleware once more, for a
        # request made up with the page's public path: that inner pass must not decide the
        # admin response's policy (it would forbid the preview panel's frame).
        if getattr(response, "_csp_written_for", request) is not request:
            del response["Content-Security-Policy"]
        response = super().process_response(request, response)
        response._csp_written_for = request
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
