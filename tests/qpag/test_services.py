"""The case-file audit workflow (qpag.services): every transition allowed and refused, the
one-month triple-lock review clock, the moderation panel's list of grade differences, and the
audit log each change writes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.log_actions import registry as log_registry

from portal.roles import Role
from qpag import services
from qpag.constants import SERVICE_PRACTICE_AREAS, Grade, PracticeArea, Service
from qpag.models import Auditor, CaseFileAudit, CaseFileAuditAction, TripleLockReview
from tests.qpag.conftest import D

Status = CaseFileAudit.Status
ReviewStatus = TripleLockReview.Status


def log_actions(audit: CaseFileAudit) -> list[str]:
    return list(log_registry.get_logs_for_instance(audit).order_by("timestamp", "pk").values_list("action", flat=True))


def grades(service: str = Service.SOCIAL_CARE, grade: str = Grade.GOOD) -> dict[str, str]:
    return dict.fromkeys(SERVICE_PRACTICE_AREAS[service], grade)


def record(audit, user, *, grade=Grade.GOOD, audited_on=None, area_grades=None, **kwargs):
    return services.casefile_audit_record_grades(
        audit=audit,
        user=user,
        overall_grade=grade,
        area_grades=area_grades if area_grades is not None else grades(audit.service, grade),
        audited_on=audited_on or audit.notified_on + datetime.timedelta(days=5),
        family_feedback_sought=kwargs.pop("family_feedback_sought", True),
        **kwargs,
    )


def moderate(audit, user, moderator, *, grade=Grade.GOOD, moderated_on=None, **kwargs):
    return services.casefile_audit_moderate(
        audit=audit,
        user=user,
        moderator=moderator,
        moderated_on=moderated_on or audit.audited_on + datetime.timedelta(days=2),
        overall_grade=grade,
        **kwargs,
    )


def complete_review(audit, user, *, on, findings="Actions in place and progressing."):
    return services.triple_lock_review_complete(
        review=audit.triple_lock_review, user=user, completed_on=on, actions_progressed=True, findings=findings
    )


# Recording a notified audit ---------------------------------------------------------------


def test_create_records_a_notified_audit_due_in_two_weeks(qa_manager, auditors):
    audit = services.casefile_audit_create(
        user=qa_manager,
        case_number=" mos-12345 ",
        service=Service.SOCIAL_CARE,
        team="South locality team",
        auditor=auditors["ava"],
        moderator=auditors["mo"],
        notified_on=D("2026-10-05"),
    )
    assert audit.status == Status.NOTIFIED
    assert audit.case_number == "MOS-12345"
    assert audit.due_on == D("2026-10-19")
    assert audit.recorded_by == qa_manager
    assert log_actions(audit) == ["qpag.audit.create"]


@pytest.mark.parametrize("role", [Role.SENIOR_MANAGER, Role.ADVISER, Role.SCHOOL_USER, Role.EDITOR])
def test_only_qa_managers_record_audits(user_for_role, auditors, role):
    with pytest.raises(PermissionDenied):
        services.casefile_audit_create(
            user=user_for_role(role),
            case_number="MOS-1",
            service=Service.SOCIAL_CARE,
            team="South locality team",
            auditor=auditors["ava"],
            notified_on=D("2026-10-05"),
        )
    assert not CaseFileAudit.objects.exists()


def test_the_auditor_must_come_from_another_team(qa_manager, auditors):
    with pytest.raises(ValidationError) as caught:
        services.casefile_audit_create(
            user=qa_manager,
            case_number="MOS-1",
            service=Service.SOCIAL_CARE,
            team=" north LOCALITY team ",
            auditor=auditors["ava"],
            notified_on=D("2026-10-05"),
        )
    assert "another team" in caught.value.message_dict["auditor"][0]
    assert not CaseFileAudit.objects.exists()


def test_the_moderator_cannot_be_the_auditor(qa_manager, auditors):
    auditors["ava"].can_moderate = True
    auditors["ava"].save()
    with pytest.raises(ValidationError) as caught:
        services.casefile_audit_create(
            user=qa_manager,
            case_number="MOS-1",
            service=Service.SOCIAL_CARE,
            team="South locality team",
            auditor=auditors["ava"],
            moderator=auditors["ava"],
            notified_on=D("2026-10-05"),
        )
    assert "moderator" in caught.value.message_dict


def test_inactive_auditors_and_non_moderators_are_refused(qa_manager, auditors):
    Auditor.objects.filter(pk=auditors["ben"].pk).update(is_active=False)
    auditors["ben"].refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.casefile_audit_create(
            user=qa_manager,
            case_number="MOS-1",
            service=Service.SOCIAL_CARE,
            team="North locality team",
            auditor=auditors["ben"],
            moderator=auditors["cal"],
            notified_on=D("2026-10-05"),
        )
    assert "not an active auditor" in caught.value.message_dict["auditor"][0]
    assert "not an active moderator" in caught.value.message_dict["moderator"][0]


def test_a_name_is_not_a_case_number(qa_manager, auditors):
    with pytest.raises(ValidationError) as caught:
        services.casefile_audit_create(
            user=qa_manager,
            case_number="Jane Smith",
            service=Service.SOCIAL_CARE,
            team="South locality team",
            auditor=auditors["ava"],
            notified_on=D("2026-10-05"),
        )
    assert "case_number" in caught.value.message_dict


# The auditor's findings -------------------------------------------------------------------


def test_grading_moves_a_notified_audit_to_audited(qa_manager, make_audit):
    audit = make_audit(notified_on=D("2026-10-01"))
    area_grades = grades(grade=Grade.GOOD) | {PracticeArea.PERMANENCE: "", PracticeArea.PLACEMENTS: ""}
    audit = record(
        audit,
        qa_manager,
        grade=Grade.REQUIRES_IMPROVEMENT,
        area_grades=area_grades,
        audited_on=D("2026-10-08"),
        findings="Plans lack timescales.",
    )
    assert audit.status == Status.AUDITED
    assert audit.auditor_grade == audit.final_grade == Grade.REQUIRES_IMPROVEMENT
    assert audit.audited_on == D("2026-10-08")
    graded = dict(audit.area_grades.values_list("area", "auditor_grade"))
    assert set(graded) == set(SERVICE_PRACTICE_AREAS[Service.SOCIAL_CARE]) - {"permanence", "placements"}
    assert not TripleLockReview.objects.filter(audit=audit).exists()
    assert log_actions(audit) == ["qpag.audit.create", "qpag.audit.grade"]


def test_grades_can_be_corrected_before_moderation(qa_manager, make_audit):
    audit = make_audit(grade=Grade.GOOD)
    area_grades = {PracticeArea.SAFETY_AND_RISK: Grade.OUTSTANDING}
    audit = record(audit, qa_manager, grade=Grade.OUTSTANDING, area_grades=area_grades)
    assert audit.auditor_grade == Grade.OUTSTANDING
    assert dict(audit.area_grades.values_list("area", "final_grade")) == {"safety_and_risk": "outstanding"}


def test_grades_cannot_change_after_moderation(qa_manager, make_audit):
    audit = make_audit(grade=Grade.GOOD, moderated_grade=Grade.GOOD)
    with pytest.raises(services.InvalidTransition):
        record(audit, qa_manager, grade=Grade.INADEQUATE)
    audit.refresh_from_db()
    assert audit.auditor_grade == Grade.GOOD


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"audited_on": D("2026-09-30")}, "audited_on"),
        ({"grade": "excellent"}, "overall_grade"),
        ({"area_grades": {}}, "area_grades"),
        ({"area_grades": {PracticeArea.SAFETY_AND_RISK: ""}}, "area_grades"),
    ],
    ids=["before-notified", "not-a-grade", "no-areas", "all-not-applicable"],
)
def test_bad_findings_are_refused(qa_manager, make_audit, kwargs, field):
    audit = make_audit(notified_on=D("2026-10-01"))
    with pytest.raises(ValidationError) as caught:
        record(audit, qa_manager, **kwargs)
    assert field in caught.value.message_dict
    audit.refresh_from_db()
    assert audit.status == Status.NOTIFIED


def test_practice_areas_of_another_service_are_refused(qa_manager, make_audit):
    audit = make_audit()
    with pytest.raises(ValidationError):
        record(audit, qa_manager, area_grades={PracticeArea.SEND_QS1: Grade.GOOD})


@pytest.mark.parametrize("role", [Role.SENIOR_MANAGER, Role.ADVISER])
def test_only_qa_managers_record_findings(user_for_role, make_audit, role):
    audit = make_audit()
    with pytest.raises(PermissionDenied):
        record(audit, user_for_role(role))


# Moderation -------------------------------------------------------------------------------


def test_moderation_keeps_both_grades(qa_manager, make_audit, auditors):
    audit = make_audit(grade=Grade.GOOD)
    audit = moderate(
        audit,
        qa_manager,
        auditors["mo"],
        grade=Grade.REQUIRES_IMPROVEMENT,
        area_grades={PracticeArea.PLANNING: Grade.REQUIRES_IMPROVEMENT},
        notes="Plans are not SMART.",
    )
    assert audit.status == Status.MODERATED
    assert (audit.auditor_grade, audit.moderator_grade, audit.final_grade) == (
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
        Grade.REQUIRES_IMPROVEMENT,
    )
    assert audit.grades_differ
    planning = audit.area_grades.get(area=PracticeArea.PLANNING)
    assert (planning.auditor_grade, planning.moderator_grade) == (Grade.GOOD, Grade.REQUIRES_IMPROVEMENT)
    safety = audit.area_grades.get(area=PracticeArea.SAFETY_AND_RISK)
    assert safety.moderator_grade == safety.final_grade == Grade.GOOD
    assert log_actions(audit)[-1] == "qpag.audit.moderate"


def test_only_an_audited_case_can_be_moderated(qa_manager, make_audit, auditors):
    audit = make_audit()
    with pytest.raises(services.InvalidTransition):
        services.casefile_audit_moderate(
            audit=audit, user=qa_manager, moderator=auditors["mo"], moderated_on=D("2026-10-20"), overall_grade="good"
        )
    closed = make_audit(grade=Grade.GOOD, moderated_grade=Grade.GOOD, closed_on=D("2026-10-30"))
    with pytest.raises(services.InvalidTransition):
        moderate(closed, qa_manager, auditors["mo"])


def test_moderation_refuses_the_auditor_as_moderator_and_early_dates(qa_manager, make_audit, auditors):
    audit = make_audit(grade=Grade.GOOD, audited_on=D("2026-10-08"))
    with pytest.raises(ValidationError) as caught:
        moderate(audit, qa_manager, audit.auditor)
    assert "moderator" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        moderate(audit, qa_manager, auditors["mo"], moderated_on=D("2026-10-07"))
    assert "moderated_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        moderate(audit, qa_manager, auditors["ben"])
    assert "not an active moderator" in caught.value.message_dict["moderator"][0]
    audit.refresh_from_db()
    assert audit.status == Status.AUDITED


def test_only_qa_managers_moderate(make_audit, auditors, qpag_senior):
    audit = make_audit(grade=Grade.GOOD)
    with pytest.raises(PermissionDenied):
        moderate(audit, qpag_senior, auditors["mo"])


# The one-month triple-lock review clock ---------------------------------------------------


def test_an_inadequate_grading_opens_a_review_due_a_month_later(qa_manager, make_audit):
    audit = make_audit(grade=Grade.INADEQUATE, audited_on=D("2026-10-09"))
    review = audit.triple_lock_review
    assert review.status == ReviewStatus.OPEN
    assert review.opened_on == D("2026-10-09")
    assert review.due_on == D("2026-11-09")
    assert "qpag.review.open" in log_actions(audit)


def test_a_review_opened_on_31_january_is_due_on_28_february(qa_manager, make_audit):
    audit = make_audit(grade=Grade.INADEQUATE, notified_on=D("2027-01-20"), audited_on=D("2027-01-31"))
    assert audit.triple_lock_review.due_on == D("2027-02-28")


def test_moderating_away_from_inadequate_stands_the_review_down(qa_manager, make_audit, auditors):
    audit = make_audit(grade=Grade.INADEQUATE)
    moderate(audit, qa_manager, auditors["mo"], grade=Grade.REQUIRES_IMPROVEMENT)
    review = TripleLockReview.objects.get(audit=audit)
    assert review.status == ReviewStatus.NOT_REQUIRED


def test_moderating_to_inadequate_opens_the_review_from_the_moderation(qa_manager, make_audit, auditors):
    audit = make_audit(grade=Grade.REQUIRES_IMPROVEMENT, audited_on=D("2026-10-08"))
    moderate(audit, qa_manager, auditors["mo"], grade=Grade.INADEQUATE, moderated_on=D("2026-10-12"))
    review = TripleLockReview.objects.get(audit=audit)
    assert (review.status, review.opened_on, review.due_on) == (ReviewStatus.OPEN, D("2026-10-12"), D("2026-11-12"))


def test_regrading_inadequate_reopens_the_review_from_the_new_grading(qa_manager, make_audit):
    audit = make_audit(grade=Grade.INADEQUATE, audited_on=D("2026-10-05"))
    audit = record(audit, qa_manager, grade=Grade.GOOD, audited_on=D("2026-10-06"))
    assert TripleLockReview.objects.get(audit=audit).status == ReviewStatus.NOT_REQUIRED

    audit = record(audit, qa_manager, grade=Grade.INADEQUATE, audited_on=D("2026-10-10"))
    review = TripleLockReview.objects.get(audit=audit)
    assert (review.status, review.opened_on, review.due_on) == (ReviewStatus.OPEN, D("2026-10-10"), D("2026-11-10"))
    assert log_actions(audit).count("qpag.review.open") == 2


def test_an_audit_cannot_close_while_its_review_is_open(qa_manager, make_audit, auditors):
    audit = make_audit(grade=Grade.INADEQUATE, moderated_grade=Grade.INADEQUATE, moderated_on=D("2026-10-12"))
    with pytest.raises(services.InvalidTransition, match="triple-lock review"):
        services.casefile_audit_close(audit=audit, user=qa_manager, closed_on=D("2026-10-20"))

    complete_review(audit, qa_manager, on=D("2026-10-25"))
    audit = services.casefile_audit_close(audit=audit, user=qa_manager, closed_on=D("2026-10-26"))
    assert audit.status == Status.CLOSED
    assert audit.closed_on == D("2026-10-26")
    assert log_actions(audit)[-2:] == ["qpag.review.complete", "qpag.audit.close"]


def test_a_review_completed_within_the_month_is_on_time(qa_manager, make_audit):
    audit = make_audit(grade=Grade.INADEQUATE, audited_on=D("2026-10-08"))
    review = complete_review(audit, qa_manager, on=D("2026-11-08"))
    assert review.status == ReviewStatus.COMPLETED
    assert review.completed_by == qa_manager
    assert review.completed_on <= review.due_on
    entry = log_registry.get_logs_for_instance(audit).get(action="qpag.review.complete")
    assert entry.data["on_time"] is True


def test_a_review_completed_after_the_month_is_late(qa_manager, make_audit):
    audit = make_audit(grade=Grade.INADEQUATE, audited_on=D("2026-10-08"))
    review = services.triple_lock_review_complete(
        review=audit.triple_lock_review,
        user=qa_manager,
        completed_on=D("2026-11-09"),
        actions_progressed=False,
        findings="Actions not progressed; escalated.",
        escalated=True,
    )
    assert review.completed_on > review.due_on
    assert review.escalated
    entry = log_registry.get_logs_for_instance(audit).get(action="qpag.review.complete")
    assert entry.data == {"escalated": True, "on_time": False}


def test_a_review_is_refused_when_not_open_or_with_bad_values(qa_manager, make_audit, qpag_senior):
    audit = make_audit(grade=Grade.INADEQUATE, audited_on=D("2026-10-08"))
    review = audit.triple_lock_review
    with pytest.raises(ValidationError) as caught:
        complete_review(audit, qa_manager, on=D("2026-10-07"))
    assert "completed_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        complete_review(audit, qa_manager, on=D("2026-10-20"), findings="  ")
    assert "findings" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        complete_review(audit, qpag_senior, on=D("2026-10-20"))
    complete_review(audit, qa_manager, on=D("2026-10-20"))
    review.refresh_from_db()
    with pytest.raises(services.InvalidTransition):
        services.triple_lock_review_complete(
            review=review, user=qa_manager, completed_on=D("2026-10-21"), actions_progressed=True, findings="Again"
        )


# Closing ----------------------------------------------------------------------------------


def test_only_a_moderated_audit_closes(qa_manager, make_audit):
    audit = make_audit(grade=Grade.GOOD)
    with pytest.raises(services.InvalidTransition):
        services.casefile_audit_close(audit=audit, user=qa_manager, closed_on=D("2026-11-01"))
    closed = make_audit(grade=Grade.GOOD, moderated_grade=Grade.GOOD, closed_on=D("2026-10-30"))
    with pytest.raises(services.InvalidTransition):
        services.casefile_audit_close(audit=closed, user=qa_manager, closed_on=D("2026-11-01"))


def test_closing_before_the_moderation_date_is_refused(qa_manager, make_audit, qpag_senior):
    audit = make_audit(grade=Grade.GOOD, moderated_grade=Grade.GOOD, moderated_on=D("2026-10-20"))
    with pytest.raises(ValidationError) as caught:
        services.casefile_audit_close(audit=audit, user=qa_manager, closed_on=D("2026-10-19"))
    assert "closed_on" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.casefile_audit_close(audit=audit, user=qpag_senior, closed_on=D("2026-10-21"))
    audit.refresh_from_db()
    assert audit.status == Status.MODERATED


# Actions ----------------------------------------------------------------------------------


def test_actions_are_added_and_completed(qa_manager, make_audit):
    audit = make_audit(grade=Grade.REQUIRES_IMPROVEMENT)
    action = services.casefile_action_add(
        audit=audit, user=qa_manager, description="Update the plan", owner="Team manager", due_on=D("2026-11-30")
    )
    assert action.status == CaseFileAuditAction.Status.OPEN
    action = services.casefile_action_complete(
        action=action, user=qa_manager, completed_on=D("2026-11-20"), note="Plan updated"
    )
    assert (action.status, action.completed_on, action.completion_note) == (
        "completed",
        D("2026-11-20"),
        "Plan updated",
    )
    assert log_actions(audit)[-2:] == ["qpag.action.add", "qpag.action.complete"]
    with pytest.raises(services.InvalidTransition):
        services.casefile_action_complete(action=action, user=qa_manager, completed_on=D("2026-11-21"))


def test_actions_are_refused_before_findings_and_after_closing(qa_manager, make_audit, qpag_senior):
    notified = make_audit()
    closed = make_audit(grade=Grade.GOOD, moderated_grade=Grade.GOOD, closed_on=D("2026-10-30"))
    for audit in (notified, closed):
        with pytest.raises(services.InvalidTransition):
            services.casefile_action_add(
                audit=audit, user=qa_manager, description="x", owner="y", due_on=D("2026-12-01")
            )
    audited = make_audit(grade=Grade.GOOD)
    with pytest.raises(PermissionDenied):
        services.casefile_action_add(
            audit=audited, user=qpag_senior, description="x", owner="y", due_on=D("2026-12-01")
        )
    with pytest.raises(ValidationError):
        services.casefile_action_add(audit=audited, user=qa_manager, description=" ", owner="y", due_on=D("2026-12-01"))
    assert not CaseFileAuditAction.objects.exists()


# Grade differences and the moderation panel -----------------------------------------------


def test_grade_differences_lists_only_undiscussed_moderated_differences(qa_manager, make_audit):
    lowered = make_audit(grade=Grade.GOOD, moderated_grade=Grade.REQUIRES_IMPROVEMENT, moderated_on=D("2026-10-12"))
    raised_and_closed = make_audit(
        grade=Grade.REQUIRES_IMPROVEMENT,
        moderated_grade=Grade.GOOD,
        moderated_on=D("2026-10-11"),
        closed_on=D("2026-10-20"),
    )
    make_audit(grade=Grade.GOOD, moderated_grade=Grade.GOOD)  # agreed
    make_audit(grade=Grade.GOOD)  # not moderated yet
    make_audit()  # not graded
    discussed = make_audit(grade=Grade.GOOD, moderated_grade=Grade.OUTSTANDING)
    services.casefile_audit_panel_record(
        audit=discussed, user=qa_manager, discussed_on=D("2026-10-28"), learning="Evidence of impact was missed."
    )

    assert list(services.grade_differences()) == [raised_and_closed, lowered]

    services.casefile_audit_panel_record(
        audit=lowered, user=qa_manager, discussed_on=D("2026-11-25"), learning="  Check plans are SMART.  "
    )
    assert list(services.grade_differences()) == [raised_and_closed]
    lowered.refresh_from_db()
    assert lowered.panel_learning == "Check plans are SMART."
    assert log_actions(lowered)[-1] == "qpag.audit.panel"


def test_the_panel_refuses_agreed_grades_repeats_and_empty_learning(qa_manager, make_audit, qpag_senior):
    agreed = make_audit(grade=Grade.GOOD, moderated_grade=Grade.GOOD)
    with pytest.raises(services.InvalidTransition):
        services.casefile_audit_panel_record(audit=agreed, user=qa_manager, discussed_on=D("2026-11-25"), learning="x")
    differs = make_audit(grade=Grade.GOOD, moderated_grade=Grade.INADEQUATE)
    with pytest.raises(ValidationError) as caught:
        services.casefile_audit_panel_record(audit=differs, user=qa_manager, discussed_on=D("2026-11-25"), learning=" ")
    assert "learning" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.casefile_audit_panel_record(
            audit=differs, user=qpag_senior, discussed_on=D("2026-11-25"), learning="x"
        )
    services.casefile_audit_panel_record(audit=differs, user=qa_manager, discussed_on=D("2026-11-25"), learning="x")
    with pytest.raises(services.InvalidTransition):
        services.casefile_audit_panel_record(audit=differs, user=qa_manager, discussed_on=D("2026-11-26"), learning="y")


def test_every_step_of_an_audit_is_logged_with_who_did_it(qa_manager, make_audit):
    audit = make_audit(grade=Grade.INADEQUATE, moderated_grade=Grade.GOOD, closed_on=D("2026-10-30"))
    entries = list(log_registry.get_logs_for_instance(audit).order_by("timestamp", "pk"))
    assert [entry.action for entry in entries] == [
        "qpag.audit.create",
        "qpag.review.open",
        "qpag.audit.grade",
        "qpag.audit.moderate",
        "qpag.audit.close",
    ]
    assert {entry.user for entry in entries} == {qa_manager}
    assert entries[3].data == {"auditor_grade": "inadequate", "moderator_grade": "good"}
