"""``manage.py import_campaign <archive>``: restore an ``export_campaign`` archive.

Only into an empty database that has just been migrated (the same version of the site), with
the exporting site's ``FIELD_ENCRYPTION_KEYS`` and ``VOTER_HASH_KEY``; files go back into the
configured media storage. A database that already holds content is refused, untouched.
"""

from django.core.management.base import BaseCommand, CommandError

from campaign_pages.archive import ArchiveError, import_campaign


class Command(BaseCommand):
    help = "Restores a campaign archive into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a zip file written by export_campaign")

    def handle(self, *args, **options):
        try:
            import_campaign(options["archive"], log=self.stdout.write)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
