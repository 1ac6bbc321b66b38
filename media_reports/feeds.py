"""RSS 2.0 and Atom feeds of a report index, whole campaign or one kind, for partner outlets.

The syndication framework escapes every title and description it writes, so HTML typed into
a report never reaches a feed reader as markup.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from media_reports.models import ReportKind

FEED_ITEMS = 30
FLAVOURS = {"rss": Rss201rev2Feed, "atom": Atom1Feed}


class ReportFeed(Feed):
    def __init__(self, index, flavour, kind=None):
        super().__init__()
        self.index = index
        self.kind = kind
        self.feed_type = FLAVOURS[flavour]

    def title(self):
        if self.kind:
            return f"{self.index.title} · {ReportKind(self.kind).label}"
        return self.index.title

    def link(self):
        return self.index.full_url

    def description(self):
        return self.index.intro or _("Field reports of the citizen monitoring group.")

    subtitle = description

    def items(self):
        reports = self.index.reports().prefetch_related("reporters")
        if self.kind:
            reports = reports.filter(kind=self.kind)
        return reports[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.full_url

    def item_guid(self, item):
        return item.full_url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return "、".join(r.local_name for r in item.reporters.all()) or None

    def item_categories(self, item):
        return [ReportKind(item.kind).label, *[t.name for t in item.tags.all()]]


def report_feed(index, request, flavour, kind=None):
    if flavour not in FLAVOURS or (kind is not None and kind not in ReportKind.values):
        raise Http404
    return ReportFeed(index, flavour, kind)(request)
