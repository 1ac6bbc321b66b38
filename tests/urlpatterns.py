"""Every URL pattern of the site, for tests that must visit them all (the permission matrix).

``site_routes()`` walks the URL configuration (``pingan.urls``) with its includes and
returns one ``Route`` per pattern: the full route (``admin/pages/<int:page_id>/edit/``), its
name (``wagtailadmin_pages:edit``), the view, which area it belongs to (``admin``,
``django-admin``, ``api`` or ``front``) and whether it sits under the language prefix (the
English twin is then ``/en/`` + the route). ``live_page_urls()`` adds the page tree, which
Wagtail serves through one catch-all pattern. ``concrete(route, **values)`` fills a route's
parameters with values (or harmless samples) so a test can request it.

docs/security.md says how the permission matrix uses it: every route of an area is requested
as every role, and the test asserts the allowed set.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

AREAS = (("django-admin/", "django-admin"), ("admin/", "admin"), ("api/", "api"))
SAMPLES = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


@dataclass(frozen=True)
class Route:
    route: str  # e.g. "admin/pages/<int:page_id>/edit/" or a regex for re_path patterns
    name: str | None  # with its namespaces, e.g. "api:votes"
    view: object
    area: str  # admin, django-admin, api or front
    localised: bool  # under i18n_patterns: also served at /en/<route>
    is_regex: bool

    @property
    def parameters(self):
        named = re.findall(r"\(\?P<(\w+)>", self.route) if self.is_regex else []
        text = re.sub(r"\(\?P<\w+>", "(", self.route) if self.is_regex else self.route
        return named + [name for _converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", text)]


def pattern_text(pattern):
    if isinstance(pattern, LocalePrefixPattern):
        return "", False
    if isinstance(pattern, RegexPattern):
        return pattern._regex.lstrip("^").rstrip("$"), True
    if isinstance(pattern, RoutePattern):
        return str(pattern), False
    return str(pattern), False


def walk(patterns, prefix="", namespace="", localised=False, regex=False):
    for entry in patterns:
        text, is_regex = pattern_text(entry.pattern)
        inner_localised = localised or isinstance(entry.pattern, LocalePrefixPattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            yield from walk(
                entry.url_patterns,
                prefix + text,
                f"{namespace}{ns}:" if ns else namespace,
                inner_localised,
                regex or is_regex,
            )
        elif isinstance(entry, URLPattern):
            route = prefix + text
            area = next((a for start, a in AREAS if route.startswith(start)), "front")
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Route(route, name, entry.callback, area, inner_localised, regex or is_regex)


def site_routes():
    """Every URL pattern of the site (admin, Django admin, API and front end)."""
    return list(walk(get_resolver().url_patterns))


def fill_groups(regex, values):
    """Replace each named group ``(?P<name>…)`` (nested parentheses included) by a value."""
    out, i = [], 0
    while (start := regex.find("(?P<", i)) != -1:
        name = regex[start + 4 : regex.index(">", start)]
        depth, j = 0, start
        while True:
            if regex[j] == "\\":
                j += 2
                continue
            depth += {"(": 1, ")": -1}.get(regex[j], 0)
            j += 1
            if depth == 0:
                break
        out += [regex[i:start], str(values.get(name, "1"))]
        i = j
    return "".join(out) + regex[i:]


def concrete(route, **values):
    """A path for ``route`` with its parameters filled from ``values`` or harmless samples."""
    text = route.route
    if route.is_regex:
        text = fill_groups(text, values).replace("\\", "")

    def fill(match):
        converter, name = match[1] or "str", match[2]
        return str(values.get(name, SAMPLES.get(converter, "x")))

    # A path() inside a re_path() include (Wagtail's admin API) has both kinds of parameter.
    text = re.sub(r"<(?:(\w+):)?(\w+)>", fill, text)
    return "/" + text


def live_page_urls():
    """The URL of every live page of the tree (both languages), served by Wagtail's catch-all."""
    from wagtail.models import Page

    return [page.url for page in Page.objects.live().filter(depth__gt=1).specific() if page.url]
