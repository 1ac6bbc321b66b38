"""Wagtail's Editors and Moderators post live entries and keep the monitor team."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from campaign_pages.permissions import ensure_groups
from media_reports.permissions import EDITOR_GROUPS


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), EDITOR_GROUPS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("media_reports", "0005_videos_from_the_media_library"),
        ("wagtailcore", "0001_squashed_0016_change_page_url_path_to_text_field"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
