"""Admin registration of the district's reference lists."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from campaign_pages.models import Community, Street


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
