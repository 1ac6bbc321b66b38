"""Giving the site's groups their permissions, for every app's data migrations and demo.

Each app lists its groups as ``{group name: [(app_label, codename), …]}`` next to its models
(``registrations/permissions.py``, ``media_reports/permissions.py``); this makes them.
"""


def ensure_groups(Group, Permission, groups):
    """Create the groups and give them their permissions; returns the names it created.

    Works with the real models and with a migration's historical ones (pass
    ``apps.get_model("auth", "Group")``…), so a data migration and ``load_demo`` share it.
    """
    created_names = []
    for name, codenames in groups.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            created_names.append(name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return created_names
