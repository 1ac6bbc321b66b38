"""The district office's admin: votes listed with filters, exported masked, frozen in bulk."""

import pytest

from voting.models import Tally, Vote

pytestmark = pytest.mark.django_db


def test_demo_has_votes_and_recount_agrees(campaign):
    from django.core.management import call_command

    assert Vote.objects.filter(campaign=campaign).count() > 0
    call_command("recount_votes", "--check", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_votes_list_filters_and_masked_export(admin_client):
    assert admin_client.get("/admin/snippets/voting/vote/?status=valid").status_code == 200
    export = admin_client.get("/admin/snippets/voting/vote/?export=csv")
    assert export.status_code == 200
    text = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    voter = Vote.objects.select_related("voter").first().voter
    assert voter.masked_phone in text and voter.phone not in text


def test_bulk_freeze_with_reason_moves_the_counts(admin_client):
    votes = list(Vote.objects.filter(status="valid")[:2])
    candidate = votes[0].candidate_id
    before = Tally.objects.get(candidate_id=candidate).votes
    ids = "&".join(f"id={v.pk}" for v in votes)
    url = f"/admin/bulk/voting/vote/freeze_votes/?{ids}"
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"reason": "同一网段集中投票"})
    assert Vote.objects.filter(pk__in=[v.pk for v in votes], status="frozen").count() == 2
    lost = sum(1 for v in votes if v.candidate_id == candidate)
    assert Tally.objects.get(candidate_id=candidate).votes == before - lost


# -- the district office's vote admin: permissions, tallies, the per-day chart -----------------

CHART_URL = "/admin/voting/chart/"


@pytest.fixture
def staff(django_user_model):
    """staff(group name or None) -> a signed-in client for a new user in that group."""
    from django.contrib.auth.models import Group
    from django.test import Client

    def make(group):
        user = django_user_model.objects.create_user(f"user-{group}", password="x")
        if group:
            user.groups.add(Group.objects.get(name=group))
        browser = Client()
        browser.force_login(user)
        return browser

    return make


def test_district_office_group_gets_the_vote_permissions_on_migrate():
    from django.contrib.auth.models import Group

    perms = set(Group.objects.get(name="区综治办").permissions.values_list("codename", flat=True))
    assert {"view_vote", "change_vote", "view_tally", "change_votingrules"} <= perms
    panel = set(Group.objects.get(name="评审小组").permissions.values_list("codename", flat=True))
    assert not panel & {"view_vote", "change_vote", "view_tally"}


def test_vote_chart_is_for_the_district_office_only(client, staff):
    office = staff("区综治办")
    assert office.get(CHART_URL).status_code == 200
    assert CHART_URL in office.get("/admin/").content.decode()  # in its menu
    panel = staff("评审小组")
    refused = panel.get(CHART_URL)
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert CHART_URL not in panel.get("/admin/").content.decode()
    anonymous = client.get(CHART_URL)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


def test_district_office_can_freeze_votes_and_read_tallies(staff):
    office = staff("区综治办")
    vote = Vote.objects.filter(status="valid").first()
    url = f"/admin/bulk/voting/vote/freeze_votes/?id={vote.pk}"
    office.post(url, {"reason": "同一网段集中投票"})
    vote.refresh_from_db()
    assert vote.status == "frozen"
    assert office.get("/admin/snippets/voting/tally/").status_code == 200


def export_text(response):
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8-sig")


def test_tallies_are_in_the_menu_and_export_as_csv_and_xlsx(admin_client):
    assert "/admin/snippets/voting/tally/" in admin_client.get("/admin/").content.decode()
    tally = Tally.objects.select_related("candidate").order_by("-votes").first()
    text = export_text(admin_client.get("/admin/snippets/voting/tally/?export=csv"))
    assert tally.candidate.title in text and str(tally.votes) in text
    xlsx = admin_client.get("/admin/snippets/voting/tally/?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_vote_export_in_xlsx_masks_every_number(admin_client):
    import io

    from openpyxl import load_workbook

    from voting.models import Voter

    response = admin_client.get("/admin/snippets/voting/vote/?export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    voters = Voter.objects.filter(votes__isnull=False).distinct()
    assert voters and all(v.phone not in text and v.masked_phone in text for v in voters)
