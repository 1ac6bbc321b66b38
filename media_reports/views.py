"""Views behind the report index's sub-URLs, the event sign-up and the bench's trivial view."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from taggit.models import Tag
from wagtail.models import Page

from campaign_pages import ratelimits
from campaign_pages.models import CampaignPage
from media_reports.forms import ReportFilterForm, SignupForm
from media_reports.models import (
    EventSignup,
    HazardStatus,
    MonitorMember,
    ReportKind,
)
from media_reports.models.reports import REPORTS_PER_PAGE


def paginate(request, items, per_page=REPORTS_PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def report_index(index, request, tag_slug=None):
    reports = index.reports().prefetch_related("reporters", "tags")
    campaign = CampaignPage.objects.ancestor_of(index).first()
    form = ReportFilterForm(request.GET or None, campaign=campaign)
    tag = None
    if tag_slug is not None:
        tag = Tag.objects.filter(slug=tag_slug).first()
        if tag is None:
            raise Http404
        reports = reports.filter(tags=tag)
    if form.is_bound:
        form.is_valid()  # bad values are shown as errors and left out of the filter
        data = getattr(form, "cleaned_data", {})
        if data.get("kind"):
            reports = reports.filter(kind=data["kind"])
        if data.get("street"):
            street = data["street"]
            reports = reports.filter(
                Q(residences__street=street) | Q(residences__residence__street=street)
            )
        if data.get("residence"):
            residence = data["residence"]
            reports = reports.filter(
                residences__residence__translation_key=residence.translation_key
            ).distinct()
    query = request.GET.copy()
    query.pop("page", None)
    return index.render(
        request,
        template="media_reports/report_index_page.html",
        context_overrides={
            "reports": paginate(request, reports.distinct()),
            "filter_form": form,
            "tag": tag,
            "query": query.urlencode(),
            "kinds": ReportKind.choices,
        },
    )


def team(index, request):
    members = MonitorMember.objects.select_related("photo")
    return index.render(
        request,
        template="media_reports/team.html",
        context_overrides={"members": members},
    )


def member(index, request, member_id):
    person = get_object_or_404(MonitorMember.objects.select_related("photo"), pk=member_id)
    reports = index.reports().filter(reporters=person)
    return index.render(
        request,
        template="media_reports/member.html",
        context_overrides={"member": person, "reports": paginate(request, reports)},
    )


def hazards(index, request):
    status = request.GET.get("status", "")
    if status not in HazardStatus.values:
        status = ""
    reports = index.reports().filter(kind=ReportKind.HAZARD)
    counts = {s: reports.filter(hazard_status=s).count() for s in HazardStatus.values}
    if status:
        reports = reports.filter(hazard_status=status)
    groups = [
        {
            "status": value,
            "label": label,
            "count": counts[value],
            "reports": [r for r in reports if r.hazard_status == value],
        }
        for value, label in HazardStatus.choices
        if not status or value == status
    ]
    return index.render(
        request,
        template="media_reports/hazards.html",
        context_overrides={
            "groups": groups,
            "status": status,
            "statuses": HazardStatus.choices,
            "counts": counts,
        },
    )


def event_page(page, request, *args, **kwargs):
    """Show the event; on POST, sign the reader up if a seat is free (no race, no duplicate)."""
    source = page.source
    form = None
    closed = page.closed_reason()
    if request.method == "POST" and ratelimits.exceeded(
        request, "events.signup", settings.EVENT_SIGNUP_RATE
    ):
        return ratelimits.too_many_requests(request, settings.EVENT_SIGNUP_RATE)
    if request.method == "POST" and closed is None:
        form = SignupForm(request.POST, event=source)
        if form.is_valid():
            try:
                with transaction.atomic():
                    # Lock the event row: concurrent sign-ups queue here, so the count below
                    # cannot be overtaken (SQLite's IMMEDIATE transactions serialise too).
                    Page.objects.select_for_update().filter(pk=source.pk).first()
                    if EventSignup.objects.filter(event=source).count() >= source.capacity:
                        form.add_error(None, _("Sorry, the last place has just been taken."))
                    else:
                        form.save()
            except IntegrityError:
                form.add_error("phone", _("This mobile number has already signed up."))
            if not form.errors:
                messages.success(request, _("You are signed up. See you there!"))
                return HttpResponseRedirect(page.url + "#signup")
        closed = page.closed_reason()
    elif request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405)
    if form is None and closed is None:
        form = SignupForm(event=source)
    context = page.get_context(request, *args, **kwargs)
    context.update({"form": form, "closed": closed, "seats_left": page.seats_left()})
    if form is not None and form.errors:
        status = 400
    elif request.method == "POST" and closed is not None:
        status = 403  # nothing was saved: the page says why sign-up is closed
    else:
        status = 200
    return TemplateResponse(request, page.get_template(request), context, status=status)


@require_safe
def trivial(request):
    """A JSON view that does nothing: the yardstick of the benchmarks in bench/ (routing and
    the middleware only; served only when BENCH_VIEWS is on)."""
    return JsonResponse({"ok": True})
