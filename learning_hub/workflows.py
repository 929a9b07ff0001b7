"""Good-practice examples are published through Wagtail's own moderation workflow: an editor
approves each one in the admin ("Awaiting your review" on the dashboard), and approval
publishes it. https://docs.wagtail.org/en/stable/extending/customising_group_views.html and
https://guide.wagtail.org/en-latest/how-to-guides/configure-workflows-for-moderation/

The workflow is data, so editors may change it in Settings > Workflows; this module only makes
sure one exists and covers the good-practice section."""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from portal.roles import Role

from .models import GoodPracticeIndexPage

WORKFLOW_NAME = "Good practice approval"
TASK_NAME = "Editor approval of good practice"


@transaction.atomic
def ensure_good_practice_workflow(index_page: GoodPracticeIndexPage) -> Workflow:
    """Make sure the good-practice section has a moderation workflow with an editor approval
    step, and return the workflow its pages go through.

    If editors have already assigned another active workflow to the section (say, a two-step
    one), that choice stands: it is returned and left alone."""
    assigned = WorkflowPage.objects.select_related("workflow").filter(page=index_page).first()
    if assigned is not None and assigned.workflow.active and assigned.workflow.name != WORKFLOW_NAME:
        return assigned.workflow

    editors = Group.objects.get(name=Role.EDITOR.group_name)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.add(editors)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})
    return workflow
