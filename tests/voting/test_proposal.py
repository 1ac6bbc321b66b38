"""The district office's steps: proposing the top N (a deviation needs a recorded reason),
publishing the notice, the organisation awards, confirming the winners (refused while the
notice period runs or an objection is open), and the archive."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaign_pages.models import WinnersPage
from registrations.models import Objection
from registrations.notice import notice_page_for
from tests.voting.selection_helpers import prepare_review, rules_with_criteria
from voting.models import OrganisationAwardChoice, SelectionRecord
from voting.organisations import activity, organisation_metrics
from voting.selection import ranking_for

pytestmark = pytest.mark.django_db

PROPOSAL = "/admin/selection/proposal/"
CONFIRM = "/admin/selection/confirm/"
ORGANISATIONS = "/admin/selection/organisations/"


@pytest.fixture
def ranked(review_open):
    campaign = review_open
    rules_with_criteria(campaign)
    prepare_review(campaign)
    return campaign, ranking_for(campaign)


def proposal_data(ids, reason=""):
    data = {f"rank_{n}": str(pk) for n, pk in enumerate(ids, start=1)}
    data["reason"] = reason
    return data


def top_ids(ranking, n=10):
    return [e.candidate.id for e in ranking.entries[:n]]


def test_form_is_prefilled_with_the_rankings_top_ten(client, ranked, district):
    campaign, ranking = ranked
    client.force_login(district)
    form = client.get(PROPOSAL).context["form"]
    assert form.places == min(10, len(ranking.entries)) == 10
    assert [form.fields[f"rank_{n}"].initial for n in range(1, 11)] == top_ids(ranking)


def test_publishing_the_top_ten_needs_no_reason_and_is_recorded(client, ranked, district):
    campaign, ranking = ranked
    client.force_login(district)
    response = client.post(PROPOSAL, proposal_data(top_ids(ranking)))
    assert response.status_code == 302, response.context["form"].errors
    notice = notice_page_for(campaign)
    assert [e.residence_id for e in notice.current_entries()] == top_ids(ranking)
    assert notice.period_is_open()
    assert "考核验收" in notice.current_entries()[0].summary  # the components, explained
    record = SelectionRecord.objects.get(action="proposal_published")
    assert record.user == district and record.reason == ""
    assert record.details["ranking_top"] == top_ids(ranking)
    assert SelectionRecord.objects.filter(action="panel_closed").exists()


def test_deviation_from_the_ranking_without_a_reason_is_refused(client, ranked, district):
    campaign, ranking = ranked
    ids = top_ids(ranking)
    swapped = [ids[1], ids[0], *ids[2:]]
    outsider = [*ids[:9], ranking.entries[10].candidate.id]
    client.force_login(district)
    for chosen in (swapped, outsider):
        response = client.post(PROPOSAL, proposal_data(chosen))
        assert response.status_code == 200
        assert "reason" in response.context["form"].errors
        assert "理由" in str(response.context["form"].errors["reason"])
    notice = notice_page_for(campaign)
    assert notice is None or notice.period_starts_at is None
    assert not SelectionRecord.objects.filter(action="proposal_published").exists()


def test_deviation_with_a_reason_is_published_and_the_reason_recorded(client, ranked, district):
    campaign, ranking = ranked
    ids = top_ids(ranking)
    outsider = ranking.entries[10].candidate.id
    chosen = [*ids[:9], outsider]
    client.force_login(district)
    reason = "第十名小区经核实存在消防通道堵塞问题，由第十一名递补。（测试）"
    assert client.post(PROPOSAL, proposal_data(chosen, reason)).status_code == 302
    assert [e.residence_id for e in notice_page_for(campaign).current_entries()] == chosen
    record = SelectionRecord.objects.get(action="proposal_published")
    assert record.reason == reason and record.details["ranking_top"] == ids


def test_a_candidate_twice_or_an_unranked_one_cannot_be_proposed(client, ranked, district):
    campaign, ranking = ranked
    ids = top_ids(ranking)
    client.force_login(district)
    response = client.post(PROPOSAL, proposal_data([*ids[:9], ids[0]], "（测试）"))
    assert "rank_10" in response.context["form"].errors
    from voting.models import Inspection

    inspection = Inspection.objects.get(candidate_id=ranking.entries[-1].candidate.id)
    inspection.yellow_card = True
    inspection.save()  # now ineligible: listed apart, not a choice
    unranked = inspection.candidate
    response = client.post(PROPOSAL, proposal_data([*ids[:9], unranked.pk], "（测试）"))
    assert "rank_10" in response.context["form"].errors
    assert not SelectionRecord.objects.filter(action="proposal_published").exists()


def test_only_the_district_office_proposes(client, ranked, panel_members):
    campaign, ranking = ranked
    client.force_login(panel_members[0])
    assert client.post(PROPOSAL, proposal_data(top_ids(ranking))).status_code in (302, 403)
    assert not SelectionRecord.objects.filter(action="proposal_published").exists()


# -- organisation awards and confirmation ------------------------------------------------


@pytest.fixture
def published(client, ranked, district):
    campaign, ranking = ranked
    client.force_login(district)
    assert client.post(PROPOSAL, proposal_data(top_ids(ranking))).status_code == 302
    return campaign, ranking, notice_page_for(campaign)


def choose_awards(client, count=2):
    rows = client.get(ORGANISATIONS).context["form"].rows[:count]
    data = {}
    for row in rows:
        data[row["award_field"]] = "on"
        data[row["citation_field"]] = f"{row['community'].name}组织有力。（测试）"
    assert client.post(ORGANISATIONS, data).status_code == 302
    return [row["community"] for row in rows]


def end_period(notice):
    notice.period_starts_at = timezone.now() - timedelta(days=notice.notice_days, hours=1)
    notice.save(update_fields=["period_starts_at"])


def test_confirmation_is_refused_while_the_notice_period_runs(client, published):
    campaign, ranking, notice = published
    choose_awards(client)
    response = client.post(CONFIRM)
    assert response.status_code == 403
    assert "公示" in response.content.decode()
    assert not WinnersPage.objects.filter(confirmed_at__isnull=False).exists()


def test_confirmation_is_refused_while_an_objection_is_open(client, published):
    campaign, ranking, notice = published
    choose_awards(client)
    Objection.objects.create(
        page=notice, candidate=notice.current_entries()[0].residence, name="张三（测试）",
        phone="17410000001", facts="（测试）",
    )  # fmt: skip
    end_period(notice)
    response = client.post(CONFIRM)
    assert response.status_code == 403 and "异议" in response.content.decode()
    assert not WinnersPage.objects.filter(confirmed_at__isnull=False).exists()


def test_winners_are_confirmed_after_the_period_without_open_objections(client, published):
    campaign, ranking, notice = published
    communities = choose_awards(client, 3)
    upheld = Objection.objects.create(
        page=notice, candidate=notice.current_entries()[2].residence, name="李四（测试）",
        phone="17410000002", facts="（测试）",
    )  # fmt: skip
    upheld.uphold(None, "经核实，异议成立。（测试）")
    end_period(notice)
    response = client.post(CONFIRM)
    assert response.status_code == 302
    page = WinnersPage.objects.child_of(campaign).get()
    assert page.confirmed_at is not None
    expected = [pk for pk in top_ids(ranking) if pk != upheld.candidate_id]
    assert [w.residence_id for w in page.winners.order_by("rank")] == expected
    assert [w.rank for w in page.winners.order_by("rank")] == list(range(1, 10))
    assert [a.community for a in page.organisation_awards.all()] == communities
    assert page.organisation_awards.first().metrics["registrations"] >= 0
    assert SelectionRecord.objects.filter(action="winners_confirmed").count() == 1
    assert client.post(CONFIRM).status_code == 403  # once only


def test_confirmation_needs_the_organisation_awards(client, published):
    campaign, ranking, notice = published
    end_period(notice)
    response = client.post(CONFIRM)
    assert response.status_code == 403 and "优秀组织奖" in response.content.decode()


def test_organisation_award_needs_a_citation_and_at_least_one_community(client, published):
    rows = client.get(ORGANISATIONS).context["form"].rows
    response = client.post(ORGANISATIONS, {rows[0]["award_field"]: "on"})
    assert response.status_code == 200
    assert rows[0]["citation_field"] in response.context["form"].errors
    response = client.post(ORGANISATIONS, {})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not OrganisationAwardChoice.objects.exists()


def test_organisation_metrics_count_registrations_votes_reports_and_events(published):
    campaign, ranking, notice = published
    from django.db.models import Count

    from media_reports.models import EventSignup
    from registrations.models import Registration

    rows = {row["community"].pk: row for row in organisation_metrics(campaign)}
    counts = Registration.objects.filter(campaign=campaign).values("community_id")
    for row in counts.annotate(n=Count("pk")):
        assert rows[row["community_id"]]["registrations"] == row["n"]
    signups = EventSignup.objects.values("community_id").annotate(n=Count("pk"))
    assert signups and all(rows[s["community_id"]]["events"] == s["n"] for s in signups)
    assert activity(campaign)  # media_reports answers the community_activity hook
    votes = {e.candidate.id: e.candidate.votes for e in ranking.entries}
    from voting.casting import candidates

    by_community = {}
    for page in candidates(campaign):
        by_community[page.community_id] = by_community.get(page.community_id, 0) + votes.get(
            page.pk, 0
        )
    for pk, total in by_community.items():
        assert rows[pk]["votes"] >= total  # ineligible candidates' votes count too
    ordered = organisation_metrics(campaign)
    assert [r["position"] for r in ordered] == list(range(1, len(ordered) + 1))
    assert all(0 <= r["score"] <= 100 for r in ordered)


def test_organisation_table_sorts_and_exports(client, published):
    assert client.get(f"{ORGANISATIONS}?sort=events").status_code == 200
    export = client.get(f"{ORGANISATIONS}?export=csv")
    text = b"".join(export.streaming_content).decode()
    assert export.status_code == 200 and "社区" in text


def test_ranking_exports_csv_with_every_component(client, ranked, district):
    client.force_login(district)
    export = client.get("/admin/selection/ranking/?export=csv")
    text = b"".join(export.streaming_content).decode()
    first_line = text.splitlines()[0]
    assert "考核验收" in first_line and "评审评分" in first_line and "投票得分" in first_line
    assert len(text.splitlines()) == len(ranked[1].entries) + 1
    xlsx = client.get("/admin/selection/ranking/?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")


# -- the archive ---------------------------------------------------------------------------


def test_after_the_campaign_everything_is_read_only(client, published, officer):
    campaign, ranking, notice = published
    for phase in campaign.phases.all():
        phase.starts_at -= timedelta(days=400)
        phase.ends_at -= timedelta(days=400)
        phase.save()
    for path in (PROPOSAL, CONFIRM, ORGANISATIONS, "/admin/selection/ranking/"):
        response = client.post(path, {"action": "close_panel"})
        assert response.status_code == 403 and "档案" in response.content.decode()
    assert client.get("/admin/selection/ranking/").status_code == 200
    client.force_login(officer)
    assert client.post("/admin/inspection/new/", {}).status_code == 403
