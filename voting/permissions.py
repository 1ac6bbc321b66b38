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


# -- the selection -------------------------------------------------------------------------
# The street offices' group (街道综治办) is made here; the panel (评审小组) and the district
# office (区综治办) already exist for screening and get the selection's rights added. Made by
# the data migration 0003_selection_groups and again by ``load_demo``.

STREET_OFFICE = "街道综治办"
PANEL = "评审小组"
DISTRICT_OFFICE = "区综治办"

GROUPS = {
    # Street offices: enter their own street's inspections (scoped by StreetOfficer) and
    # send its proposed list; they never see another street's.
    STREET_OFFICE: [
        ("wagtailadmin", "access_admin"),
        ("voting", "add_inspection"),
        ("voting", "change_inspection"),
        ("voting", "view_inspection"),
        ("voting", "add_streetsubmission"),
        ("voting", "view_streetsubmission"),
    ],
    # The review panel: reads every inspection and scores the eligible candidates.
    PANEL: [
        ("wagtailadmin", "access_admin"),
        ("voting", "view_inspection"),
        ("voting", "view_all_inspections"),
        ("voting", "score_candidates"),
    ],
    # The district office: reads everything, sets the rules, ranks, proposes and confirms.
    DISTRICT_OFFICE: [
        ("wagtailadmin", "access_admin"),
        ("voting", "view_inspection"),
        ("voting", "view_all_inspections"),
        ("voting", "view_streetsubmission"),
        ("voting", "view_panelscore"),
        ("voting", "view_selectionrules"),
        ("voting", "change_selectionrules"),
        ("voting", "add_selectionrules"),
        ("voting", "run_selection"),
        ("voting", "view_selectionrecord"),
        ("voting", "view_streetofficer"),
        ("voting", "add_streetofficer"),
        ("voting", "change_streetofficer"),
    ],
}
