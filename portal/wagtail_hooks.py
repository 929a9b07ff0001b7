"""Registration only: admin viewsets and log actions. Logic lives elsewhere."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from portal.viewsets import TaxonomyViewSetGroup

register_snippet(TaxonomyViewSetGroup)


@hooks.register("register_log_actions")
def register_invitation_log_actions(actions):
    # https://docs.wagtail.org/en/stable/extending/audit_log.html
    actions.register_action("portal.invitation.create", "Invite", "Invitation sent")
    actions.register_action("portal.invitation.accept", "Accept invitation", "Invitation accepted")
    actions.register_action("portal.invitation.withdraw", "Withdraw invitation", "Invitation withdrawn")
