"""The selection in the Wagtail admin: panel scores, the combined ranking, the proposed list,
the organisation awards and the confirmation of the winners.

Each view checks its permission (``voting.score_candidates`` for the panel,
``voting.run_selection`` for the district office) and its rule in ``voting.selection``; a POST
the rules refuse gets a 403 page saying why, never a half-done step. Every decision is kept
as a ``SelectionRecord``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from voting.inspection_admin import refused
from voting.models import (
    OrganisationAwardChoice,
    PanelScore,
    SelectionRecord,
    SelectionRules,
)
from voting.organisations import METRICS, metrics_of, organisation_metrics
from voting.ranking import member_score, shown
from voting.selection import (
    SCORE_PERMISSION,
    SELECTION_PERMISSION,
    archive_reason,
    criteria_of,
    panel_candidates,
    panel_is_closed,
    ranking_for,
    scoring_closed_reason,
    the_campaign,
)
from voting.selection_forms import (
    OrganisationAwardForm,
    ProposalForm,
    ScoreForm,
    SelectionRulesForm,
)


class SelectionMixin(WagtailAdminTemplateMixin):
    """Permission, the current campaign, and the rule that refuses POSTs."""

    permission = SELECTION_PERMISSION
    header_icon = "pick"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.campaign = the_campaign()
        if self.campaign is None:
            raise Http404
        self.rules = SelectionRules.for_campaign(self.campaign)
        if request.method == "POST":
            reason = self.closed_reason()
            if reason:
                return refused(request, reason, request.path)
        return super().dispatch(request, *args, **kwargs)

    def closed_reason(self):
        return archive_reason(self.campaign)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(campaign=self.campaign, rules=self.rules, archived=self.closed_reason())
        return context

    def record(self, action, summary="", reason="", **details):
        return SelectionRecord.objects.create(
            campaign=self.campaign,
            action=action,
            user=self.request.user,
            summary=summary,
            reason=reason,
            details=details,
        )


# -- the panel ---------------------------------------------------------------------------


def member_total(scores, criteria):
    """A member's weighted score of one candidate (0–100, shown rounded), or None."""
    value = member_score(scores, criteria)
    return None if value is None else shown(value)


class ScoreListView(SelectionMixin, TemplateView):
    """The candidates the panel scores, with the member's own scores (everyone's once closed)."""

    permission = SCORE_PERMISSION
    template_name = "voting/admin/scores.html"
    page_title = gettext_lazy("Panel scores")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        criteria = criteria_of(self.rules)
        closed = panel_is_closed(self.campaign)
        pages = list(panel_candidates(self.campaign))
        scores = PanelScore.objects.filter(candidate__in=pages, criterion__rules_id=self.rules.pk)
        if not closed:
            # Until the panel closes a member sees only their own scores.
            scores = scores.filter(member=self.request.user)
        table = {}
        for score in scores.select_related("member"):
            table.setdefault(score.candidate_id, {}).setdefault(score.member, {})[
                score.criterion_id
            ] = score.score
        rows = []
        for page in pages:
            members = table.get(page.pk, {})
            mine = members.get(self.request.user)
            rows.append(
                {
                    "page": page,
                    "mine": member_total(mine, criteria) if mine else None,
                    "others": [
                        (member, member_total(values, criteria))
                        for member, values in sorted(members.items(), key=lambda i: i[0].pk)
                    ]
                    if closed
                    else [],
                }
            )
        context.update(rows=rows, closed=closed, closed_reason=scoring_closed_reason(self.campaign))
        return context


class ScoreFormView(SelectionMixin, FormView):
    """One member's form for one candidate: all criteria at once, validated ranges."""

    permission = SCORE_PERMISSION
    template_name = "voting/admin/score_form.html"
    form_class = ScoreForm

    def dispatch(self, request, *args, **kwargs):
        self.candidate_id = kwargs["candidate_id"]
        return super().dispatch(request, *args, **kwargs)

    def closed_reason(self):
        return scoring_closed_reason(self.campaign)

    @property
    def candidate(self):
        if not hasattr(self, "_candidate"):
            page = panel_candidates(self.campaign).filter(pk=self.candidate_id).first()
            if page is None:
                raise Http404
            self._candidate = page
        return self._candidate

    def get(self, request, *args, **kwargs):
        self.candidate  # noqa: B018 (404 before anything else)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.candidate  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_page_title(self):
        return _("Score %(candidate)s") % {"candidate": self.candidate.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("selection:scores"), "label": _("Panel scores")},
            {"url": "", "label": self.candidate.title},
        ]

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"criteria": self.rules.criteria.all()}

    def get_initial(self):
        own = PanelScore.objects.filter(
            member=self.request.user, candidate=self.candidate, criterion__rules=self.rules
        )
        return {f"criterion_{s.criterion_id}": s.score for s in own}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = getattr(self.candidate, "inspection", None)
        context.update(
            candidate=self.candidate,
            inspection=inspection,
            closed_reason=self.closed_reason(),
        )
        return context

    @transaction.atomic
    def form_valid(self, form):
        for criterion, score in form.scores():
            PanelScore.objects.update_or_create(
                member=self.request.user,
                candidate=self.candidate,
                criterion=criterion,
                defaults={"score": score},
            )
        messages.success(
            self.request,
            _("Your scores of %(candidate)s were saved.") % {"candidate": self.candidate.title},
        )
        return redirect("selection:scores")


# -- the ranking -------------------------------------------------------------------------

RANKING_EXPORT = [
    "position",
    "reference",
    "title",
    "street",
    "inspection",
    "panel",
    "panel_members",
    "votes",
    "vote_share",
    "total",
]


def ranking_rows(ranking):
    rows = []
    for entry in ranking.entries:
        c = entry.candidate
        rows.append(
            {
                "position": entry.position,
                "id": c.id,
                "reference": c.reference,
                "title": c.title,
                "street": c.street,
                "inspection": shown(entry.inspection),
                "panel": shown(entry.panel),
                "panel_members": entry.panel_members,
                "votes": c.votes,
                "vote_share": shown(entry.vote_share),
                "total": shown(entry.total),
                "explained": entry.explained(ranking.weights),
            }
        )
    return rows


class DictExportMixin(SpreadsheetExportMixin):
    """Wagtail's CSV/XLSX export for a list of dicts (``?export=csv`` or ``xlsx``)."""

    def to_row_dict(self, item):
        return {field: item[field] for field in self.list_export}

    def get_heading(self, queryset, field):
        return str(self.export_headings.get(field, field))

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.as_spreadsheet(self.export_rows(), request.GET["export"])
        return super().get(request, *args, **kwargs)


class RankingView(SelectionMixin, DictExportMixin, TemplateView):
    """The combined ranking, explained (every component shown), exportable; closes the panel."""

    template_name = "voting/admin/ranking.html"
    page_title = gettext_lazy("Combined ranking")
    list_export = RANKING_EXPORT
    export_filename = "ranking"
    export_headings = {
        "position": gettext_lazy("Rank"),
        "reference": gettext_lazy("Reference"),
        "title": gettext_lazy("Candidate"),
        "street": gettext_lazy("Street or town"),
        "inspection": gettext_lazy("Inspection (0–100)"),
        "panel": gettext_lazy("Panel (0–100)"),
        "panel_members": gettext_lazy("Panel members"),
        "votes": gettext_lazy("Valid votes"),
        "vote_share": gettext_lazy("Vote share (0–100)"),
        "total": gettext_lazy("Total"),
    }

    def export_rows(self):
        return ranking_rows(ranking_for(self.campaign))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ranking = ranking_for(self.campaign)
        context.update(
            rows=ranking_rows(ranking),
            apart=ranking.apart,
            ranking=ranking,
            weights=ranking.weights,
            panel_closed=panel_is_closed(self.campaign),
            scoring_closed_reason=scoring_closed_reason(self.campaign),
        )
        return context

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        """Close the panel early (its scores become final and visible to all members)."""
        if request.POST.get("action") != "close_panel":
            return refused(request, _("Unknown action."), request.path)
        if panel_is_closed(self.campaign):
            messages.info(request, _("The panel is already closed."))
            return redirect("selection:ranking")
        close_panel(self.campaign, self.rules, request.user)
        messages.success(request, _("The panel is closed: the scores are final."))
        return redirect("selection:ranking")


def close_panel(campaign, rules, user):
    if not rules.pk:
        rules.save()
    rules.panel_closed_at = timezone.now()
    rules.panel_closed_by = user
    rules.save(update_fields=["panel_closed_at", "panel_closed_by"])
    SelectionRecord.objects.create(
        campaign=campaign,
        action=SelectionRecord.Action.PANEL_CLOSED,
        user=user,
        summary=_("The panel was closed by the district office."),
    )


# -- the proposed list -------------------------------------------------------------------


def entry_summary(row, weights):
    """The public explanation of a proposed candidate's place (page content, in Chinese)."""
    with translation.override("zh-hans"):
        return _(
            "Total %(total)s = inspection %(inspection)s × %(wi)d%% + panel %(panel)s × "
            "%(wp)d%% + vote share %(share)s × %(wv)d%% (%(votes)d valid votes)."
        ) % {
            "total": row["total"],
            "inspection": row["inspection"],
            "wi": weights["inspection"],
            "panel": row["panel"],
            "wp": weights["panel"],
            "share": row["vote_share"],
            "wv": weights["vote"],
            "votes": row["votes"],
        }


class ProposalView(SelectionMixin, FormView):
    """The district office proposes the top N and publishes them for the public notice."""

    template_name = "voting/admin/proposal.html"
    form_class = ProposalForm
    page_title = gettext_lazy("Proposed list")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._ranking = None

    @property
    def ranking(self):
        if self._ranking is None:
            self._ranking = ranking_for(self.campaign)
        return self._ranking

    def places(self):
        return min(self.rules.winners_count, len(self.ranking.entries))

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "entries": self.ranking.entries,
            "places": self.places(),
        }

    def get_context_data(self, **kwargs):
        from registrations.notice import notice_page_for

        context = super().get_context_data(**kwargs)
        notice = notice_page_for(self.campaign)
        context.update(
            rows=ranking_rows(self.ranking),
            notice=notice,
            published=notice.current_entries() if notice and notice.period_starts_at else [],
            records=self.campaign.selection_records.filter(
                action=SelectionRecord.Action.PROPOSAL_PUBLISHED
            ).select_related("user")[:5],
            review_open=self.campaign.phase("review") is not None
            and self.campaign.phase("review").starts_at <= timezone.now(),
        )
        return context

    def form_valid(self, form):
        from registrations.notice import publish_proposed_list

        review = self.campaign.phase("review")
        if review is None or timezone.now() < review.starts_at:
            return refused(
                self.request,
                _("The proposed list can be published once the review opens."),
                self.request.path,
            )
        by_id = {row["id"]: row for row in ranking_rows(self.ranking)}
        chosen = form.chosen()
        entries = [
            {
                "residence": page,
                "rank": rank,
                "summary": entry_summary(by_id[page.pk], self.ranking.weights),
            }
            for rank, page in enumerate(chosen, start=1)
        ]
        reason = form.cleaned_data["reason"].strip() if form.deviates() else ""
        try:
            with transaction.atomic():
                if not panel_is_closed(self.campaign):
                    close_panel(self.campaign, self.rules, self.request.user)
                # Published as the selection, not as the user: the district office decides
                # the list (run_selection) without being an editor of the page tree, and the
                # SelectionRecord below keeps who did it.
                publish_proposed_list(self.campaign, entries, user=None)
                self.record(
                    SelectionRecord.Action.PROPOSAL_PUBLISHED,
                    summary=", ".join(f"{e['rank']}. {e['residence'].title}" for e in entries),
                    reason=reason,
                    proposed=[
                        {
                            "rank": e["rank"],
                            "candidate": e["residence"].pk,
                            "title": e["residence"].title,
                        }
                        for e in entries
                    ],  # fmt: skip
                    ranking_top=form.suggested,
                    ranking=[
                        {k: str(v) for k, v in row.items() if k != "explained"}
                        for row in ranking_rows(self.ranking)
                    ],
                    weights=self.ranking.weights,
                    votes_from=getattr(self.ranking, "vote_source", ""),
                )
        except ValueError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The proposed list of %(count)d was published for the public notice.")
            % {"count": len(entries)},
        )
        return redirect("selection:proposal")


# -- organisation awards -----------------------------------------------------------------

ORGANISATION_EXPORT = ["position", "community", "street", *METRICS, "score"]
SORTS = {"score", *METRICS}


class OrganisationAwardsView(SelectionMixin, DictExportMixin, FormView):
    """The 优秀组织奖 table (sortable, exportable) and the choice of the awarded 社区."""

    template_name = "voting/admin/organisations.html"
    form_class = OrganisationAwardForm
    page_title = gettext_lazy("Organisation awards")
    list_export = ORGANISATION_EXPORT
    export_filename = "organisation-awards"
    export_headings = {
        "position": gettext_lazy("Suggested order"),
        "community": gettext_lazy("Community (社区)"),
        "street": gettext_lazy("Street or town"),
        "registrations": gettext_lazy("Registrations"),
        "votes": gettext_lazy("Valid votes for its candidates"),
        "reports": gettext_lazy("Field reports"),
        "events": gettext_lazy("Event sign-ups"),
        "score": gettext_lazy("Score (0–100)"),
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._rows = None

    @property
    def rows(self):
        if self._rows is None:
            self._rows = organisation_metrics(self.campaign)
        return self._rows

    def export_rows(self):
        return [
            {
                "position": r["position"],
                "community": r["community"].name,
                "street": r["community"].street.name,
                **{m: r[m] for m in METRICS},
                "score": r["score_shown"],
            }
            for r in self.rows
        ]

    def get_form_kwargs(self):
        existing = {
            c.community_id: c.citation
            for c in OrganisationAwardChoice.objects.filter(campaign=self.campaign)
        }
        return super().get_form_kwargs() | {
            "rows": self.rows,
            "suggested": self.rules.organisation_awards_count,
            "existing": existing,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sort = self.request.GET.get("sort", "score")
        rows = list(self.rows)
        if sort in SORTS and sort != "score":
            rows.sort(key=lambda r: (-r[sort], r["position"]))
        else:
            sort = "score"
        form = context["form"]
        context.update(
            rows=[
                {**row, "award": form[row["award_field"]], "citation": form[row["citation_field"]]}
                for row in rows
            ],
            sort=sort,
            sorts=[(m, self.export_headings[m]) for m in (*METRICS, "score")],
            chosen=OrganisationAwardChoice.objects.filter(campaign=self.campaign).select_related(
                "community", "chosen_by"
            ),
        )
        return context

    @transaction.atomic
    def form_valid(self, form):
        OrganisationAwardChoice.objects.filter(campaign=self.campaign).delete()
        chosen = form.chosen()
        for order, (row, citation) in enumerate(chosen, start=1):
            OrganisationAwardChoice.objects.create(
                campaign=self.campaign,
                community=row["community"],
                citation=citation,
                metrics=metrics_of(row),
                rank=order,
                chosen_by=self.request.user,
            )
        self.record(
            SelectionRecord.Action.ORGANISATION_AWARDS,
            summary=", ".join(row["community"].name for row, _citation in chosen),
            awards=[
                {"community": row["community"].pk, "metrics": metrics_of(row)}
                for row, _citation in chosen
            ],
        )
        messages.success(
            self.request,
            _("%(count)d 社区 chosen for the organisation award.") % {"count": len(chosen)},
        )
        return redirect("selection:organisations")


# -- confirmation ------------------------------------------------------------------------


def plaque_text(campaign):
    return f"{campaign.year}年度{campaign.district}十佳平安小区"


def winner_citation(campaign, residence, rank):
    # Page content, in Chinese like the rest of the winners page (its translation is English).
    return (
        f"{residence.title}在{campaign.year}年度{campaign.district}“平安小区”评选中"
        f"位列第{rank}名，经公示无异议，被评为“十佳平安小区”。"
    )


class ConfirmView(SelectionMixin, TemplateView):
    """The winners are confirmed once the notice period is over and no objection is open."""

    template_name = "voting/admin/confirm.html"
    page_title = gettext_lazy("Confirm the winners")

    def state(self):
        from campaign_pages.models import WinnersPage
        from registrations.notice import confirmation_blockers, notice_page_for

        notice = notice_page_for(self.campaign)
        entries = notice.current_entries() if notice else []
        winners_page = WinnersPage.objects.child_of(self.campaign).first()
        blockers = list(confirmation_blockers(self.campaign))
        awards = list(
            OrganisationAwardChoice.objects.filter(campaign=self.campaign).select_related(
                "community"
            )
        )
        if winners_page is not None and winners_page.confirmed_at:
            blockers.append(
                _("The winners were confirmed on %(date)s.")
                % {"date": timezone.localtime(winners_page.confirmed_at).date()}
            )
        if not awards:
            blockers.append(_("Choose the organisation awards first."))
        if notice is not None and not entries:
            blockers.append(_("No candidate is left on the proposed list."))
        return {
            "notice": notice,
            "entries": entries,
            "awards": awards,
            "blockers": blockers,
            "winners_page": winners_page,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | self.state()

    def post(self, request, *args, **kwargs):
        from campaign_pages.winners import write_winners

        state = self.state()
        if state["blockers"]:
            return refused(request, " ".join(str(b) for b in state["blockers"]), request.path)
        winners = [
            {
                "residence": entry.residence,
                "rank": rank,
                "plaque_text": plaque_text(self.campaign),
                "citation": winner_citation(self.campaign, entry.residence, rank),
            }
            for rank, entry in enumerate(state["entries"], start=1)
        ]
        awards = [
            {"community": a.community, "citation": a.citation, "metrics": a.metrics}
            for a in state["awards"]
        ]
        with transaction.atomic():
            # As for the proposed list: written by the selection, recorded with the user.
            page = write_winners(self.campaign, winners, awards, user=None)
            self.record(
                SelectionRecord.Action.WINNERS_CONFIRMED,
                summary=", ".join(f"{w['rank']}. {w['residence'].title}" for w in winners),
                winners=[{"rank": w["rank"], "candidate": w["residence"].pk} for w in winners],
                organisation_awards=[a.community_id for a in state["awards"]],
                page=page.pk,
            )
        messages.success(
            request,
            _("%(count)d winners confirmed and published.") % {"count": len(winners)},
        )
        return redirect("selection:confirm")


urlpatterns = [
    path("scores/", ScoreListView.as_view(), name="scores"),
    path("scores/<int:candidate_id>/", ScoreFormView.as_view(), name="score"),
    path("ranking/", RankingView.as_view(), name="ranking"),
    path("proposal/", ProposalView.as_view(), name="proposal"),
    path("organisations/", OrganisationAwardsView.as_view(), name="organisations"),
    path("confirm/", ConfirmView.as_view(), name="confirm"),
]


# -- rules, records and the menu -----------------------------------------------------------

from wagtail.admin.menu import MenuItem  # noqa: E402
from wagtail.admin.viewsets.model import ModelViewSet  # noqa: E402
from wagtail.permission_policies import ModelPermissionPolicy  # noqa: E402


class SelectionRulesViewSet(ModelViewSet):
    """Weights, winners' count and the panel's criteria of each campaign (district office)."""

    model = SelectionRules
    icon = "cog"
    menu_label = gettext_lazy("Selection rules")
    add_to_settings_menu = True
    name = "selection_rules"
    copy_view_enabled = False
    list_display = ["campaign", "inspection_weight", "panel_weight", "vote_weight"]

    # The model's panels with a form that keeps scored criteria (voting.selection_forms).
    edit_handler = ObjectList(SelectionRules.panels, base_form_class=SelectionRulesForm)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Records are written by the selection's steps only: the admin reads them."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


class SelectionRecordViewSet(ModelViewSet):
    model = SelectionRecord
    icon = "history"
    menu_label = gettext_lazy("Selection records")
    add_to_admin_menu = False
    name = "selection_records"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["action", "at", "user", "summary", "reason"]
    list_filter = ["campaign", "action"]
    list_export = ["campaign", "action", "at", "user", "summary", "reason", "details"]
    export_filename = "selection-records"
    inspect_view_fields = ["campaign", "action", "at", "user", "summary", "reason", "details"]
    form_fields = ["summary"]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


def menu_items():
    items = [
        (gettext_lazy("Panel scores"), "selection:scores", "edit", SCORE_PERMISSION),
        (gettext_lazy("Combined ranking"), "selection:ranking", "list-ol", SELECTION_PERMISSION),
        (gettext_lazy("Proposed list"), "selection:proposal", "pick", SELECTION_PERMISSION),
        (
            gettext_lazy("Organisation awards"),
            "selection:organisations",
            "group",
            SELECTION_PERMISSION,
        ),
        (gettext_lazy("Confirm the winners"), "selection:confirm", "tick", SELECTION_PERMISSION),
        (
            gettext_lazy("Street proposed lists"),
            "street_submission:index",
            "list-ul",
            # Every street's lists: the district office's (StreetSubmissionPolicy); a street
            # office reads its own from its inspections' list.
            SELECTION_PERMISSION,
        ),
        (
            gettext_lazy("Selection records"),
            "selection_records:index",
            "history",
            "voting.view_selectionrecord",
        ),
    ]
    return [
        PermissionMenuItem(label, reverse(url), icon_name=icon, permission=perm, order=n)
        for n, (label, url, icon, perm) in enumerate(items)
    ]
