"""Demo data for the audit engine, loaded by `manage.py seed_demo` through the portal's
`portal_seed_demo` hook: the settings register, the shipped questionnaires, and an open
2022/23 cycle with returns in every state. Idempotent: once the cycle exists, it stops."""

import datetime
import io
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from wagtail import hooks

from portal.models import Theme, User
from portal.roles import Role
from schools import services, services_plans
from schools.imports import settings_import_gias
from schools.models import (
    Action,
    ActionPlan,
    AuditCycle,
    AuditReturn,
    Membership,
    QuestionnaireKind,
    Setting,
    SettingKind,
    SettingRole,
)
from schools.questionnaire_loader import DATA_DIR, questionnaires_load_shipped
from schools.selectors import sections_for_return

SAMPLE_CSV = DATA_DIR.parent / "gias_sample.csv"
DEMO_DSL = "dsl@oakfield-primary.example.org"
DEMO_AP_USER = "manager@horizons-ap.example.org"
DEMO_ADVISER = "adviser@council.example.org"
DEMO_QA = "qa.manager@council.example.org"
CYCLE_TITLE = "175/157 safeguarding audit 2022/23"
AP_CYCLE_TITLE = "Alternative provision safeguarding audit 2022/23"
DEMO_PDF = b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (URN in the sample file, state to leave its return in)
DEMO_STATES = [
    ("900102", AuditReturn.Status.IN_PROGRESS),
    ("900103", AuditReturn.Status.SUBMITTED),
    ("900104", AuditReturn.Status.SUBMITTED),
    ("900105", AuditReturn.Status.IN_REVIEW),
    ("900106", AuditReturn.Status.RETURNED),
    ("900107", AuditReturn.Status.FEEDBACK_SENT),
    ("900108", AuditReturn.Status.CLOSED),
]


def _answer_all(audit_return: AuditReturn, user, *, weak_codes: set[str], stop_after: int | None = None) -> None:
    values = {
        "short_text": {"text": "Named in our policy"},
        "long_text": {"text": "Pupils' views are gathered each term through the school council and surveys."},
        "number": {"number": Decimal("24")},
        "date": {"date": datetime.date(2022, 9, 5)},
    }
    for index, section in enumerate(sections_for_return(audit_return)):
        if stop_after is not None and index >= stop_after:
            return
        answers = {}
        for question in section.applicable:
            entry = {"compliance": "", "text": "", "number": None, "date": None, "follow_up": ""}
            if question.answer_type == "compliance":
                weak = question.code in weak_codes
                entry["compliance"] = "partly" if weak else "yes"
                entry["follow_up"] = "We will put this right by the end of next term." if weak else ""
            elif question.answer_type == "evidence":
                services.evidence_add(
                    audit_return=audit_return,
                    question=question,
                    user=user,
                    uploaded=SimpleUploadedFile("evidence.pdf", DEMO_PDF, content_type="application/pdf"),
                )
                continue
            else:
                entry.update(values[question.answer_type])
            answers[question.pk] = entry
        services.audit_return_save_answers(
            audit_return=audit_return, user=user, section=section, answers=answers, seen_versions={}, force=True
        )


def _demo_member(setting: Setting) -> User:
    email = f"dsl@{setting.urn}.demo.example.org"
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": "Demo", "last_name": f"DSL {setting.urn}"}
    )
    if created:
        user.set_unusable_password()  # never signs in: only used to fill demo returns
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=Role.SCHOOL_USER.group_name))
    Membership.objects.get_or_create(user=user, setting=setting, role=SettingRole.DSL)
    return user


def _move_to(audit_return: AuditReturn, state: str, *, member: User, adviser: User) -> None:
    weak = {"2.3", "5.4", "6.2", "9.1"}
    if state == AuditReturn.Status.IN_PROGRESS:
        _answer_all(audit_return, member, weak_codes=weak, stop_after=4)
        return
    _answer_all(audit_return, member, weak_codes=weak)
    services.audit_return_sign_off(
        audit_return=audit_return,
        user=member,
        headteacher_name=audit_return.setting.headteacher_name or "The headteacher",
        headteacher_on=timezone.localdate() - datetime.timedelta(days=3),
        chair_name="Chair of governors",
        chair_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    services.audit_return_submit(audit_return=audit_return, user=member)
    if state == AuditReturn.Status.SUBMITTED:
        return
    services.audit_return_start_review(audit_return=audit_return, user=adviser)
    if state == AuditReturn.Status.IN_REVIEW:
        return
    if state == AuditReturn.Status.RETURNED:
        services.audit_return_return_for_changes(
            audit_return=audit_return,
            user=adviser,
            reason="Please add the date your single central record was last checked by a governor.",
        )
        return
    services.review_comment_add(
        audit_return=audit_return, user=adviser, text="Strong whole-school culture; the DSL team is well led."
    )
    services.audit_return_send_feedback(
        audit_return=audit_return,
        user=adviser,
        judgement=AuditReturn.Judgement.GOOD,
        summary="A thorough return. Tighten the points marked amber; we will agree an action plan with you.",
    )
    if state == AuditReturn.Status.CLOSED:
        services.audit_return_close(audit_return=audit_return, user=adviser)


def seed_audit_demo(*, stdout) -> None:
    questionnaires = {q.kind: q for q, _created in questionnaires_load_shipped()}
    qa = User.objects.get(email=DEMO_QA)
    adviser = User.objects.get(email=DEMO_ADVISER)
    with SAMPLE_CSV.open(encoding="utf-8-sig") as handle:
        report = settings_import_gias(csv_file=io.StringIO(handle.read()), user=qa)
    stdout.write(f"Settings register: {report.summary()}")
    horizons, _ = Setting.objects.get_or_create(
        urn="990001",
        defaults={
            "name": "Horizons Alternative Provision",
            "kind": SettingKind.AP_PROVIDER,
            "locality": "Central",
            "town": "Ashcombe",
            "headteacher_name": "Marcus Reid",
            "on_ap_framework": True,
            "ap_framework_from": datetime.date(2022, 9, 1),
        },
    )
    oakfield = Setting.objects.get(urn="900101")
    for email, setting, role in (
        (DEMO_DSL, oakfield, SettingRole.DSL),
        (DEMO_AP_USER, horizons, SettingRole.PROVIDER_MANAGER),
    ):
        user = User.objects.filter(email=email).first()
        if user:
            Membership.objects.get_or_create(user=user, setting=setting, role=role)

    if AuditCycle.objects.filter(title=CYCLE_TITLE).exists():
        stdout.write("Audit cycles already seeded.")
        return
    today = timezone.localdate()
    with transaction.atomic():
        for urn, _state in DEMO_STATES:
            _demo_member(Setting.objects.get(urn=urn))
        cycle = services.cycle_open(
            user=qa,
            questionnaire=questionnaires[QuestionnaireKind.SCHOOLS_175_157],
            title=CYCLE_TITLE,
            opens_on=today - datetime.timedelta(days=21),
            due_on=today + datetime.timedelta(days=42),
        )
        services.cycle_open(
            user=qa,
            questionnaire=questionnaires[QuestionnaireKind.AP_PROVIDER],
            title=AP_CYCLE_TITLE,
            opens_on=today - datetime.timedelta(days=21),
            due_on=today + datetime.timedelta(days=42),
        )
        for urn, state in DEMO_STATES:
            audit_return = cycle.returns.get(setting__urn=urn)
            _move_to(audit_return, state, member=_demo_member(audit_return.setting), adviser=adviser)
    counts = {s.label: cycle.returns.filter(status=s).count() for s in AuditReturn.Status}
    stdout.write("Audit returns: " + ", ".join(f"{n} {label.lower()}" for label, n in counts.items() if n))
    with transaction.atomic():
        _seed_plans(cycle=cycle, adviser=adviser, today=today)
        _seed_casework(adviser=adviser, today=today)
    stdout.write(
        "Action plans: "
        + ", ".join(
            f"{n} {label.lower()}"
            for label, n in ((s.label, ActionPlan.objects.filter(status=s).count()) for s in ActionPlan.Status)
            if n
        )
    )


# Action plans from every source, in every state ---------------------------------------------

PLAN_STATES = ["draft", "shared", "agreed", "in_progress", "complete", "closed"]


def _plan_to_state(plan: ActionPlan, state: str, *, adviser: User, member: User) -> None:
    if state == "draft":
        return
    services_plans.plan_share(plan=plan, user=adviser)
    if state == "shared":
        return
    services_plans.plan_agree(plan=plan, user=member, agreed_with=f"{member.get_full_name()}, DSL")
    if state == "agreed":
        return
    actions = list(plan.actions.order_by("sort_order"))
    services_plans.action_record_progress(action=actions[0], user=member, note="Work has started; staff briefed.")
    if state == "in_progress":
        if len(actions) > 1:
            services_plans.extension_request(
                action=actions[1],
                user=member,
                new_due_on=actions[1].due_on + datetime.timedelta(days=28),
                reason="Our governor training date moved.",
            )
        return
    for action in actions:
        if action.status != Action.Status.IN_PROGRESS:
            services_plans.action_record_progress(action=action, user=member, note="Started.")
        services_plans.action_record_progress(
            action=action, user=member, note="Done; evidence on file.", completed=True
        )
        services_plans.action_verify(action=action, user=adviser)
    if state == "closed":
        services_plans.plan_close(plan=plan, user=adviser)


def _seed_plans(*, cycle: AuditCycle, adviser: User, today: datetime.date) -> None:
    if ActionPlan.objects.exists():
        return
    # From audit feedback: the return with feedback sent gets a plan built from its amber answers.
    feedback = cycle.returns.get(status=AuditReturn.Status.FEEDBACK_SENT)
    plan = services_plans.plan_create_from_return(audit_return=feedback, user=adviser)
    _plan_to_state(plan, "in_progress", adviser=adviser, member=_demo_member(feedback.setting))

    sources = [
        (ActionPlan.Source.OFSTED, "Ofsted support: areas for improvement", "Ofsted inspection 2022"),
        (ActionPlan.Source.COMPLAINT, "Learning from complaint", "SC-2022-0007"),
        (ActionPlan.Source.CSPR, "CSPR learning: Child H", "CSPR-2022-03"),
        (ActionPlan.Source.ALLEGATIONS, "Learning from a managing allegations meeting", "LADO-2022-118"),
        (ActionPlan.Source.OTHER, "Support visit follow-up", ""),
        (ActionPlan.Source.SCHOOLS_AUDIT, "Action plan from the 2021/22 audit", "2021/22 return"),
    ]
    urns = ["900109", "900110", "900111", "900112", "900113", "900114"]
    wording = [
        ("Update the child protection policy to reflect KCSIE 2022 and publish it on the website", "dsl-role"),
        ("Complete online searches for every shortlisted candidate and record them", "safer-recruitment"),
        ("Train all governors in safeguarding, including online safety", "training"),
    ]
    themes = {t.slug: t for t in Theme.objects.all()}
    for index, (source, title, reference) in enumerate(sources):
        setting = Setting.objects.get(urn=urns[index])
        member = _demo_member(setting)
        state = PLAN_STATES[index % len(PLAN_STATES)]
        plan = services_plans.plan_create(
            user=adviser, setting=setting, source=source, title=title, source_reference=reference
        )
        for n, (text, slug) in enumerate(wording):
            services_plans.action_save(
                plan=plan,
                user=adviser,
                description=text,
                theme=themes.get(slug),
                due_on=today + datetime.timedelta(days=10 + 30 * n),
                owner_name="The DSL",
                owner_role="DSL",
            )
        _plan_to_state(plan, state, adviser=adviser, member=member)
    # An AP audit plan, led by the commissioning officer.
    commissioning = User.objects.filter(email="commissioning@council.example.org").first()
    ap_member = User.objects.filter(email=DEMO_AP_USER).first()
    if commissioning and ap_member:
        horizons = Setting.objects.get(urn="990001")
        plan = services_plans.plan_create(
            user=commissioning,
            setting=horizons,
            source=ActionPlan.Source.AP_AUDIT,
            title="Action plan from the AP audit 2022/23",
        )
        services_plans.action_save(
            plan=plan,
            user=commissioning,
            description="Report every absence to the commissioning school the same day",
            theme=themes.get("alternative-provision"),
            due_on=today + datetime.timedelta(days=21),
        )
        services_plans.plan_share(plan=plan, user=commissioning)
        services_plans.plan_agree(plan=plan, user=ap_member, agreed_with="Marcus Reid, provider manager")
    # Every state for the 175/157 source too, so each list has something in each column.
    for state, urn in zip(PLAN_STATES, ["900115", "900116", "900117", "900118", "900119", "900120"], strict=True):
        setting = Setting.objects.get(urn=urn)
        plan = services_plans.plan_create(
            user=adviser,
            setting=setting,
            source=ActionPlan.Source.SCHOOLS_AUDIT,
            title="Action plan from the 2022/23 audit",
        )
        for n, (text, slug) in enumerate(wording[:2]):
            services_plans.action_save(
                plan=plan,
                user=adviser,
                description=text,
                theme=themes.get(slug),
                due_on=today + datetime.timedelta(days=20 + 40 * n),
            )
        _plan_to_state(plan, state, adviser=adviser, member=_demo_member(setting))


@hooks.register("portal_seed_demo")
def register_seed(register) -> None:
    register(seed_audit_demo)


def _seed_casework(*, adviser: User, today: datetime.date) -> None:
    """An Ofsted support offer, visits, allegations meetings with a repeat issue, and a CSPR."""
    from schools import services_casework as casework
    from schools.models import AllegationCategory, OfstedInspection, PracticeReview, Visit

    if Visit.objects.exists():
        return
    # Recording an inspection with a safeguarding concern opens a support offer (a receiver does it).
    OfstedInspection.objects.create(
        setting=Setting.objects.get(urn="900121"),
        inspected_on=today - datetime.timedelta(days=20),
        overall_effectiveness="requires_improvement",
        safeguarding_effective=False,
    )
    OfstedInspection.objects.create(
        setting=Setting.objects.get(urn="900122"),
        inspected_on=today - datetime.timedelta(days=5),
        report_card_safeguarding="not_met",
    )
    OfstedInspection.objects.create(
        setting=Setting.objects.get(urn="900123"),
        inspected_on=today - datetime.timedelta(days=200),
        overall_effectiveness="good",
        safeguarding_effective=True,
    )
    casework.visit_plan(
        user=adviser,
        setting=Setting.objects.get(urn="900107"),
        planned_on=today + datetime.timedelta(days=7),
        purpose=Visit.Purpose.AUDIT_FOLLOW_UP,
        announced=True,
        adviser=adviser,
    )
    casework.visit_plan(
        user=adviser,
        setting=Setting.objects.get(urn="900121"),
        planned_on=today + datetime.timedelta(days=3),
        purpose=Visit.Purpose.OFSTED_SUPPORT,
        announced=True,
        adviser=adviser,
    )
    category = AllegationCategory.objects.order_by("sort_order", "pk").first()
    repeat = Setting.objects.get(urn="900124")
    for days, reference in ((150, "LADO-2022-101"), (40, "LADO-2022-133")):
        casework.allegations_meeting_record(
            user=adviser,
            setting=repeat,
            met_on=today - datetime.timedelta(days=days),
            lado_reference=reference,
            category=category,
            adviser_attended=True,
            learning="Staff code of conduct to cover contact with pupils on social media.",
        )
    if not PracticeReview.objects.exists():
        casework.practice_review_save(
            user=adviser,
            name="Child H",
            reference="CSPR-2022-03",
            published_on=today - datetime.timedelta(days=60),
            settings=Setting.objects.filter(urn__in=["900201", "900202"]),
        )
