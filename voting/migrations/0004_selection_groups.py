"""The street offices' group, and the selection's rights for the panel and district office."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from registrations.permissions import ensure_groups
from voting.permissions import GROUPS, STREET_OFFICE


def create_groups(apps, schema_editor):
    # Permissions of new models are made after migrate; make them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), GROUPS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=STREET_OFFICE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0003_selection"),
        ("registrations", "0002_screening_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
