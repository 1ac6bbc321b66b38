"""Hazard follow-up: status changes, their history and the public list by status."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from media_reports.models import HazardStatus, HazardUpdate, ReportPage

pytestmark = pytest.mark.django_db


def test_demo_has_hazards_in_every_follow_up_status(index):
    statuses = set(index.reports().filter(kind="hazard").values_list("hazard_status", flat=True))
    assert statuses == set(HazardStatus.values)
    assert not index.reports().exclude(kind="hazard").exclude(hazard_status="").exists()


def test_a_hazard_follows_its_updates_to_rectified_and_keeps_its_history(client, index):
    report = ReportPage.objects.child_of(index).get(slug="nanjiao-fire-exit")
    assert report.hazard_status == HazardStatus.REPORTED
    report.hazard_updates.add(
        HazardUpdate(date=date(2030, 1, 2), status="rectifying", note="物业开始清理。")
    )
    report.save_revision().publish()
    report.refresh_from_db()
    assert report.hazard_status == HazardStatus.RECTIFYING
    report.hazard_updates.add(
        HazardUpdate(date=date(2030, 1, 9), status="rectified", note="通道已畅通。")
    )
    report.save_revision().publish()
    report = ReportPage.objects.get(pk=report.pk)
    assert report.hazard_status == HazardStatus.RECTIFIED
    assert [u.status for u in report.status_history()] == ["reported", "rectifying", "rectified"]
    html = client.get(report.url).content.decode()
    assert html.index("物业开始清理。") < html.index("通道已畅通。")
    assert 'class="followup status-rectified"' in html
    listing = client.get("/2016/reports/hazards/", {"status": "rectified"}).content.decode()
    assert "南郊一社区：消防通道被占用" in listing


def test_history_is_ordered_by_date_not_by_entry_order(index):
    report = ReportPage.objects.child_of(index).get(slug="nanjiao-fire-exit")
    report.hazard_updates.add(
        HazardUpdate(date=date(2000, 1, 1), status="not_confirmed", note="更早的记录。")
    )
    report.save_revision().publish()
    report = ReportPage.objects.get(pk=report.pk)
    assert report.status_history()[0].status == "not_confirmed"
    assert report.hazard_status == HazardStatus.REPORTED


def test_a_report_that_is_not_a_hazard_cannot_carry_updates(index):
    report = ReportPage.objects.child_of(index).get(slug="wuma-gate")
    report.hazard_updates.add(HazardUpdate(date=date(2030, 1, 1), status="reported", note="x"))
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "kind" in error.value.message_dict


def test_evidence_photo_needs_alt_text(index):
    from wagtail.images.models import Image

    update = HazardUpdate(
        page=ReportPage.objects.child_of(index).get(slug="nanhui-fence"),
        date=date(2030, 1, 1),
        status="rectified",
        note="x",
        photo=Image.objects.first(),
    )
    with pytest.raises(ValidationError) as error:
        update.full_clean()
    assert "photo_alt" in error.value.message_dict


@pytest.mark.parametrize("status", HazardStatus.values)
def test_public_hazard_list_filters_by_status(client, status):
    response = client.get("/2016/reports/hazards/", {"status": status})
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g["status"] for g in groups] == [status]
    assert groups[0]["reports"]
    assert all(r.hazard_status == status for r in groups[0]["reports"])


def test_public_hazard_list_shows_all_statuses_and_ignores_bad_ones(client):
    response = client.get("/2016/reports/hazards/", {"status": "<bad>"})
    assert response.status_code == 200
    assert [g["status"] for g in response.context["groups"]] == HazardStatus.values
    assert sum(g["count"] for g in response.context["groups"]) == 5
