"""Writing the confirmed results onto the campaign's ``WinnersPage``.

The selection (the voting app) decides; this module only turns its decision into page
content, so the results page stays an ordinary, editorial page (DESIGN.md §3).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_pages.models import (
    CampaignPage,
    Community,
    OrganisationAward,
    Winner,
    WinnersPage,
)
from campaign_pages.publishing import check_ranked_candidates, publish_with_translations

WINNERS_TITLE = "鹿城区“十佳平安小区”评选结果"
WINNERS_SLUG = "winners"


def original_campaign(campaign):
    """The default-language campaign: results are written there and synced to translations."""
    return CampaignPage.objects.get(pk=campaign.pk).schedule_page


def winners_page_for(campaign):
    """The campaign's results page (the default-language original), or ``None``."""
    return WinnersPage.objects.child_of(original_campaign(campaign)).first()


def check_winners(campaign, winners, organisation_awards):
    """Refuse rows that would make a wrong page: a stranger's candidate, a rank twice."""
    check_ranked_candidates(campaign, winners)
    communities = set()
    for row in organisation_awards:
        community = row["community"]
        if not isinstance(community, Community) or community.pk is None:
            raise ValueError(_("An organisation award needs a community (社区)."))
        if community.pk in communities:
            raise ValueError(_("%(name)s is listed twice.") % {"name": community.name})
        communities.add(community.pk)


@transaction.atomic
def write_winners(campaign, winners, organisation_awards, *, user=None, confirmed_at=None):
    """Write the confirmed results as page content and publish them in every language.

    Creates the ``WinnersPage`` under the campaign if it is missing. ``winners``:
    ``[{"residence": ResidencePage, "rank": int, "plaque_text": str, "citation": str}]``;
    ``organisation_awards``: ``[{"community": Community, "citation": str, "metrics": dict}]``.
    ``confirmed_at`` is kept from an earlier confirmation unless given, so writing the same
    results twice changes nothing but the revision. Raises ``ValueError`` (translated) for
    rows that do not belong to the campaign or repeat a candidate, a rank or a 社区.
    """
    campaign = original_campaign(campaign)
    winners, organisation_awards = list(winners), list(organisation_awards)
    check_winners(campaign, winners, organisation_awards)
    page = winners_page_for(campaign)
    if page is None:
        page = WinnersPage(title=WINNERS_TITLE, slug=WINNERS_SLUG, menu_title="评选结果")
        campaign.add_child(instance=page)
    page = WinnersPage.objects.get(pk=page.pk)
    page.confirmed_at = confirmed_at or page.confirmed_at or timezone.now()
    page.winners = [
        Winner(
            residence=row["residence"],
            rank=row["rank"],
            plaque_text=row.get("plaque_text", ""),
            citation=row.get("citation", ""),
            sort_order=order,
        )
        for order, row in enumerate(sorted(winners, key=lambda row: row["rank"]))
    ]
    page.organisation_awards = [
        OrganisationAward(
            community=row["community"],
            citation=row.get("citation", ""),
            metrics=dict(row.get("metrics") or {}),
            sort_order=order,
        )
        for order, row in enumerate(organisation_awards)
    ]
    return publish_with_translations(
        page,
        user=user,
        fields=["confirmed_at"],
        child_relations=["winners", "organisation_awards"],
    )
