"""Registration only: the permission policy and the admin viewsets. Logic lives elsewhere
(the log actions register themselves from qpag.log_actions, imported in QpagConfig.ready)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Auditor
from .viewsets import QpagViewSetGroup, auditor_permission_policy

# The policy first: Wagtail makes a fallback policy for a model the first time anything asks,
# and refuses a registration after that.
# https://docs.wagtail.org/en/stable/extending/custom_permissions.html
register_permission_policy(Auditor, auditor_permission_policy())


@hooks.register("register_admin_viewset")
def register_qpag_viewsets():
    # https://docs.wagtail.org/en/stable/extending/generic_views.html#viewset-groups
    return QpagViewSetGroup()
