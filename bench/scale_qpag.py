"""Bulk seeding for the QPAG benchmarks (bench/qpag.py): settings, audit cycles with answers,
case-file audits with area grades, action plans from every source and complaints, written with
bulk_create (and, for the national answers on PostgreSQL, COPY). Nothing here goes through the
services: these are volumes to measure reads against, not stories."""

import datetime
import io
import random

from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from portal.models import Theme, User
from portal.roles import Role
from qpag.constants import SERVICE_PRACTICE_AREAS, ChadCategory, Grade, Service
from qpag.dates import add_months, month_start
from qpag.models import Auditor, CaseFileAudit, CaseFileAuditAction, PracticeAreaGrade
from schools.models import Action, ActionPlan, Answer, AuditCycle, AuditReturn, QuestionnaireKind, Setting, SettingKind
from schools.questionnaire_loader import questionnaires_load_shipped

KINDS = [SettingKind.MAINTAINED_SCHOOL, SettingKind.ACADEMY, SettingKind.SPECIAL_SCHOOL, SettingKind.AP_PROVIDER]
LOCALITIES = ["North", "South", "East", "West", "Central"]
COMPLIANCE = ["yes"] * 7 + ["partly"] * 2 + ["no"]
GRADES = [Grade.OUTSTANDING] + [Grade.GOOD] * 5 + [Grade.REQUIRES_IMPROVEMENT] * 3 + [Grade.INADEQUATE]


def qa_manager() -> User:
    user, _ = User.objects.get_or_create(
        email="bench.qa@example.org", defaults={"first_name": "Bench", "last_name": "QA"}
    )
    user.groups.add(Group.objects.get(name=Role.QA_MANAGER.group_name))
    return user


def settings(count: int, *, prefix: str = "95") -> list[Setting]:
    Setting.objects.bulk_create(
        [
            Setting(
                name=f"Bench Setting {n:05d}",
                urn=f"{prefix}{n:05d}",
                kind=KINDS[n % len(KINDS)],
                locality=LOCALITIES[n % len(LOCALITIES)],
            )
            for n in range(count)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return list(Setting.objects.filter(urn__startswith=prefix).order_by("pk"))


def compliance_questions(questionnaire, limit: int | None = None) -> list:
    from schools.models import Question

    questions = list(
        Question.objects.filter(section__questionnaire=questionnaire, answer_type="compliance").order_by(
            "section__sort_order", "sort_order", "pk"
        )
    )
    return questions[:limit] if limit else questions


def cycles(*, user: User, schools: list[Setting], count: int, today: datetime.date, questions_limit=None, copy=False):
    """`count` yearly 175/157 cycles, a closed return per setting, every compliance question answered."""
    questionnaire = {q.kind: q for q, _ in questionnaires_load_shipped()}[QuestionnaireKind.SCHOOLS_175_157]
    questions = compliance_questions(questionnaire, questions_limit)
    rng = random.Random(11)  # noqa: S311  (benchmark data)
    answers = 0
    for n in range(count):
        opens = datetime.date(today.year - count + n, 9, 1)
        cycle = AuditCycle.objects.create(
            kind=QuestionnaireKind.SCHOOLS_175_157,
            questionnaire=questionnaire,
            title=f"Bench 175/157 audit {opens.year}/{(opens.year + 1) % 100:02d}",
            opens_on=opens,
            due_on=opens + datetime.timedelta(days=60),
            status=AuditCycle.Status.CLOSED if n < count - 1 else AuditCycle.Status.OPEN,
            opened_by=user,
        )
        AuditReturn.objects.bulk_create(
            [AuditReturn(cycle=cycle, setting=s, status=AuditReturn.Status.CLOSED) for s in schools], batch_size=5000
        )
        return_ids = list(cycle.returns.order_by("pk").values_list("pk", flat=True))
        if copy and connection.vendor == "postgresql":
            answers += _copy_answers(return_ids, questions, rng)
        else:
            batch = []
            for return_id in return_ids:
                for question in questions:
                    batch.append(
                        Answer(audit_return_id=return_id, question=question, compliance=rng.choice(COMPLIANCE))
                    )
                if len(batch) >= 20000:
                    Answer.objects.bulk_create(batch, batch_size=5000)
                    answers += len(batch)
                    batch = []
            Answer.objects.bulk_create(batch, batch_size=5000)
            answers += len(batch)
    return answers, len(questions)


def _copy_answers(return_ids: list[int], questions: list, rng: random.Random) -> int:
    """COPY the answers in chunks: 2.4 million rows would not fit comfortably as objects."""
    now = timezone.now().isoformat()
    columns = "audit_return_id, question_id, compliance, text, follow_up, carried_forward, version, updated_at"
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor, for copy_expert
        for start in range(0, len(return_ids), 2000):
            buffer = io.StringIO()
            for return_id in return_ids[start : start + 2000]:
                for question in questions:
                    buffer.write(f"{return_id}\t{question.pk}\t{rng.choice(COMPLIANCE)}\t\t\tf\t1\t{now}\n")
                    written += 1
            buffer.seek(0)
            raw.copy_expert(f"COPY schools_answer ({columns}) FROM STDIN", buffer)
    return written


def case_file_audits(*, count: int, today: datetime.date, user: User) -> tuple[int, int]:
    """`count` closed case-file audits over the last 12 months with every area graded, and an action each."""
    rng = random.Random(12)  # noqa: S311
    teams = {service: [f"Bench {service} team {n}" for n in range(6)] for service in Service.values}
    auditors = {}
    for service, names in teams.items():
        for team in names:
            auditors[team] = Auditor.objects.create(name=f"Auditor of {team}", service=service, team=team)
    months = [add_months(month_start(today), -n) for n in range(12, 0, -1)]
    audits = []
    for n in range(count):
        service = Service.values[n % len(Service.values)]
        team = rng.choice(teams[service])
        other = rng.choice([t for t in teams[service] if t != team])
        notified = months[n % 12] + datetime.timedelta(days=rng.randint(0, 20))
        grade = rng.choice(GRADES)
        audits.append(
            CaseFileAudit(
                case_number=f"B{n:07d}",
                service=service,
                team=team,
                locality=rng.choice(LOCALITIES),
                chad_category=rng.choice(ChadCategory.values) if service == Service.CHAD else "",
                auditor=auditors[other],
                status=CaseFileAudit.Status.CLOSED,
                notified_on=notified,
                due_on=notified + datetime.timedelta(days=14),
                audited_on=notified + datetime.timedelta(days=10),
                moderated_on=notified + datetime.timedelta(days=14),
                closed_on=notified + datetime.timedelta(days=16),
                auditor_grade=grade,
                moderator_grade=grade,
                final_grade=grade,
                family_feedback_sought=rng.random() < 0.8,
                family_feedback="The family said the worker listened.",
                recorded_by=user,
            )
        )
    audits = CaseFileAudit.objects.bulk_create(audits, batch_size=2000)
    grades = [
        PracticeAreaGrade(audit=audit, area=area, auditor_grade=g, moderator_grade=g, final_grade=g)
        for audit in audits
        for area in SERVICE_PRACTICE_AREAS[audit.service]
        for g in [rng.choice(GRADES)]
    ]
    PracticeAreaGrade.objects.bulk_create(grades, batch_size=5000)
    CaseFileAuditAction.objects.bulk_create(
        [
            CaseFileAuditAction(
                audit=audit,
                description="Update the plan",
                owner=f"{audit.team} manager",
                due_on=audit.audited_on + datetime.timedelta(days=28),
                status=rng.choice(["open", "completed", "completed"]),
            )
            for audit in audits
        ],
        batch_size=2000,
    )
    return len(audits), len(grades)


def action_plans(*, schools: list[Setting], actions: int, lead: User, today: datetime.date) -> int:
    """Plans from every source, 8 actions each, open, overdue and completed."""
    rng = random.Random(13)  # noqa: S311
    themes = list(Theme.objects.all())
    sources = ActionPlan.Source.values
    plans = ActionPlan.objects.bulk_create(
        [
            ActionPlan(
                setting=schools[n % len(schools)],
                source=sources[n % len(sources)],
                title=f"Bench plan {n}",
                lead=lead,
                status=rng.choice(
                    [ActionPlan.Status.AGREED, ActionPlan.Status.IN_PROGRESS, ActionPlan.Status.COMPLETE]
                ),
            )
            for n in range(actions // 8)
        ],
        batch_size=2000,
    )
    statuses = ["not_started", "in_progress", "completed", "verified"]
    made = []
    for plan in plans:
        for k in range(8):
            due = today + datetime.timedelta(days=rng.randint(-200, 120))
            made.append(
                Action(
                    plan=plan,
                    description="Bench action",
                    theme=themes[(plan.pk + k) % len(themes)] if themes else None,
                    original_due_on=due,
                    due_on=due,
                    status=rng.choice(statuses),
                    sort_order=k,
                )
            )
    Action.objects.bulk_create(made, batch_size=5000)
    return len(made)


def complaints(*, schools: list[Setting], count: int, years: int, today: datetime.date, adviser: User) -> int:
    """Complaints built by qpag.scale.complaint_build (as seed_scale builds them)."""
    from complaints.models import Complaint
    from qpag.scale import complaint_build

    rng = random.Random(5)  # noqa: S311
    first = today - datetime.timedelta(days=365 * years)
    made = [
        complaint_build(
            n, rng.choice(schools), first + datetime.timedelta(days=rng.randrange(365 * years)), today, rng, adviser
        )
        for n in range(count)
    ]
    Complaint.objects.bulk_create(made, batch_size=1000)
    return len(made)
