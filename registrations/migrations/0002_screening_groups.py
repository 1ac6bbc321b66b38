"""The groups that screen registrations, and the community accounts' group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    # The review panel (评审小组): sees registrations, decides, never sees full numbers.
    "评审小组": [
        ("wagtailadmin", "access_admin"),
        ("registrations", "view_registration"),
        ("registrations", "screen_registration"),
    ],
    # The district office (区综治办): also corrects registrations and sees full numbers.
    "区综治办": [
        ("wagtailadmin", "access_admin"),
        ("registrations", "view_registration"),
        ("registrations", "change_registration"),
        ("registrations", "screen_registration"),
        ("registrations", "view_contact_phone"),
    ],
    # Candidate communities' front-end accounts: no admin permission at all.
    "社区账号": [],
}


def create_groups(apps, schema_editor):
    # Permissions of new models are made after migrate; make them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
