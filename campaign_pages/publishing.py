"""Publishing results that another app decided, in every language at once.

The proposed list and the winners are page content written by code (the selection), not by
an editor. The default-language page is the original; its translations get the same
synchronised values and the same rows, so the English page never shows an older list than
the Chinese one. Translated texts (title, introduction) are left as the translators wrote
them.
"""

from django.db import transaction
from django.utils.translation import gettext as _


def check_ranked_candidates(campaign, rows):
    """Refuse rows naming a residence that is not a candidate of ``campaign``, or a candidate
    or a rank twice (``ValueError`` with a translated message): the proposed list and the
    winners are both such ranked lists."""
    from campaign_pages.models import ResidencePage

    residences = ResidencePage.objects.descendant_of(campaign)
    seen, ranks = set(), set()
    for row in rows:
        residence = row["residence"]
        if (
            not isinstance(residence, ResidencePage)
            or not residences.filter(pk=residence.pk).exists()
        ):
            raise ValueError(
                _("%(name)s is not a candidate of this campaign.") % {"name": residence}
            )
        if residence.pk in seen:
            raise ValueError(_("%(name)s is listed twice.") % {"name": residence.title})
        if row["rank"] in ranks:
            raise ValueError(_("Rank %(rank)s is given twice.") % {"rank": row["rank"]})
        seen.add(residence.pk)
        ranks.add(row["rank"])


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
