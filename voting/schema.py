"""OpenAPI generation hooks (drf-spectacular): the document describes ``/api/v1/`` only.

Without the filter the generator also walks Wagtail's admin APIs, which are not ours to
document and whose introspection warnings would fail ``check --deploy --fail-level WARNING``.
"""

PUBLIC_API_PREFIX = "/api/v1/"


def only_public_api(endpoints, **kwargs):
    """Keep the endpoints of the app's API; drop every other DRF view of the site."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_API_PREFIX)]
