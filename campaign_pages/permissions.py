"""Giving the site's groups their permissions, and the policy of records no form may change.

Each app lists its groups as ``{group name: [(app_label, codename), …]}`` next to its models
(``registrations/permissions.py``, ``media_reports/permissions.py``); ``ensure_groups`` makes
them.
"""

from wagtail.permission_policies import ModelPermissionPolicy

FORM_ACTIONS = ("add", "change", "delete")


class DecidedByActionsPolicy(ModelPermissionPolicy):
    """Nobody adds, edits or deletes such a record through a form, not even a superuser.

    For records whose every change goes through a decision action that keeps the reason and
    who took it (votes, objections): the admin lists and inspects them, and the actions check
    their own permission. Users "with a permission" are those who may view.
    """

    def user_has_permission(self, user, action):
        if action in FORM_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [a for a in actions if a not in FORM_ACTIONS]
        return super().users_with_any_permission(actions or ["view"])


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
