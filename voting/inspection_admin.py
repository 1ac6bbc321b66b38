"""Street inspections in the Wagtail admin: a ``ModelViewSet`` scoped by the officer's street.

Every view of the viewset (list, add, edit, inspect, history, usage, delete) goes through
``visible_inspections``: an officer of one street gets a 404 for another street's inspection,
whatever id is typed into the URL. After the inspection deadline (or once the campaign is an
archive) the forms are read-only: a GET of an edit form shows the inspection instead, and a
POST is refused with a 403 page that says why.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from voting.checklist import CHECKLIST, field_name
from voting.inspection_forms import InspectionForm, StreetSubmissionForm
from voting.models import Inspection, StreetSubmission
from voting.selection import (
    inspection_closed_reason,
    officer_street,
    sees_all_inspections,
    street_candidates,
    the_campaign,
    visible_inspections,
)

LOCKED_TEMPLATE = "voting/admin/locked.html"


def refused(request, reason, back_url):
    """The answer to a POST that the rules refuse: a 403 page that says why."""
    return TemplateResponse(
        request, LOCKED_TEMPLATE, {"reason": reason, "back_url": back_url}, status=403
    )


class ScopedObjectMixin:
    """Looks the object up among the inspections the user may see: others answer 404."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not visible_inspections(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


class LockMixin:
    """Refuses changes once inspections are read-only."""

    def closed_reason(self):
        campaign = the_campaign()
        if campaign is None:
            return _("There is no current campaign.")
        return inspection_closed_reason(campaign)

    def dispatch(self, request, *args, **kwargs):
        reason = self.closed_reason()
        if reason and request.method == "POST":
            return refused(request, reason, reverse("inspection:index"))
        if reason:
            messages.warning(request, reason)
            pk = kwargs.get("pk")
            if pk is not None:
                return redirect("inspection:inspect", pk)
            return redirect("inspection:index")
        return super().dispatch(request, *args, **kwargs)


class InspectionIndexView(generic.IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("candidate__street")
        return visible_inspections(self.request.user, queryset)

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if officer_street(self.request.user) is not None:
            buttons.append(
                HeaderButton(
                    _("Street proposed list"),
                    url=reverse("inspection:submission"),
                    icon_name="list-ul",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = the_campaign()
        context["closed_reason"] = inspection_closed_reason(campaign) if campaign else None
        return context


class InspectionCreateView(LockMixin, generic.CreateView):
    def dispatch(self, request, *args, **kwargs):
        if officer_street(request.user) is None and not request.user.is_superuser:
            messages.error(request, _("Only a street office's account can enter inspections."))
            return redirect("inspection:index")
        return super().dispatch(request, *args, **kwargs)


class InspectionEditView(ScopedObjectMixin, LockMixin, generic.EditView):
    # The object is looked up (scoped) in setup(), so another street's id is a 404 before
    # the deadline is even considered.
    pass


class InspectionInspectView(ScopedObjectMixin, generic.InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = self.object.section_scores()
        context["photos"] = self.object.photos.all()
        context["failures"] = self.object.failures()
        return context


class InspectionDeleteView(ScopedObjectMixin, LockMixin, generic.DeleteView):
    pass


class ScopedHistoryView(ScopedObjectMixin, generic.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, generic.UsageView):
    pass


class StreetSubmissionView(WagtailAdminTemplateMixin, FormView):
    """The street office's report to the district: its proposed list (第七条)."""

    template_name = "voting/admin/street_submission.html"
    form_class = StreetSubmissionForm
    page_title = gettext_lazy("Street proposed list")
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        self.campaign = the_campaign()
        self.street = officer_street(request.user)
        if self.campaign is None or self.street is None:
            raise Http404
        if not request.user.has_perm("voting.add_streetsubmission"):
            raise PermissionDenied
        self.submission = StreetSubmission.objects.filter(
            campaign=self.campaign, street=self.street
        ).first()
        self.reason = inspection_closed_reason(self.campaign)
        if self.reason and request.method == "POST":
            return refused(request, self.reason, reverse("inspection:submission"))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("inspection:index"), "label": _("Inspections")},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"campaign": self.campaign, "street": self.street}

    def get_initial(self):
        if self.submission:
            return {"proposed": self.submission.proposed.all(), "note": self.submission.note}
        eligible = street_candidates(self.campaign, self.street).filter(
            inspection__is_eligible=True
        )
        return {"proposed": eligible}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = street_candidates(self.campaign, self.street).select_related("inspection")
        rows = []
        for page in pages:
            inspection = getattr(page, "inspection", None)
            rows.append(
                {
                    "page": page,
                    "inspection": inspection,
                    "failures": inspection.failures(self.campaign) if inspection else [],
                }
            )
        context.update(
            street=self.street,
            rows=rows,
            submission=self.submission,
            closed_reason=self.reason,
            phase=self.campaign.phase("inspection"),
        )
        return context

    @transaction.atomic
    def form_valid(self, form):
        submission, _created = StreetSubmission.objects.update_or_create(
            campaign=self.campaign,
            street=self.street,
            defaults={
                "note": form.cleaned_data["note"],
                "submitted_by": self.request.user,
                "submitted_at": timezone.now(),
            },
        )
        submission.proposed.set(form.cleaned_data["proposed"])
        messages.success(
            self.request,
            _("The proposed list of %(street)s was sent to the district office (%(count)d).")
            % {"street": self.street.name, "count": len(form.cleaned_data["proposed"])},
        )
        return redirect("inspection:submission")


def checklist_panels():
    return [
        MultiFieldPanel(
            [FieldPanel(field_name(item)) for item in section.items],
            heading=section.label,
        )
        for section in CHECKLIST
    ]


class InspectionViewSet(ModelViewSet):
    model = Inspection
    icon = "clipboard-list"
    menu_label = gettext_lazy("Inspections")
    menu_order = 320
    add_to_admin_menu = True
    name = "inspection"
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = InspectionIndexView
    add_view_class = InspectionCreateView
    edit_view_class = InspectionEditView
    inspect_view_class = InspectionInspectView
    delete_view_class = InspectionDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_template_name = "voting/admin/inspection_inspect.html"
    index_template_name = "voting/admin/inspection_index.html"
    list_display = [
        "candidate",
        "candidate__street",
        "inspected_on",
        "score",
        "rental_registration_rate",
        "satisfaction_rate",
        BooleanColumn("is_eligible", label=gettext_lazy("Eligible")),
        "failures_text",
    ]
    list_filter = ["is_eligible", "candidate__street", "ledger_checked"]
    list_export = [
        "candidate",
        "candidate__street",
        "inspected_on",
        "inspectors",
        "checklist_total",
        "score",
        "ledger_checked",
        "rental_registration_rate",
        "satisfaction_rate",
        "violent_crimes",
        "robberies",
        "burglaries",
        "yellow_card",
        "one_vote_veto",
        "is_eligible",
        "failures_text",
        "findings",
        "updated_at",
    ]
    export_filename = "inspections"
    inspect_view_fields = [
        "candidate",
        "inspected_on",
        "inspectors",
        "ledger_checked",
        "floating_population",
        "floating_registered",
        "rental_registration_rate",
        "residents_interviewed",
        "residents_satisfied",
        "satisfaction_rate",
        "violent_crimes",
        "robberies",
        "burglaries",
        "yellow_card",
        "one_vote_veto",
        "findings",
        "score",
        "is_eligible",
        "entered_by",
        "updated_by",
        "updated_at",
    ]

    def get_edit_handler(self):
        return ObjectList(
            [
                FieldPanel("candidate"),
                FieldRowPanel([FieldPanel("inspected_on"), FieldPanel("inspectors")]),
                *checklist_panels(),
                MultiFieldPanel(
                    [
                        FieldPanel("ledger_checked"),
                        FieldRowPanel(
                            [FieldPanel("floating_population"), FieldPanel("floating_registered")]
                        ),
                        FieldRowPanel(
                            [
                                FieldPanel("residents_interviewed"),
                                FieldPanel("residents_satisfied"),
                            ]
                        ),
                    ],
                    heading=gettext_lazy("Ledgers, rental registration and satisfaction survey"),
                ),
                MultiFieldPanel(
                    [
                        FieldRowPanel(
                            [
                                FieldPanel("violent_crimes"),
                                FieldPanel("robberies"),
                                FieldPanel("burglaries"),
                            ]
                        ),
                        FieldRowPanel([FieldPanel("yellow_card"), FieldPanel("one_vote_veto")]),
                    ],
                    heading=gettext_lazy("Police data and comprehensive-management verdicts"),
                ),
                FieldPanel("findings"),
                FieldPanel("photos"),
                FieldPanel("remove_photos"),
            ],
            base_form_class=InspectionForm,
        ).bind_to_model(self.model)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("street-list/", StreetSubmissionView.as_view(), name="submission"),
        ]


class StreetSubmissionPolicy(ModelPermissionPolicy):
    """Every street's proposed list is read by those who see every street's inspections.

    A street office holds ``view_streetsubmission`` for its own list, which it sends and
    reads at ``inspection:submission``; here it would read the other streets' lists too,
    so this list is for the district office alone. Nobody adds, edits or deletes a list
    here: a street sends its own through its form.
    """

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, action) and sees_all_inspections(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(["view"])
        return users if "view" in actions else users.none()


class StreetSubmissionViewSet(ModelViewSet):
    """The streets' proposed lists, read-only for the district office."""

    model = StreetSubmission
    icon = "list-ul"
    menu_label = gettext_lazy("Street proposed lists")
    add_to_admin_menu = False
    name = "street_submission"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["street", "campaign", "submitted_by", "submitted_at"]
    list_filter = ["campaign", "street"]
    inspect_view_fields = ["campaign", "street", "proposed", "note", "submitted_by", "submitted_at"]
    list_export = ["campaign", "street", "proposed", "note", "submitted_by", "submitted_at"]
    export_filename = "street-proposed-lists"
    form_fields = ["note"]
