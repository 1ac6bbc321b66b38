"""The selection's groups: street offices, the review panel and the district office.

Made by a data migration and again by ``load_demo`` (a flushed database has none), with
``registrations.permissions.ensure_groups``. The panel (评审小组) and the district office
(区综治办) already exist for screening; these rights are added to theirs.
"""

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
