"""Registration only: admin viewsets and log actions. Logic lives elsewhere."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from portal.models import BankHoliday, TaskFailure
from portal.viewsets import (
    RolePermissionPolicy,
    TaskFailureViewSet,
    TaxonomyViewSetGroup,
    task_failure_permission_policy,
)

# Staff read the holiday list their clocks run on; QA managers keep it.
register_permission_policy(BankHoliday, RolePermissionPolicy(BankHoliday))
register_snippet(TaxonomyViewSetGroup)
register_permission_policy(TaskFailure, task_failure_permission_policy())


@hooks.register("register_log_actions")
def register_invitation_log_actions(actions):
    # https://docs.wagtail.org/en/stable/extending/audit_log.html
    actions.register_action("portal.invitation.create", "Invite", "Invitation sent")
    actions.register_action("portal.invitation.accept", "Accept invitation", "Invitation accepted")
    actions.register_action("portal.invitation.withdraw", "Withdraw invitation", "Invitation withdrawn")
    actions.register_action("portal.audit_trail.export", "Export audit trail", "Audit trail exported")


@hooks.register("register_admin_viewset")
def register_task_failure_viewset():
    return TaskFailureViewSet()
