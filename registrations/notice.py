"""The public notice as the selection sees it: publish the proposed list, ask whether the
winners may be confirmed, withdraw a candidate after an upheld objection.

The voting app calls these (it may import registrations, never the other way round).
"""

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaign_pages.models import CampaignPage
from campaign_pages.publishing import check_ranked_candidates, publish_with_translations
from registrations.models import Objection, ProposedCandidate, PublicNoticePage

NOTICE_TITLE = "鹿城区“十佳平安小区”拟评名单公示"
NOTICE_SLUG = "public-notice"
SYNCED_FIELDS = ["notice_days", "period_starts_at"]


def original_campaign(campaign):
    return CampaignPage.objects.get(pk=campaign.pk).schedule_page


def notice_page_for(campaign):
    """The campaign's public-notice page (Chinese original), or None."""
    return PublicNoticePage.objects.child_of(original_campaign(campaign)).first()


def check_entries(campaign, entries):
    check_ranked_candidates(campaign, entries)


@transaction.atomic
def publish_proposed_list(campaign, entries, *, user=None, starts_at=None):
    """Publish the proposed list for public notice and start the period.

    Replaces the proposed list on the campaign's ``PublicNoticePage`` (creating it under the
    campaign if missing), sets ``period_starts_at`` (now by default), publishes a revision and
    keeps the translations in sync. ``entries``: an iterable of dicts
    ``{"residence": ResidencePage, "rank": int, "summary": str}``. Refuses (``ValueError``
    with a translated message) when the period has already started and objections exist —
    they were filed against the list on show — or when an entry does not belong here.
    """
    campaign = original_campaign(campaign)
    entries = list(entries)
    check_entries(campaign, entries)
    page = notice_page_for(campaign)
    now = timezone.now()
    if page is None:
        page = PublicNoticePage(title=NOTICE_TITLE, slug=NOTICE_SLUG, menu_title="公示")
        campaign.add_child(instance=page)
    page = PublicNoticePage.objects.select_for_update().get(pk=page.pk)
    started = page.period_starts_at is not None and page.period_starts_at <= now
    if started and page.objections.exists():
        raise ValueError(
            _(
                "The public notice started on %(date)s and objections have been filed against "
                "its list: it cannot be replaced."
            )
            % {
                "date": formats.date_format(
                    timezone.localtime(page.period_starts_at), "DATE_FORMAT"
                )
            }
        )
    page.period_starts_at = starts_at or now
    page.proposed = [
        ProposedCandidate(
            residence=entry["residence"],
            rank=entry["rank"],
            summary=entry.get("summary", ""),
            sort_order=order,
        )
        for order, entry in enumerate(sorted(entries, key=lambda entry: entry["rank"]))
    ]
    return publish_with_translations(
        page, user=user, fields=SYNCED_FIELDS, child_relations=["proposed"]
    )


def confirmation_blockers(campaign, at=None):
    """Translated reasons why the winners cannot be confirmed at ``at`` (now by default).

    No notice published, the period not started or still running (with its last day),
    objections still open. An empty list means the winners may be confirmed (第八条: 公示期满
    无异议的，确定“十佳平安小区”).
    """
    at = at or timezone.now()
    page = notice_page_for(campaign)
    if page is None or page.period_starts_at is None or not page.live:
        return [_("The proposed list has not been published for public notice.")]
    blockers = []
    if at < page.period_starts_at:
        blockers.append(
            _("The public notice has not started yet: it starts on %(date)s.")
            % {
                "date": formats.date_format(
                    timezone.localtime(page.period_starts_at), "DATE_FORMAT"
                )
            }
        )
    elif page.period_is_open(at):
        blockers.append(
            _("The public notice is still running: its last day is %(date)s.")
            % {"date": formats.date_format(page.period_last_day(), "DATE_FORMAT")}
        )
    count = page.open_objections().count()
    if count:
        blockers.append(
            ngettext(
                "%(count)d objection is still open.",
                "%(count)d objections are still open.",
                count,
            )
            % {"count": count}
        )
    return blockers


@transaction.atomic
def withdraw_candidate(page, residence, reason, *, user=None):
    """Mark ``residence`` as withdrawn from the proposed list with ``reason`` and republish.

    The entry stays on the page, shown as withdrawn with the reason, rather than vanishing.
    """
    page = PublicNoticePage.objects.select_for_update().get(pk=page.source.pk)
    entries = list(page.proposed.all())
    now = timezone.now()
    for entry in entries:
        if entry.residence_id == residence.pk and not entry.withdrawn:
            entry.withdrawn, entry.withdrawn_reason, entry.withdrawn_at = True, reason, now
    page.proposed = entries
    return publish_with_translations(
        page, user=user, fields=SYNCED_FIELDS, child_relations=["proposed"]
    )


__all__ = [
    "Objection",
    "confirmation_blockers",
    "notice_page_for",
    "publish_proposed_list",
    "withdraw_candidate",
]
