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

from portal.models import User
from portal.roles import Role
from schools import services
from schools.imports import settings_import_gias
from schools.models import AuditCycle, AuditReturn, Membership, QuestionnaireKind, Setting, SettingKind, SettingRole
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


@hooks.register("portal_seed_demo")
def register_seed(register) -> None:
    register(seed_audit_demo)
