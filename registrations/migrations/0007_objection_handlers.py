"""The district office (区综治办) handles objections and sees objectors' numbers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from registrations.permissions import OBJECTION_GROUPS, ensure_groups


def grant(apps, schema_editor):
    # Permissions of new models are made after migrate; make them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), OBJECTION_GROUPS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0006_public_notice"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
