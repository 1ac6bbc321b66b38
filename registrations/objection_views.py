"""The public-notice page's views: the list with the objection form, and the status link."""

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from registrations import ratelimits
from registrations.models import Objection, ObjectionEvidence
from registrations.objection_forms import ObjectionForm


def localised(page, locale):
    """The live translation of ``page`` in ``locale``, or the page itself."""
    translated = page.get_translation_or_none(locale)
    return translated if translated is not None and translated.live else page


def notice_context(page, request):
    now = timezone.now()
    campaign = page.campaign
    entries = list(page.entries())
    for entry in entries:
        entry.local_residence = localised(entry.residence, page.locale)
    source = page.source
    return page.get_context(request) | {
        "now": now,
        "campaign": campaign,
        "archived": campaign.has_ended(now),
        "published": source.period_starts_at is not None and bool(entries),
        "entries": entries,
        "starts_at": source.period_starts_at,
        "ends_at": page.period_ends_at(),
        "last_day": page.period_last_day(),
        "period_open": page.period_is_open(now),
        "period_ended": page.period_has_ended(now),
        "notice_days": source.notice_days,
    }


def objections_open(page, campaign, at=None):
    """Objections are taken while the period runs, and never once the campaign is archived."""
    return page.period_is_open(at) and not campaign.has_ended(at)


def notice_view(page, request):
    """The proposed list; during the period, the objection form below it (GET and POST)."""
    context = notice_context(page, request)
    if not objections_open(page, context["campaign"], context["now"]):
        status = 403 if request.method == "POST" else 200
        return TemplateResponse(
            request, "registrations/public_notice_page.html", context, status=status
        )
    groups = {"group": ratelimits.OBJECTION_FAILED_GROUP}
    captcha = ratelimits.needs_captcha(request, **groups)
    form = ObjectionForm(page=page.source, captcha=captcha)
    status = 200
    if request.method == "POST":
        if ratelimits.submissions_exceeded(
            request, group=ratelimits.OBJECTION_SUBMIT_GROUP, rate=settings.OBJECTION_SUBMIT_RATE
        ):
            message = _(
                "This connection has sent too many objections in a short time. Please try "
                "again in an hour."
            )
            return ratelimits.too_many_requests(request, page, message)
        form = ObjectionForm(request.POST, request.FILES, page=page.source, captcha=captcha)
        if form.is_valid():
            objection = save_objection(form, page.source)
            return TemplateResponse(
                request,
                "registrations/objection_thanks.html",
                page.get_context(request) | {"objection": objection},
            )
        ratelimits.count_failed_attempt(request, **groups)
        status = 400
    context["form"] = form
    return TemplateResponse(
        request, "registrations/public_notice_page.html", context, status=status
    )


def save_objection(form, page):
    """The objection, its first history step and its evidence files together, or nothing.

    Files are written inside the transaction; if anything fails after one was written, the
    written files are deleted again, so a refused save leaves no stray evidence on disk.
    """
    written = []
    try:
        with transaction.atomic():
            objection = form.save(commit=False)
            objection.page = page
            objection.save()
            objection.changes.create(old_status="", new_status=Objection.Status.OPEN)
            for evidence in form.cleaned_data.get("evidence") or []:
                row = ObjectionEvidence(
                    objection=objection,
                    kind=evidence.kind,
                    original_name=evidence.original_name,
                    size=evidence.size,
                )
                row.file.save(evidence.content.name, evidence.content, save=False)
                written.append(row.file)
                row.save()
    except Exception:
        for file in written:
            file.storage.delete(file.name)
        raise
    return objection


def status_view(page, request, token):
    """The objector's private page: the status, the office's reply, the history."""
    objection = get_object_or_404(
        Objection.objects.select_related("candidate"), status_token=token, page=page.source
    )
    response = TemplateResponse(
        request,
        "registrations/objection_status.html",
        page.get_context(request)
        | {
            "objection": objection,
            "candidate": localised(objection.candidate, page.locale),
            "history": objection.changes.all(),
        },
    )
    # A private link: never in the shared page cache, nor in a proxy's or CDN's.
    patch_cache_control(response, private=True, no_store=True)
    return response
