"""Street inspections: scoped by street (ids in URLs too), validated, eligibility on verified
data, evidence photos checked by content, read-only after the inspection deadline."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.voting.selection_helpers import account, form_data, make_inspection, png_bytes
from voting.models import Inspection, StreetSubmission
from voting.permissions import STREET_OFFICE

pytestmark = pytest.mark.django_db

ADD = "/admin/inspection/new/"


def edit(pk):
    return f"/admin/inspection/edit/{pk}/"


def test_officer_lists_only_their_streets_inspections(client, inspection_open, pair, officer):
    mine, theirs = make_inspection(pair[0]), make_inspection(pair[1])
    client.force_login(officer)
    response = client.get("/admin/inspection/")
    assert response.status_code == 200
    body = response.content.decode()
    assert edit(mine.pk) in body and pair[0].title in body
    assert edit(theirs.pk) not in body and pair[1].title not in body


@pytest.mark.parametrize("view", ["edit", "inspect", "delete", "history", "usage"])
def test_another_streets_inspection_is_404_through_its_id(
    client, inspection_open, pair, officer, view
):
    theirs = make_inspection(pair[1])
    client.force_login(officer)
    assert client.get(f"/admin/inspection/{view}/{theirs.pk}/").status_code == 404


def test_posting_to_another_streets_inspection_is_404_and_changes_nothing(
    client, inspection_open, pair, officer
):
    theirs = make_inspection(pair[1])
    client.force_login(officer)
    response = client.post(edit(theirs.pk), form_data(findings="篡改（测试）"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.findings != "篡改（测试）"


def test_officer_cannot_add_an_inspection_for_another_streets_candidate(
    client, inspection_open, pair, officer
):
    client.force_login(officer)
    response = client.post(ADD, form_data(pair[1]))
    assert response.status_code == 200
    assert "candidate" in response.context["form"].errors
    assert not Inspection.objects.filter(candidate=pair[1]).exists()


def test_officer_enters_an_inspection_with_scores_and_who_entered_it(
    client, inspection_open, pair, officer
):
    client.force_login(officer)
    response = client.post(ADD, form_data(pair[0], scores={"cameras": 10}))
    assert response.status_code == 302, response.context["form"].errors
    inspection = Inspection.objects.get(candidate=pair[0])
    assert inspection.checklist_scores["cameras"] == 10
    assert inspection.checklist_total == 95
    assert inspection.score == Decimal(95)
    assert inspection.entered_by == officer and inspection.is_eligible


def test_score_over_an_items_maximum_is_a_field_error_and_saves_nothing(
    client, inspection_open, pair, officer
):
    client.force_login(officer)
    response = client.post(ADD, form_data(pair[0], scores={"cameras": 16}))
    assert response.status_code == 200
    assert "check_cameras" in response.context["form"].errors
    assert "15" in str(response.context["form"].errors["check_cameras"])
    assert not Inspection.objects.filter(candidate=pair[0]).exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"floating_registered": 201}, "floating_registered"),
        ({"residents_satisfied": 51}, "residents_satisfied"),
        ({"residents_interviewed": 0, "residents_satisfied": 0}, "residents_interviewed"),
        ({"violent_crimes": -1}, "violent_crimes"),
        ({"floating_population": "abc"}, "floating_population"),
    ],
)
def test_inconsistent_figures_are_field_errors_in_chinese(
    client, inspection_open, pair, officer, overrides, field
):
    client.force_login(officer)
    response = client.post(ADD, form_data(pair[0], **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(errors[field]))  # Chinese message
    assert not Inspection.objects.filter(candidate=pair[0]).exists()


@pytest.mark.parametrize(
    "overrides, eligible, words",
    [
        ({"floating_population": 200, "floating_registered": 190}, True, None),  # 95 %
        ({"floating_population": 1000, "floating_registered": 949}, False, "94.9"),
        ({"residents_interviewed": 50, "residents_satisfied": 45}, True, None),  # 90 %
        ({"residents_interviewed": 100, "residents_satisfied": 89}, False, "89"),
        ({"violent_crimes": 1}, False, "serious violent"),
        ({"robberies": 2}, False, "robbery"),
        ({"burglaries": 1}, False, "burglary"),
        ({"yellow_card": True}, False, "Yellow-card"),
        ({"one_vote_veto": True}, False, "One-vote veto"),
        ({"floating_population": 0, "floating_registered": 0}, True, None),
    ],
)
def test_eligibility_on_verified_data_at_the_thresholds(campaign, pair, overrides, eligible, words):
    from django.utils import translation

    inspection = make_inspection(pair[0], **overrides)
    assert inspection.is_eligible is eligible
    with translation.override("en"):
        failures = inspection.failures()
    assert bool(failures) is not eligible
    if words:
        assert words in " ".join(failures)


def test_failed_condition_is_named_in_chinese_by_default(campaign, pair):
    inspection = make_inspection(pair[0], floating_population=1000, floating_registered=949)
    from django.utils import translation

    with translation.override("zh-hans"):
        text = " ".join(inspection.failures())
    assert "94.9" in text and "95" in text and "登记率" in text


def test_evidence_photo_is_checked_by_content(client, inspection_open, pair, officer):
    client.force_login(officer)
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(ADD, form_data(pair[0]) | {"photos": fake})
    assert response.status_code == 200 and "photos" in response.context["form"].errors
    assert not Inspection.objects.filter(candidate=pair[0]).exists()
    real = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    response = client.post(ADD, form_data(pair[0]) | {"photos": real})
    assert response.status_code == 302
    photo = Inspection.objects.get(candidate=pair[0]).photos.get()
    assert photo.image.name.endswith(".jpg") and photo.width == 40


def test_after_the_deadline_a_post_is_refused_with_a_message(client, review_open, pair, officer):
    inspection = make_inspection(pair[0])
    client.force_login(officer)
    response = client.post(edit(inspection.pk), form_data(findings="改动（测试）"))
    assert response.status_code == 403
    assert "考核截止" in response.content.decode() or "截止" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.findings != "改动（测试）"
    assert client.post(ADD, form_data(pair[0])).status_code == 403


def test_after_the_deadline_the_edit_form_shows_the_inspection_read_only(
    client, review_open, pair, officer
):
    inspection = make_inspection(pair[0])
    client.force_login(officer)
    response = client.get(edit(inspection.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/inspection/inspect/{inspection.pk}/")
    assert client.get(response["Location"]).status_code == 200


def test_district_office_sees_every_street_but_cannot_edit(client, inspection_open, pair, district):
    mine, theirs = make_inspection(pair[0]), make_inspection(pair[1])
    client.force_login(district)
    body = client.get("/admin/inspection/").content.decode()
    assert pair[0].title in body and pair[1].title in body
    assert client.get(f"/admin/inspection/inspect/{theirs.pk}/").status_code == 200
    response = client.post(edit(mine.pk), form_data(findings="改动（测试）"))
    assert response.status_code in (302, 403)
    mine.refresh_from_db()
    assert mine.findings != "改动（测试）"


def test_street_office_account_without_a_street_sees_nothing(client, inspection_open, pair):
    make_inspection(pair[0])
    loose = account("no-street", STREET_OFFICE)
    client.force_login(loose)
    response = client.get("/admin/inspection/")
    assert response.status_code == 200 and pair[0].title not in response.content.decode()


# -- the street's proposed list ----------------------------------------------------------

SUBMIT = "/admin/inspection/street-list/"


def test_street_sends_its_proposed_list_with_who_and_when(client, inspection_open, pair, officer):
    inspection = make_inspection(pair[0])
    client.force_login(officer)
    page = client.get(SUBMIT)
    assert page.status_code == 200 and pair[0].title in page.content.decode()
    response = client.post(SUBMIT, {"proposed": [pair[0].pk], "note": "（测试）"})
    assert response.status_code == 302
    submission = StreetSubmission.objects.get(street=pair[0].street)
    assert list(submission.proposed.all()) == [inspection.candidate]
    assert submission.submitted_by == officer


def test_street_cannot_propose_an_ineligible_or_another_streets_candidate(
    client, inspection_open, pair, officer
):
    make_inspection(pair[0], yellow_card=True)
    make_inspection(pair[1])
    client.force_login(officer)
    for candidate in pair:
        response = client.post(SUBMIT, {"proposed": [candidate.pk]})
        assert response.status_code == 200 and "proposed" in response.context["form"].errors
    assert not StreetSubmission.objects.exists()


def test_proposed_list_is_read_only_after_the_deadline(client, review_open, pair, officer):
    make_inspection(pair[0])
    client.force_login(officer)
    assert client.get(SUBMIT).status_code == 200
    assert client.post(SUBMIT, {"proposed": [pair[0].pk]}).status_code == 403
    assert not StreetSubmission.objects.exists()


def test_proposed_list_page_is_only_for_street_officers(client, inspection_open, district):
    client.force_login(district)
    assert client.get(SUBMIT).status_code == 404
