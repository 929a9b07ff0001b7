"""Deterministic bulk seeding of every app at benchmark scale, for `manage.py seed_scale` and bench/.

Volumes to measure reads against, not stories: rows are written with bulk_create in batches (and,
for the national answers on PostgreSQL, with COPY); nothing goes through the services, so no
emails, audit-log entries or notifications are made. The same `seed` and the same `today` give the
same data: every part draws from its own `random.Random` seeded from the seed and the part's name.

Profiles (PROFILES): **county** (200 settings, 3 cycles of the shipped 175/157 questionnaire answered
with evidence metadata, 600 plans / 5,000 actions, 10,000 complaints over 5 years, 1,200 case-file
audits, 1,000 hub pages and 300 sessions, 2,000 users), **national** (24,000 settings, one cycle of
100 questions each, PostgreSQL only) and **tiny** (a few of everything, for the tests).
"""

import datetime
import io
import logging
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from complaints import clocks
from complaints.models import Complaint, ComplaintEvent, Outcome, ReceivedVia, Severity, Source, Status
from learning_hub.models import (
    Audience,
    GoodPracticeIndexPage,
    GoodPracticePage,
    LearningHubHomePage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
    TrainingCalendarPage,
    TrainingCoursePage,
    TrainingIndexPage,
    TrainingSession,
)
from portal.models import Theme, User
from portal.roles import Role
from portal.working_days import add_working_days, working_days_between
from qpag.constants import SERVICE_PRACTICE_AREAS, ChadCategory, Grade, Service
from qpag.dates import add_months, month_start
from qpag.models import Auditor, CaseFileAudit, CaseFileAuditAction, PracticeAreaGrade
from schools.models import (
    Action,
    ActionPlan,
    Answer,
    AuditCycle,
    AuditReturn,
    EvidenceFile,
    Membership,
    Question,
    QuestionnaireKind,
    SectionProgress,
    Setting,
    SettingKind,
    SettingRole,
)
from schools.questionnaire_loader import questionnaires_load_shipped
from schools.storage import private_storage

PASSWORD = os.environ.get("DEMO_PASSWORD", "Safeguarding-demo-2026")  # fictional accounts; refused in production
URN_BASE = 800_000  # scale settings take URNs 800000 upwards: never a real one in the demo register
BATCH = 5000
EVIDENCE_NAME = "evidence/scale-seed/shared-evidence.pdf"
EVIDENCE_BYTES = b"%PDF-1.4\n% seed_scale: one shared evidence file for every seeded EvidenceFile row\n%%EOF\n"

KINDS = [
    SettingKind.MAINTAINED_SCHOOL,
    SettingKind.ACADEMY,
    SettingKind.ACADEMY,
    SettingKind.MAINTAINED_SCHOOL,
    SettingKind.SPECIAL_SCHOOL,
    SettingKind.ACADEMY,
    SettingKind.FREE_SCHOOL,
    SettingKind.MAINTAINED_SCHOOL,
    SettingKind.FE_COLLEGE,
    SettingKind.AP_PROVIDER,
]
PHASES = ["primary", "primary", "primary", "secondary", "all_through", "primary", "secondary", "primary", "16_plus"]
PLACES = ["Oakfield", "Hillside", "Riverside", "St Mary's", "Westfield", "Brookside", "Kingsway", "Ashdown"]
LOCALITIES = ["North", "South", "East", "West", "Central"]
COMPLIANCE = ["yes"] * 7 + ["partly"] * 2 + ["no"]
GRADES = [Grade.OUTSTANDING] + [Grade.GOOD] * 5 + [Grade.REQUIRES_IMPROVEMENT] * 3 + [Grade.INADEQUATE]
SCHOOL_ROLES = [
    SettingRole.DSL,
    SettingRole.HEADTEACHER,
    SettingRole.DEPUTY_DSL,
    SettingRole.CHAIR_OF_GOVERNORS,
    SettingRole.BUSINESS_MANAGER,
]
# Staff accounts: role, how many. Everyone else of the profile's users is a school or AP user.
STAFF = [(Role.QA_MANAGER, 3), (Role.ADVISER, 10), (Role.COMMISSIONING_OFFICER, 3), (Role.SENIOR_MANAGER, 3)]
STAFF += [(Role.EDITOR, 3)]
# The current cycle's returns, by status (the earlier cycles are closed).
CURRENT_STATUSES = (
    [AuditReturn.Status.NOT_STARTED] * 5
    + [AuditReturn.Status.IN_PROGRESS] * 6
    + [AuditReturn.Status.SUBMITTED] * 4
    + [AuditReturn.Status.IN_REVIEW] * 3
    + [AuditReturn.Status.FEEDBACK_SENT] * 2
)
REVIEWED = {AuditReturn.Status.IN_REVIEW, AuditReturn.Status.FEEDBACK_SENT, AuditReturn.Status.CLOSED}
HUB_SHARE = {"resource": 0.45, "good_practice": 0.25, "news": 0.2, "course": 0.1}


@dataclass(frozen=True)
class Profile:
    name: str
    settings: int
    cycles: int
    questions: int | None  # None: every question of the shipped questionnaire
    users: int
    plans: int
    actions: int
    complaints: int
    complaint_years: int
    case_file_audits: int
    hub_pages: int
    hub_sessions: int
    postgresql_only: bool = False
    ap_providers: bool = True  # every tenth setting an AP provider (national: schools only, as England's 24,000)


PROFILES = {
    "county": Profile("county", 200, 3, None, 2000, 600, 5000, 10_000, 5, 1200, 1000, 300),
    "national": Profile("national", 24_000, 1, 100, 25, 0, 0, 0, 0, 0, 0, 0, postgresql_only=True, ap_providers=False),
    "tiny": Profile("tiny", 10, 2, None, 40, 6, 40, 30, 2, 12, 12, 6),
}


def staff_email(role: Role, number: int = 1) -> str:
    """The seeded staff accounts, e.g. scale.adviser.01@council.example.org (bench/ signs in as these)."""
    return f"scale.{role.value.replace('_', '-')}.{number:02d}@council.example.org"


def school_user_email(setting: Setting, number: int) -> str:
    return f"user{number:05d}@setting-{setting.urn}.example.org"


def _rng(seed: int, part: str) -> random.Random:
    return random.Random(f"{seed}:{part}")  # noqa: S311  (benchmark data, not secrets)


def academic_year_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)


# --- the register and people -----------------------------------------------------------------


def _noun(kind: str) -> str:
    return {SettingKind.AP_PROVIDER: "Provision", SettingKind.FE_COLLEGE: "College"}.get(kind, "School")


def seed_settings(*, count: int, ap_providers: bool = True) -> list[Setting]:
    kinds = KINDS if ap_providers else [SettingKind.ACADEMY if k == SettingKind.AP_PROVIDER else k for k in KINDS]
    Setting.objects.bulk_create(
        [
            Setting(
                name=f"{PLACES[n % len(PLACES)]} {_noun(kinds[n % 10])} {n:05d}",
                urn=str(URN_BASE + n),
                kind=kinds[n % 10],
                phase="not_applicable" if kinds[n % 10] == SettingKind.AP_PROVIDER else PHASES[n % len(PHASES)],
                locality=LOCALITIES[n % len(LOCALITIES)],
                on_ap_framework=kinds[n % 10] == SettingKind.AP_PROVIDER,
                dsl_name=f"DSL {n:05d}",
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    return list(scale_settings().order_by("urn"))


def scale_settings():
    return Setting.objects.filter(urn__gte=str(URN_BASE), urn__lt=str(URN_BASE + 100_000))


def seed_users(*, count: int, settings: list[Setting], seed: int) -> dict[Role, list[User]]:
    """Staff first (STAFF), then school and AP users spread over the settings, each with a membership."""
    password = make_password(PASSWORD)  # hashed once: 2,000 hashes would take minutes
    rng = _rng(seed, "users")
    users, roles = [], []
    for role, how_many in STAFF:
        for n in range(1, how_many + 1):
            first = role.label.split()[0]
            users.append(
                User(email=staff_email(role, n), first_name=first, last_name=f"Scale {n:02d}", password=password)
            )
            roles.append(role)
    memberships = []
    for n in range(max(0, count - len(users))):
        setting = settings[n % len(settings)] if settings else None
        if setting is None:
            break
        is_ap = setting.kind == SettingKind.AP_PROVIDER
        users.append(
            User(
                email=school_user_email(setting, n),
                first_name=rng.choice(["Sam", "Alex", "Jo", "Priya", "Tom", "Grace", "Marcus", "Hannah"]),
                last_name=f"Member {n:05d}",
                password=password,
            )
        )
        roles.append(Role.AP_PROVIDER_USER if is_ap else Role.SCHOOL_USER)
        memberships.append(
            (setting, SettingRole.PROVIDER_MANAGER if is_ap else SCHOOL_ROLES[(n // len(settings)) % len(SCHOOL_ROLES)])
        )
    User.objects.bulk_create(users, batch_size=1000)
    by_email = {u.email: u for u in User.objects.filter(email__in=[u.email for u in users])}
    made = [by_email[u.email] for u in users]
    groups = {role: Group.objects.get(name=role.group_name) for role in set(roles)}
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=user.pk, group_id=groups[role].pk) for user, role in zip(made, roles, strict=True)],
        batch_size=BATCH,
    )
    staff_count = sum(n for _, n in STAFF)
    Membership.objects.bulk_create(
        [
            Membership(user=user, setting=setting, role=role)
            for user, (setting, role) in zip(made[staff_count:], memberships, strict=True)
        ],
        batch_size=BATCH,
    )
    result: dict[Role, list[User]] = {}
    for user, role in zip(made, roles, strict=True):
        result.setdefault(role, []).append(user)
    return result


# --- audits ----------------------------------------------------------------------------------


def _answer(question: Question, rng: random.Random, audit_return_id: int, user_id: int | None) -> Answer:
    answer = Answer(audit_return_id=audit_return_id, question=question, version=1, updated_by_id=user_id)
    kind = question.answer_type
    if kind == "compliance":
        answer.compliance = rng.choice(COMPLIANCE)
        if answer.compliance in ("partly", "no"):
            answer.follow_up = "We will review the policy with governors by the end of term."
    elif kind == "short_text":
        answer.text = rng.choice(["Jane Smith", "Ali Khan", "Chris Evans", "Mary O'Neill"])
    elif kind == "long_text":
        answer.text = "Staff are trained each September and again when KCSIE changes; records are kept centrally."
    elif kind == "number":
        answer.number = rng.randint(0, 40)
    elif kind == "date":
        answer.date = datetime.date(2025, 9, 1) + datetime.timedelta(days=rng.randint(0, 300))
    return answer


def seed_cycles(
    *,
    settings: list[Setting],
    count: int,
    today: datetime.date,
    seed: int,
    opened_by: User,
    reviewer: User | None,
    questions_limit: int | None = None,
    copy: bool = False,
    school_users: dict[int, int] | None = None,
) -> dict[str, int]:
    """`count` yearly 175/157 cycles of the shipped questionnaire, one return per school (AP providers
    excluded: theirs is a different audit). Earlier cycles are closed with every question answered;
    the current one is open with returns in every state. Evidence questions get EvidenceFile rows,
    all pointing at one small shared file in private storage."""
    questionnaire = {q.kind: q for q, _ in questionnaires_load_shipped()}[QuestionnaireKind.SCHOOLS_175_157]
    questions = list(
        Question.objects.filter(section__questionnaire=questionnaire)
        .select_related("section")
        .order_by("section__sort_order", "sort_order", "pk")
    )
    if questions_limit:
        questions = questions[:questions_limit]
    sections: dict[int, list[Question]] = {}
    for question in questions:
        sections.setdefault(question.section_id, []).append(question)
    schools = [s for s in settings if s.kind != SettingKind.AP_PROVIDER]
    school_users = school_users or {}
    rng = _rng(seed, "cycles")
    first_year = academic_year_start(today).year - count + 1
    totals = {"cycles": 0, "returns": 0, "answers": 0, "evidence": 0, "questions": len(questions)}
    evidence_name = _shared_evidence_file() if not copy else None
    for n in range(count):
        opens = datetime.date(first_year + n, 9, 1)
        current = n == count - 1
        cycle = AuditCycle.objects.create(
            kind=QuestionnaireKind.SCHOOLS_175_157,
            questionnaire=questionnaire,
            title=f"175/157 safeguarding audit {opens.year}/{(opens.year + 1) % 100:02d}",
            opens_on=opens,
            due_on=opens + datetime.timedelta(days=60),
            status=AuditCycle.Status.OPEN if current else AuditCycle.Status.CLOSED,
            opened_by=opened_by,
        )
        totals["cycles"] += 1
        returns = []
        for setting in schools:
            status = AuditReturn.Status.CLOSED
            if current:  # national (COPY): every return reviewed, so the whole cycle feeds the figures
                status = AuditReturn.Status.FEEDBACK_SENT if copy else rng.choice(CURRENT_STATUSES)
            submitted = status not in (AuditReturn.Status.NOT_STARTED, AuditReturn.Status.IN_PROGRESS)
            at = timezone.make_aware(datetime.datetime.combine(opens, datetime.time(10)))
            returns.append(
                AuditReturn(
                    cycle=cycle,
                    setting=setting,
                    status=status,
                    submitted_at=at + datetime.timedelta(days=rng.randint(20, 55)) if submitted else None,
                    submitted_by_id=school_users.get(setting.pk) if submitted else None,
                    headteacher_signoff_name="Head Teacher" if submitted else "",
                    headteacher_signoff_on=opens + datetime.timedelta(days=50) if submitted else None,
                    reviewer=reviewer if status in REVIEWED else None,
                    overall_judgement=rng.choice(["strong", "good", "good", "requires_improvement", "inadequate"])
                    if status in (AuditReturn.Status.FEEDBACK_SENT, AuditReturn.Status.CLOSED)
                    else "",
                    feedback_sent_at=at + datetime.timedelta(days=80)
                    if status in (AuditReturn.Status.FEEDBACK_SENT, AuditReturn.Status.CLOSED)
                    else None,
                    closed_at=at + datetime.timedelta(days=120) if status == AuditReturn.Status.CLOSED else None,
                )
            )
        AuditReturn.objects.bulk_create(returns, batch_size=BATCH)
        returns = list(cycle.returns.order_by("setting__urn"))
        totals["returns"] += len(returns)
        if copy and connection.vendor == "postgresql":
            totals["answers"] += _copy_answers([r.pk for r in returns], questions, rng)
            continue
        batch, progress = [], []
        for audit_return in returns:
            if audit_return.status == AuditReturn.Status.NOT_STARTED:
                continue
            user_id = school_users.get(audit_return.setting_id)
            answered_sections = list(sections.items())
            if audit_return.status == AuditReturn.Status.IN_PROGRESS:
                answered_sections = answered_sections[: max(1, len(answered_sections) // 2)]
            for section_id, section_questions in answered_sections:
                batch.extend(_answer(q, rng, audit_return.pk, user_id) for q in section_questions)
                progress.append(
                    SectionProgress(
                        audit_return_id=audit_return.pk,
                        section_id=section_id,
                        last_edited_by_id=user_id,
                        last_edited_at=timezone.now(),
                        completed_at=timezone.now(),
                    )
                )
            if len(batch) >= 4 * BATCH:
                totals["answers"] += _write_answers(batch, questions, evidence_name)
                batch = []
        totals["answers"] += _write_answers(batch, questions, evidence_name)
        SectionProgress.objects.bulk_create(progress, batch_size=BATCH)
    totals["evidence"] = EvidenceFile.objects.filter(file=evidence_name).count() if evidence_name else 0
    return totals


def _write_answers(batch: list[Answer], questions: list[Question], evidence_name: str | None) -> int:
    made = Answer.objects.bulk_create(batch, batch_size=BATCH)
    wants_evidence = {q.pk for q in questions if q.evidence_expected or q.answer_type == "evidence"}
    if evidence_name and wants_evidence:
        EvidenceFile.objects.bulk_create(
            [
                EvidenceFile(
                    answer=answer,
                    file=evidence_name,
                    original_name=f"evidence-{answer.question_id}.pdf",
                    content_type="application/pdf",
                    size=len(EVIDENCE_BYTES),
                    uploaded_by_id=answer.updated_by_id,
                    scan_status=EvidenceFile.ScanStatus.CLEAN,
                )
                for answer in made
                if answer.question_id in wants_evidence
            ],
            batch_size=BATCH,
        )
    return len(made)


def _shared_evidence_file() -> str:
    storage = private_storage()
    if not storage.exists(EVIDENCE_NAME):
        return storage.save(EVIDENCE_NAME, ContentFile(EVIDENCE_BYTES))
    return EVIDENCE_NAME


def _copy_answers(return_ids: list[int], questions: list[Question], rng: random.Random) -> int:
    """COPY the answers in chunks: 2.4 million rows would not fit comfortably as objects."""
    now = timezone.now().isoformat()
    columns = "audit_return_id, question_id, compliance, text, number, follow_up, carried_forward, version, updated_at"
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's own cursor, for COPY
        for start in range(0, len(return_ids), 2000):
            buffer = io.StringIO()
            for return_id in return_ids[start : start + 2000]:
                for question in questions:
                    compliance = rng.choice(COMPLIANCE) if question.answer_type == "compliance" else ""
                    text = "Jane Smith" if question.answer_type in ("short_text", "long_text") else ""
                    number = str(rng.randint(0, 40)) if question.answer_type == "number" else "\\N"
                    buffer.write(f"{return_id}\t{question.pk}\t{compliance}\t{text}\t{number}\t\tf\t1\t{now}\n")
                    written += 1
            buffer.seek(0)
            if hasattr(raw, "copy_expert"):  # psycopg2
                raw.copy_expert(f"COPY schools_answer ({columns}) FROM STDIN", buffer)
            else:  # psycopg 3
                with raw.copy(f"COPY schools_answer ({columns}) FROM STDIN") as copy:
                    copy.write(buffer.getvalue())
    return written


# --- action plans, complaints, case-file audits ------------------------------------------------


def seed_action_plans(
    *, settings: list[Setting], plans: int, actions: int, leads: list[User], today: datetime.date, seed: int
) -> tuple[int, int]:
    """Plans from every source (open, overdue and completed actions), actions spread evenly."""
    rng = _rng(seed, "plans")
    themes = list(Theme.objects.order_by("pk"))
    sources = ActionPlan.Source.values
    statuses = [ActionPlan.Status.AGREED, ActionPlan.Status.IN_PROGRESS, ActionPlan.Status.IN_PROGRESS]
    statuses += [ActionPlan.Status.COMPLETE]
    made_plans = ActionPlan.objects.bulk_create(
        [
            ActionPlan(
                setting=settings[n % len(settings)],
                source=sources[n % len(sources)],
                title=f"Action plan {n:04d}: {sources[n % len(sources)].replace('_', ' ')}",
                lead=leads[n % len(leads)],
                status=rng.choice(statuses),
                agreed_on=today - datetime.timedelta(days=rng.randint(20, 400)),
            )
            for n in range(plans)
        ],
        batch_size=BATCH,
    )
    action_statuses = Action.Status.values
    made = []
    for n in range(actions):
        plan = made_plans[n % len(made_plans)]
        due = today + datetime.timedelta(days=rng.randint(-200, 120))
        made.append(
            Action(
                plan=plan,
                description=f"Action {n:05d}: update the safeguarding policy and brief staff",
                theme=themes[n % len(themes)] if themes else None,
                owner_name="DSL",
                original_due_on=due,
                due_on=due,
                status=rng.choice(action_statuses),
                sort_order=n // len(made_plans),
            )
        )
    Action.objects.bulk_create(made, batch_size=BATCH)
    return len(made_plans), len(made)


def complaint_build(n: int, setting: Setting, received: datetime.date, today: datetime.date, rng, adviser) -> Complaint:
    """One complaint received on `received`, in the state its age suggests (bench/complaints.py uses it)."""
    ack_due = add_working_days(received, 3)
    respond_due = add_working_days(received, 20)
    age = (today - received).days
    complaint = Complaint(
        reference=f"SC-{received.year}-B{n:05d}",
        year=received.year,
        number=100_000 + n,
        setting=setting,
        received_on=received,
        source=rng.choice(Source.values),
        received_via=rng.choice(ReceivedVia.values),
        complainant_name="Bench Complainant",
        complainant_contact="bench@example.net",
        summary="A benchmark complaint about safeguarding procedures at the setting.",
        severity=rng.choice(Severity.values),
        assigned_adviser=adviser,
        acknowledge_target_days=3,
        respond_target_days=20,
        acknowledge_due_on=ack_due,
        respond_due_on=respond_due,
    )
    if age > 60 or rng.random() < 0.3:
        sent = add_working_days(received, rng.randint(8, 28))
        complaint.acknowledged_on = add_working_days(received, rng.randint(1, 4))
        complaint.response_sent_on = min(sent, today)
        complaint.response_working_days = working_days_between(received, complaint.response_sent_on)
        complaint.outcome = rng.choice(Outcome.values)
        complaint.learning_identified = complaint.outcome != Outcome.NOT_UPHELD
        complaint.status = Status.CLOSED if age > 60 else Status.RESPONSE_SENT
        complaint.closed_on = min(sent + datetime.timedelta(days=20), today) if age > 60 else None
    else:
        complaint.status = rng.choice(
            [Status.RECEIVED, Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.UNDER_INVESTIGATION]
        )
        if complaint.status != Status.RECEIVED:
            complaint.acknowledged_on = add_working_days(received, 1)
    complaint.clock_due_on = clocks.current_due_on(complaint)
    return complaint


def seed_complaints(
    *, settings: list[Setting], count: int, years: int, today: datetime.date, advisers: list[User], seed: int
) -> int:
    """`count` complaints received over the last `years` years, each with a theme and two timeline lines."""
    rng = _rng(seed, "complaints")
    first = today - datetime.timedelta(days=365 * years)
    made = Complaint.objects.bulk_create(
        [
            complaint_build(
                n,
                rng.choice(settings),
                first + datetime.timedelta(days=rng.randrange(365 * years)),
                today,
                rng,
                advisers[n % len(advisers)],
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    themes = list(Theme.objects.order_by("pk"))
    through = Complaint.themes.through
    through.objects.bulk_create(
        [through(complaint_id=c.pk, theme_id=themes[i % len(themes)].pk) for i, c in enumerate(made)], batch_size=BATCH
    )
    ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(complaint=c, kind=kind, summary=summary, user=c.assigned_adviser)
            for c in made
            for kind, summary in (("created", "Complaint logged"), ("status", "Acknowledged"))
        ],
        batch_size=BATCH,
    )
    return len(made)


def seed_case_file_audits(*, count: int, today: datetime.date, user: User, seed: int) -> tuple[int, int]:
    """`count` closed case-file audits over the last 12 months, every practice area graded, an action each."""
    rng = _rng(seed, "case-file-audits")
    teams = {
        service: [f"{Service(service).label.split(' (')[0]} team {n}" for n in range(6)] for service in Service.values
    }
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
                case_number=f"S{n:07d}",
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
    PracticeAreaGrade.objects.bulk_create(grades, batch_size=BATCH)
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


# --- the learning hub ------------------------------------------------------------------------


def hub_tree() -> dict[str, object]:
    """The hub's home and index pages, made under the default site's root page if missing."""
    from wagtail.models import Site

    hub = LearningHubHomePage.objects.first()
    if hub is None:
        root = Site.objects.get(is_default_site=True).root_page
        hub = LearningHubHomePage(title="Learning hub", slug="learning-hub", intro="Training, resources and practice.")
        root.add_child(instance=hub)
    tree = {"hub": hub}
    for key, model, title, slug in (
        ("training", TrainingIndexPage, "Training courses", "training"),
        ("calendar", TrainingCalendarPage, "Training calendar", "calendar"),
        ("resources", ResourceIndexPage, "Resources", "resources"),
        ("good_practice", GoodPracticeIndexPage, "Good practice", "good-practice"),
        ("news", NewsIndexPage, "News", "news"),
    ):
        page = model.objects.first()
        if page is None:
            page = model(title=title, slug=slug, intro=f"{title} for settings across the county.")
            hub.add_child(instance=page)
        tree[key] = page
    return tree


def seed_hub(*, pages: int, sessions: int, seed: int) -> tuple[int, int]:
    """`pages` published hub pages (resources, good practice, news, courses) with themes and audiences,
    and `sessions` training sessions over the coming months. Pages go through treebeard's add_child one
    by one (the page tree's paths cannot be bulk-inserted safely)."""
    rng = _rng(seed, "hub")
    wagtail_log = logging.getLogger("wagtail")
    level = wagtail_log.level
    wagtail_log.setLevel(logging.WARNING)  # a "Page created" line per page is noise here
    try:
        return _seed_hub(pages=pages, sessions=sessions, rng=rng)
    finally:
        wagtail_log.setLevel(level)


def _seed_hub(*, pages: int, sessions: int, rng: random.Random) -> tuple[int, int]:
    tree = hub_tree()
    counts = {kind: int(pages * share) for kind, share in HUB_SHARE.items()}
    counts["resource"] += pages - sum(counts.values())
    made: list = []
    for n in range(counts["resource"]):
        page = ResourcePage(
            title=f"Resource {n:04d}: recording safeguarding concerns",
            slug=f"scale-resource-{n:04d}",
            summary="A guidance note for designated safeguarding leads on recording concerns.",
            kind=ResourcePage.Kind.LINK,
            link_url="https://www.gov.uk/government/publications/keeping-children-safe-in-education--2",
            kcsie_year="2025",
        )
        tree["resources"].add_child(instance=page)
        made.append(page)
    for n in range(counts["good_practice"]):
        page = GoodPracticePage(
            title=f"Good practice {n:04d}: safeguarding huddles",
            slug=f"scale-good-practice-{n:04d}",
            summary="How a school made its safeguarding huddles work.",
            what_we_did="Short daily meetings of the DSL team.",
            why_it_worked="Everyone hears about concerns the same day.",
            impact_on_children="Referrals are made sooner.",
            setting_kind=GoodPracticePage.SettingKind.SCHOOL,
            phase=GoodPracticePage.Phase.PRIMARY,
        )
        tree["good_practice"].add_child(instance=page)
        made.append(page)
    for n in range(counts["news"]):
        page = NewsPage(
            title=f"News {n:04d}: what changed after this term's audits",
            slug=f"scale-news-{n:04d}",
            summary="What changed after this term's audits.",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 300),
        )
        tree["news"].add_child(instance=page)
        made.append(page)
    courses = []
    for n in range(counts["course"]):
        page = TrainingCoursePage(
            title=f"Course {n:04d}: safeguarding for DSLs",
            slug=f"scale-course-{n:04d}",
            summary="A safeguarding course for DSLs.",
            format=TrainingCoursePage.Format.FACE_TO_FACE,
            length="3 hours",
            learning_outcomes="<p>Know the law.</p>",
            who_should_attend="Designated safeguarding leads.",
        )
        tree["training"].add_child(instance=page)
        made.append(page)
        courses.append(page)
    themes = list(Theme.objects.order_by("pk"))
    audiences = list(Audience.objects.order_by("pk"))
    for page in made:
        page.themes.set(rng.sample(themes, k=min(2, len(themes))))
        if audiences:
            page.audiences.set([rng.choice(audiences)])
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    made_sessions = (
        TrainingSession.objects.bulk_create(
            [
                TrainingSession(
                    course=courses[n % len(courses)],
                    starts_at=now + datetime.timedelta(days=3 + n % 170, hours=n % 5),
                    ends_at=now + datetime.timedelta(days=3 + n % 170, hours=n % 5 + 3),
                    venue="County Hall",
                    capacity=20,
                    places_taken=rng.randint(0, 20),
                    booking_closes_on=(now + datetime.timedelta(days=1 + n % 170)).date(),
                )
                for n in range(sessions)
            ]
        )
        if courses
        else []
    )
    return len(made), len(made_sessions)


# --- the whole profile -----------------------------------------------------------------------


def analyze() -> str:
    """Refresh PostgreSQL's planner statistics, as autovacuum soon would: on fresh tables the planner
    guesses one row and picks nested loops. Outside a transaction, after the rows are committed."""
    if connection.vendor != "postgresql":
        return "skipped (not PostgreSQL)"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return "planner statistics refreshed"


def refusal(profile: Profile, *, force: bool = False) -> str | None:
    """Why seeding must not run here, or None. Never over a register that already has settings
    (unless forced), and never twice: the scale URNs and emails would collide."""
    if profile.postgresql_only and connection.vendor != "postgresql":
        return (
            f"The {profile.name} profile writes millions of rows and needs PostgreSQL (set DATABASE_URL); "
            f"this database is {connection.vendor}."
        )
    if scale_settings().exists():
        return "This database has already been seeded by seed_scale: seed a fresh database instead."
    existing = Setting.objects.count()
    if existing and not force:
        return (
            f"This database already holds {existing:,} settings. seed_scale adds thousands of fictional records "
            "with a known password and is meant for an empty benchmark database: create one "
            "(createdb portal_scale; DATABASE_URL=postgres://…/portal_scale manage.py migrate) and seed that, "
            "or add --force to seed alongside what is there (never on a live register)."
        )
    return None


def seed(
    profile: Profile, *, seed: int = 1, today: datetime.date | None = None, report: Callable[[str], None] = print
) -> list[tuple[str, float, str]]:
    """Seed every part of `profile`; returns (part, seconds, what was made) and reports each as it ends."""
    today = today or timezone.localdate()
    timings: list[tuple[str, float, str]] = []

    def part(name: str, fn: Callable[[], str]) -> None:
        start = perf_counter()
        described = fn()
        seconds = perf_counter() - start
        timings.append((name, seconds, described))
        report(f"{name:<18} {seconds:7.1f} s  {described}")

    state: dict = {}

    def settings_part() -> str:
        state["settings"] = seed_settings(count=profile.settings, ap_providers=profile.ap_providers)
        return f"{len(state['settings']):,} settings"

    def users_part() -> str:
        state["users"] = seed_users(count=profile.users, settings=state["settings"], seed=seed)
        members = Membership.objects.filter(setting__in=scale_settings()).count()
        return f"{sum(map(len, state['users'].values())):,} users, {members:,} memberships"

    def cycles_part() -> str:
        users = state["users"]
        first_member = dict(
            Membership.objects.filter(setting__in=scale_settings(), role=SettingRole.DSL)
            .order_by("-user_id")
            .values_list("setting_id", "user_id")
        )
        totals = seed_cycles(
            settings=state["settings"],
            count=profile.cycles,
            today=today,
            seed=seed,
            opened_by=users[Role.QA_MANAGER][0],
            reviewer=users[Role.ADVISER][0],
            questions_limit=profile.questions,
            copy=profile.name == "national",
            school_users=first_member,
        )
        described = (
            f"{totals['cycles']} cycle(s) of {totals['questions']} questions, {totals['returns']:,} returns, "
            f"{totals['answers']:,} answers"
        )
        if totals["evidence"]:
            described += f", {totals['evidence']:,} evidence-file rows (metadata; one shared stored file)"
        return described

    def plans_part() -> str:
        plans, actions = seed_action_plans(
            settings=state["settings"],
            plans=profile.plans,
            actions=profile.actions,
            leads=state["users"][Role.ADVISER],
            today=today,
            seed=seed,
        )
        return f"{plans:,} action plans, {actions:,} actions"

    def complaints_part() -> str:
        made = seed_complaints(
            settings=state["settings"],
            count=profile.complaints,
            years=profile.complaint_years,
            today=today,
            advisers=state["users"][Role.ADVISER],
            seed=seed,
        )
        return f"{made:,} complaints over {profile.complaint_years} years"

    def case_files_part() -> str:
        audits, grades = seed_case_file_audits(
            count=profile.case_file_audits, today=today, user=state["users"][Role.QA_MANAGER][0], seed=seed
        )
        return f"{audits:,} case-file audits, {grades:,} area grades"

    def hub_part() -> str:
        pages, sessions = seed_hub(pages=profile.hub_pages, sessions=profile.hub_sessions, seed=seed)
        return f"{pages:,} hub pages, {sessions:,} sessions"

    total = perf_counter()
    part("settings", settings_part)
    part("users", users_part)
    part("audit cycles", cycles_part)
    if profile.plans:
        part("action plans", plans_part)
    if profile.complaints:
        part("complaints", complaints_part)
    if profile.case_file_audits:
        part("case-file audits", case_files_part)
    if profile.hub_pages:
        part("learning hub", hub_part)
    if not connection.in_atomic_block:
        part("ANALYZE", analyze)
    seconds = perf_counter() - total
    timings.append(("total", seconds, f"profile {profile.name}, seed {seed}"))
    report(f"{'total':<18} {seconds:7.1f} s")
    return timings
