"""The audit engine's panels on the role dashboards (portal.dashboards' hook)."""

from django.db.models import Count, Q
from django.utils import timezone
from wagtail import hooks

from portal.dashboards import HOOK_NAME, DashboardPanel
from portal.roles import Role
from schools.models import AuditReturn
from schools.reminders import NOT_SUBMITTED
from schools.selectors import returns_visible_to


class SettingReturnsPanel(DashboardPanel):
    name = "setting_returns"
    roles = frozenset({Role.SCHOOL_USER, Role.AP_PROVIDER_USER})
    order = 10
    template_name = "schools/panels/setting_returns.html"

    def get_context(self, request, role):
        returns = list(
            returns_visible_to(request.user).select_related("cycle", "setting").order_by("-cycle__opens_on")[:10]
        )
        return {"returns": returns}


class ReviewPanel(DashboardPanel):
    name = "audit_review"
    roles = frozenset({Role.ADVISER, Role.QA_MANAGER, Role.COMMISSIONING_OFFICER, Role.SENIOR_MANAGER})
    order = 10
    template_name = "schools/panels/review.html"

    def get_context(self, request, role):
        today = timezone.localdate()
        counts = returns_visible_to(request.user).aggregate(
            submitted=Count("pk", filter=Q(status=AuditReturn.Status.SUBMITTED)),
            in_review=Count("pk", filter=Q(status=AuditReturn.Status.IN_REVIEW)),
            overdue=Count("pk", filter=Q(status__in=NOT_SUBMITTED, cycle__due_on__lt=today, cycle__status="open")),
            open_not_submitted=Count("pk", filter=Q(status__in=NOT_SUBMITTED, cycle__status="open")),
        )
        return {"counts": counts}


@hooks.register(HOOK_NAME)
def register_audit_panels(register) -> None:
    register(SettingReturnsPanel())
    register(ReviewPanel())
