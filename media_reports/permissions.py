"""What 温州网's editors may do with the reporting tools (Wagtail's Editors and Moderators).

Reports are pages, governed by page permissions and the report workflow; the snippets below
are not, so without these an editor who is not a superuser could not post a live entry.
Made by a data migration and again by ``load_demo`` (a flushed database has none).
"""

NEWSROOM = [
    # Wagtail's own migration gives the group this; a flushed database (load_demo after the
    # browser tests' flush) has lost it, and an editor without it is sent back to sign in.
    ("wagtailadmin", "access_admin"),
    ("media_reports", "add_liveentry"),
    ("media_reports", "change_liveentry"),
    ("media_reports", "view_liveentry"),
    ("media_reports", "add_monitormember"),
    ("media_reports", "change_monitormember"),
    ("media_reports", "view_monitormember"),
    # Sign-ups come from the public form: editors read, export (numbers masked) and cancel them.
    ("media_reports", "view_eventsignup"),
    ("media_reports", "delete_eventsignup"),
]

EDITOR_GROUPS = {"Editors": NEWSROOM, "Moderators": NEWSROOM}
