"""Template tags that show reports on pages of other apps (candidates, the portal).

campaign_pages never imports this app: its templates load these tags instead.
"""

from django import template
from wagtail.models import Page

from campaign_pages.models import CampaignPage
from media_reports.models import LiveCoveragePage, ReportIndexPage, ReportKind, ReportPage

register = template.Library()

PORTAL_REPORTS = 4


@register.inclusion_tag("media_reports/includes/residence_reports.html")
def residence_reports(residence):
    """The reports that cover a candidate (any language of its page), hazards with follow-up."""
    if not isinstance(residence, Page):
        return {"reports": []}
    reports = list(
        ReportPage.objects.live()
        .public()
        .filter(
            locale_id=residence.locale_id,
            residences__residence__translation_key=residence.translation_key,
        )
        .distinct()
        .order_by("-report_date")
    )
    hazards = [r for r in reports if r.kind == ReportKind.HAZARD]
    return {"reports": reports, "hazards": hazards}


@register.inclusion_tag("media_reports/includes/newsroom.html")
def campaign_newsroom(campaign):
    """The portal's teaser: live coverage while it is live, and the newest reports."""
    if not isinstance(campaign, CampaignPage):
        return {}
    live = [
        c for c in LiveCoveragePage.objects.live().public().child_of(campaign) if c.source.is_live
    ]
    index = ReportIndexPage.objects.live().public().child_of(campaign).first()
    reports = (ReportPage.objects.live().public().descendant_of(campaign).order_by("-report_date"))[
        :PORTAL_REPORTS
    ]
    return {"live": live, "reports": reports, "index": index}
