"""Demo data for case-file audits and the QPAG pack, loaded by `manage.py seed_demo` through
the portal's `portal_seed_demo` hook (after the schools and complaints demo: hooks run in
INSTALLED_APPS order). A register of auditors and moderators in Dorset-like teams, and a year
of case-file audits (the last 12 complete months and the current one) for children's social
care, Early Help, SEND and the front door, each taken through qpag.services on the day it
happened; then one uploaded extract with last month's recorded draw (when the sampling module
is there) and a draft pack for last month with the QA service manager's narrative (when the
pack module is there), left unissued so a demo user can issue it.

The grades are planned, not left to chance, so the dashboard tells a story a QPAG meeting would
recognise: children are safe and risk is managed is strong, the child's lived experience and
voice has improved over the year, and management oversight needs strengthening. A fixed seed
makes every run the same. Idempotent: once case-file audits exist, it adds none. Case numbers
only: no child is named anywhere; every person is invented."""

import csv
import datetime
import io
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils import timezone
from wagtail import hooks
from wagtail.models import ModelLogEntry

from portal.models import User

from . import services
from .constants import GOOD_OR_BETTER, GRADE_RANK, PACK_SECTIONS, SERVICE_PRACTICE_AREAS, ChadCategory, Grade, Service
from .constants import PracticeArea as Area
from .dates import add_months, month_start
from .models import Auditor, CaseFileAudit, CaseFileAuditAction, QpagPack, TripleLockReview

DEMO_QA = "qa.manager@council.example.org"
SEED = 1207  # a fixed seed: the demo is the same every time it is loaded
MONTHS = 13  # the last 12 complete months and the current one

# (service, team, locality, auditors, moderators). Everyone is invented.
REGISTER: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = [
    (
        Service.SOCIAL_CARE,
        "Weymouth and Portland locality",
        "Weymouth and Portland",
        ("Rachel Penrose", "Owen Tregarthen"),
        (),
    ),
    (Service.SOCIAL_CARE, "Purbeck locality", "Purbeck", ("Fiona Marsh", "Daniel Kerrigan"), ()),
    (Service.SOCIAL_CARE, "North Dorset locality", "North Dorset", ("Amira Collins", "Joe Whitcombe"), ()),
    (Service.SOCIAL_CARE, "East Dorset locality", "East Dorset", ("Bethan Lloyd", "Sunil Varma"), ()),
    (Service.SOCIAL_CARE, "West Dorset locality", "West Dorset", ("Kate Ashworth", "Liam Hardy"), ()),
    (Service.SOCIAL_CARE, "Christchurch locality", "Christchurch", ("Nicola Brent", "Femi Adebayo"), ()),
    (
        Service.SOCIAL_CARE,
        "Children's social care operational managers",
        "",
        (),
        ("Helen Marchbank", "Gareth Isles", "Joanne Pike"),
    ),
    (
        Service.EARLY_HELP,
        "Early Help Weymouth and Portland",
        "Weymouth and Portland",
        ("Tessa Rowe", "Mark Jenner"),
        (),
    ),
    (Service.EARLY_HELP, "Early Help Purbeck and East Dorset", "East Dorset", ("Priti Desai",), ()),
    (Service.EARLY_HELP, "Early Help North Dorset", "North Dorset", ("Ellie Stanton",), ()),
    (Service.EARLY_HELP, "Early Help West Dorset", "West Dorset", ("Craig Dunford",), ()),
    (Service.EARLY_HELP, "Early Help service managers", "", (), ("Nadia Fenwick", "Simon Crabb")),
    (Service.SEND, "SEND casework East", "East Dorset", ("Laura Bishop", "Tariq Hussain"), ()),
    (Service.SEND, "SEND casework West", "West Dorset", ("Megan Frost",), ()),
    (Service.SEND, "Children who are Disabled team", "", ("Paul Everett",), ()),
    (Service.SEND, "SEND quality and standards", "", (), ("Claire Holloway", "Ruth Aldridge")),
    # The front door's weekly audits are done by multi-agency partners (framework 10).
    (Service.CHAD, "Dorset Police safeguarding referral unit", "", ("Alan Crewe",), ()),
    (Service.CHAD, "NHS Dorset safeguarding children team", "", ("Sarah Lockyer",), ()),
    (Service.CHAD, "Education safeguarding team", "", ("Martin Oduya",), ()),
    (Service.CHAD, "ChAD service management", "", (), ("Lorna Castleton",)),
]
# The teams whose cases are audited each month, and how many a month.
AUDITED_TEAMS = {
    Service.SOCIAL_CARE: [team for service, team, _l, who, _m in REGISTER if service == Service.SOCIAL_CARE and who],
    Service.EARLY_HELP: [team for service, team, _l, who, _m in REGISTER if service == Service.EARLY_HELP and who],
    Service.SEND: ["SEND casework East", "SEND casework West"],
    Service.CHAD: ["ChAD"],
}
LOCALITIES = [locality for _s, _t, locality, who, _m in REGISTER if locality and _s == Service.SOCIAL_CARE]

# Share of audits graded good or better in an area, month by month (oldest first, 13 months).
CURVES = {
    "strong": (0.78, 0.80, 0.80, 0.82, 0.82, 0.84, 0.84, 0.85, 0.85, 0.86, 0.86, 0.88, 0.88),
    "improving": (0.30, 0.32, 0.35, 0.38, 0.42, 0.45, 0.48, 0.50, 0.52, 0.55, 0.55, 0.70, 0.72),
    "weak": (0.50, 0.48, 0.45, 0.45, 0.42, 0.45, 0.40, 0.42, 0.40, 0.42, 0.45, 0.38, 0.40),
    "stable": (0.64, 0.66, 0.65, 0.67, 0.66, 0.68, 0.66, 0.67, 0.68, 0.66, 0.67, 0.68, 0.67),
}
AREA_CURVE = {
    Area.SAFETY_AND_RISK: "strong",
    Area.SEND_QS4: "strong",
    Area.LIVED_EXPERIENCE: "improving",
    Area.SEND_QS1: "improving",
    Area.MANAGEMENT_OVERSIGHT: "weak",
    Area.SEND_QS2: "weak",
}
# Month index (0 = twelve months before last) -> services with an audit graded inadequate that month.
INADEQUATE = {
    1: [Service.SOCIAL_CARE],
    3: [Service.EARLY_HELP],
    4: [Service.SOCIAL_CARE],
    6: [Service.CHAD],
    7: [Service.SOCIAL_CARE],
    8: [Service.SEND],
    9: [Service.EARLY_HELP],
    10: [Service.SOCIAL_CARE],  # its triple-lock review is left open past its month: overdue
    11: [Service.SOCIAL_CARE],
    12: [Service.EARLY_HELP],  # graded this month: its review is not yet due
}
# Month index -> a social-care audit the auditor graded requires improvement and the moderator inadequate.
MODERATED_TO_INADEQUATE = {5}

STRENGTHS = {
    Area.SAFETY_AND_RISK: "Risks are clearly identified and reviewed; safety planning is proportionate and up to date.",
    Area.LIVED_EXPERIENCE: "Direct work captures the child's wishes and feelings in their own words.",
    Area.MANAGEMENT_OVERSIGHT: "Supervision records show reflective discussion and clear direction.",
    Area.ASSESSMENT: "The assessment was timely and analyses the history as well as the present.",
    Area.MULTI_AGENCY: "Partners contributed to the plan and information was shared promptly.",
    Area.PLANNING: "The plan is specific, outcome-focused and understood by the family.",
    Area.PERMANENCE: "Permanence planning was considered early and is progressing.",
    Area.PLACEMENTS: "The placement meets the child's needs and they say they feel settled.",
    Area.SEND_QS1: "The young person's aspirations are recorded in their own words and shape the outcomes.",
    Area.SEND_QS2: "Outcomes are specific, measurable and aspirational.",
    Area.SEND_QS3: "Health and social care advice arrived within timescales and is reflected in the plan.",
    Area.SEND_QS4: "The plan describes the young person's strengths as well as their needs.",
    Area.SEND_QS5: "Provision is specified and quantified, with a clear transition plan.",
}
DEVELOPMENT = {
    Area.SAFETY_AND_RISK: "The risk assessment was not updated after the new concern in the summer.",
    Area.LIVED_EXPERIENCE: "The child's voice is reported by adults rather than heard directly.",
    Area.MANAGEMENT_OVERSIGHT: "Management oversight is not evident for three months; supervision notes are brief.",
    Area.ASSESSMENT: "The assessment describes events but does not analyse their impact on the child.",
    Area.MULTI_AGENCY: "School and health were not invited to the last review.",
    Area.PLANNING: "Plan actions lack timescales and named responsibilities.",
    Area.PERMANENCE: "The permanence plan has drifted since the last review.",
    Area.PLACEMENTS: "Placement stability meeting not held after the second placement move.",
    Area.SEND_QS1: "Parents' views are recorded but the young person's own views are missing.",
    Area.SEND_QS2: "Outcomes are not SMART: several describe provision rather than what will change.",
    Area.SEND_QS3: "Social care advice was not received and the plan was finalised without it.",
    Area.SEND_QS4: "Needs are framed around the diagnosis rather than the young person's learning needs.",
    Area.SEND_QS5: "Provision is not quantified and the transition to post-16 is not planned.",
}
ACTIONS = {
    Area.SAFETY_AND_RISK: "Update the risk assessment and safety plan and share them with the family and partners",
    Area.LIVED_EXPERIENCE: "Complete direct work with the child and record their views in their own words",
    Area.MANAGEMENT_OVERSIGHT: "Record a management oversight decision and set the supervision frequency",
    Area.ASSESSMENT: "Update the assessment with analysis of the impact of the history on the child",
    Area.MULTI_AGENCY: "Convene a professionals meeting with school and health",
    Area.PLANNING: "Rewrite the plan with SMART actions, named leads and timescales",
    Area.PERMANENCE: "Hold a permanence planning meeting and agree the route to permanence",
    Area.PLACEMENTS: "Hold a placement stability meeting",
    Area.SEND_QS1: "Meet the young person to gather their views and add them to section A",
    Area.SEND_QS2: "Rewrite the outcomes in section E so they are SMART",
    Area.SEND_QS3: "Chase the social care advice and amend the plan when it arrives",
    Area.SEND_QS4: "Revise section B to describe needs rather than diagnosis",
    Area.SEND_QS5: "Quantify the provision in section F and add a transition plan",
}
FEEDBACK = [
    "Mum said the social worker listened and explained things in a way she understood.",
    "Dad said he did not always know what the plan was for or when the next meeting was.",
    "The family said the worker was reliable and always came when she said she would.",
    "Mum said she felt judged at the first visit but that things improved once they got to know each other.",
    "The young person said their worker 'actually gets me' and helped at school.",
    "Grandparents said they wished they had been involved sooner.",
    "Parents said the plan meeting was too crowded and they felt they could not speak.",
    "The family said the support made a real difference to their mornings and school attendance.",
    "Mum said she had had three workers in a year and had to tell her story each time.",
    "The young person said they liked that their worker texted before visits.",
]
SELF_ASSESSMENT = [
    "I think the work with the family has been good; recording has fallen behind during a busy period.",
    "I know the child's voice could be stronger in my recording and have started using the direct-work tools.",
    "I feel the plan is working but I need to update the assessment to reflect recent changes.",
    "I would grade this as good: the family are engaging and the risks have reduced.",
    "Supervision has been irregular because of sickness in the team; I have raised this with my manager.",
]
MODERATION_NOTES = {
    "same": "Agree with the auditor's grading and findings.",
    "down": "Grade lowered: the impact of the work on the child is not evidenced and management oversight is "
    "thin. Discussed with the auditor.",
    "up": "Grade raised: the direct work and the change for the child are clear once the case notes are read "
    "alongside the plan.",
}
PANEL_LEARNING = (
    "The panel agreed the moderated grade. Learning for auditors: grade on the impact for the child, not on "
    "compliance with process; evidence of management oversight must be on the file, not assumed."
)
REVIEW_FINDINGS = (
    "Service manager review held. The actions set by the team manager are sufficient and under way: the risk "
    "assessment has been updated and a professionals meeting held. Progress will be checked at the next audit."
)
COMPLETION_NOTES = ["Done and recorded on the case file.", "Completed; team manager confirmed to QA.", ""]


@dataclass
class Plan:
    """One audit to make: who, when, and the grades it will get."""

    service: str
    team: str
    locality: str
    notified_on: datetime.date
    month_index: int
    chad_category: str = ""
    inadequate: bool = False
    moderated_to_inadequate: bool = False
    force_not_audited: bool = False
    areas: dict = field(default_factory=dict)


def _people() -> tuple[dict, dict, dict]:
    """The register, made once: auditors by team and moderators by service."""
    by_team: dict[str, list[Auditor]] = defaultdict(list)
    moderators: dict[str, list[Auditor]] = defaultdict(list)
    managers: dict[str, str] = {}
    for service, team, _locality, auditors, mods in REGISTER:
        for name in auditors:
            person, _created = Auditor.objects.get_or_create(
                name=name,
                team=team,
                defaults={
                    "service": service,
                    "email": _email(name),
                    "can_audit": True,
                    "can_moderate": False,
                },
            )
            by_team[team].append(person)
        if auditors:
            managers[team] = f"{auditors[0]}, team manager"
        for name in mods:
            person, _created = Auditor.objects.get_or_create(
                name=name,
                team=team,
                defaults={"service": service, "email": _email(name), "can_audit": False, "can_moderate": True},
            )
            moderators[service].append(person)
    managers["ChAD"] = "ChAD team manager"
    return by_team, moderators, managers


def _email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@council.example.org"


def _working_day(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _plans(today: datetime.date, rng: random.Random) -> list[Plan]:
    first = add_months(month_start(today), -(MONTHS - 1))
    plans: list[Plan] = []
    for index in range(MONTHS):
        month = add_months(first, index)
        start = _working_day(month)
        month_plans: list[Plan] = []
        for service in (Service.SOCIAL_CARE, Service.EARLY_HELP):
            for team in AUDITED_TEAMS[service]:
                locality = next(loc for s, t, loc, _a, _m in REGISTER if t == team)
                month_plans.append(Plan(service, team, locality, start, index))
        send_count = 4 if index % 2 == 0 else 3
        for n in range(send_count):
            team = AUDITED_TEAMS[Service.SEND][n % 2]
            locality = "East Dorset" if team.endswith("East") else "West Dorset"
            month_plans.append(
                Plan(Service.SEND, team, locality, _working_day(start + datetime.timedelta(days=2)), index)
            )
        # ChAD: a monthly subset of the weekly sample, two of each kind of contact, one kind a week.
        monday = month + datetime.timedelta(days=(7 - month.weekday()) % 7)
        for week, category in enumerate(ChadCategory.values):
            for _ in range(2):
                month_plans.append(
                    Plan(
                        Service.CHAD,
                        "ChAD",
                        rng.choice(LOCALITIES),
                        monday + datetime.timedelta(days=7 * week),
                        index,
                        chad_category=category,
                    )
                )
        for service in INADEQUATE.get(index, []):
            rng.choice([p for p in month_plans if p.service == service]).inadequate = True
        if index in MODERATED_TO_INADEQUATE:
            rng.choice(
                [p for p in month_plans if p.service == Service.SOCIAL_CARE and not p.inadequate]
            ).moderated_to_inadequate = True
        if index == MONTHS - 1:
            # The current month: one social-care audit is past its two weeks and not yet done.
            next(
                p for p in month_plans if p.service == Service.SOCIAL_CARE and not p.inadequate
            ).force_not_audited = True
        _plan_area_grades(month_plans, index, rng)
        plans += month_plans
    return plans


def _plan_area_grades(month_plans: list[Plan], index: int, rng: random.Random) -> None:
    """Give each area the month's planned share of good-or-better grades (so each service's
    trend follows its curve), choosing which audits at random; inadequate audits are never good."""
    for service, areas in SERVICE_PRACTICE_AREAS.items():
        audits = [p for p in month_plans if p.service == service]
        for area in areas:
            share = CURVES[AREA_CURVE.get(area, "stable")][index]
            good = round(share * len(audits))
            order = sorted(audits, key=lambda p: (p.inadequate or p.moderated_to_inadequate, rng.random()))
            for position, plan in enumerate(order):
                if position < good:
                    plan.areas[area] = Grade.OUTSTANDING if rng.random() < 0.15 else Grade.GOOD
                elif plan.inadequate and area in (Area.SAFETY_AND_RISK, Area.MANAGEMENT_OVERSIGHT, Area.SEND_QS2):
                    plan.areas[area] = Grade.INADEQUATE
                else:
                    plan.areas[area] = Grade.REQUIRES_IMPROVEMENT


def _overall(plan: Plan) -> str:
    if plan.inadequate:
        return Grade.INADEQUATE
    grades = list(plan.areas.values())
    good = sum(grade in GOOD_OR_BETTER for grade in grades) / len(grades)
    if good == 1 and grades.count(Grade.OUTSTANDING) >= 2:
        return Grade.OUTSTANDING
    return Grade.GOOD if good >= 0.5 else Grade.REQUIRES_IMPROVEMENT


def _findings(plan: Plan) -> str:
    strengths = [STRENGTHS[a] for a, g in plan.areas.items() if g in GOOD_OR_BETTER][:2]
    development = [DEVELOPMENT[a] for a, g in plan.areas.items() if g not in GOOD_OR_BETTER][:2]
    parts = []
    if strengths:
        parts.append("Strengths: " + " ".join(strengths))
    if development:
        parts.append("Areas for development: " + " ".join(development))
    return "\n\n".join(parts)


def _stamp(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


class _Seeder:
    def __init__(self, *, qa: User, today: datetime.date, rng: random.Random) -> None:
        self.qa, self.today, self.rng = qa, today, rng
        self.by_team, self.moderators, self.managers = _people()
        self.case_numbers: set[str] = set()
        self.rotation: dict[str, int] = defaultdict(int)
        # audit pk -> {log action: day}, and per-action days, for backdating afterwards.
        self.days: dict[int, dict] = {}
        # Last month's social-care audits, made by the recorded draw: team -> audit.
        self.drawn: dict[str, CaseFileAudit] = {}

    def case_number(self, service: str) -> str:
        prefix = {Service.SEND: "EHC-", Service.CHAD: "CON-"}.get(service, "")
        while True:
            number = f"{prefix}{self.rng.randint(1_100_000, 1_999_999)}"
            if number not in self.case_numbers:
                self.case_numbers.add(number)
                return number

    def auditor_for(self, plan: Plan) -> Auditor:
        pool = [
            person
            for team, people in self.by_team.items()
            for person in people
            if person.service == plan.service and team != plan.team
        ]
        self.rotation[plan.service] += 1
        return pool[(self.rotation[plan.service] * 7 + plan.month_index) % len(pool)]

    def moderator_for(self, plan: Plan) -> Auditor:
        pool = self.moderators[plan.service]
        return pool[(plan.month_index + len(self.case_numbers)) % len(pool)]

    def run(self, plans: list[Plan]) -> None:
        for plan in plans:
            self.make(plan)
        self.backdate()

    def make(self, plan: Plan) -> None:
        rng, qa, today = self.rng, self.qa, self.today
        audit = None
        if plan.service == Service.SOCIAL_CARE and plan.month_index == MONTHS - 2:
            audit = self.drawn.pop(plan.team, None)
        if audit is None:
            audit = services.casefile_audit_create(
                user=qa,
                case_number=self.case_number(plan.service),
                service=plan.service,
                team=plan.team,
                auditor=self.auditor_for(plan),
                notified_on=plan.notified_on,
                locality=plan.locality,
                chad_category=plan.chad_category,
            )
        else:
            self.case_numbers.add(audit.case_number)
        days = self.days[audit.pk] = {"qpag.audit.create": plan.notified_on, "actions": {}}
        lag = rng.randint(15, 22) if rng.random() < 0.12 else rng.randint(5, 13)
        audited_on = plan.notified_on + datetime.timedelta(days=lag)
        if plan.force_not_audited or audited_on > today:
            return
        grade = _overall(plan)
        if plan.moderated_to_inadequate:
            grade = Grade.REQUIRES_IMPROVEMENT
        sought = rng.random() < 0.85
        audit = services.casefile_audit_record_grades(
            audit=audit,
            user=qa,
            overall_grade=grade,
            area_grades=plan.areas,
            audited_on=audited_on,
            family_feedback_sought=sought,
            family_feedback=rng.choice(FEEDBACK) if sought else "",
            worker_self_assessment=rng.choice(SELF_ASSESSMENT),
            findings=_findings(plan),
        )
        days["qpag.audit.grade"] = audited_on
        days["qpag.review.open"] = audited_on
        actions = self.add_actions(audit, plan, grade, audited_on)

        moderated_on = audited_on + datetime.timedelta(days=rng.randint(2, 9))
        if moderated_on > today:
            self.complete_actions(actions, audit)
            return
        moderated, direction = grade, "same"
        if plan.moderated_to_inadequate:
            moderated, direction = Grade.INADEQUATE, "down"
        elif grade != Grade.INADEQUATE and rng.random() < 0.13:
            # Moderators mostly hold auditors to a higher bar; now and then they see more in the file.
            step = 1 if rng.random() < 0.75 else -1
            rank = min(max(GRADE_RANK[grade] + step, 1), 3)
            moderated = next(g for g, r in GRADE_RANK.items() if r == rank)
            direction = "same" if moderated == grade else ("down" if step > 0 else "up")
        audit = services.casefile_audit_moderate(
            audit=audit,
            user=qa,
            moderator=self.moderator_for(plan),
            moderated_on=moderated_on,
            overall_grade=moderated,
            notes=MODERATION_NOTES[direction],
        )
        days["qpag.audit.moderate"] = moderated_on
        if moderated == Grade.INADEQUATE and grade != Grade.INADEQUATE:
            days["qpag.review.open"] = moderated_on
        self.complete_actions(actions, audit)
        # Grade differences more than six weeks old have been to the moderation panel.
        if audit.grades_differ and moderated_on < today - datetime.timedelta(days=42):
            panel_on = moderated_on + datetime.timedelta(days=rng.randint(10, 25))
            services.casefile_audit_panel_record(audit=audit, user=qa, discussed_on=panel_on, learning=PANEL_LEARNING)
            days["qpag.audit.panel"] = panel_on

        closable_on = moderated_on + datetime.timedelta(days=rng.randint(1, 6))
        review = TripleLockReview.objects.filter(audit=audit, status=TripleLockReview.Status.OPEN).first()
        if review is not None:
            overdue_on_purpose = plan.month_index == 10
            finished_on = review.opened_on + datetime.timedelta(days=rng.randint(12, 27))
            if overdue_on_purpose or finished_on > today:
                return  # open: due soon, or (on purpose) overdue
            services.triple_lock_review_complete(
                review=review,
                user=qa,
                completed_on=finished_on,
                actions_progressed=True,
                findings=REVIEW_FINDINGS,
                escalated=plan.month_index == 4,
            )
            days["qpag.review.complete"] = finished_on
            closable_on = max(closable_on, finished_on + datetime.timedelta(days=1))
        if closable_on > today:
            return
        services.casefile_audit_close(audit=audit, user=qa, closed_on=closable_on)
        days["qpag.audit.close"] = closable_on

    def add_actions(self, audit, plan: Plan, grade: str, audited_on: datetime.date) -> list:
        weak = [area for area, g in plan.areas.items() if g not in GOOD_OR_BETTER]
        if grade in GOOD_OR_BETTER:
            weak = weak[:1] if self.rng.random() < 0.6 else []
        else:
            weak = weak[: 3 if grade == Grade.INADEQUATE else 2]
        made = []
        weeks = 2 if grade == Grade.INADEQUATE else 4
        for area in weak:
            action = services.casefile_action_add(
                audit=audit,
                user=self.qa,
                description=ACTIONS[area],
                owner=self.managers.get(plan.team, "Team manager"),
                due_on=audited_on + datetime.timedelta(weeks=weeks),
            )
            self.days[audit.pk]["actions"][action.pk] = {"add": audited_on}
            made.append(action)
        return made

    def complete_actions(self, actions: list, audit) -> None:
        for action in actions:
            # Past their date, nearly all are done (a few are overdue); not yet due, some are.
            done = self.rng.random() < (0.97 if action.due_on < self.today else 0.3)
            completed_on = action.due_on - datetime.timedelta(days=self.rng.randint(0, 10))
            completed_on = max(completed_on, audit.audited_on)
            if not done or completed_on > self.today:
                continue
            services.casefile_action_complete(
                action=action, user=self.qa, completed_on=completed_on, note=self.rng.choice(COMPLETION_NOTES)
            )
            self.days[audit.pk]["actions"][action.pk]["complete"] = completed_on

    def backdate(self) -> None:
        """Services stamp records and log entries with now; a demo audit happened on its days."""
        content_type = ContentType.objects.get_for_model(CaseFileAudit)
        for pk, days in self.days.items():
            last = max(day for key, day in days.items() if key != "actions")
            CaseFileAudit.objects.filter(pk=pk).update(
                created_at=_stamp(days["qpag.audit.create"]), updated_at=_stamp(last, 16)
            )
            whens = [
                When(action=action, then=Value(_stamp(day))) for action, day in days.items() if action != "actions"
            ]
            for action_pk, action_days in days["actions"].items():
                whens.append(
                    When(action="qpag.action.add", data__action=action_pk, then=Value(_stamp(action_days["add"], 11)))
                )
                CaseFileAuditAction.objects.filter(pk=action_pk).update(
                    created_at=_stamp(action_days["add"], 11),
                    updated_at=_stamp(action_days.get("complete", action_days["add"]), 15),
                )
                if "complete" in action_days:
                    whens.append(
                        When(
                            action="qpag.action.complete",
                            data__action=action_pk,
                            then=Value(_stamp(action_days["complete"], 15)),
                        )
                    )
            ModelLogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(
                timestamp=Case(*whens, default=F("timestamp"), output_field=DateTimeField())
            )
            if "qpag.review.open" in days and "qpag.audit.grade" in days:
                TripleLockReview.objects.filter(audit_id=pk).update(
                    created_at=_stamp(days["qpag.review.open"], 12),
                    updated_at=_stamp(days.get("qpag.review.complete", days["qpag.review.open"]), 14),
                )


def seed_qpag_demo(*, stdout) -> None:
    qa = User.objects.filter(email=DEMO_QA).first()
    if qa is None:
        stdout.write("QPAG demo: skipped (needs the demo QA manager)")
        return
    today = timezone.localdate()
    if CaseFileAudit.objects.exists():
        stdout.write("QPAG demo: case-file audits already loaded")
    else:
        rng = random.Random(SEED)  # noqa: S311  (demo data, not security)
        seeder = _Seeder(qa=qa, today=today, rng=rng)
        seeder.drawn = _seed_extract_and_draw(qa=qa, today=today, stdout=stdout)
        seeder.run(_plans(today, rng))
        counts = {s.label: CaseFileAudit.objects.filter(status=s).count() for s in CaseFileAudit.Status}
        stdout.write(
            f"QPAG demo: {CaseFileAudit.objects.count()} case-file audits over {MONTHS} months ("
            + ", ".join(f"{n} {label.lower()}" for label, n in counts.items() if n)
            + f"), {TripleLockReview.objects.count()} triple-lock reviews"
        )
    _seed_pack(qa=qa, today=today, stdout=stdout)


# The extract and last month's draw ---------------------------------------------------------

EXTRACT_HEADERS = ["Case number", "Team", "Service", "Open date", "Allocated worker", "Locality", "Contact outcome"]


def _extract_csv(extracted_on: datetime.date) -> bytes:
    """A small extract of the case-management system as Mosaic exports it: every audited team
    with cases old enough (and some too new) to be drawn, last month's finalised EHC plans, and
    front-door contacts of every kind. Workers are named by role, never a child."""
    rng = random.Random(SEED + 1)  # noqa: S311  (demo data)
    rows = []
    numbers = iter(range(2_100_003, 2_900_000, 7))
    for service in (Service.SOCIAL_CARE, Service.EARLY_HELP):
        for team in AUDITED_TEAMS[service]:
            locality = next(loc for _s, t, loc, _a, _m in REGISTER if t == team)
            for n in range(8):
                # Most long open; the first of each team opened a fortnight ago (too new to draw).
                opened = extracted_on - datetime.timedelta(days=rng.randint(200, 900) if n else 14)
                rows.append(
                    [str(next(numbers)), team, Service(service).label, opened, f"Social worker {n + 1}", locality]
                )
    finalised_month = month_start(extracted_on)
    for team in AUDITED_TEAMS[Service.SEND]:
        for n in range(4):
            finalised = finalised_month + datetime.timedelta(days=rng.randint(0, 27))
            rows.append([f"EHC-{next(numbers)}", team, "SEND", finalised, f"SEND caseworker {n + 1}", ""])
    for _category, label in ChadCategory.choices:
        for n in range(4):
            contact = extracted_on - datetime.timedelta(days=rng.randint(0, 20))
            rows.append([f"CON-{next(numbers)}", "ChAD", "ChAD", contact, f"Duty worker {n + 1}", "", label])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXTRACT_HEADERS)
    for row in rows:
        row[3] = f"{row[3]:%d/%m/%Y}"
        writer.writerow(row + [""] * (len(EXTRACT_HEADERS) - len(row)))
    return out.getvalue().encode("utf-8")


def _seed_extract_and_draw(*, qa: User, today: datetime.date, stdout) -> dict[str, CaseFileAudit]:
    """Upload an extract taken at the end of the month before last, and record last month's
    children's social care draw from it: team -> the audit the draw made (notified)."""
    try:
        from .imports import ImportRejected, extract_upload
        from .sampling import sample_draw_create
    except ImportError:
        stdout.write("QPAG demo: no extract or draw (the sampling module is not installed)")
        return {}
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    last_month = add_months(month_start(today), -1)
    extracted_on = last_month - datetime.timedelta(days=1)
    upload = SimpleUploadedFile("mosaic-open-cases.csv", _extract_csv(extracted_on), content_type="text/csv")
    try:
        extract = extract_upload(user=qa, uploaded_file=upload, extracted_on=extracted_on)
        draw = sample_draw_create(
            user=qa,
            extract=extract,
            service=Service.SOCIAL_CARE,
            period_start=last_month,
            per_team=1,
            notified_on=_working_day(last_month),
            seed=SEED,
        )
    except (ImportRejected, ValidationError) as error:
        # The rest of the demo does not need the draw: say why and carry on without it.
        stdout.write(f"QPAG demo: no extract or draw ({error})")
        return {}
    stdout.write(f"QPAG demo: extract of {extract.row_count} cases uploaded; {draw} recorded")
    return {audit.team: audit for audit in draw.audits.all()}


# The draft pack for last month -------------------------------------------------------------


def _pack_narrative(month: datetime.date) -> dict[str, str]:
    audits = CaseFileAudit.objects.filter(notified_on__gte=month, notified_on__lt=add_months(month, 1))
    graded = audits.exclude(final_grade="")
    total = graded.count()
    good = graded.filter(final_grade__in=list(GOOD_OR_BETTER)).count()
    inadequate = graded.filter(final_grade=Grade.INADEQUATE).count()
    sought = graded.filter(family_feedback_sought=True).count()
    percent = round(100 * good / total) if total else 0
    by_service = {
        service: (
            graded.filter(service=service).count(),
            graded.filter(service=service, final_grade__in=list(GOOD_OR_BETTER)).count(),
        )
        for service in Service.values
    }

    def line(service: str) -> str:
        n, g = by_service[service]
        return f"{g} of {n} audits" if n else "no audits"

    label = f"{month:%B %Y}"
    text = {
        "performance": (
            f"{total} case-file audits were completed for {label}; {good} ({percent}%) were graded good or "
            f"better and {inadequate} inadequate. Audits completed within two weeks of notification remain "
            "below target in social care, where locality teams carried vacancies. One triple-lock review is "
            "past its month and has been escalated to the Head of Service."
        ),
        "social_work": (
            f"Children's social care: {line(Service.SOCIAL_CARE)} good or better. The child's lived experience "
            "is now consistently visible in direct work, reflecting the practice week on voice in the summer. "
            "Management oversight remains the weakest area: supervision is not always recorded and decisions "
            "are not always explained on the file."
        ),
        "early_help": (
            f"Early Help: {line(Service.EARLY_HELP)} good or better. Family feedback continues to be very "
            "positive about the consistency of workers. Plans need clearer outcomes so families can see "
            "progress."
        ),
        "chad": (
            f"Front door: {line(Service.CHAD)} good or better across consultations, step-downs to Early Help "
            "and section 17 and 47 referrals. Threshold decisions were sound; partners ask for clearer "
            "feedback to referrers when a contact is closed with advice."
        ),
        "send": (
            f"SEND: {line(Service.SEND)} good or better against the EHCP quality standards. Young people's "
            "views are better captured in section A; outcomes (standard two) still too often describe provision "
            "rather than what will change for the young person."
        ),
        "schools": (
            "Returns for the 175/157 audit are coming in ahead of last year. Online safety and safer "
            "recruitment remain the themes with most partly-compliant answers; the adviser is offering "
            "support visits to the schools with Ofsted concerns and following up repeat allegations."
        ),
        "complaints": (
            "Complaints about education settings are being acknowledged within timescale. Upheld complaints "
            "have led to learning plans, most about recording and sharing of concerns."
        ),
        "reflective": (
            "Two audits are brought for reflective discussion: one graded good where the child's voice "
            "shaped the plan, and one where the moderator lowered the grade because management oversight "
            "was not evidenced."
        ),
        "learning": (
            "Themes for learning: management oversight and recording of supervision decisions; SMART outcomes "
            "in EHCPs; online safety in schools, where demand for training is highest."
        ),
        "actions": (
            "Most audit actions are completed within timescale. Overdue actions sit mainly with two locality "
            "teams; team managers have been asked to update QA before the next meeting. Impact: repeat audits "
            "show risk assessments updated after actions in every case checked."
        ),
        "feedback": (
            f"Family feedback was sought in {sought} of {total} audits. Families value reliable, consistent "
            "workers and being listened to; some say meetings are crowded and they are not sure what plans "
            "are for."
        ),
        "ppp_partnership": (
            "For the Practice, Policy and Procedures group: guidance on recording management oversight in "
            "supervision. For the partnership: the front door's request for feedback to referrers, and online "
            "safety training demand across schools."
        ),
    }
    return {key: text.get(key, "") for key, _title in PACK_SECTIONS}


def _seed_pack(*, qa: User, today: datetime.date, stdout) -> None:
    try:
        from . import services_packs
    except ImportError:
        stdout.write("QPAG demo: no pack (the pack module is not installed)")
        return
    month = add_months(month_start(today), -1)
    if QpagPack.objects.filter(month=month).exists():
        return
    pack = services_packs.pack_draft(month=month, user=qa)
    pack = services_packs.pack_narrative_save(
        pack=pack, user=qa, narrative=_pack_narrative(month), version=pack.version
    )
    stdout.write(f"QPAG demo: draft pack for {month:%B %Y} with narrative for every section")


@hooks.register("portal_seed_demo")
def register_seed(register) -> None:
    register(seed_qpag_demo)
