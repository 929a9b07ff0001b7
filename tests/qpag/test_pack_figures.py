"""The QPAG pack's figures checked against numbers worked out by hand on a small fixture: a few
case-file audits in October 2026 (and one in September, one a year before), two complaints, one
small 175/157 cycle, an Ofsted inspection, a practice review; the quarter-end complaints section
only when the month ends a quarter; and a query count that does not grow with the data."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services as complaint_services
from complaints.models import ReceivedVia, Source
from qpag import services
from qpag.constants import PACK_SECTIONS, ChadCategory, Grade, Service
from qpag.models import TripleLockReview
from qpag.pack import pack_figures, pack_sections
from schools.models import (
    Answer,
    AuditCycle,
    AuditReturn,
    OfstedInspection,
    PracticeReview,
    Question,
    QuestionnaireKind,
    Setting,
    SettingKind,
)
from schools.models.register import OfstedJudgement
from tests.schools.conftest import build_questionnaire

from .conftest import D

TODAY = D("2026-11-26")
OCTOBER = D("2026-10-01")


def _complaint(user, setting, received_on, **fields):
    values = {
        "received_on": received_on,
        "source": Source.PARENT,
        "received_via": ReceivedVia.EMAIL,
        "complainant_name": "Pat Parent",
        "summary": "A concern was not passed to the DSL.",
    }
    values.update(fields)
    return complaint_services.complaint_log(user=user, setting=setting, themes=[], today=TODAY, **values)


def make_schools_cycle(qa_manager, settings_):
    """One 175/157 cycle opened in September 2026, due 31 October: one return submitted (1.1 yes,
    2.1 partly), one in progress and one not started."""
    questionnaire = build_questionnaire()
    cycle = AuditCycle.objects.create(
        kind=QuestionnaireKind.SCHOOLS_175_157,
        questionnaire=questionnaire,
        title="175/157 audit 2026/27",
        opens_on=D("2026-09-01"),
        due_on=D("2026-10-31"),
        opened_by=qa_manager,
    )
    statuses = [AuditReturn.Status.SUBMITTED, AuditReturn.Status.IN_PROGRESS, AuditReturn.Status.NOT_STARTED]
    returns = [
        AuditReturn.objects.create(cycle=cycle, setting=setting, status=status)
        for setting, status in zip(settings_, statuses, strict=True)
    ]
    questions = {q.code: q for q in Question.objects.filter(section__questionnaire=questionnaire)}
    Answer.objects.create(audit_return=returns[0], question=questions["1.1"], compliance="yes")
    Answer.objects.create(audit_return=returns[0], question=questions["2.1"], compliance="partly")
    return cycle


@pytest.fixture
def pack_data(make_audit, auditors, qa_manager, adviser):
    """The small fixture. Case numbers say what each audit is for."""
    a = {}
    a["sc1"] = make_audit(case_number="SC-001", grade=Grade.GOOD, moderated_grade=Grade.GOOD)
    a["sc2"] = make_audit(
        case_number="SC-002",
        grade=Grade.REQUIRES_IMPROVEMENT,
        moderated_grade=Grade.INADEQUATE,
        family_feedback_sought=False,
    )  # moderated 11 October: review due 11 November, still open, so overdue on the 26th
    a["sc3"] = make_audit(case_number="SC-003", notified_on=D("2026-10-20"))  # due 3 November: overdue
    a["sc_sept"] = make_audit(case_number="SC-SEP", notified_on=D("2026-09-15"), grade=Grade.OUTSTANDING)
    a["sc_year_ago"] = make_audit(case_number="SC-OLD", notified_on=D("2025-10-06"), grade=Grade.REQUIRES_IMPROVEMENT)
    a["eh1"] = make_audit(case_number="EH-001", service=Service.EARLY_HELP, team="Early Help West", grade=Grade.GOOD)
    a["send1"] = make_audit(
        case_number="SEND-001",
        service=Service.SEND,
        team="SEND casework North",
        grade=Grade.INADEQUATE,
        moderated_grade=Grade.INADEQUATE,
        moderator=auditors["nia"],
    )
    a["chad1"] = make_audit(
        case_number="CHAD-001",
        service=Service.CHAD,
        team="ChAD",
        grade=Grade.GOOD,
        chad_category=ChadCategory.SECTION_47,
    )
    # The SEND review is completed and escalated in October; SC-002's stays open.
    review = TripleLockReview.objects.get(audit=a["send1"])
    services.triple_lock_review_complete(
        review=review,
        user=qa_manager,
        completed_on=D("2026-10-30"),
        actions_progressed=False,
        findings="Plan not progressed.",
        escalated=True,
    )
    # Actions: one completed on time, one late, both in October.
    on_time = services.casefile_action_add(
        audit=a["sc1"], user=qa_manager, description="Update the plan", owner="TM", due_on=D("2026-10-20")
    )
    services.casefile_action_complete(action=on_time, user=qa_manager, completed_on=D("2026-10-15"))
    late = services.casefile_action_add(
        audit=a["sc2"], user=qa_manager, description="Visit the child", owner="TM", due_on=D("2026-10-10")
    )
    services.casefile_action_complete(action=late, user=qa_manager, completed_on=D("2026-10-25"))

    settings_ = [
        Setting.objects.create(name=f"School {n}", urn=f"95000{n}", kind=SettingKind.MAINTAINED_SCHOOL)
        for n in range(3)
    ]
    a["cycle"] = make_schools_cycle(qa_manager, settings_)
    _complaint(adviser, settings_[0], D("2026-10-05"))
    _complaint(adviser, settings_[1], D("2026-10-20"), source=Source.OFSTED, source_reference="OF-1")
    OfstedInspection.objects.create(
        setting=settings_[2], inspected_on=D("2026-10-14"), overall_effectiveness=OfstedJudgement.REQUIRES_IMPROVEMENT
    )
    review = PracticeReview.objects.create(name="Child A", reference="CSPR-1", published_on=D("2026-10-12"))
    review.settings.add(settings_[0])
    a["settings"] = settings_
    return a


def test_figures_are_keyed_by_section_and_json_serialisable(pack_data):
    figures = pack_figures(month=OCTOBER, today=TODAY)
    for key, _title in PACK_SECTIONS:
        assert key in figures
    assert figures["month"] == "2026-10-01"
    assert figures["rules"] and figures["generated_at"]
    assert json.loads(json.dumps(figures)) == figures


def test_social_work_highlights_match_hand_counts(pack_data):
    sw = pack_figures(month=D("2026-10-17"), today=TODAY)["social_work"]
    assert (sw["notified"], sw["audited"], sw["moderated"], sw["outstanding"], sw["overdue"]) == (3, 2, 2, 1, 1)
    assert sw["graded"] == 2
    assert sw["good_or_better_percent"] == 50.0
    assert sw["previous_good_or_better_percent"] == 100.0  # SC-SEP, outstanding
    assert sw["grades"] == {"outstanding": 0, "good": 1, "requires_improvement": 0, "inadequate": 1}
    assert sw["grades_changed"] == 1
    assert sw["grade_changes"] == [
        {
            "case_number": "SC-002",
            "team": "South locality team",
            "auditor_grade": "Requires improvement",
            "moderator_grade": "Inadequate",
        }
    ]
    assert (sw["feedback_sought"], sw["feedback_sought_percent"]) == (1, 50.0)
    assert sw["inadequate"] == [
        {
            "case_number": "SC-002",
            "service": "social_care",
            "team": "South locality team",
            "review_due_on": "2026-11-11",
            "review_status": "Open",
            "review_completed_on": None,
        }
    ]


def test_other_services_and_chad_sample(pack_data):
    figures = pack_figures(month=OCTOBER, today=TODAY)
    assert (figures["early_help"]["notified"], figures["early_help"]["good_or_better_percent"]) == (1, 100.0)
    send = figures["send"]
    assert send["inadequate"][0]["review_status"] == "Completed"
    assert send["inadequate"][0]["review_completed_on"] == "2026-10-30"
    chad = {row["key"]: row for row in figures["chad"]["by_category"]}
    # October 2026 has four Mondays: 2 a week of each kind is 8.
    assert chad[ChadCategory.SECTION_47]["audited"] == 1
    assert chad[ChadCategory.SECTION_47]["expected"] == 8
    assert chad[ChadCategory.CONSULTATION]["audited"] == 0


def test_performance_by_exception(pack_data):
    perf = pack_figures(month=OCTOBER, today=TODAY)["performance"]
    assert perf["audits_overdue_total"] == 1
    assert [r["case_number"] for r in perf["reviews_overdue"]] == ["SC-002"]
    # 5 October + 20 working days = 2 November; 20 October + 20 = 17 November: both past.
    assert perf["complaints_past_response_date"] == 2
    assert perf["returns_overdue"] == 2
    assert perf["returns_cycle"] == "175/157 audit 2026/27"


def test_schools_section(pack_data):
    schools = pack_figures(month=OCTOBER, today=TODAY)["schools"]
    assert schools["cycle"]["returns"] == {"submitted": 1, "in_progress": 0, "not_started": 0, "overdue": 2, "total": 3}
    assert [i["setting"] for i in schools["ofsted"]["inspections"]] == ["School 2"]
    assert schools["ofsted"]["inspections"][0]["judgement"] == "Requires improvement"
    assert schools["ofsted"]["offers_open"] == 1
    assert schools["repeat_allegations"] == []
    assert schools["ap"]["cycle"] is None
    assert schools["ap"]["plans"] == {"open": 0, "overdue": 0}


def test_actions_and_measures_of_impact(pack_data):
    actions = pack_figures(month=OCTOBER, today=TODAY)["actions"]
    assert (actions["completed_in_month"], actions["completed_on_time"]) == (2, 1)
    assert actions["completed_on_time_percent"] == 50.0
    # October: SC-001 good, SC-002 inadequate, EH good, SEND inadequate, ChAD good = 3 of 5.
    assert actions["casefile_good_or_better_percent"] == 60.0
    assert actions["casefile_good_or_better_percent_year_ago"] == 0.0
    # One submitted return: 1.1 yes, 2.1 partly = 1.5 of 2.
    assert actions["compliance_percent"] == 75.0
    assert actions["previous_compliance_percent"] is None


def test_reflective_sample_is_reproducible_and_has_no_names(pack_data):
    first = pack_figures(month=OCTOBER, today=TODAY)["reflective"]["audits"]
    again = pack_figures(month=OCTOBER, today=TODAY)["reflective"]["audits"]
    assert first == again
    # Moderated in October: SC-001 and SC-002 (social care), SEND-001; Early Help's is not moderated.
    assert [a["case_number"] for a in first] == ["SC-001", "SC-002", "SEND-001"]
    assert set(first[0]) == {
        "case_number",
        "service",
        "service_label",
        "team",
        "auditor_grade",
        "moderator_grade",
        "final_grade",
        "findings",
        "family_feedback",
    }


def test_reflective_sample_takes_two_per_service(make_audit):
    for n in range(5):
        make_audit(case_number=f"SC-1{n}", grade=Grade.GOOD, moderated_grade=Grade.GOOD)
    audits = pack_figures(month=OCTOBER, today=TODAY)["reflective"]["audits"]
    assert len(audits) == 2
    assert audits == pack_figures(month=OCTOBER, today=TODAY)["reflective"]["audits"]


def test_feedback_and_partnership(pack_data):
    figures = pack_figures(month=OCTOBER, today=TODAY)
    by_service = {r["service"]: r for r in figures["feedback"]["by_service"]}
    assert (by_service["social_care"]["sought"], by_service["social_care"]["percent"]) == (1, 50.0)
    assert figures["feedback"]["quotes"] == ["Mum said the social worker listened."] * 4
    ppp = figures["ppp_partnership"]
    assert ppp["practice_reviews"] == [
        {"name": "Child A", "reference": "CSPR-1", "published_on": "2026-10-12", "settings": 1}
    ]
    assert ppp["escalated_reviews"] == [
        {"case_number": "SEND-001", "service_label": "SEND (EHCP audits)", "completed_on": "2026-10-30"}
    ]


def test_month_complaints_without_quarter_in_october(pack_data):
    complaints = pack_figures(month=OCTOBER, today=TODAY)["complaints"]
    assert (complaints["received"], complaints["ofsted_received"], complaints["closed"], complaints["responded"]) == (
        2,
        1,
        0,
        0,
    )
    assert complaints["quarter"] is None


def test_quarter_figures_when_the_month_ends_a_quarter(adviser, db):
    setting = Setting.objects.create(name="Quarter School", urn="950100", kind=SettingKind.ACADEMY)
    _complaint(adviser, setting, D("2026-07-06"))
    _complaint(adviser, setting, D("2026-09-15"), source=Source.OFSTED, source_reference="OF-9")
    complaints = pack_figures(month=D("2026-09-01"), today=TODAY)["complaints"]
    quarter = complaints["quarter"]
    assert quarter["label"] == "Q2 2026-27"
    sections = {s["key"]: s for s in quarter["sections"]}
    assert sections["all"]["current"]["received"] == 2
    assert sections["ofsted"]["current"]["received"] == 1
    assert complaints["received"] == 1  # September only
    # The page shows the quarter's tables.
    shown = {s["key"]: s for s in pack_sections(pack_figures(month=D("2026-09-01"), today=TODAY))}
    assert [t["id"] for t in shown["complaints"]["tables"]] == ["complaints-quarter-all", "complaints-quarter-ofsted"]


@pytest.mark.parametrize("month", ["2026-06-01", "2026-12-01", "2027-03-01"])
def test_every_quarter_end_month_has_the_quarter(db, month):
    assert pack_figures(month=D(month), today=D("2027-05-01"))["complaints"]["quarter"] is not None


def test_sections_render_from_figures_alone(pack_data, django_assert_num_queries):
    figures = pack_figures(month=OCTOBER, today=TODAY)
    with django_assert_num_queries(0):
        sections = pack_sections(figures, {"performance": "All on track."})
    assert [s["key"] for s in sections] == [key for key, _title in PACK_SECTIONS]
    assert sections[0]["narrative"] == "All on track."


def _grow(make_audit, qa_manager, n: int, start: int) -> None:
    for i in range(n):
        grade = [Grade.GOOD, Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT][i % 3]
        audit = make_audit(
            case_number=f"GR-{start + i:04d}",
            notified_on=OCTOBER + datetime.timedelta(days=i % 20),
            grade=grade,
            moderated_grade=grade,
        )
        services.casefile_action_add(
            audit=audit, user=qa_manager, description="Act", owner="TM", due_on=D("2026-10-30")
        )
    for i in range(n):
        make_audit(
            case_number=f"GE-{start + i:04d}",
            service=Service.EARLY_HELP,
            team="Early Help East",
            grade=Grade.GOOD,
            chad_category="",
        )


def test_query_count_does_not_grow_with_the_data(pack_data, make_audit, qa_manager):
    _grow(make_audit, qa_manager, 2, 0)
    with CaptureQueriesContext(connection) as small:
        pack_figures(month=OCTOBER, today=TODAY)
    _grow(make_audit, qa_manager, 12, 100)
    with CaptureQueriesContext(connection) as large:
        pack_figures(month=OCTOBER, today=TODAY)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_query_count_is_bounded(pack_data, make_audit, qa_manager, django_assert_max_num_queries):
    _grow(make_audit, qa_manager, 10, 200)
    with django_assert_max_num_queries(60):
        pack_figures(month=OCTOBER, today=TODAY)
