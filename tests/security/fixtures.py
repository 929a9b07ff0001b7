"""One of everything, for the access matrix and the object-level checks.

Two settings A and B in trust X, a setting C in trust Y, an AP provider P, and for each of
A, B and C: last year's 175/157 return (reviewed, with an evidence file), the action plan made
from it (agreed, with actions, action evidence and an extension request), this year's return (in
progress, with an answer and an evidence file), a booking by its DSL, a visit, a support offer,
an allegations meeting and a complaint (with a drafted response). Plus a CSPR, a quarterly
complaints snapshot, the learning hub (course with a session, a members-only resource, a
good-practice submission), QPAG (auditors, an extract and draw, an inadequate case-file audit
with an action and its triple-lock review, a draft and an issued pack) and an invitation.

Everything is made through the apps' services where they have one, so every record is in a state
the portal itself could have reached. Dates are relative to the real today, as the views use it.

The portal has no trust role: a trust's central safeguarding lead is a school user with a
membership at every setting of the trust, so the "trust" person here is a school user who is a
member of A and B. (`schools.TrustMembership` grants the same through `settings_visible_to`; the
matrix uses memberships, the way the service sets trust leads up today.)
"""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.models import PageViewRestriction, Site

from complaints import reports
from complaints import services as complaint_services
from complaints.models import QuarterlyReport, ReceivedVia, Severity, Source
from complaints.quarters import FINANCIAL, Quarter
from learning_hub import booking as booking_services
from learning_hub.models import (
    GoodPracticeIndexPage,
    LearningHubHomePage,
    ResourceIndexPage,
    ResourcePage,
    TrainingCoursePage,
    TrainingIndexPage,
)
from learning_hub.submissions import GoodPracticeDraft, good_practice_submit
from portal import services as portal_services
from portal.models import BankHoliday, Theme
from portal.roles import Role
from qpag import services as qpag_services
from qpag.constants import SERVICE_PRACTICE_AREAS, Grade, Service
from qpag.dates import previous_month
from qpag.models import Auditor, CaseExtract, ExtractCase, QpagPack
from qpag.pack import pack_figures
from qpag.sampling import sample_draw_create
from qpag.services_packs import pack_draft
from schools import services as audit_services
from schools import services_casework as casework
from schools import services_plans as plans
from schools.models import (
    AllegationCategory,
    Membership,
    OfstedInspection,
    QuestionnaireKind,
    Setting,
    SettingKind,
    SettingRole,
    TrustMembership,
)
from schools.models.register import OfstedJudgement
from schools.selectors import sections_for_return
from tests.factories import UserFactory
from tests.learning_hub.conftest import add, make_session
from tests.schools import helpers
from tests.schools.conftest import build_questionnaire

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TRUST_X = "Wessex Learning Trust"
TRUST_Y = "Purbeck Schools Trust"

# The columns of the matrix. "trust" is a school user with memberships at A and B (see above).
ANONYMOUS = "anonymous"
SCHOOL_A = "school_a"
SCHOOL_B = "school_b"
AP_USER = "ap_user"
TRUST = "trust"
ADVISER = "adviser"
COMMISSIONING = "commissioning"
QA = "qa_manager"
SENIOR = "senior_manager"
EDITOR = "editor"
ROLES = [ANONYMOUS, SCHOOL_A, SCHOOL_B, AP_USER, TRUST, ADVISER, COMMISSIONING, QA, SENIOR, EDITOR]


def _member(setting, *, email, role=Role.SCHOOL_USER, first_name="Dee", last_name="Lead", also=()):
    user = UserFactory(roles=[role], email=email, first_name=first_name, last_name=last_name)
    for place in (setting, *also):
        Membership.objects.create(user=user, setting=place, role=SettingRole.DSL)
    return user


def _evidence_question(questionnaire):
    """The second question of the first section asks for an upload."""
    section = questionnaire.sections.order_by("sort_order", "pk").first()
    question = section.questions.order_by("sort_order", "pk")[1]
    question.answer_type = "evidence"
    question.save()
    return question


def _add_evidence(audit_return, question, user, name):
    return audit_services.evidence_add(
        audit_return=audit_return, question=question, user=user, uploaded=SimpleUploadedFile(name, PDF)
    )


def _reviewed_return_with_plan(audit_return, question, dsl, adviser, today):
    """Last year's return: answered (one red, one amber), evidence attached, signed off,
    submitted, reviewed with feedback; then the plan from it, shared and agreed, with
    progress evidence on its first action and an extension request on its second."""
    helpers.answer_everything(
        audit_return,
        dsl,
        overrides={
            "1.1": {"compliance": "partly", "follow_up": "Train governors by March"},
            "2.1": {"compliance": "no", "follow_up": "Appoint a deputy DSL"},
        },
    )
    evidence = _add_evidence(audit_return, question, dsl, "policy.pdf")
    helpers.sign_off(audit_return, dsl)
    audit_services.audit_return_submit(audit_return=audit_return, user=dsl)
    audit_services.audit_return_start_review(audit_return=audit_return, user=adviser)
    audit_services.audit_return_send_feedback(audit_return=audit_return, user=adviser, judgement="good", summary="Good")
    plan = plans.plan_create_from_return(audit_return=audit_return, user=adviser)
    plans.plan_share(plan=plan, user=adviser)
    plans.plan_agree(plan=plan, user=dsl, agreed_with="Dee Lead, DSL")
    first, second = plan.actions.order_by("sort_order", "pk")[:2]
    action_evidence = plans.action_add_evidence(
        action=first, user=dsl, uploaded=SimpleUploadedFile("register.pdf", PDF)
    )
    extension = plans.extension_request(
        action=second, user=dsl, new_due_on=second.due_on + datetime.timedelta(days=30), reason="Governors meet later"
    )
    return SimpleNamespace(
        audit_return=audit_return,
        evidence=evidence,
        plan=plan,
        action=first,
        other_action=second,
        action_evidence=action_evidence,
        extension=extension,
        today=today,
    )


def _current_return(audit_return, question, dsl):
    """This year's return: one page answered and an evidence file, still in progress."""
    section = sections_for_return(audit_return)[0]
    answers = {}
    for question_on_page in section.pages[0]:
        answers[question_on_page.pk] = {
            "compliance": "yes" if question_on_page.answer_type == "compliance" else "",
            "text": "Dee Lead" if question_on_page.answer_type in {"short_text", "long_text"} else "",
            "number": None,
            "date": None,
            "follow_up": "",
        }
    audit_services.audit_return_save_answers(
        audit_return=audit_return, user=dsl, section=section, answers=answers, seen_versions={}
    )
    evidence = _add_evidence(audit_return, question, dsl, "this-year.pdf")
    return SimpleNamespace(audit_return=audit_return, section=section, evidence=evidence)


def _casework(setting, adviser, today):
    visit = casework.visit_plan(
        user=adviser,
        setting=setting,
        planned_on=today + datetime.timedelta(days=40),
        purpose="audit_follow_up",
        announced=True,
        today=today,
    )
    inspection = OfstedInspection.objects.create(
        setting=setting,
        inspected_on=today - datetime.timedelta(days=7),
        overall_effectiveness=OfstedJudgement.INADEQUATE,
    )
    meeting = casework.allegations_meeting_record(
        user=adviser,
        setting=setting,
        met_on=today - datetime.timedelta(days=3),
        lado_reference=f"LADO/{setting.urn}",
        category=AllegationCategory.objects.order_by("pk").first(),
        adviser_attended=True,
        learning="Check the staff code of conduct is re-read each term.",
        today=today,
    )
    inspection.refresh_from_db()
    return SimpleNamespace(visit=visit, inspection=inspection, offer=inspection.support_offer, meeting=meeting)


def _complaint(setting, adviser, today):
    received_on = today - datetime.timedelta(days=14)
    complaint = complaint_services.complaint_log(
        user=adviser,
        setting=setting,
        themes=list(Theme.objects.filter(slug="dsl-role")),
        today=today,
        received_on=received_on,
        source=Source.PARENT,
        received_via=ReceivedVia.EMAIL,
        complainant_name="Pat Parent",
        complainant_contact="pat.parent@example.net",
        summary="A parent says a safeguarding concern about their child was not passed to the DSL.",
        severity=Severity.MEDIUM,
        assigned_adviser=adviser,
    )
    complaint_services.complaint_acknowledge(complaint=complaint, user=adviser, on=received_on, today=today)
    complaint_services.complaint_start_investigation(complaint=complaint, user=adviser)
    complaint_services.response_save(
        complaint=complaint,
        user=adviser,
        findings="The concern reached the DSL two days late.",
        outcome="partly_upheld",
        body="Dear Pat Parent, thank you for raising your concern.",
        document=ContentFile(PDF, name="response.pdf"),
    )
    complaint.refresh_from_db()
    return complaint


def _hub(school_user, today):
    home = Site.objects.get(is_default_site=True).root_page
    hub_home = add(home, LearningHubHomePage(title="Learning hub", slug="learning-hub", intro="Training"))
    training = add(hub_home, TrainingIndexPage(title="Training courses", slug="training"))
    resources = add(hub_home, ResourceIndexPage(title="Resources", slug="resources"))
    add(hub_home, GoodPracticeIndexPage(title="Good practice", slug="good-practice"))
    course = add(
        training,
        TrainingCoursePage(
            title="Safer recruitment refresher",
            slug="safer-recruitment-refresher",
            summary="Keep your single central record right.",
            format=TrainingCoursePage.Format.FACE_TO_FACE,
            length="3 hours",
            learning_outcomes="<p>Know the checks KCSIE requires.</p>",
            who_should_attend="Headteachers and governors.",
        ),
    )
    members_resource = add(
        resources,
        ResourcePage(
            title="Model child protection policy",
            slug="model-policy",
            summary="The council's model policy.",
            kind=ResourcePage.Kind.LINK,
            link_url="https://example.org/model-policy",
            kcsie_year="2025",
        ),
    )
    PageViewRestriction.objects.create(page=members_resource, restriction_type=PageViewRestriction.LOGIN)
    submission = good_practice_submit(
        user=school_user,
        draft=GoodPracticeDraft(
            title="Daily safeguarding huddles",
            summary="A ten-minute morning huddle.",
            what_we_did="The DSL team meets each morning.",
            why_it_worked="Concerns are shared the same day.",
            impact_on_children="Referrals are made sooner.",
            setting_kind="school",
            phase="primary",
        ),
    )
    return SimpleNamespace(
        home=hub_home,
        course=course,
        session=make_session(course, days_ahead=30),
        members_resource=members_resource,
        submission=submission,
    )


def _book(session, user):
    return booking_services.booking_create(session, user, user.get_full_name(), user.email, "Their school")


def _qpag(qa_manager, today):
    auditors = {
        "ava": Auditor.objects.create(name="Ava Auditor", service=Service.SOCIAL_CARE, team="North locality team"),
        "ben": Auditor.objects.create(name="Ben Auditor", service=Service.SOCIAL_CARE, team="South locality team"),
        "mo": Auditor.objects.create(
            name="Mo Moderator", service=Service.SOCIAL_CARE, team="Managers", can_audit=False, can_moderate=True
        ),
    }
    extract = CaseExtract.objects.create(
        original_name="mosaic.csv",
        extracted_on=today - datetime.timedelta(days=20),
        uploaded_by=qa_manager,
        sha256="ab" * 32,
    )
    for team in ("North locality team", "South locality team"):
        for n in range(3):
            ExtractCase.objects.create(
                extract=extract,
                case_number=f"{team[0]}-{n:03d}",
                team=team,
                service=Service.SOCIAL_CARE,
                opened_on=datetime.date(2025, 1, 1),
                locality=team.split()[0],
            )
    extract.row_count = 6
    extract.save()
    period = previous_month(today)
    draw = sample_draw_create(
        user=qa_manager,
        extract=extract,
        service=Service.SOCIAL_CARE,
        period_start=period,
        per_team=1,
        notified_on=today - datetime.timedelta(days=14),
        seed=2026,
    )
    audit = qpag_services.casefile_audit_create(
        user=qa_manager,
        case_number="MOS-INAD",
        service=Service.SOCIAL_CARE,
        team="South locality team",
        auditor=auditors["ava"],
        notified_on=today - datetime.timedelta(days=20),
    )
    audit = qpag_services.casefile_audit_record_grades(
        audit=audit,
        user=qa_manager,
        overall_grade=Grade.INADEQUATE,
        area_grades=dict.fromkeys(SERVICE_PRACTICE_AREAS[Service.SOCIAL_CARE], Grade.INADEQUATE),
        audited_on=today - datetime.timedelta(days=10),
        family_feedback_sought=True,
        family_feedback="Mum said the social worker listened.",
    )
    action = qpag_services.casefile_action_add(
        audit=audit, user=qa_manager, description="Update the safety plan", owner="Team manager", due_on=today
    )
    last_month = previous_month(today)
    draft = pack_draft(month=last_month, user=qa_manager, today=today)
    issued = QpagPack.objects.create(
        month=previous_month(last_month),
        status=QpagPack.Status.ISSUED,
        figures=pack_figures(month=previous_month(last_month), today=today),
        issued_at=timezone.now(),
        issued_by=qa_manager,
        narrative={"performance": "Frozen words."},
    )
    issued.pdf.save("stored.pdf", ContentFile(b"%PDF-1.7 placeholder"), save=False)
    issued.xlsx.save("stored.xlsx", ContentFile(b"PK placeholder"), save=False)
    issued.files_status = QpagPack.FilesStatus.READY
    issued.save(update_fields=["pdf", "xlsx", "files_status", "updated_at"])
    return SimpleNamespace(
        auditor=auditors["ava"],
        extract=extract,
        draw=draw,
        audit=audit,
        action=action,
        review=audit.triple_lock_review,
        draft_pack=draft,
        issued_pack=issued,
    )


def _snapshot(adviser, today):
    """A ready quarterly snapshot with its files, without running WeasyPrint."""
    quarter = Quarter(FINANCIAL, 2026, 1)
    report = reports.quarterly_report_request(user=adviser, quarter=quarter)
    report.figures = reports.quarterly_figures(quarter=quarter)
    report.xlsx.save("stored.xlsx", ContentFile(b"PK placeholder"), save=False)
    report.pdf.save("stored.pdf", ContentFile(b"%PDF placeholder"), save=False)
    report.status = QuarterlyReport.Status.READY
    report.save()
    return report


def build_world() -> SimpleNamespace:
    today = timezone.localdate()
    a = Setting.objects.create(
        name="Oakfield Primary School", urn="980001", kind=SettingKind.ACADEMY, phase="primary", trust_name=TRUST_X
    )
    b = Setting.objects.create(
        name="Riverside Academy", urn="980002", kind=SettingKind.ACADEMY, phase="secondary", trust_name=TRUST_X
    )
    c = Setting.objects.create(
        name="Heathland Academy", urn="980003", kind=SettingKind.ACADEMY, phase="secondary", trust_name=TRUST_Y
    )
    p = Setting.objects.create(name="Horizons AP", urn="980004", kind=SettingKind.AP_PROVIDER, on_ap_framework=True)

    staff = {
        ADVISER: UserFactory(roles=[Role.ADVISER], email="adviser@council.example.org"),
        COMMISSIONING: UserFactory(roles=[Role.COMMISSIONING_OFFICER], email="commissioning@council.example.org"),
        QA: UserFactory(roles=[Role.QA_MANAGER], email="qa@council.example.org"),
        SENIOR: UserFactory(roles=[Role.SENIOR_MANAGER], email="senior@council.example.org"),
        EDITOR: UserFactory(roles=[Role.EDITOR], email="editor@council.example.org"),
    }
    users = {
        SCHOOL_A: _member(a, email="dsl@oakfield.example.org"),
        SCHOOL_B: _member(b, email="dsl@riverside.example.org"),
        TRUST: _member(a, email="lead@wessex-trust.example.org", also=[b]),
        AP_USER: _member(p, email="manager@horizons.example.org", role=Role.AP_PROVIDER_USER),
        **staff,
    }
    school_c = _member(c, email="dsl@heathland.example.org")
    adviser, qa = staff[ADVISER], staff[QA]

    with TestCase.captureOnCommitCallbacks(execute=True):
        last_year = build_questionnaire(year="2021/22")
        this_year = build_questionnaire(year="2022/23")
        ap_questionnaire = build_questionnaire(kind=QuestionnaireKind.AP_PROVIDER, year="2022/23")
        last_question = _evidence_question(last_year)
        this_question = _evidence_question(this_year)
        dates = {"opens_on": today - datetime.timedelta(days=30), "due_on": today + datetime.timedelta(days=30)}
        last_cycle = audit_services.cycle_open(
            user=qa, questionnaire=last_year, title="175/157 safeguarding audit 2021/22", **dates
        )
        cycle = audit_services.cycle_open(
            user=qa, questionnaire=this_year, title="175/157 safeguarding audit 2022/23", **dates
        )
        ap_cycle = audit_services.cycle_open(user=qa, questionnaire=ap_questionnaire, title="AP audit", **dates)

        records = {}
        for key, setting, dsl in (("a", a, users[SCHOOL_A]), ("b", b, users[SCHOOL_B]), ("c", c, school_c)):
            reviewed = _reviewed_return_with_plan(
                last_cycle.returns.get(setting=setting), last_question, dsl, adviser, today
            )
            current = _current_return(cycle.returns.get(setting=setting), this_question, dsl)
            records[key] = SimpleNamespace(
                setting=setting,
                dsl=dsl,
                reviewed=reviewed,
                current=current,
                casework=_casework(setting, adviser, today),
                complaint=_complaint(setting, adviser, today),
            )

        review = casework.practice_review_save(
            user=adviser,
            name="Child K",
            reference="CSPR-2026-01",
            published_on=today - datetime.timedelta(days=60),
            settings=[a],
        )
        hub = _hub(users[SCHOOL_A], today)
        for key in ("a", "b", "c"):
            records[key].booking = _book(hub.session, records[key].dsl)
        qpag = _qpag(qa, today)
        snapshot = _snapshot(adviser, today)
        invitation, token = portal_services.invitation_create(
            inviter=adviser,
            email="new.dsl@oakfield.example.org",
            first_name="New",
            last_name="Lead",
            role=Role.SCHOOL_USER,
        )
    # For the admin's trust-membership pages: C's DSL leads trust Y (whose only school is C).
    trust_membership = TrustMembership.objects.create(user=school_c, trust_name=TRUST_Y)
    try:  # failed background jobs (portal.TaskFailure), when the portal keeps them
        task_failure = apps.get_model("portal", "TaskFailure").objects.create(
            task_name="portal.send_email", task_id="matrix-task-1", exception_type="SMTPException", retries=3
        )
    except LookupError:
        task_failure = None
    return SimpleNamespace(
        today=today,
        task_failure_pk=task_failure.pk if task_failure else None,
        a=records["a"],
        b=records["b"],
        c=records["c"],
        ap=SimpleNamespace(setting=p, audit_return=ap_cycle.returns.get(setting=p)),
        cycle=cycle,
        practice_review=review,
        hub=hub,
        qpag=qpag,
        snapshot=snapshot,
        invitation=invitation,
        invitation_token=token,
        trust_membership=trust_membership,
        bank_holiday=BankHoliday.objects.order_by("pk").first(),
        theme=Theme.objects.order_by("pk").first(),
        questionnaire=this_year,
        question=this_question,
        allegation_category=AllegationCategory.objects.order_by("pk").first(),
        users=users,
        school_c=school_c,
    )


# Walking the URL configuration ---------------------------------------------------------------

SIGN_IN = "sign-in"
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405

# The portal's own URLconfs (portal/urls.py and the apps it includes).
FRONT_END_NAMESPACES = ("portal", "two_factor", "schools", "complaints", "learning_hub", "qpag")
# Wagtail's front-end URLs that portal/urls.py mounts (documents, private pages, the page tree).
WAGTAIL_FRONT_END = {
    "wagtaildocs_serve",
    "wagtaildocs_authenticate_with_password",
    "wagtailcore_authenticate_with_password",
    "wagtailcore_login",
    "wagtail_serve",
}
# The admin rule: Wagtail's own home, page explorer, snippets index and the settings page, plus
# every named admin URL in a namespace our apps register (their ModelViewSets and snippet
# viewsets, with their choosers). Wagtail's other admin screens (images, documents, users,
# workflows, reports...) are Wagtail's own and guarded by Wagtail's own permissions.
OUR_APPS = ("portal", "schools", "learning_hub", "complaints", "qpag")
WAGTAIL_ADMIN_CORE = {
    "wagtailadmin_home",
    "wagtailadmin_explore_root",
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailsnippets:index",
    "wagtailsettings:edit",
}


def _admin_in_scope(name: str) -> bool:
    if name in WAGTAIL_ADMIN_CORE:
        return True
    namespace = name.split(":", 1)[0]
    for app in OUR_APPS:
        if namespace.startswith((f"{app}_", f"wagtailsnippets_{app}_", f"wagtailsnippetchoosers_{app}_")):
            return True
    return False


def _walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern), pattern


def named_urls() -> dict[str, tuple[str, list[str]]]:
    """Every in-scope named URL -> (its route, its keyword argument names), first pattern wins."""
    found: dict[str, tuple[str, list[str]]] = {}
    for name, route, pattern in _walk(get_resolver()):
        if name in found:
            continue
        in_scope = (
            name.split(":", 1)[0] in FRONT_END_NAMESPACES
            or name in WAGTAIL_FRONT_END
            or (route.startswith("admin/") and _admin_in_scope(name))
        )
        if in_scope:
            found[name] = (route, list(pattern.pattern.converters))
    return found


def url_kwargs(world, records=None) -> dict[str, dict]:
    """URL name -> the keyword arguments that point it at one setting's records (`records`: the
    world's `a`, `b` or `c`; A unless told), or, for records without a setting, the one record of
    its kind. Worked out once per world and setting."""
    records = records or world.a
    cache = world.__dict__.setdefault("url_kwargs_cache", {})
    if id(records) in cache:
        return cache[id(records)]
    a = records
    current, reviewed = a.current, a.reviewed
    never_signs_in = world.school_c  # a reset token stays valid only until its user signs in
    section = {"pk": current.audit_return.pk, "section_pk": current.section.pk}
    by_name = {
        "portal:password_reset_confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(never_signs_in.pk)),
            "token": default_token_generator.make_token(never_signs_in),
        },
        "portal:invitation_withdraw": {"pk": world.invitation.pk},
        "portal:invitation_accept": {"token": world.invitation_token},
        "schools:cycle_detail": {"pk": world.cycle.pk},
        "schools:cycle_add_settings": {"pk": world.cycle.pk},
        "schools:cycle_close": {"pk": world.cycle.pk},
        "schools:return_task_list": {"pk": current.audit_return.pk},
        "schools:return_section_start": section,
        "schools:return_section_page": {**section, "page_number": 1},
        "schools:return_section_check": section,
        "schools:return_section_assign": section,
        "schools:return_sign_off": {"pk": current.audit_return.pk},
        "schools:return_submit": {"pk": current.audit_return.pk},
        "schools:return_print": {"pk": current.audit_return.pk},
        "schools:return_feedback": {"pk": reviewed.audit_return.pk},
        "schools:return_review": {"pk": reviewed.audit_return.pk},
        "schools:plan_from_return": {"pk": reviewed.audit_return.pk},
        "schools:setting_members": {"pk": a.setting.pk},
        "schools:setting_member_invite": {"pk": a.setting.pk},
        "schools:plan_detail": {"pk": reviewed.plan.pk},
        "schools:action_add": {"plan_pk": reviewed.plan.pk},
        "schools:action_edit": {"plan_pk": reviewed.plan.pk, "pk": reviewed.action.pk},
        "schools:action_detail": {"pk": reviewed.action.pk},
        "schools:action_evidence_download": {"pk": reviewed.action_evidence.pk},
        "schools:evidence_download": {"pk": current.evidence.pk},
        "schools:evidence_delete": {"pk": current.evidence.pk},
        "schools:visit_detail": {"pk": a.casework.visit.pk},
        "schools:visit_record": {"pk": a.casework.visit.pk},
        "schools:visit_cancel": {"pk": a.casework.visit.pk},
        "schools:support_offer_detail": {"pk": a.casework.offer.pk},
        "schools:allegations_detail": {"pk": a.casework.meeting.pk},
        "schools:practice_review_detail": {"pk": world.practice_review.pk},
        "schools:practice_review_edit": {"pk": world.practice_review.pk},
        "schools:practice_review_export": {"pk": world.practice_review.pk},
        "complaints:complaint_action": {"pk": a.complaint.pk, "action": "acknowledge"},
        "complaints:report_download": {"pk": world.snapshot.pk, "fmt": "xlsx"},
        "learning_hub:good_practice_submitted": {"pk": world.hub.submission.pk},
        "qpag:extract_detail": {"pk": world.qpag.extract.pk},
        "qpag:sample_draw": {"pk": world.qpag.extract.pk},
        "qpag:sample_draw_detail": {"pk": world.qpag.draw.pk},
        "qpag:case_file_audit_action_complete": {"pk": world.qpag.audit.pk, "action_pk": world.qpag.action.pk},
        "qpag:pack_detail": {"pk": world.qpag.draft_pack.pk},
        "qpag:pack_narrative": {"pk": world.qpag.draft_pack.pk},
        "qpag:pack_issue": {"pk": world.qpag.draft_pack.pk},
        "qpag:pack_download": {"pk": world.qpag.issued_pack.pk, "fmt": "pdf"},
        "wagtailadmin_explore": {"parent_page_id": world.hub.home.pk},
        "wagtailadmin_explore_results": {"parent_page_id": world.hub.home.pk},
        "wagtailsettings:edit": {"app_name": "complaints", "model_name": "complaintssettings"},
        "wagtaildocs_authenticate_with_password": {"restriction_id": 0},
        "wagtailcore_authenticate_with_password": {
            "page_view_restriction_id": world.hub.members_resource.view_restrictions.get().pk,
            "page_id": world.hub.members_resource.pk,
        },
    }
    # `pk` by the prefix of the URL name, for everything not named above.
    by_prefix = {
        "complaints:complaint_": a.complaint.pk,
        "complaints:report_": world.snapshot.pk,
        "learning_hub:session_": world.hub.session.pk,
        "learning_hub:booking_": a.booking.pk,
        "qpag:case_file_audit_": world.qpag.audit.pk,
        "qpag:triple_lock_review_": world.qpag.audit.pk,
        "qpag:moderation_panel_": world.qpag.audit.pk,
        "wagtailsnippets_portal_theme:": world.theme.pk,
        "wagtailsnippetchoosers_portal_theme:": world.theme.pk,
        "wagtailsnippets_portal_bankholiday:": world.bank_holiday.pk,
        "wagtailsnippetchoosers_portal_bankholiday:": world.bank_holiday.pk,
        "wagtailsnippets_schools_questionnaire:": world.questionnaire.pk,
        "wagtailsnippetchoosers_schools_questionnaire:": world.questionnaire.pk,
        "wagtailsnippets_schools_question:": world.question.pk,
        "wagtailsnippetchoosers_schools_question:": world.question.pk,
        "wagtailsnippets_schools_allegationcategory:": world.allegation_category.pk,
        "wagtailsnippetchoosers_schools_allegationcategory:": world.allegation_category.pk,
        "schools_setting:": a.setting.pk,
        "schools_ofstedinspection:": a.casework.inspection.pk,
        "schools_membership:": a.setting.memberships.order_by("pk").first().pk,
        "schools_trustmembership:": world.trust_membership.pk,
        "learning_hub_session:": world.hub.session.pk,
        "learning_hub_booking:": a.booking.pk,
        "qpag_auditor:": world.qpag.auditor.pk,
        "portal_taskfailure:": world.task_failure_pk,
    }
    result = {}
    for name, (_route, kwarg_names) in named_urls().items():
        if name in by_name:
            result[name] = by_name[name]
        elif kwarg_names == ["pk"]:
            matches = [pk for prefix, pk in by_prefix.items() if name.startswith(prefix)]
            if matches:
                result[name] = {"pk": matches[0]}
        elif not kwarg_names:
            result[name] = {}
    cache[id(records)] = result
    return result


def url_for(name: str, kwargs: dict, world) -> str:
    """The address to request. Wagtail's regex-routed front-end URLs get fixed addresses."""
    if name == "wagtail_serve":
        return world.hub.members_resource.url  # a members-only page; public pages are plain pages
    if name == "wagtaildocs_serve":
        return "/documents/999999/missing.pdf"
    return reverse(name, kwargs=kwargs)


def outcome(response) -> object:
    """A response reduced to what the matrix declares: a redirect's path with every number (an
    id) written N, and a password-reset link's user id written <uidb64>."""
    if response.status_code in (301, 302):
        path = urlsplit(response["Location"]).path
        if path == reverse("portal:sign_in"):
            return SIGN_IN
        path = re.sub(r"^/password-reset/[^/]+/set-password/$", "/password-reset/<uidb64>/set-password/", path)
        return "redirect:" + re.sub(r"/\d+(?=/)", "/N", path)
    return response.status_code


@pytest.fixture(scope="module")
def access_world(django_db_setup, django_db_blocker):
    """The world, built once per test module inside a transaction that is rolled back at the end;
    each test still runs in its own savepoint (pytest-django's `db`), so requests change nothing
    the next test sees."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
