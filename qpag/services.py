"""Every change to a case-file audit goes through one function here (DESIGN.md): each checks
the user's role and the audit's state, writes Wagtail's audit log, and keeps `final_grade`
and the triple-lock review in step with the grades."""

from collections.abc import Mapping
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.log_actions import log

from .access import can_manage_qpag
from .constants import AUDIT_DUE_DAYS, SERVICE_PRACTICE_AREAS, TRIPLE_LOCK_MONTHS, Grade, Service
from .dates import add_months
from .models import Auditor, CaseFileAudit, CaseFileAuditAction, PracticeAreaGrade, TripleLockReview

Status = CaseFileAudit.Status


class InvalidTransition(Exception):
    """The audit is not in a state that allows this change; the message says why, for the user."""


def _require_manager(user) -> None:
    if not can_manage_qpag(user):
        raise PermissionDenied("Only QA managers can change case-file audits.")


def audit_due_on(notified_on: date) -> date:
    return notified_on + timedelta(days=AUDIT_DUE_DAYS)


def review_due_on(graded_on: date) -> date:
    return add_months(graded_on, TRIPLE_LOCK_MONTHS)


def check_people(*, service: str, team: str, auditor: Auditor, moderator: Auditor | None) -> None:
    """The auditor comes from another team than the case's, and never moderates their own audit."""
    errors = {}
    if not auditor.can_audit or not auditor.is_active:
        errors["auditor"] = f"{auditor.name} is not an active auditor"
    elif auditor.team.strip().casefold() == team.strip().casefold():
        errors["auditor"] = f"Choose an auditor from another team than {team}"
    if moderator is not None:
        if moderator.pk == auditor.pk:
            errors["moderator"] = "The moderator must be someone other than the auditor"
        elif not moderator.can_moderate or not moderator.is_active:
            errors["moderator"] = f"{moderator.name} is not an active moderator"
    if errors:
        raise ValidationError(errors)


def _check_areas(service: str, area_grades: Mapping[str, str]) -> dict[str, str]:
    allowed = set(SERVICE_PRACTICE_AREAS[service])
    unknown = set(area_grades) - allowed
    if unknown:
        raise ValidationError(f"Practice areas not graded for {Service(service).label}: {', '.join(sorted(unknown))}")
    grades = {area: grade for area, grade in area_grades.items() if grade}
    for grade in grades.values():
        if grade not in Grade.values:
            raise ValidationError(f"'{grade}' is not a grade on the Ofsted scale")
    return grades


def casefile_audit_create(
    *,
    user,
    case_number: str,
    service: str,
    team: str,
    auditor: Auditor,
    notified_on: date,
    moderator: Auditor | None = None,
    locality: str = "",
    chad_category: str = "",
    draw=None,
) -> CaseFileAudit:
    """Record that an auditor has been notified of a case to audit."""
    _require_manager(user)
    check_people(service=service, team=team, auditor=auditor, moderator=moderator)
    audit = CaseFileAudit(
        case_number=case_number.strip().upper(),
        service=service,
        team=team.strip(),
        locality=locality.strip(),
        chad_category=chad_category if service == Service.CHAD else "",
        draw=draw,
        auditor=auditor,
        moderator=moderator,
        notified_on=notified_on,
        due_on=audit_due_on(notified_on),
        recorded_by=user,
    )
    audit.full_clean(exclude=["draw"])
    audit.save()
    log(audit, "qpag.audit.create", user=user, data={"case_number": audit.case_number, "service": service})
    return audit


def _open_review(audit: CaseFileAudit, graded_on: date, user) -> None:
    review, created = TripleLockReview.objects.get_or_create(
        audit=audit, defaults={"opened_on": graded_on, "due_on": review_due_on(graded_on)}
    )
    if not created and review.status == TripleLockReview.Status.NOT_REQUIRED:
        # Graded inadequate again (a corrected moderation): the month runs from this grading.
        review.status = TripleLockReview.Status.OPEN
        review.opened_on = graded_on
        review.due_on = review_due_on(graded_on)
        review.save(update_fields=["status", "opened_on", "due_on", "updated_at"])
        created = True
    if created:
        log(audit, "qpag.review.open", user=user, data={"due_on": review.due_on.isoformat()})


@transaction.atomic
def casefile_audit_record_grades(
    *,
    audit: CaseFileAudit,
    user,
    overall_grade: str,
    area_grades: Mapping[str, str],
    audited_on: date,
    family_feedback_sought: bool | None,
    family_feedback: str = "",
    worker_self_assessment: str = "",
    findings: str = "",
) -> CaseFileAudit:
    """The auditor's findings: notified -> audited (or a correction while still waiting for
    moderation). An inadequate grade opens the triple-lock review."""
    _require_manager(user)
    audit = CaseFileAudit.objects.select_for_update().get(pk=audit.pk)
    if audit.status not in {Status.NOTIFIED, Status.AUDITED}:
        raise InvalidTransition("This audit has been moderated; its auditor's grades can no longer change.")
    if overall_grade not in Grade.values:
        raise ValidationError({"overall_grade": "Choose the overall grade"})
    if audited_on < audit.notified_on:
        raise ValidationError({"audited_on": "The audit date must be on or after the day the auditor was notified"})
    grades = _check_areas(audit.service, area_grades)
    if not grades:
        raise ValidationError({"area_grades": "Grade at least one practice area"})
    audit.auditor_grade = overall_grade
    audit.final_grade = overall_grade
    audit.audited_on = audited_on
    audit.family_feedback_sought = family_feedback_sought
    audit.family_feedback = family_feedback
    audit.worker_self_assessment = worker_self_assessment
    audit.findings = findings
    audit.status = Status.AUDITED
    audit.save()
    audit.area_grades.exclude(area__in=grades).delete()
    for area, grade in grades.items():
        PracticeAreaGrade.objects.update_or_create(
            audit=audit, area=area, defaults={"auditor_grade": grade, "moderator_grade": "", "final_grade": grade}
        )
    if overall_grade == Grade.INADEQUATE:
        _open_review(audit, audited_on, user)
    else:
        TripleLockReview.objects.filter(audit=audit, status=TripleLockReview.Status.OPEN).update(
            status=TripleLockReview.Status.NOT_REQUIRED
        )
    log(audit, "qpag.audit.grade", user=user, data={"grade": overall_grade})
    return audit


@transaction.atomic
def casefile_audit_moderate(
    *,
    audit: CaseFileAudit,
    user,
    moderator: Auditor,
    moderated_on: date,
    overall_grade: str,
    area_grades: Mapping[str, str] | None = None,
    notes: str = "",
) -> CaseFileAudit:
    """The moderator finalises the audit: audited -> moderated. Both grades are kept; where the
    moderator's differs it is listed for the moderation panel. An inadequate moderated grade opens
    the triple-lock review; moderating an inadequate audit up stands the review down."""
    _require_manager(user)
    audit = CaseFileAudit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != Status.AUDITED:
        raise InvalidTransition("Only an audited case can be moderated.")
    if overall_grade not in Grade.values:
        raise ValidationError({"overall_grade": "Choose the moderated grade"})
    if moderated_on < audit.audited_on:
        raise ValidationError({"moderated_on": "The moderation date must be on or after the audit date"})
    check_people(service=audit.service, team=audit.team, auditor=audit.auditor, moderator=moderator)
    changes = _check_areas(audit.service, area_grades or {})
    audit.moderator = moderator
    audit.moderator_grade = overall_grade
    audit.final_grade = overall_grade
    audit.moderated_on = moderated_on
    audit.moderation_notes = notes
    audit.status = Status.MODERATED
    audit.save()
    for area_grade in audit.area_grades.all():
        area_grade.moderator_grade = changes.get(area_grade.area, area_grade.auditor_grade)
        area_grade.final_grade = area_grade.moderator_grade
        area_grade.save(update_fields=["moderator_grade", "final_grade"])
    for area in set(changes) - set(audit.area_grades.values_list("area", flat=True)):
        PracticeAreaGrade.objects.create(
            audit=audit, area=area, auditor_grade="", moderator_grade=changes[area], final_grade=changes[area]
        )
    if overall_grade == Grade.INADEQUATE:
        _open_review(audit, moderated_on, user)
    else:
        TripleLockReview.objects.filter(audit=audit, status=TripleLockReview.Status.OPEN).update(
            status=TripleLockReview.Status.NOT_REQUIRED
        )
    log(
        audit,
        "qpag.audit.moderate",
        user=user,
        data={"auditor_grade": audit.auditor_grade, "moderator_grade": overall_grade},
    )
    return audit


@transaction.atomic
def casefile_audit_close(*, audit: CaseFileAudit, user, closed_on: date) -> CaseFileAudit:
    """moderated -> closed, once any triple-lock review is finished."""
    _require_manager(user)
    audit = CaseFileAudit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != Status.MODERATED:
        raise InvalidTransition("Only a moderated audit can be closed.")
    if TripleLockReview.objects.filter(audit=audit, status=TripleLockReview.Status.OPEN).exists():
        raise InvalidTransition("Complete the triple-lock review before closing this audit.")
    if closed_on < audit.moderated_on:
        raise ValidationError({"closed_on": "The closing date must be on or after the moderation date"})
    audit.status = Status.CLOSED
    audit.closed_on = closed_on
    audit.save(update_fields=["status", "closed_on", "updated_at"])
    log(audit, "qpag.audit.close", user=user)
    return audit


def grade_differences():
    """Moderated audits whose moderator changed the auditor's grade and the panel has not yet
    discussed: the moderation panel's list (framework 7.4)."""
    from django.db.models import F

    return (
        CaseFileAudit.objects.filter(status__in=[Status.MODERATED, Status.CLOSED], panel_discussed_on__isnull=True)
        .exclude(auditor_grade="")
        .exclude(moderator_grade="")
        .exclude(auditor_grade=F("moderator_grade"))
        .select_related("auditor", "moderator")
        .order_by("moderated_on", "pk")
    )


def casefile_audit_panel_record(*, audit: CaseFileAudit, user, discussed_on: date, learning: str) -> CaseFileAudit:
    _require_manager(user)
    if not audit.grades_differ:
        raise InvalidTransition("Only audits whose moderator changed the grade go to the moderation panel.")
    if audit.panel_discussed_on:
        raise InvalidTransition("The panel has already discussed this audit.")
    if not learning.strip():
        raise ValidationError({"learning": "Enter the panel's learning for the auditor and moderator"})
    audit.panel_discussed_on = discussed_on
    audit.panel_learning = learning.strip()
    audit.save(update_fields=["panel_discussed_on", "panel_learning", "updated_at"])
    log(audit, "qpag.audit.panel", user=user, data={"discussed_on": discussed_on.isoformat()})
    return audit


def casefile_action_add(
    *, audit: CaseFileAudit, user, description: str, owner: str, due_on: date
) -> CaseFileAuditAction:
    _require_manager(user)
    if audit.status == Status.NOTIFIED:
        raise InvalidTransition("Record the auditor's findings before adding actions.")
    if audit.status == Status.CLOSED:
        raise InvalidTransition("This audit is closed; its actions can no longer change.")
    action = CaseFileAuditAction(audit=audit, description=description.strip(), owner=owner.strip(), due_on=due_on)
    action.full_clean()
    action.save()
    log(audit, "qpag.action.add", user=user, data={"action": action.pk, "due_on": due_on.isoformat()})
    return action


def casefile_action_complete(
    *, action: CaseFileAuditAction, user, completed_on: date, note: str = ""
) -> CaseFileAuditAction:
    _require_manager(user)
    if action.status != CaseFileAuditAction.Status.OPEN:
        raise InvalidTransition("This action is not open.")
    action.status = CaseFileAuditAction.Status.COMPLETED
    action.completed_on = completed_on
    action.completion_note = note.strip()
    action.save(update_fields=["status", "completed_on", "completion_note", "updated_at"])
    log(action.audit, "qpag.action.complete", user=user, data={"action": action.pk})
    return action


@transaction.atomic
def triple_lock_review_complete(
    *,
    review: TripleLockReview,
    user,
    completed_on: date,
    actions_progressed: bool,
    findings: str,
    escalated: bool = False,
) -> TripleLockReview:
    _require_manager(user)
    review = TripleLockReview.objects.select_for_update().get(pk=review.pk)
    if review.status != TripleLockReview.Status.OPEN:
        raise InvalidTransition("This review is not open.")
    if completed_on < review.opened_on:
        raise ValidationError({"completed_on": "The review date must be on or after the inadequate grading"})
    if not findings.strip():
        raise ValidationError({"findings": "Enter what the review found"})
    review.status = TripleLockReview.Status.COMPLETED
    review.completed_on = completed_on
    review.completed_by = user
    review.actions_progressed = actions_progressed
    review.findings = findings.strip()
    review.escalated = escalated
    review.save()
    log(
        review.audit,
        "qpag.review.complete",
        user=user,
        data={"escalated": escalated, "on_time": completed_on <= review.due_on},
    )
    return review
