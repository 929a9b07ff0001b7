"""The adviser's risk list: settings ranked by a transparent score. Each part is shown,
so an adviser can see why a setting is high and challenge the weighting."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from wagtail import hooks

from schools.action_rag import action_rag
from schools.models import Action, ActionPlan, AuditCycle, AuditReturn, OfstedInspection, Setting
from schools.reminders import NOT_SUBMITTED

# Points per part; kept here, in one place, and printed on the page.
WEIGHTS = {
    "audit_red": 3,
    "audit_amber": 1,
    "ofsted": 3,
    "red_action": 1,
    "red_action_cap": 5,
    "repeat_allegations": 2,
    "missing_return": 2,
}
REVIEWED = [AuditReturn.Status.FEEDBACK_SENT, AuditReturn.Status.CLOSED, AuditReturn.Status.IN_REVIEW]


@dataclass(frozen=True)
class RiskPartSource:
    """A part of the score that a later app adds: `rule` is printed on the page; `parts(today)`
    gives (setting id, label, points) in a fixed number of queries."""

    rule: str
    parts: object  # Callable[[date], Iterable[tuple[int, str, int]]]


def risk_part_sources() -> list[RiskPartSource]:
    return [fn() for fn in hooks.get_hooks("schools_risk_parts")]


@dataclass
class RiskRow:
    setting: Setting
    parts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(points for _label, points in self.parts)


def risk_list(*, today: date) -> list[RiskRow]:
    """Every open setting with a score above zero, highest first. A fixed number of queries."""
    from schools.selectors_casework import repeat_issue_settings

    rows: dict[int, RiskRow] = {s.pk: RiskRow(setting=s) for s in Setting.objects.filter(is_open=True)}

    # Latest reviewed audit: red if any answer is "no", amber if any "partly".
    latest: dict[int, AuditReturn] = {}
    returns = (
        AuditReturn.objects.filter(status__in=REVIEWED)
        .annotate(
            reds=Count("answers", filter=Q(answers__compliance="no")),
            ambers=Count("answers", filter=Q(answers__compliance="partly")),
        )
        .order_by("setting_id", "-cycle__opens_on")
    )
    for audit_return in returns:
        latest.setdefault(audit_return.setting_id, audit_return)
    for setting_id, audit_return in latest.items():
        if setting_id not in rows:
            continue
        if audit_return.reds:
            rows[setting_id].parts.append(
                (f"Latest audit red ({audit_return.reds} answers 'no')", WEIGHTS["audit_red"])
            )
        elif audit_return.ambers:
            rows[setting_id].parts.append(("Latest audit amber", WEIGHTS["audit_amber"]))

    seen: set[int] = set()
    for inspection in OfstedInspection.objects.order_by("setting_id", "-inspected_on"):
        if inspection.setting_id in seen:
            continue
        seen.add(inspection.setting_id)
        if inspection.safeguarding_concern and inspection.setting_id in rows:
            rows[inspection.setting_id].parts.append(("Ofsted safeguarding concern", WEIGHTS["ofsted"]))

    red_counts: dict[int, int] = {}
    open_actions = (
        Action.objects.filter(
            status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS],
            plan__status__in=[ActionPlan.Status.AGREED, ActionPlan.Status.IN_PROGRESS],
        )
        .select_related("plan")
        .only("id", "status", "due_on", "created_at", "plan__setting_id", "plan__agreed_on")
    )
    for action in open_actions:
        if action_rag(action, today, started_on=action.plan.agreed_on) == "red":
            red_counts[action.plan.setting_id] = red_counts.get(action.plan.setting_id, 0) + 1
    for setting_id, count in red_counts.items():
        if setting_id in rows:
            points = min(count * WEIGHTS["red_action"], WEIGHTS["red_action_cap"])
            rows[setting_id].parts.append((f"{count} red action{'s' if count != 1 else ''}", points))

    for issue in repeat_issue_settings(today):
        if issue.setting.pk in rows:
            rows[issue.setting.pk].parts.append(("Repeat allegations", WEIGHTS["repeat_allegations"]))

    missing = AuditReturn.objects.filter(
        status__in=NOT_SUBMITTED, cycle__status=AuditCycle.Status.OPEN, cycle__due_on__lt=today
    ).values_list("setting_id", flat=True)
    for setting_id in set(missing):
        if setting_id in rows:
            rows[setting_id].parts.append(("Audit return overdue", WEIGHTS["missing_return"]))

    # Parts other apps know (complaints): hook "schools_risk_parts", each a RiskPartSource.
    for source in risk_part_sources():
        for setting_id, label, points in source.parts(today):
            if setting_id in rows:
                rows[setting_id].parts.append((label, points))

    ranked = [row for row in rows.values() if row.score > 0]
    ranked.sort(key=lambda r: (-r.score, r.setting.name))
    return ranked
