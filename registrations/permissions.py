"""The groups that screen registrations, and the community accounts' group.

Made by a data migration and again by ``load_demo`` (a flushed database has none).
"""

from campaign_pages.permissions import ensure_groups as ensure_site_groups

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

# 温州网 editors moderate what communities upload: Wagtail's own editor groups get the right.
UPLOAD_MODERATOR_GROUPS = {
    "Editors": [
        ("registrations", "view_residencephoto"),
        ("registrations", "change_residencephoto"),
        ("registrations", "view_residencevideo"),
        ("registrations", "change_residencevideo"),
    ],
    "Moderators": [
        ("registrations", "view_residencephoto"),
        ("registrations", "change_residencephoto"),
        ("registrations", "view_residencevideo"),
        ("registrations", "change_residencevideo"),
    ],
}

# Objections to the public notice (公示) are handled by the district office alone, which also
# sees objectors' full numbers. Editors and the panel get nothing: objections carry personal
# data and accusations, and the outcome is public on the notice page anyway. (A separate
# table from GROUPS: migration 0002 gives GROUPS before these models exist.)
OBJECTION_GROUPS = {
    "区综治办": [
        ("registrations", "view_objection"),
        ("registrations", "handle_objection"),
        ("registrations", "view_objector_phone"),
    ],
}


def ensure_groups(Group, Permission, groups=None):
    """Create this app's groups (``GROUPS`` unless told otherwise); returns the names made."""
    return ensure_site_groups(Group, Permission, GROUPS if groups is None else groups)
