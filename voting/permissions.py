"""Who may see and decide votes: the district office (区综治办) and superusers.

The group itself is made by the registrations app (its data migration and ``load_demo``);
voting adds its own permissions to it after every ``migrate`` (``VotingConfig.ready``) and
in ``load_demo``, so a fresh database and an upgraded one end up the same.
"""

VOTING_GROUPS = {
    # The district office reviews flagged votes, freezes / voids / restores them, reads the
    # tallies and the per-day chart (view_vote) and sets the campaign's voting rules.
    "区综治办": [
        ("wagtailadmin", "access_admin"),
        ("voting", "view_vote"),
        ("voting", "change_vote"),
        ("voting", "view_tally"),
        ("voting", "view_votingrules"),
        ("voting", "add_votingrules"),
        ("voting", "change_votingrules"),
    ],
}


def ensure_voting_groups(sender=None, using="default", **kwargs):
    """post_migrate receiver (and load_demo step): give the groups voting's permissions."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from registrations.permissions import ensure_groups

    # The permissions of voting's models may not exist yet: auth makes them in a receiver
    # of its own that can run after this one.
    create_permissions(apps.get_app_config("voting"), verbosity=0, using=using)
    if not Permission.objects.using(using).filter(codename="access_admin").exists():
        return []  # wagtailadmin not migrated yet (a partial migrate)
    return ensure_groups(Group, Permission, VOTING_GROUPS)
