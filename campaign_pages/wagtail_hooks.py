"""Admin registration of the district's reference lists."""

from django.http import HttpResponseNotAllowed
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from campaign_pages.models import Community, Street
from campaign_pages.qr import QRCodeMixin


class StreetViewSet(SnippetViewSet):
    model = Street
    icon = "site"
    list_display = ["name", "name_en", "kind"]
    search_fields = ["name", "name_en"]


class CommunityViewSet(SnippetViewSet):
    model = Community
    icon = "group"
    list_display = ["name", "street", "name_en"]
    list_filter = ["street"]
    search_fields = ["name", "name_en"]


class PlacesGroup(SnippetViewSetGroup):
    items = (StreetViewSet, CommunityViewSet)
    menu_icon = "site"
    menu_label = _("District lists")
    menu_name = "district-lists"


register_snippet(PlacesGroup)


@hooks.register("register_page_header_buttons")
def qr_code_buttons(page, user, view_name, next_url=None):
    """Editors download a page's QR codes (and poster, where it has one) from the page's menu."""
    page = page.specific_deferred
    if not isinstance(page, QRCodeMixin) or not page.live:
        return
    yield Button(_("QR code (PNG)"), f"{page.url}qr.png", icon_name="download", priority=80)
    yield Button(_("QR code (SVG)"), f"{page.url}qr.svg", icon_name="download", priority=81)
    if getattr(page, "has_poster", False):
        yield Button(_("Poster (PNG)"), f"{page.url}poster.png", icon_name="doc-full", priority=82)


@hooks.register("before_serve_page")
def refuse_posts_to_pages_without_a_form(page, request, serve_args, serve_kwargs):
    """Only pages with a form take a POST (``accepts_post``); the others answer 405.

    A POST is never answered from the page cache, so without this every page would be a
    free, unlimited full render for a script; the pages with forms limit their posts.
    """
    if request.method in ("GET", "HEAD") or getattr(page, "accepts_post", False):
        return None
    return HttpResponseNotAllowed(["GET", "HEAD"])


@hooks.register("before_serve_page")
def remember_page_for_cache(page, request, serve_args, serve_kwargs):
    """The page cache asks the served page how long its response may be kept."""
    request.page_cache_page = page


@hooks.register("insert_global_admin_js")
def admin_init_script():
    """The admin's widget set-up calls, run from a file (see site/pingan/admin_scripts.py)."""
    return format_html('<script src="{}" defer></script>', static("js/admin-init.js"))
