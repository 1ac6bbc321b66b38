"""Template helpers shared by every page: language links, campaign navigation, share meta."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Page

from campaign_pages.models import CampaignPage, HomePage

register = template.Library()

# Django's language codes are lower case; HTML's lang attribute wants BCP 47 (zh-Hans).
BCP47 = {"zh-hans": "zh-Hans", "en": "en"}


@register.filter
def bcp47(language_code):
    return BCP47.get(language_code, language_code)


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per site language to this page's translation (or this URL in that language).

    A page without a translation in a language links to that language's home page rather
    than to a Chinese page under /en/.
    """
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page):
            target = page.get_translations(inclusive=True).live().filter(locale__language_code=code)
            target = target.first()
            if target is None:
                home = HomePage.objects.filter(locale__language_code=code).live().first()
                target = home
            url = target.url if target else None
        if url is None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def home_page(context):
    """The home page in the reader's language."""
    return HomePage.objects.live().filter(locale__language_code=translation.get_language()).first()


@register.simple_tag
def campaign_of(page):
    """The campaign a page belongs to (the page itself for a portal), or ``None``."""
    if not isinstance(page, Page):
        return None
    if isinstance(page, CampaignPage):
        return page
    return CampaignPage.objects.ancestor_of(page).live().first()


@register.simple_tag
def campaign_sections(campaign):
    """The live parts of a campaign, in the editors' order, for the navigation bar."""
    if campaign is None:
        return []
    return campaign.get_children().live().public().in_menu().specific()


@register.simple_tag
def alternate_links(page):
    """(language, URL) of every live translation, for hreflang links in <head>."""
    if not isinstance(page, Page):
        return []
    return [
        (BCP47.get(p.locale.language_code, p.locale.language_code), p.full_url)
        for p in page.get_translations(inclusive=True).live().select_related("locale")
    ]


# json_script's escapes: the JSON cannot close the <script> element or open a comment.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def ld_json(data):
    """Structured data as a non-executable ``<script type="application/ld+json">``."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
