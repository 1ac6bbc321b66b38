"""``manage.py load_demo [--phase KEY]``: build the 2016 demo campaign (idempotent)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaign_pages.demo import PHASE_KEYS, DemoBuilder


class Command(BaseCommand):
    help = (
        "Builds the 2016 鹿城区 demo campaign from the customer's notice. Running it again "
        "changes nothing unless the phase dates must move. --phase shifts every phase by the "
        "same number of days so that the named phase is open today."
    )

    def add_arguments(self, parser):
        parser.add_argument("--phase", default="voting", choices=PHASE_KEYS)

    def handle(self, *args, phase, **options):
        try:
            builder = DemoBuilder(open_phase=phase)
            pages = builder.build()
        except (OSError, ValueError, ValidationError) as error:
            raise CommandError(str(error)) from error
        if builder.changes:
            self.stdout.write(f"Changed {len(builder.changes)} things:")
            for change in builder.changes:
                self.stdout.write(f"  - {change}")
        else:
            self.stdout.write("Nothing to change: the demo is up to date.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo campaign ready at {pages['campaign'].full_url}")
        )
