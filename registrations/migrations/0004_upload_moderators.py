"""Wagtail's Editors and Moderators groups moderate community uploads."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from registrations.permissions import UPLOAD_MODERATOR_GROUPS, ensure_groups


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"),
        UPLOAD_MODERATOR_GROUPS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0003_residencephoto_residencevideo"),
        ("wagtailcore", "0001_squashed_0016_change_page_url_path_to_text_field"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
