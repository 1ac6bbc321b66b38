"""``manage.py export_campaign <slug or id> <archive path>``: one campaign into one zip file.

What goes in and why: ``campaign_pages/archive.py``. The campaign is named by its slug
(``2016``) or page id, in any language; the archive holds every language.
"""

from django.core.management.base import BaseCommand, CommandError

from campaign_pages.archive import ArchiveError, export_campaign
from campaign_pages.models import CampaignPage


class Command(BaseCommand):
    help = (
        "Writes a campaign (pages, registrations, votes, scores, objections, media) to an archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="the campaign page's slug (e.g. 2016) or id")
        parser.add_argument("archive", help="the zip file to write (overwritten if it exists)")

    def handle(self, *args, **options):
        key = options["campaign"]
        campaigns = CampaignPage.objects.filter(slug=key)
        if key.isdigit():
            campaigns = campaigns | CampaignPage.objects.filter(pk=int(key))
        campaign = campaigns.order_by("locale_id").first()
        if campaign is None:
            known = ", ".join(CampaignPage.objects.values_list("slug", flat=True).distinct())
            raise CommandError(f"No campaign with slug or id {key!r}. Campaigns: {known or 'none'}")
        try:
            manifest = export_campaign(campaign, options["archive"], log=self.stderr.write)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        files = sum(1 for entry in manifest["files"] if not entry.get("missing"))
        self.stdout.write(
            f"Wrote campaign {campaign.slug} ({rows} rows of {len(manifest['counts'])} models, "
            f"{files} files) to {options['archive']}."
        )
