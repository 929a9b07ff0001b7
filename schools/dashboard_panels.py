"""The audit engine's panels on the role dashboards (portal.dashboards' hook)."""

from django.db.models import Count, Min, Q
from django.utils import timezone
from wagtail import hooks

from portal.dashboards import HOOK_NAME, DashboardPanel
from portal.roles import Role
from schools.action_rag import action_rag
from schools.models import Action, ActionPlan, AuditReturn, ExtensionRequest, Setting
from schools.reminders import NOT_SUBMITTED
from schools.selectors import plans_visible_to, returns_visible_to


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


OPEN_ACTION = [Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS]
LIVE_PLAN = [ActionPlan.Status.AGREED, ActionPlan.Status.IN_PROGRESS]


class SettingPlansPanel(DashboardPanel):
    """The setting's action plans, with what is due next."""

    name = "setting_plans"
    roles = frozenset({Role.SCHOOL_USER, Role.AP_PROVIDER_USER})
    order = 20
    template_name = "schools/panels/setting_plans.html"

    def get_context(self, request, role):
        plans = list(
            plans_visible_to(request.user)
            .exclude(status=ActionPlan.Status.CLOSED)
            .select_related("setting")
            .annotate(
                open_actions=Count("actions", filter=Q(actions__status__in=OPEN_ACTION)),
                next_due=Min("actions__due_on", filter=Q(actions__status__in=OPEN_ACTION)),
            )
            .order_by("next_due", "pk")[:10]
        )
        return {"plans": plans, "today": timezone.localdate()}


class AdviserPlansPanel(DashboardPanel):
    """Plans with red actions, actions to verify and extension requests."""

    name = "adviser_plans"
    roles = frozenset({Role.ADVISER, Role.COMMISSIONING_OFFICER, Role.QA_MANAGER})
    order = 20
    template_name = "schools/panels/adviser_plans.html"

    def get_context(self, request, role):
        today = timezone.localdate()
        visible = plans_visible_to(request.user)
        open_actions = list(
            Action.objects.filter(plan__in=visible.values("pk"), plan__status__in=LIVE_PLAN, status__in=OPEN_ACTION)
            .select_related("plan__setting")
            .only(
                "id",
                "status",
                "due_on",
                "created_at",
                "plan__id",
                "plan__agreed_on",
                "plan__title",
                "plan__setting__name",
            )
        )
        red_by_plan: dict[int, dict] = {}
        for action in open_actions:
            if action_rag(action, today, started_on=action.plan.agreed_on) == "red":
                entry = red_by_plan.setdefault(action.plan.pk, {"plan": action.plan, "red": 0})
                entry["red"] += 1
        red_plans = sorted(red_by_plan.values(), key=lambda e: -e["red"])
        to_verify = Action.objects.filter(plan__in=visible.values("pk"), status=Action.Status.COMPLETED).count()
        extensions = list(
            ExtensionRequest.objects.filter(
                action__plan__in=visible.values("pk"), status=ExtensionRequest.Status.PENDING
            ).select_related("action__plan__setting")[:10]
        )
        # "My settings": no adviser is assigned in the register yet, so a setting is yours when you
        # lead one of its open plans or reviewed one of its returns.
        my_settings = list(
            Setting.objects.filter(
                Q(action_plans__lead=request.user) & ~Q(action_plans__status=ActionPlan.Status.CLOSED)
                | Q(audit_returns__reviewer=request.user)
            )
            .distinct()
            .order_by("name")[:15]
        )
        return {
            "red_plans": red_plans[:10],
            "red_plan_count": len(red_plans),
            "to_verify": to_verify,
            "extensions": extensions,
            "my_settings": my_settings,
        }


class QAOverviewPanel(DashboardPanel):
    """All plans by status and source, overdue actions by adviser, and the themes with most
    open or red actions across settings (the training-needs signal for the learning hub)."""

    name = "qa_overview"
    roles = frozenset({Role.QA_MANAGER, Role.SENIOR_MANAGER})
    order = 30
    template_name = "schools/panels/qa_overview.html"

    def get_context(self, request, role):
        today = timezone.localdate()
        by_status_source = {
            (row["source"], row["status"]): row["n"]
            for row in ActionPlan.objects.values("source", "status").annotate(n=Count("pk"))
        }
        grid = [
            {"source": label, "counts": [by_status_source.get((value, s), 0) for s, _ in ActionPlan.Status.choices]}
            for value, label in ActionPlan.Source.choices
        ]
        overdue_by_adviser = list(
            Action.objects.filter(status__in=OPEN_ACTION, plan__status__in=LIVE_PLAN, due_on__lt=today)
            .values("plan__lead__first_name", "plan__lead__last_name", "plan__lead__email")
            .annotate(n=Count("pk"))
            .order_by("-n")[:10]
        )
        themes = list(
            Action.objects.filter(status__in=OPEN_ACTION, theme__isnull=False)
            .values("theme__name")
            .annotate(
                open=Count("pk"),
                overdue=Count("pk", filter=Q(due_on__lt=today)),
                settings=Count("plan__setting", distinct=True),
            )
            .order_by("-overdue", "-open")[:8]
        )
        return {
            "grid": grid,
            "statuses": ActionPlan.Status.choices,
            "overdue_by_adviser": overdue_by_adviser,
            "themes": themes,
        }


class CaseworkPanel(DashboardPanel):
    """Support offers, visits this month and settings with repeat allegations."""

    name = "casework"
    roles = frozenset({Role.ADVISER, Role.QA_MANAGER})
    order = 25
    template_name = "schools/panels/casework.html"

    def get_context(self, request, role):
        from schools.selectors_casework import (
            repeat_issue_settings,
            support_offers_overdue,
            support_offers_pending,
            visits_this_month,
        )

        today = timezone.localdate()
        return {
            "offers_pending": support_offers_pending(request.user).count(),
            "offers_overdue": support_offers_overdue(request.user, today).count(),
            "visits_this_month": visits_this_month(request.user, today).count(),
            "repeat_issues": repeat_issue_settings(today)[:10],
        }


class SettingVisitsPanel(DashboardPanel):
    name = "setting_visits"
    roles = frozenset({Role.SCHOOL_USER, Role.AP_PROVIDER_USER})
    order = 30
    template_name = "schools/panels/setting_visits.html"


@hooks.register(HOOK_NAME)
def register_audit_panels(register) -> None:
    register(CaseworkPanel())
    register(SettingVisitsPanel())
    register(SettingReturnsPanel())
    register(ReviewPanel())
    register(SettingPlansPanel())
    register(AdviserPlansPanel())
    register(QAOverviewPanel())
