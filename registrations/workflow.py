"""The editors' approval workflow of candidate pages: a community never publishes.

Community accounts have no admin access at all; candidate pages are published by editors, and
any change submitted for publication goes through "候选小区审核" (a Moderators approval task).
"""

WORKFLOW_NAME = "候选小区审核"


def ensure_residence_workflow(index_pages):
    """Create the workflow (once) and assign it to each candidate list; returns True if new."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.workflow_tasks.exists():
        task, _new = GroupApprovalTask.objects.get_or_create(name="编辑审核候选小区页面")
        task.groups.set(Group.objects.filter(name__in=["Moderators"]))
        # Through the manager, not workflow.workflow_tasks.create(): Workflow is a
        # ClusterableModel, whose child relations only reach the database on save().
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        created = True
    for index in index_pages:
        if not WorkflowPage.objects.filter(page=index).exists():
            WorkflowPage.objects.create(page=index, workflow=workflow)
            created = True
    return created
