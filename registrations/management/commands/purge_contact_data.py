"""``manage.py purge_contact_data``: delete registrants' contact data past the retention date.

Run daily (cron or a systemd timer). For every campaign whose "keep contact data until" day
is over (Beijing time), the contact person's name and mobile number of its registrations are
erased; the registrations themselves stay, so results remain explainable.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from campaign_pages.models import CampaignPage
from registrations.models import Registration

ERASED_NAME = "（已删除）"


class Command(BaseCommand):
    help = "Erases contact names and phone numbers of campaigns past their retention date."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would go.")

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        campaigns = CampaignPage.objects.filter(contact_data_retained_until__lt=today)
        total = 0
        for campaign in campaigns:
            due = Registration.objects.filter(campaign=campaign, contact_purged_at__isnull=True)
            count = due.count()
            total += count
            if count and not dry_run:
                with transaction.atomic():
                    due.update(
                        contact_name=ERASED_NAME, contact_phone="", contact_purged_at=timezone.now()
                    )
            verb = "would erase" if dry_run else "erased"
            self.stdout.write(f"{campaign.title}: {verb} the contact data of {count} registrations")
        self.stdout.write(f"{total} registrations {'due' if dry_run else 'purged'}.")
