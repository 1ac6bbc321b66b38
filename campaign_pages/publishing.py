"""Publishing results that another app decided, in every language at once.

The proposed list and the winners are page content written by code (the selection), not by
an editor. The default-language page is the original; its translations get the same
synchronised values and the same rows, so the English page never shows an older list than
the Chinese one. Translated texts (title, introduction) are left as the translators wrote
them.
"""

from django.db import transaction


def copy_rows(rows, exclude=("id", "page", "page_id")):
    """Unsaved copies of a page's child rows (same values, no primary key, no parent)."""
    copies = []
    for row in rows:
        values = {
            field.attname: getattr(row, field.attname)
            for field in row._meta.concrete_fields
            if field.name not in exclude and field.attname not in exclude
        }
        copies.append(type(row)(**values))
    return copies


@transaction.atomic
def publish_with_translations(page, *, user=None, fields=(), child_relations=()):
    """Publish ``page`` as a revision, then bring each of its translations in line.

    ``fields`` are copied to the translations as they are (dates, numbers); each relation in
    ``child_relations`` is replaced on the translation by copies of the original's rows.
    Returns the published original.

    ``user`` is recorded as the author of the revisions, but page permissions are not asked
    for: the caller has checked its own permission (confirming winners, handling an
    objection), and the district office need not be an editor of the page tree.
    """
    publish(page, user)
    for translation in page.get_translations().specific():
        for name in fields:
            setattr(translation, name, getattr(page, name))
        for name in child_relations:
            setattr(translation, name, copy_rows(getattr(page, name).all()))
        publish(translation, user)
    return page


def publish(page, user):
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user, skip_permission_checks=True)
