"""The "Recommended for you" panel on the school and AP provider dashboards (portal.dashboards'
hook). For people at several settings (trust staff), recommendations are merged across their
settings and each reason names its setting."""

from wagtail import hooks

from portal.dashboards import HOOK_NAME, DashboardPanel
from portal.roles import Role
from schools.models import Membership
from schools.recommendations import recommendations_for_user


class RecommendedPanel(DashboardPanel):
    name = "recommended_learning"
    roles = frozenset({Role.SCHOOL_USER, Role.AP_PROVIDER_USER})
    # After the action plans (20), before visits (30).
    order = 25
    template_name = "schools/panels/recommended.html"

    def get_context(self, request, role):
        return {"recommendations": recommendations_for_user(user=request.user)}


@hooks.register(HOOK_NAME)
def register_learning_panels(register) -> None:
    register(RecommendedPanel())


@hooks.register("learning_hub_attendee_organisation")
def attendee_setting_name(user) -> str:
    """Prefill the hub's booking form with the booker's setting (the first, by name)."""
    membership = (
        Membership.objects.filter(user=user, setting__is_open=True).select_related("setting").order_by("setting__name")
    ).first()
    return membership.setting.name if membership else ""
