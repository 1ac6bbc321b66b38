"""Candidate pages go through the editors' workflow; the demo gives every candidate media."""

import pytest
from django.core.management import call_command

from campaign_pages.models import ResidencePage
from registrations.models import ResidenceVideo
from registrations.workflow import WORKFLOW_NAME

pytestmark = pytest.mark.django_db


def test_candidate_pages_are_under_the_approval_workflow(candidate, index):
    workflow = candidate.get_workflow()
    assert workflow is not None and workflow.name == WORKFLOW_NAME
    assert [task.name for task in workflow.tasks] == ["编辑审核候选小区页面"]
    draft = ResidencePage.objects.child_of(index).filter(live=False).first()
    assert draft.get_workflow() == workflow


def test_a_community_account_cannot_edit_or_publish_pages(client, candidate, registration):
    client.force_login(registration.account)
    response = client.get(f"/admin/pages/{candidate.pk}/edit/")
    assert response.status_code in (302, 403)
    client.post(f"/admin/pages/{candidate.pk}/edit/", {"title": "改名", "action-publish": "1"})
    candidate.refresh_from_db()
    assert candidate.title != "改名"


def test_every_demo_candidate_has_a_cover_and_some_have_a_ready_video(campaign):
    pages = ResidencePage.objects.descendant_of(campaign).filter(locale=campaign.locale)
    assert pages.exists() and not pages.filter(cover_image__isnull=True).exists()
    ready = ResidenceVideo.objects.filter(processing="ready", moderation="approved")
    assert ready.count() >= 3


def test_load_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    assert "Nothing to change" in capsys.readouterr().out


def test_a_draft_submitted_to_the_workflow_stays_a_draft_until_a_moderator_approves(
    index, django_user_model
):
    from django.contrib.auth.models import Group

    draft = ResidencePage.objects.child_of(index).filter(live=False).first().specific
    editor = django_user_model.objects.create_user("editor-wf", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    moderator = django_user_model.objects.create_user("moderator-wf", password="x")
    moderator.groups.add(Group.objects.get(name="Moderators"))

    draft.save_revision(user=editor)
    state = draft.get_workflow().start(draft, editor)
    draft.refresh_from_db()
    assert state.status == "in_progress" and not draft.live

    task_state = state.current_task_state
    assert not task_state.task.specific.user_can_access_editor(draft, editor)
    task_state.task.specific.on_action(task_state, moderator, "approve")
    draft.refresh_from_db()
    assert draft.live
    state.refresh_from_db()
    assert state.status == "approved"
