"""Role dashboards: one page per role, filled by panels that apps register.

`portal` cannot import the apps below it (DESIGN.md), so an app adds to a role's
home with a Wagtail hook, as Wagtail's own admin does with its homepage panels:

    @hooks.register("register_portal_dashboard_panels")
    def register_panels(register):
        register(MyPanel())

A panel says which roles see it, its order, its template and its context.
"""

from dataclasses import dataclass, field

from wagtail import hooks

from portal.roles import Role

HOOK_NAME = "register_portal_dashboard_panels"


@dataclass(frozen=True)
class RoleHome:
    """What a role's home says before any panels arrive."""

    role: Role
    title: str
    summary: str
    what_you_will_find: tuple[str, ...] = field(default_factory=tuple)


ROLE_HOMES: dict[Role, RoleHome] = {
    home.role: home
    for home in (
        RoleHome(
            Role.SCHOOL_USER,
            "Your school's safeguarding",
            "Complete your school's annual 175/157 safeguarding audit with colleagues, "
            "read your adviser's feedback and keep your action plan up to date.",
            (
                "Your school's annual 175/157 safeguarding audit, saved as you go",
                "Feedback from your Safeguarding and Standards Adviser",
                "Your action plan, with progress and evidence",
                "Training sessions you have booked",
            ),
        ),
        RoleHome(
            Role.AP_PROVIDER_USER,
            "Your provision's safeguarding",
            "Complete the annual safeguarding audit for alternative provision providers on the "
            "commissioned framework and keep your action plan up to date.",
            (
                "The annual alternative provision safeguarding audit",
                "Feedback from the commissioning team",
                "Your action plan, with progress and evidence",
            ),
        ),
        RoleHome(
            Role.ADVISER,
            "Adviser home",
            "Review audit returns, agree and monitor action plans, log visits and investigate "
            "safeguarding complaints about education settings.",
            (
                "Audit returns waiting for your review",
                "Action plans and actions due or overdue in your caseload",
                "Complaints assigned to you and their working-day clocks",
                "Visits and managing allegations meetings",
            ),
        ),
        RoleHome(
            Role.COMMISSIONING_OFFICER,
            "Commissioning home",
            "Review alternative provision audits and monitor their action plans to completion.",
            (
                "AP audit returns waiting for review",
                "AP action plans and overdue actions",
            ),
        ),
        RoleHome(
            Role.QA_MANAGER,
            "Quality assurance home",
            "Run audit cycles and questionnaires, oversee every action plan and complaint, and "
            "prepare the monthly Quality of Practice and Action Group (QPAG) pack.",
            (
                "Audit cycles and completion across all settings",
                "The complaints tracker and its timescales",
                "The audit dashboard and the monthly QPAG pack",
                "People and invitations",
            ),
        ),
        RoleHome(
            Role.SENIOR_MANAGER,
            "Senior management overview",
            "Read-only scrutiny of the complaints tracker, dashboards and quarterly reports.",
            (
                "The complaints tracker and quarterly complaints report",
                "The audit dashboard and QPAG reports",
            ),
        ),
        RoleHome(
            Role.EDITOR,
            "Editor home",
            "Publish training, resources, good-practice examples and news on the learning hub.",
            (
                "Learning hub pages waiting for your review",
                "Resources due for review",
            ),
        ),
    )
}


class DashboardPanel:
    """Base for panels registered by apps. Override the attributes and `get_context`."""

    name: str = ""
    roles: frozenset[Role] = frozenset()
    order: int = 100
    template_name: str = ""

    def is_shown(self, request, role: Role) -> bool:
        return role in self.roles

    def get_context(self, request, role: Role) -> dict:
        return {}


def dashboard_panels(request, role: Role) -> list[DashboardPanel]:
    panels: list[DashboardPanel] = []
    for hook in hooks.get_hooks(HOOK_NAME):
        hook(panels.append)
    return sorted((p for p in panels if p.is_shown(request, role)), key=lambda p: (p.order, p.name))
