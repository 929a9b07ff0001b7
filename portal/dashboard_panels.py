"""Portal's own panel on the QA manager home: the audit trail and background jobs that failed."""

from wagtail import hooks

from portal.dashboards import HOOK_NAME, DashboardPanel
from portal.models import TaskFailure
from portal.roles import Role


class ServiceHealthPanel(DashboardPanel):
    name = "service_health"
    roles = frozenset({Role.QA_MANAGER})
    order = 90
    template_name = "portal/panels/service_health.html"

    def get_context(self, request, role):
        return {"unresolved_failures": TaskFailure.objects.filter(resolved=False).count()}


@hooks.register(HOOK_NAME)
def register_portal_panels(register) -> None:
    register(ServiceHealthPanel())
