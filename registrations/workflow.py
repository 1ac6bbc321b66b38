"""The editors' approval workflow of candidate pages: a community never publishes.

Community accounts have no admin access at all; candidate pages are published by editors, and
any change submitted for publication goes through "候选小区审核" (a Moderators approval task).
"""

WORKFLOW_NAME = "候选小区审核"


def ensure_residence_workflow(index_pages):
    """Create the workflow (once) and assign it to each candidate list; returns True if new."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage

    created = False
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        task = GroupApprovalTask.objects.create(name="编辑审核候选小区页面")
        task.groups.set(Group.objects.filter(name__in=["Moderators"]))
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
        workflow.workflow_tasks.create(task=task, sort_order=0)
        created = True
    for index in index_pages:
        if not WorkflowPage.objects.filter(page=index).exists():
            WorkflowPage.objects.create(page=index, workflow=workflow)
            created = True
    return created
