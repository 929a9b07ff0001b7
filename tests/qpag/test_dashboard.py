"""The audit dashboard's figures (qpag.dashboard) against numbers worked out by hand on a small
fixture: case-file audits made through the services, settings' returns built with the models."""

import datetime

import pytest

from portal.models import Theme
from portal.roles import Role
from qpag import dashboard
from qpag.constants import SERVICE_PRACTICE_AREAS, Grade, PracticeArea, Service
from qpag.models import CaseFileAuditAction
from qpag.services import casefile_action_add, casefile_action_complete
from qpag.status_rules import Status
from schools.models import (
    Action,
    ActionPlan,
    Answer,
    AuditCycle,
    AuditReturn,
    Question,
    Questionnaire,
    QuestionnaireKind,
    Section,
    Setting,
    SettingKind,
)
from schools.models.questionnaires import AnswerType

D = datetime.date.fromisoformat
TODAY = D("2026-11-26")
OCTOBER = D("2026-10-01")
R = AuditReturn.Status


# --- Builders shared with test_dashboard_views ---------------------------------------------------


def make_setting(name, *, urn, kind=SettingKind.MAINTAINED_SCHOOL, locality=""):
    return Setting.objects.create(name=name, urn=urn, kind=kind, locality=locality)


def build_questionnaire(kind=QuestionnaireKind.SCHOOLS_175_157, year="2025/26"):
    """Three sections: A and B themed, C without a theme. A3 is a text question (never scored)."""
    theme_a = Theme.objects.create(name=f"Dashboard theme A {kind} {year}", sort_order=1)
    theme_b = Theme.objects.create(name=f"Dashboard theme B {kind} {year}", sort_order=2)
    questionnaire = Questionnaire.objects.create(
        kind=kind, academic_year=year, title=f"Audit {year}", status=Questionnaire.Status.PUBLISHED
    )
    questions = {}
    for order, (title, theme, codes) in enumerate(
        (("Section A", theme_a, ("A1", "A2", "A3")), ("Section B", theme_b, ("B1", "B2")), ("Section C", None, ("C1",)))
    ):
        section = Section.objects.create(questionnaire=questionnaire, title=title, theme=theme, sort_order=order)
        for n, code in enumerate(codes):
            questions[code] = Question.objects.create(
                section=section,
                sort_order=n,
                code=code,
                text=f"Question {code}?",
                answer_type=AnswerType.SHORT_TEXT if code == "A3" else AnswerType.COMPLIANCE,
            )
    return questionnaire, questions, theme_a, theme_b


def make_cycle(questionnaire, *, user, title, opens_on, kind=QuestionnaireKind.SCHOOLS_175_157):
    return AuditCycle.objects.create(
        kind=kind,
        questionnaire=questionnaire,
        title=title,
        opens_on=opens_on,
        due_on=opens_on + datetime.timedelta(days=60),
        opened_by=user,
    )


def make_return(cycle, setting, questions, status, answers, judgement=""):
    audit_return = AuditReturn.objects.create(cycle=cycle, setting=setting, status=status, overall_judgement=judgement)
    for code, compliance in answers.items():
        question = questions[code]
        if question.answer_type == AnswerType.COMPLIANCE:
            Answer.objects.create(audit_return=audit_return, question=question, compliance=compliance)
        else:
            Answer.objects.create(audit_return=audit_return, question=question, text=compliance)
    return audit_return


def make_action(plan, *, due_on, status=Action.Status.NOT_STARTED):
    return Action.objects.create(
        plan=plan, description="Do something", original_due_on=D(due_on), due_on=D(due_on), status=status
    )


# --- Fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def settings_(db):
    return {
        "s1": make_setting("North Academy", urn="910001", kind=SettingKind.ACADEMY, locality="North"),
        "s2": make_setting("South Primary", urn="910002", locality="South"),
        "s3": make_setting("South Infants", urn="910003", locality="South"),
        "s4": make_setting("South Juniors", urn="910004", locality="South"),
        "ap": make_setting("South AP", urn="910005", kind=SettingKind.AP_PROVIDER, locality="South"),
    }


@pytest.fixture
def schools_audits(settings_, qa_manager):
    """Two cycles of the 175/157 audit. Worked out by hand (yes 1, partly 0.5, no 0; N/A, blank,
    text and unsubmitted returns not scored):

    2026: theme A yes 3, partly 1 -> 3.5 of 4 = 87.5%; theme B no 1, partly 1 -> 0.5 of 2 = 25%;
          other yes 1, no 1 -> 1 of 2 = 50%.
    2025: theme A yes 1, partly 1, no 2 -> 1.5 of 4 = 37.5%; theme B yes 3, no 1 -> 3 of 4 = 75%;
          other yes 1 -> 100%.
    """
    questionnaire, questions, theme_a, theme_b = build_questionnaire()
    old = make_cycle(questionnaire, user=qa_manager, title="Audit 2025", opens_on=D("2025-09-01"))
    new = make_cycle(questionnaire, user=qa_manager, title="Audit 2026", opens_on=D("2026-09-01"))
    s = settings_
    returns = {
        "new_s1": make_return(
            new,
            s["s1"],
            questions,
            R.SUBMITTED,
            {"A1": "yes", "A2": "partly", "A3": "Some text", "B1": "no", "B2": "not_applicable", "C1": "yes"},
            judgement="requires_improvement",
        ),
        "new_s2": make_return(
            new, s["s2"], questions, R.FEEDBACK_SENT, {"A1": "yes", "A2": "yes", "B1": "partly", "B2": "", "C1": "no"}
        ),
        # Not submitted, or sent back for changes: never counted.
        "new_s3": make_return(new, s["s3"], questions, R.IN_PROGRESS, {"A1": "no", "A2": "no", "B1": "no", "B2": "no"}),
        "new_s4": make_return(new, s["s4"], questions, R.RETURNED, {"A1": "no", "A2": "no", "C1": "no"}),
        "old_s1": make_return(
            old, s["s1"], questions, R.CLOSED, {"A1": "partly", "A2": "no", "B1": "yes", "B2": "yes", "C1": "yes"}
        ),
        "old_s2": make_return(
            old,
            s["s2"],
            questions,
            R.CLOSED,
            {"A1": "yes", "A2": "no", "B1": "no", "B2": "yes"},
            judgement="inadequate",
        ),
    }
    return {"old": old, "new": new, "theme_a": theme_a, "theme_b": theme_b, "returns": returns}


@pytest.fixture
def case_file_audits(make_audit):
    """Social care, October 2026: good; inadequate overall with areas requiring improvement;
    outstanding moderated to requires improvement (areas stay outstanding); one only notified.
    September 2026: requires improvement; good. Early Help (West), October: good. Outside the 12
    months: October 2025."""
    sc = Service.SOCIAL_CARE
    return {
        "a1": make_audit(service=sc, notified_on=D("2026-10-05"), grade=Grade.GOOD),
        "a2": make_audit(
            service=sc,
            notified_on=D("2026-10-06"),
            grade=Grade.INADEQUATE,
            area_grade=Grade.REQUIRES_IMPROVEMENT,
        ),
        "a3": make_audit(
            service=sc,
            notified_on=D("2026-10-07"),
            grade=Grade.OUTSTANDING,
            moderated_grade=Grade.REQUIRES_IMPROVEMENT,
        ),
        "a4": make_audit(service=sc, notified_on=D("2026-10-08")),
        "b1": make_audit(service=sc, notified_on=D("2026-09-10"), grade=Grade.REQUIRES_IMPROVEMENT),
        "b2": make_audit(service=sc, notified_on=D("2026-09-30"), grade=Grade.GOOD),
        "c1": make_audit(
            service=Service.EARLY_HELP,
            team="Early Help West",
            notified_on=D("2026-10-20"),
            grade=Grade.GOOD,
            locality="West",
        ),
        "old": make_audit(service=sc, notified_on=D("2025-10-20"), grade=Grade.INADEQUATE),
    }


def by_key(trends, group):
    return {t.key: t for t in trends if t.group == group}


# --- Case-file trends -----------------------------------------------------------------------------


def test_practice_area_trends_match_hand_computed_figures(case_file_audits):
    trends = dashboard.practice_area_trends(month=OCTOBER)
    social = by_key(trends, Service.SOCIAL_CARE)
    assert list(social) == ["overall", *SERVICE_PRACTICE_AREAS[Service.SOCIAL_CARE]]
    assert [t.group for t in trends][0] == Service.SOCIAL_CARE
    assert {t.group for t in trends} == set(SERVICE_PRACTICE_AREAS)

    overall = social["overall"]
    assert len(overall.points) == 12
    assert overall.points[0].starts_on == D("2025-11-01")
    assert overall.points[0].label == "Nov 2025"
    assert overall.latest.label == "Oct 2026"
    # October: good, inadequate, requires improvement (moderated): 1 of 3.
    assert (overall.latest.measured, overall.latest.good, overall.latest.percent) == (3, 1, 33.3)
    assert (overall.previous.measured, overall.previous.good, overall.previous.percent) == (2, 1, 50.0)
    assert overall.change == -16.7
    assert overall.status == Status.NEEDS_STRENGTHENING
    assert overall.status_label == "Needs strengthening"
    # Nothing graded in the other months; the October 2025 audit is outside the window.
    assert all(p.measured == 0 and p.percent is None for p in overall.points[:10])

    # Areas in October: good, requires improvement, outstanding (kept after moderation): 2 of 3.
    safety = social[PracticeArea.SAFETY_AND_RISK]
    assert (safety.latest.measured, safety.latest.good, safety.latest.percent) == (3, 2, 66.7)
    assert (safety.previous.measured, safety.previous.good, safety.previous.percent) == (2, 1, 50.0)
    assert safety.change == 16.7
    assert safety.status == Status.IMPROVING

    early = by_key(trends, Service.EARLY_HELP)
    assert list(early) == ["overall", *SERVICE_PRACTICE_AREAS[Service.EARLY_HELP]]
    assert early["overall"].latest.percent == 100.0
    assert early["overall"].status == Status.STRONG
    assert early["overall"].change is None

    send = by_key(trends, Service.SEND)
    assert all(t.status == Status.NO_DATA and t.latest.percent is None for t in send.values())


def test_practice_area_trends_filter_by_service_and_locality(case_file_audits):
    only_early = dashboard.practice_area_trends(month=OCTOBER, service=Service.EARLY_HELP)
    assert {t.group for t in only_early} == {Service.EARLY_HELP}
    assert len(only_early) == 1 + len(SERVICE_PRACTICE_AREAS[Service.EARLY_HELP])

    west = dashboard.practice_area_trends(month=OCTOBER, locality="West")
    assert by_key(west, Service.SOCIAL_CARE)["overall"].status == Status.NO_DATA
    assert by_key(west, Service.EARLY_HELP)["overall"].latest.measured == 1

    # A shorter window, and a month whose previous month had nothing graded.
    three = dashboard.practice_area_trends(month=D("2026-09-15"), months=3, service=Service.SOCIAL_CARE)
    overall = by_key(three, Service.SOCIAL_CARE)["overall"]
    assert [p.starts_on for p in overall.points] == [D("2026-07-01"), D("2026-08-01"), D("2026-09-01")]
    assert overall.latest.percent == 50.0
    assert overall.change is None
    assert overall.status == Status.NEEDS_STRENGTHENING

    assert dashboard.practice_area_trends(month=OCTOBER, service=dashboard.SETTINGS_SERVICE) == []


def test_practice_area_trends_take_two_queries(case_file_audits, django_assert_num_queries):
    with django_assert_num_queries(2):
        dashboard.practice_area_trends(month=OCTOBER)


# --- Settings' audit themes -----------------------------------------------------------------------


def test_theme_trends_match_hand_computed_figures(schools_audits):
    trends = dashboard.theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157)
    a, b = schools_audits["theme_a"], schools_audits["theme_b"]
    assert [t.key for t in trends] == [a.slug, b.slug, "other"]
    themed = {t.key: t for t in trends}
    theme_a, theme_b, other = themed[a.slug], themed[b.slug], themed["other"]

    assert theme_a.label == a.name
    assert theme_a.group == QuestionnaireKind.SCHOOLS_175_157
    assert [p.label for p in theme_a.points] == ["Audit 2025", "Audit 2026"]
    assert [p.starts_on for p in theme_a.points] == [D("2025-09-01"), D("2026-09-01")]
    assert [(p.measured, p.good, p.percent) for p in theme_a.points] == [(4, 1.5, 37.5), (4, 3.5, 87.5)]
    assert theme_a.change == 50.0
    assert theme_a.status == Status.STRONG

    assert [(p.measured, p.good, p.percent) for p in theme_b.points] == [(4, 3, 75.0), (2, 0.5, 25.0)]
    assert theme_b.change == -50.0
    assert theme_b.status == Status.NEEDS_STRENGTHENING

    assert other.label == "Other"
    assert [(p.measured, p.good, p.percent) for p in other.points] == [(1, 1, 100.0), (2, 1, 50.0)]


def test_theme_compliance_rule(schools_audits, settings_):
    """Partly counts half; not applicable, blank and text answers are not scored; returns not
    submitted (in progress, returned for changes) are not counted."""
    theme_a = schools_audits["theme_a"]
    before = {t.key: t for t in dashboard.theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157)}[theme_a.slug]
    # Submitting the in-progress return (no, no on theme A) brings it in.
    AuditReturn.objects.filter(pk=schools_audits["returns"]["new_s3"].pk).update(status=R.IN_REVIEW)
    after = {t.key: t for t in dashboard.theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157)}[theme_a.slug]
    assert (before.latest.measured, before.latest.good) == (4, 3.5)
    assert (after.latest.measured, after.latest.good, after.latest.percent) == (6, 3.5, 58.3)
    # Theme B: North Academy's not-applicable and South Primary's blank answer are not scored.
    theme_b = {t.key: t for t in dashboard.theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157)}
    assert theme_b[schools_audits["theme_b"].slug].latest.measured == 2 + 2  # + South Infants' two noes


def test_theme_trends_filters_cycles_and_until(schools_audits):
    a = schools_audits["theme_a"]
    north = {t.key: t for t in dashboard.theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157, locality="North")}
    # Only North Academy: 2025 partly, no -> 0.5 of 2; 2026 yes, partly -> 1.5 of 2.
    assert [p.percent for p in north[a.slug].points] == [25.0, 75.0]
    assert north[a.slug].status == Status.IMPROVING
    academies = {
        t.key: t for t in dashboard.theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157, setting_kind="academy")
    }
    assert [p.percent for p in academies[a.slug].points] == [25.0, 75.0]

    latest_only = dashboard.theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157, cycles=1)
    assert all(len(t.points) == 1 and t.change is None for t in latest_only)
    assert {t.key: t for t in latest_only}[a.slug].latest.label == "Audit 2026"

    before = dashboard.theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157, until=D("2026-08-31"))
    assert [p.label for p in before[0].points] == ["Audit 2025"]

    assert dashboard.theme_trends(kind=QuestionnaireKind.AP_PROVIDER) == []


def test_theme_trends_take_two_queries(schools_audits, django_assert_num_queries):
    with django_assert_num_queries(2):
        dashboard.theme_trends(kind=QuestionnaireKind.SCHOOLS_175_157)


# --- Action oversight -----------------------------------------------------------------------------


@pytest.fixture
def actions(settings_, make_user, qa_manager, make_audit):
    ada = make_user(Role.ADVISER, email="ada@example.org", first_name="Ada", last_name="Adviser")
    cora = make_user(Role.COMMISSIONING_OFFICER, email="cora@example.org", first_name="Cora", last_name="Commissioner")
    s = settings_
    p1 = ActionPlan.objects.create(setting=s["s1"], source=ActionPlan.Source.SCHOOLS_AUDIT, title="P1", lead=ada)
    make_action(p1, due_on="2026-12-01")  # open
    make_action(p1, due_on="2026-11-01", status=Action.Status.IN_PROGRESS)  # overdue
    make_action(p1, due_on="2026-11-20", status=Action.Status.COMPLETED)  # awaiting verification: overdue
    make_action(p1, due_on="2026-10-01", status=Action.Status.VERIFIED)  # completed
    make_action(p1, due_on="2026-10-01", status=Action.Status.CANCELLED)  # left out
    p2 = ActionPlan.objects.create(setting=s["ap"], source=ActionPlan.Source.AP_AUDIT, title="P2", lead=cora)
    make_action(p2, due_on="2027-01-01")
    make_action(p2, due_on="2026-01-01", status=Action.Status.VERIFIED)
    p3 = ActionPlan.objects.create(setting=s["s2"], source=ActionPlan.Source.OFSTED, title="P3", lead=ada)
    make_action(p3, due_on="2026-11-25", status=Action.Status.IN_PROGRESS)  # overdue (yesterday)
    make_action(p3, due_on="2026-11-26")  # due today: open

    social = make_audit(notified_on=D("2026-10-01"), grade=Grade.REQUIRES_IMPROVEMENT)
    casefile_action_add(audit=social, user=qa_manager, description="Visit", owner="Tom Manager", due_on=D("2026-12-10"))
    casefile_action_add(audit=social, user=qa_manager, description="Plan", owner="Tom Manager", due_on=D("2026-11-01"))
    done = casefile_action_add(audit=social, user=qa_manager, description="Chron", owner="Tina", due_on=D("2026-11-01"))
    casefile_action_complete(action=done, user=qa_manager, completed_on=D("2026-10-20"))
    gone = casefile_action_add(audit=social, user=qa_manager, description="X", owner="Tina", due_on=D("2026-11-01"))
    CaseFileAuditAction.objects.filter(pk=gone.pk).update(status=CaseFileAuditAction.Status.CANCELLED)
    early = make_audit(
        service=Service.EARLY_HELP,
        team="Early Help West",
        notified_on=D("2026-10-02"),
        grade=Grade.GOOD,
        locality="West",
    )
    casefile_action_add(audit=early, user=qa_manager, description="Call", owner="Tina", due_on=D("2026-11-01"))
    return {"ada": ada, "cora": cora, "social": social}


def counts(rows):
    return {row.key: (row.open, row.overdue, row.completed) for row in rows}


def test_action_oversight_by_source_service_and_owner(actions, django_assert_num_queries):
    with django_assert_num_queries(2):
        oversight = dashboard.action_oversight(today=TODAY)
    by_source = counts(oversight.by_source)
    assert by_source == {
        "schools_audit": (1, 2, 1),
        "ap_audit": (1, 0, 1),
        "ofsted": (1, 1, 0),
        "complaint": (0, 0, 0),
        "cspr": (0, 0, 0),
        "allegations": (0, 0, 0),
        "other": (0, 0, 0),
        "case_file": (1, 2, 1),
    }
    assert (oversight.totals.open, oversight.totals.overdue, oversight.totals.completed) == (4, 5, 3)
    assert oversight.totals.total_open == 9
    assert counts(oversight.by_service) == {
        Service.SOCIAL_CARE: (1, 1, 1),
        Service.EARLY_HELP: (0, 1, 0),
        Service.SEND: (0, 0, 0),
        Service.CHAD: (0, 0, 0),
        "settings": (2, 3, 1),
        "alternative_provision": (1, 0, 1),
    }
    assert [(row.label, row.open, row.overdue, row.completed) for row in oversight.by_owner] == [
        ("Ada Adviser", 2, 3, 1),
        ("Tom Manager", 1, 1, 0),
        ("Tina", 0, 1, 1),
        ("Cora Commissioner", 1, 0, 1),
    ]


def test_action_oversight_filters(actions):
    north = dashboard.action_oversight(today=TODAY, locality="North")
    assert counts(north.by_source)["schools_audit"] == (1, 2, 1)
    assert counts(north.by_source)["ofsted"] == (0, 0, 0)
    assert counts(north.by_source)["case_file"] == (0, 0, 0)

    west = dashboard.action_oversight(today=TODAY, locality="West")
    assert (west.totals.open, west.totals.overdue, west.totals.completed) == (0, 1, 0)

    ap = dashboard.action_oversight(today=TODAY, setting_kind=SettingKind.AP_PROVIDER)
    assert counts(ap.by_source)["ap_audit"] == (1, 0, 1)
    assert counts(ap.by_source)["schools_audit"] == (0, 0, 0)
    # The kind of setting does not apply to case-file actions.
    assert counts(ap.by_source)["case_file"] == (1, 2, 1)

    early = dashboard.action_oversight(today=TODAY, service=Service.EARLY_HELP)
    assert counts(early.by_source) == {"case_file": (0, 1, 0)}
    assert counts(early.by_service) == {Service.EARLY_HELP: (0, 1, 0)}
    assert [row.label for row in early.by_owner] == ["Tina"]

    schools = dashboard.action_oversight(today=TODAY, service=dashboard.SETTINGS_SERVICE)
    assert "case_file" not in counts(schools.by_source)
    assert counts(schools.by_service) == {"settings": (2, 3, 1), "alternative_provision": (1, 0, 1)}
    assert (schools.totals.open, schools.totals.overdue, schools.totals.completed) == (3, 3, 2)


def test_action_oversight_groups_owners_beyond_the_top_fifteen(make_audit, qa_manager):
    audit = make_audit(notified_on=D("2026-10-01"), grade=Grade.GOOD)
    for n in range(17):
        for _ in range(n + 1):
            casefile_action_add(
                audit=audit, user=qa_manager, description="Act", owner=f"Owner {n:02d}", due_on=D("2026-12-31")
            )
    oversight = dashboard.action_oversight(today=TODAY)
    assert len(oversight.by_owner) == 16
    assert oversight.by_owner[0].label == "Owner 16"
    assert oversight.by_owner[0].open == 17
    assert oversight.by_owner[-1].key == dashboard.EVERYONE_ELSE_KEY
    assert oversight.by_owner[-1].label == "Everyone else (2 more)"
    assert oversight.by_owner[-1].open == 1 + 2  # Owner 00 and Owner 01
    everyone = dashboard.action_oversight(today=TODAY, top_owners=None)
    assert len(everyone.by_owner) == 17


# --- Audits of concern ------------------------------------------------------------------------------


def test_audits_of_concern(case_file_audits, schools_audits, qa_manager, actions, django_assert_max_num_queries):
    a2 = case_file_audits["a2"]
    casefile_action_add(audit=a2, user=qa_manager, description="Late", owner="Tom", due_on=D("2026-11-01"))
    casefile_action_add(audit=a2, user=qa_manager, description="Soon", owner="Tom", due_on=D("2026-12-01"))
    new_s1 = schools_audits["returns"]["new_s1"]
    plan = ActionPlan.objects.create(
        setting=new_s1.setting,
        source=ActionPlan.Source.SCHOOLS_AUDIT,
        source_return=new_s1,
        title="From the return",
        lead=actions["ada"],
    )
    make_action(plan, due_on="2026-11-01")
    make_action(plan, due_on="2026-12-01", status=Action.Status.IN_PROGRESS)
    make_action(plan, due_on="2026-12-01", status=Action.Status.VERIFIED)

    with django_assert_max_num_queries(3):
        concerns = dashboard.audits_of_concern(since=D("2025-11-01"), until=D("2026-10-31"), today=TODAY)
        case_file = concerns["case_file"]
        # Newest first; the good ones and the October 2025 one are left out.
        assert [a.case_number for a in case_file] == [
            case_file_audits["a3"].case_number,
            case_file_audits["a2"].case_number,
            actions["social"].case_number,
            case_file_audits["b1"].case_number,
        ]
        first_a2 = case_file[1]
        assert first_a2.triple_lock_review.status == "open"
        assert (first_a2.open_actions, first_a2.overdue_actions, first_a2.completed_actions) == (1, 1, 0)
        assert len(first_a2.actions.all()) == 2
    # Only the latest cycle: last year's inadequate return is not listed.
    returns = concerns["returns"]
    assert [r.setting.name for r in returns] == ["North Academy"]
    assert (returns[0].open_actions, returns[0].overdue_actions, returns[0].completed_actions) == (1, 1, 1)
    assert returns[0].plan_count == 1

    limited = dashboard.audits_of_concern(since=D("2025-11-01"), until=D("2026-10-31"), limit=1)
    assert len(limited["case_file"]) == 1

    early = dashboard.audits_of_concern(since=D("2025-11-01"), until=D("2026-10-31"), service=Service.EARLY_HELP)
    assert early == {"case_file": [], "returns": []}
    settings_only = dashboard.audits_of_concern(
        since=D("2025-11-01"), until=D("2026-10-31"), service=dashboard.SETTINGS_SERVICE
    )
    assert settings_only["case_file"] == []
    assert len(settings_only["returns"]) == 1
    south = dashboard.audits_of_concern(since=D("2025-11-01"), until=D("2026-10-31"), locality="South")
    assert south["returns"] == []
    assert south["case_file"] == []
    # Before the 2026 cycle opened, the 2025 cycle is the latest.
    last_year = dashboard.audits_of_concern(since=D("2024-11-01"), until=D("2026-08-31"))
    assert [r.setting.name for r in last_year["returns"]] == ["South Primary"]


# --- The page's context and charts ----------------------------------------------------------------


def test_dashboard_context(case_file_audits, schools_audits, actions):
    context = dashboard.dashboard_context(month=OCTOBER, today=TODAY)
    assert [g["key"] for g in context["case_file_groups"]] == list(SERVICE_PRACTICE_AREAS)
    social = context["case_file_groups"][0]
    assert social["latest_label"] == "Oct 2026"
    assert social["rows"][0]["trend"].key == "overall"
    assert 'role="img"' in social["rows"][0]["chart"]
    assert [g["key"] for g in context["theme_groups"]] == [k for k, _ in QuestionnaireKind.choices]
    assert context["theme_groups"][1]["rows"] == []
    assert len(context["concerns"]["case_file"]) == 4
    assert context["concern_since"] == D("2025-11-01")
    assert context["concern_until"] == D("2026-10-31")

    settings_only = dashboard.dashboard_context(
        month=OCTOBER, today=TODAY, service=dashboard.SETTINGS_SERVICE, locality="", setting_kind=""
    )
    assert settings_only["case_file_groups"] == []
    assert settings_only["show_case_file"] is False
    social_only = dashboard.dashboard_context(month=OCTOBER, today=TODAY, service=Service.SOCIAL_CARE)
    assert social_only["theme_groups"] == []
    assert [g["key"] for g in social_only["case_file_groups"]] == [Service.SOCIAL_CARE]


def test_sparkline_is_accessible_and_escapes_labels():
    from qpag.charts import oversight_bar_svg, sparkline_svg

    points = [
        dashboard.Point(label="<b>Sep</b>", starts_on=D("2026-09-01"), measured=2, good=1, percent=50.0),
        dashboard.Point(label="Oct", starts_on=D("2026-10-01"), measured=0, good=0, percent=None),
        dashboard.Point(label="Nov", starts_on=D("2026-11-01"), measured=4, good=3.5, percent=87.5),
    ]
    svg = sparkline_svg(chart_id="x", title="Safety & <risk>", points=points)
    assert 'role="img"' in svg
    assert 'aria-labelledby="x-title x-desc"' in svg
    assert '<title id="x-title">Safety &amp; &lt;risk&gt;</title>' in svg
    assert "&lt;b&gt;Sep&lt;/b&gt;: 50%" in svg
    assert "Oct: no data" in svg
    assert "87.5%" in svg
    assert "<b>" not in svg
    assert "stroke-dasharray" in svg  # the threshold lines

    row = dashboard.OversightRow(key="k", label="<Owner>", open=1, overdue=2, completed=3)
    bars = oversight_bar_svg(chart_id="y", title="Actions", rows=[row])
    assert 'role="img"' in bars
    assert "&lt;Owner&gt;: 2 overdue, 1 open, 3 completed" in bars
    assert "<Owner>" not in bars
