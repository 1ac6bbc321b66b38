"""Editors' workflow for reports, scheduled publishing, the portal teaser and the demo."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from media_reports.models import EventPage, LiveCoveragePage, LiveEntry, ReportPage

pytestmark = pytest.mark.django_db


def test_reports_go_through_editor_approval_by_the_editors_group(index, admin_user):
    workflow = index.get_workflow()
    assert workflow is not None and workflow.name == "Report approval"
    tasks = [t.specific for t in workflow.tasks.all()]
    assert [t.name for t in tasks] == ["Editor approval"]
    assert list(tasks[0].groups.all()) == [Group.objects.get(name="Editors")]
    report = ReportPage(
        title="待审报道", slug="pending", kind="highlight", summary="x", body=[], live=False
    )
    index.add_child(instance=report)
    report.save_revision()
    assert report.get_workflow() == workflow
    state = workflow.start(report, admin_user)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not Page.objects.get(pk=report.pk).live
    state.current_task_state.task.specific.on_action(
        state.current_task_state, admin_user, "approve"
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert Page.objects.get(pk=report.pk).live


def test_scheduled_report_is_published_by_publish_scheduled(index):
    report = ReportPage(title="定时报道", slug="scheduled", kind="interview", summary="x", body=[])
    index.add_child(instance=report)
    report.live = False
    report.save()
    revision = report.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    assert revision.approved_go_live_at is not None
    call_command("publish_scheduled", stdout=StringIO())
    assert ReportPage.objects.get(pk=report.pk).live


def test_portal_shows_newest_reports_and_the_live_coverage_while_live(client, coverage):
    html = client.get("/2016/").content.decode()
    assert 'class="newsroom"' in html
    assert "丰门一社区：居民怎么看小区安全" in html  # the newest report
    assert coverage.title in html
    coverage.is_live = False
    coverage.save_revision().publish()
    html = client.get("/2016/").content.decode()
    assert coverage.title not in html.split('class="newsroom"')[1].split("</section>")[0]


def test_english_portal_shows_english_reports(client):
    html = client.get("/en/2016/").content.decode()
    assert "Fengmen 1: what residents say about safety" in html


def test_load_demo_is_idempotent_and_prints_no_phone_number():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Nothing to change" in out.getvalue()
    assert "1741" not in out.getvalue()


def test_demo_content_counts(campaign):
    assert ReportPage.objects.descendant_of(campaign).count() == 12
    coverage = LiveCoveragePage.objects.child_of(campaign).get()
    assert LiveEntry.objects.filter(coverage=coverage).count() == 40
    assert EventPage.objects.child_of(campaign).count() == 2
