"""The complaints tracker's panels on the role dashboards (portal.dashboards' hook): an
adviser's own complaints and their clocks; for QA and senior managers, every open complaint
by clock state. Each costs the same few queries however many complaints there are."""

from django.db.models import Count, F
from django.utils import timezone
from wagtail import hooks

from portal.dashboards import HOOK_NAME, DashboardPanel
from portal.roles import Role

from . import clocks
from .models import ComplaintResponse
from .selectors import complaints_visible_to
from .services import complaints_settings

ADVISER_PANEL_LIMIT = 10


def _clock_counts(qs, today, due_soon_days) -> dict:
    """Open complaints by clock state, in one query."""
    return qs.aggregate(
        total=Count("pk"),
        **{
            state: Count("pk", filter=clocks.clock_filter(state, today, due_soon_days)) for state in clocks.CLOCK_LABELS
        },
    )


class AdviserComplaintsPanel(DashboardPanel):
    """The open complaints assigned to this adviser, most urgent first."""

    name = "complaints_adviser"
    roles = frozenset({Role.ADVISER})
    order = 35
    template_name = "complaints/panels/adviser.html"

    def get_context(self, request, role):
        today = timezone.localdate()
        due_soon_days = complaints_settings().due_soon_days
        mine = complaints_visible_to(request.user).open().filter(assigned_adviser=request.user)
        counts = _clock_counts(mine, today, due_soon_days)
        complaints = mine.select_related("setting").order_by(
            F("clock_due_on").asc(nulls_last=True), "received_on", "number"
        )[:ADVISER_PANEL_LIMIT]
        return {
            "rows": [{"complaint": c, "clock": clocks.summary(c, today, due_soon_days)} for c in complaints],
            "counts": counts,
            "more": max(counts["total"] - ADVISER_PANEL_LIMIT, 0),
            "adviser_pk": request.user.pk,
        }


class ComplaintsOverviewPanel(DashboardPanel):
    """Every open complaint by clock state; for QA managers, responses waiting for sign-off."""

    name = "complaints_overview"
    roles = frozenset({Role.QA_MANAGER, Role.SENIOR_MANAGER})
    order = 35
    template_name = "complaints/panels/overview.html"

    def get_context(self, request, role):
        today = timezone.localdate()
        due_soon_days = complaints_settings().due_soon_days
        open_complaints = complaints_visible_to(request.user).open()
        counts = _clock_counts(open_complaints, today, due_soon_days)
        states = [
            {"state": state, "label": label, "tag_class": clocks.CLOCK_TAG_CLASSES[state], "count": counts[state]}
            for state, label in clocks.CLOCK_STATES
        ]
        context = {"states": states, "total": counts["total"], "show_sign_off": role == Role.QA_MANAGER}
        if role == Role.QA_MANAGER:
            # The QA manager's sign-off queue, oldest first: the complaints themselves, not just a count.
            awaiting = list(
                complaints_visible_to(request.user)
                .filter(response__status=ComplaintResponse.Status.AWAITING_SIGN_OFF)
                .select_related("setting")
                .order_by("response__submitted_at")[:11]
            )
            context["awaiting_sign_off"] = len(awaiting[:10])
            context["awaiting_list"] = awaiting[:10]
            context["awaiting_more"] = len(awaiting) > 10
        return context


@hooks.register(HOOK_NAME)
def register_complaints_panels(register) -> None:
    register(AdviserComplaintsPanel())
    register(ComplaintsOverviewPanel())
