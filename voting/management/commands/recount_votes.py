"""``manage.py recount_votes [--check]``: rebuild tallies from vote rows (DESIGN.md §5)."""

from django.core.management.base import BaseCommand

from campaign_pages.models import CampaignPage
from voting.results import differences, recount


class Command(BaseCommand):
    help = (
        "Rebuild vote tallies from the vote rows; with --check, only compare "
        "(exit 1 on a difference)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare only; exit with status 1 on any difference.",
        )

    def handle(self, *args, check=False, **options):
        total = 0
        campaigns = CampaignPage.objects.filter(locale__language_code__isnull=False)
        for campaign in campaigns:
            found = differences(campaign) if check else recount(campaign)
            for pk, tally, rows in found:
                verb = "differs" if check else "repaired"
                self.stdout.write(
                    f"{campaign.title}: candidate {pk} tally {tally}, rows {rows} ({verb})"
                )
            total += len(found)
        if check and total:
            self.stderr.write(f"{total} tally(ies) differ from the vote rows.")
            raise SystemExit(1)
        self.stdout.write("Tallies match the vote rows." if not total else f"{total} repaired.")
