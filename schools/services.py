"""Writes for audit cycles and returns. Each state change goes through one function here:
it checks the user, the role and the state, records a Wagtail log entry and queues
notifications. Views and admin screens call these; they never set a status themselves."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from portal.permissions import user_has_role
from portal.roles import Role
from portal.services import email_queue
from schools.models import (
    Answer,
    AuditCycle,
    AuditReturn,
    EvidenceFile,
    Question,
    Questionnaire,
    QuestionnaireKind,
    ReviewComment,
    Section,
    SectionProgress,
    Setting,
    SettingKind,
)
from schools.models.questionnaires import AnswerType, Compliance
from schools.selectors import members_of, returns_visible_to

Status = AuditReturn.Status

# Who may review returns of each kind.
REVIEWERS = {
    QuestionnaireKind.SCHOOLS_175_157: (Role.ADVISER, Role.QA_MANAGER),
    QuestionnaireKind.AP_PROVIDER: (Role.COMMISSIONING_OFFICER, Role.ADVISER, Role.QA_MANAGER),
}
# Who completes returns of each kind.
COMPLETERS = {
    QuestionnaireKind.SCHOOLS_175_157: Role.SCHOOL_USER,
    QuestionnaireKind.AP_PROVIDER: Role.AP_PROVIDER_USER,
}


class InvalidTransition(Exception):
    """The return is not in a state that allows this change."""


def _require_state(audit_return: AuditReturn, *allowed: str, action: str) -> None:
    if audit_return.status not in allowed:
        raise InvalidTransition(f"You cannot {action} a return that is {audit_return.get_status_display().lower()}.")


def _notify_members(audit_return: AuditReturn, *, subject_template: str, body_template: str, context: dict) -> None:
    recipients = sorted({m.user.email for m in members_of(audit_return.setting)})
    for email in recipients:
        email_queue(
            to=[email],
            subject_template=subject_template,
            body_template=body_template,
            context={"audit_return": audit_return, "setting": audit_return.setting, **context},
        )


# Who may do what -----------------------------------------------------------------


def can_complete(user, audit_return: AuditReturn) -> bool:
    """People at the setting, with the role for this kind of audit, while the return is open to them."""
    return (
        user_has_role(user, COMPLETERS[audit_return.cycle.kind])
        and audit_return.is_editable_by_setting
        and audit_return.cycle.status == AuditCycle.Status.OPEN
        and returns_visible_to(user).filter(pk=audit_return.pk).exists()
    )


def can_review(user, audit_return: AuditReturn) -> bool:
    return bool(user.is_superuser or user_has_role(user, *REVIEWERS[audit_return.cycle.kind]))


def _require_completer(user, audit_return: AuditReturn) -> None:
    if not can_complete(user, audit_return):
        raise PermissionDenied("You cannot change this return.")


def _require_reviewer(user, audit_return: AuditReturn) -> None:
    if not can_review(user, audit_return):
        raise PermissionDenied("You cannot review this return.")


# Cycles ---------------------------------------------------------------------------


def settings_in_scope(kind: str) -> QuerySet[Setting]:
    """Open settings an audit of this kind applies to: AP providers on the framework for the
    AP audit; every open school and college for the 175/157 audit."""
    open_settings = Setting.objects.filter(is_open=True)
    if kind == QuestionnaireKind.AP_PROVIDER:
        return open_settings.filter(kind=SettingKind.AP_PROVIDER, on_ap_framework=True)
    return open_settings.exclude(kind=SettingKind.AP_PROVIDER)


def cycle_open(
    *,
    user,
    questionnaire: Questionnaire,
    title: str,
    opens_on: date,
    due_on: date,
    settings: Iterable[Setting] | None = None,
) -> AuditCycle:
    """Open a cycle: one return per setting in scope, and an email to each setting's members."""
    if not (user.is_superuser or user_has_role(user, Role.QA_MANAGER)):
        raise PermissionDenied("Only a QA manager can open an audit cycle.")
    if questionnaire.status != Questionnaire.Status.PUBLISHED:
        raise ValidationError("Publish the questionnaire before opening a cycle with it.")
    if due_on < opens_on:
        raise ValidationError("The due date must be on or after the opening date.")
    with transaction.atomic():
        cycle = AuditCycle.objects.create(
            kind=questionnaire.kind,
            questionnaire=questionnaire,
            title=title,
            opens_on=opens_on,
            due_on=due_on,
            opened_by=user,
        )
        log(cycle, "schools.cycle.open", user=user, data={"questionnaire": questionnaire.pk})
        cycle_add_settings(
            cycle=cycle, user=user, settings=settings_in_scope(cycle.kind) if settings is None else settings
        )
    return cycle


def cycle_add_settings(*, cycle: AuditCycle, user, settings: Iterable[Setting]) -> list[AuditReturn]:
    """Add settings to an open cycle (e.g. a school that opened after the cycle began).
    Settings already in the cycle are left alone."""
    if not (user.is_superuser or user_has_role(user, Role.QA_MANAGER)):
        raise PermissionDenied("Only a QA manager can change who is in a cycle.")
    if cycle.status != AuditCycle.Status.OPEN:
        raise InvalidTransition("This cycle is closed.")
    wanted = {s.pk: s for s in settings}
    already = set(cycle.returns.filter(setting_id__in=wanted).values_list("setting_id", flat=True))
    new_returns = AuditReturn.objects.bulk_create(
        [AuditReturn(cycle=cycle, setting=setting) for pk, setting in wanted.items() if pk not in already]
    )
    if new_returns:
        new_returns = list(AuditReturn.objects.filter(cycle=cycle, setting_id__in=[r.setting_id for r in new_returns]))
        for audit_return in new_returns:
            audit_return_prefill_from_last_year(audit_return=audit_return)
        from schools.tasks import cycle_invite_settings_task

        ids = [r.pk for r in new_returns]
        transaction.on_commit(lambda: cycle_invite_settings_task.delay(return_ids=ids))
    return new_returns


def cycle_invite_settings(*, return_ids: list[int]) -> int:
    """Email every member of each return's setting that the audit is open. Returns emails queued."""
    sent = 0
    for audit_return in AuditReturn.objects.filter(pk__in=return_ids).select_related("cycle", "setting"):
        recipients = sorted({m.user.email for m in members_of(audit_return.setting)})
        for email in recipients:
            email_queue(
                to=[email],
                subject_template="schools/emails/cycle_opened_subject.txt",
                body_template="schools/emails/cycle_opened.txt",
                context={
                    "audit_return": audit_return,
                    "return_url": reverse("schools:return_task_list", args=[audit_return.pk]),
                },
            )
            sent += 1
    return sent


# Pre-fill from last year -------------------------------------------------------------


def _question_key(question: Question) -> tuple[str, str, str]:
    return (question.code.strip(), " ".join(question.text.split()), question.answer_type)


def audit_return_prefill_from_last_year(*, audit_return: AuditReturn) -> int:
    """Offer last year's answers for every unchanged question (same code, wording and type),
    marked carried forward until the setting confirms them. Returns how many were copied."""
    previous = (
        AuditReturn.objects.filter(
            setting=audit_return.setting,
            cycle__kind=audit_return.cycle.kind,
            cycle__opens_on__lt=audit_return.cycle.opens_on,
            status__in=[Status.SUBMITTED, Status.IN_REVIEW, Status.FEEDBACK_SENT, Status.CLOSED],
        )
        .order_by("-cycle__opens_on")
        .first()
    )
    if previous is None:
        return 0
    old_answers = {
        _question_key(a.question): a
        for a in previous.answers.select_related("question").exclude(question__answer_type=AnswerType.EVIDENCE)
    }
    new_questions = Question.objects.filter(section__questionnaire=audit_return.cycle.questionnaire)
    copies = []
    for question in new_questions:
        old = old_answers.get(_question_key(question))
        if old is None:
            continue
        copies.append(
            Answer(
                audit_return=audit_return,
                question=question,
                compliance=old.compliance,
                text=old.text,
                number=old.number,
                date=old.date,
                follow_up=old.follow_up,
                carried_forward=True,
            )
        )
    Answer.objects.bulk_create(copies)
    return len(copies)


# Completing a return -------------------------------------------------------------------


@dataclass
class Conflict:
    """Someone else saved this answer after the page was opened."""

    question: Question
    theirs: Answer
    yours: dict


@dataclass
class SaveResult:
    saved: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


ANSWER_FIELDS = ("compliance", "text", "number", "date", "follow_up")


def _values(answer: Answer | None) -> dict:
    if answer is None:
        return dict.fromkeys(ANSWER_FIELDS)
    return {name: getattr(answer, name) for name in ANSWER_FIELDS}


def _normalise(values: dict) -> dict:
    return {name: (values.get(name) if values.get(name) not in ("", None) else None) for name in ANSWER_FIELDS}


def audit_return_save_answers(
    *,
    audit_return: AuditReturn,
    user,
    section: Section,
    answers: dict[int, dict],
    seen_versions: dict[int, int],
    force: bool = False,
) -> SaveResult:
    """Save one wizard page of answers.

    `answers` maps question id to the new values; `seen_versions` maps question id to the
    answer version the page was drawn with. If someone else has saved a different value
    since, nothing is saved and the conflicts are returned, so the second editor can see
    both versions and choose. Saving an answer confirms a carried-forward one."""
    _require_completer(user, audit_return)
    with transaction.atomic():
        # Lock the return row: saves to one return are serialised.
        locked = AuditReturn.objects.select_for_update().get(pk=audit_return.pk)
        if not locked.is_editable_by_setting:
            raise InvalidTransition("This return has been submitted and can no longer be changed.")
        current = {
            a.question_id: a
            for a in Answer.objects.select_for_update().filter(audit_return=locked, question_id__in=answers)
        }
        questions = {q.pk: q for q in Question.objects.filter(pk__in=answers, section=section)}
        result = SaveResult()
        if not force:
            for question_id, values in answers.items():
                existing = current.get(question_id)
                seen = seen_versions.get(question_id, 0)
                if existing and existing.version != seen and _normalise(_values(existing)) != _normalise(values):
                    result.conflicts.append(Conflict(question=questions[question_id], theirs=existing, yours=values))
            if result.conflicts:
                return result
        now = timezone.now()
        new_answers, changed = [], []
        for question_id, values in answers.items():
            if question_id not in questions:
                continue  # not on this page: ignore rather than trust the client
            answer = current.get(question_id)
            if answer is None:
                answer = Answer(audit_return=locked, question_id=question_id)
                new_answers.append(answer)
            else:
                changed.append(answer)
            for name in ANSWER_FIELDS:
                value = values.get(name)
                setattr(answer, name, "" if value is None and name in ("compliance", "text", "follow_up") else value)
            answer.carried_forward = False
            answer.version = (answer.version or 0) + 1
            answer.updated_by = user
            answer.updated_at = now
            result.saved += 1
        # One statement each, however many questions the page has (the rows are locked above).
        Answer.objects.bulk_create(new_answers)
        Answer.objects.bulk_update(changed, [*ANSWER_FIELDS, "carried_forward", "version", "updated_by", "updated_at"])
        SectionProgress.objects.update_or_create(
            audit_return=locked,
            section=section,
            defaults={"last_edited_by": user, "last_edited_at": now},
        )
        if locked.status in {Status.NOT_STARTED, Status.RETURNED}:
            previous_status = locked.status
            locked.status = Status.IN_PROGRESS
            locked.save(update_fields=["status", "updated_at"])
            log(locked, "schools.return.start", user=user, data={"from": previous_status})
        audit_return.status = locked.status
    return result


def section_mark_complete(*, audit_return: AuditReturn, section: Section, user) -> SectionProgress:
    _require_completer(user, audit_return)
    progress, _ = SectionProgress.objects.update_or_create(
        audit_return=audit_return, section=section, defaults={"completed_at": timezone.now()}
    )
    return progress


def section_assign(*, audit_return: AuditReturn, section: Section, assignee, user) -> SectionProgress:
    """Ask a colleague at the same setting to complete a section."""
    _require_completer(user, audit_return)
    if assignee is not None and not members_of(audit_return.setting).filter(user=assignee).exists():
        raise ValidationError("You can only assign a section to someone at your setting.")
    progress, _ = SectionProgress.objects.update_or_create(
        audit_return=audit_return, section=section, defaults={"assigned_to": assignee}
    )
    log(audit_return, "schools.return.assign_section", user=user, data={"section": section.pk})
    return progress


def audit_return_sign_off(
    *,
    audit_return: AuditReturn,
    user,
    headteacher_name: str,
    headteacher_on: date | None,
    chair_name: str = "",
    chair_on: date | None = None,
) -> AuditReturn:
    _require_completer(user, audit_return)
    audit_return.headteacher_signoff_name = headteacher_name.strip()
    audit_return.headteacher_signoff_on = headteacher_on
    audit_return.chair_signoff_name = chair_name.strip()
    audit_return.chair_signoff_on = chair_on
    audit_return.save(
        update_fields=[
            "headteacher_signoff_name",
            "headteacher_signoff_on",
            "chair_signoff_name",
            "chair_signoff_on",
            "updated_at",
        ]
    )
    log(audit_return, "schools.return.sign_off", user=user)
    return audit_return


@dataclass(frozen=True)
class Gap:
    message: str
    url: str


class SubmissionIncomplete(Exception):
    def __init__(self, gaps: list[Gap]):
        super().__init__(f"{len(gaps)} things still to do")
        self.gaps = gaps


def audit_return_gaps(audit_return: AuditReturn) -> list[Gap]:
    """Everything that stops submission, each with where to put it right."""
    from schools.selectors import sections_for_return

    answers = {a.question_id: a for a in audit_return.answers.prefetch_related("evidence_files")}
    gaps: list[Gap] = []
    for section in sections_for_return(audit_return):
        for page_number, page in enumerate(section.pages, start=1):
            url = reverse("schools:return_section_page", args=[audit_return.pk, section.pk, page_number])
            for question in page:
                answer = answers.get(question.pk)
                anchor = f"{url}#q{question.pk}"
                if answer is not None and answer.carried_forward:
                    gaps.append(Gap(f"{question.code}: confirm last year's answer or change it", anchor))
                    continue
                if question.required and not _is_answered(question, answer):
                    gaps.append(Gap(f"{question.code}: answer this question", anchor))
                elif (
                    answer is not None
                    and question.follow_up_prompt
                    and answer.compliance in {Compliance.PARTLY, Compliance.NO}
                    and not answer.follow_up.strip()
                ):
                    gaps.append(Gap(f"{question.code}: say what you will do, and by when", anchor))
    sign_off = reverse("schools:return_sign_off", args=[audit_return.pk])
    if not (audit_return.headteacher_signoff_name and audit_return.headteacher_signoff_on):
        who = "provider manager" if audit_return.cycle.kind == QuestionnaireKind.AP_PROVIDER else "headteacher"
        gaps.append(Gap(f"Sign-off: enter the {who}'s name and the date", sign_off))
    if audit_return.cycle.kind == QuestionnaireKind.SCHOOLS_175_157 and not (
        audit_return.chair_signoff_name and audit_return.chair_signoff_on
    ):
        gaps.append(Gap("Sign-off: enter the chair of governors' name and the date", sign_off))
    return gaps


def _is_answered(question: Question, answer: Answer | None) -> bool:
    if answer is None:
        return False
    match question.answer_type:
        case AnswerType.COMPLIANCE:
            return bool(answer.compliance)
        case AnswerType.SHORT_TEXT | AnswerType.LONG_TEXT:
            return bool(answer.text.strip())
        case AnswerType.NUMBER:
            return answer.number is not None
        case AnswerType.DATE:
            return answer.date is not None
        case AnswerType.EVIDENCE:
            return bool(list(answer.evidence_files.all()))
    return False


def audit_return_submit(*, audit_return: AuditReturn, user) -> AuditReturn:
    _require_completer(user, audit_return)
    _require_state(audit_return, Status.IN_PROGRESS, Status.RETURNED, Status.NOT_STARTED, action="submit")
    gaps = audit_return_gaps(audit_return)
    if gaps:
        raise SubmissionIncomplete(gaps)
    with transaction.atomic():
        audit_return.status = Status.SUBMITTED
        audit_return.submitted_at = timezone.now()
        audit_return.submitted_by = user
        audit_return.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        log(audit_return, "schools.return.submit", user=user)
        _notify_members(
            audit_return,
            subject_template="schools/emails/return_submitted_subject.txt",
            body_template="schools/emails/return_submitted.txt",
            context={"submitted_by": user},
        )
    return audit_return


# Review ------------------------------------------------------------------------------


def audit_return_start_review(*, audit_return: AuditReturn, user) -> AuditReturn:
    _require_reviewer(user, audit_return)
    _require_state(audit_return, Status.SUBMITTED, action="start reviewing")
    audit_return.status = Status.IN_REVIEW
    audit_return.reviewer = user
    audit_return.save(update_fields=["status", "reviewer", "updated_at"])
    log(audit_return, "schools.return.start_review", user=user)
    return audit_return


def review_comment_add(
    *, audit_return: AuditReturn, user, text: str, section: Section | None = None, question: Question | None = None
) -> ReviewComment:
    _require_reviewer(user, audit_return)
    _require_state(audit_return, Status.IN_REVIEW, action="comment on")
    if not text.strip():
        raise ValidationError("Enter a comment")
    return ReviewComment.objects.create(
        audit_return=audit_return, author=user, text=text.strip(), section=section, question=question
    )


def audit_return_return_for_changes(*, audit_return: AuditReturn, user, reason: str) -> AuditReturn:
    _require_reviewer(user, audit_return)
    _require_state(audit_return, Status.IN_REVIEW, action="return")
    if not reason.strip():
        raise ValidationError("Say what the setting needs to change")
    with transaction.atomic():
        audit_return.status = Status.RETURNED
        audit_return.returned_reason = reason.strip()
        audit_return.save(update_fields=["status", "returned_reason", "updated_at"])
        log(audit_return, "schools.return.return_for_changes", user=user, data={"reason": reason.strip()})
        _notify_members(
            audit_return,
            subject_template="schools/emails/return_returned_subject.txt",
            body_template="schools/emails/return_returned.txt",
            context={"reason": reason.strip()},
        )
    return audit_return


def audit_return_send_feedback(*, audit_return: AuditReturn, user, judgement: str, summary: str) -> AuditReturn:
    _require_reviewer(user, audit_return)
    _require_state(audit_return, Status.IN_REVIEW, action="send feedback on")
    if judgement not in AuditReturn.Judgement.values:
        raise ValidationError("Select an overall judgement")
    if not summary.strip():
        raise ValidationError("Write a summary of your feedback")
    with transaction.atomic():
        audit_return.status = Status.FEEDBACK_SENT
        audit_return.overall_judgement = judgement
        audit_return.feedback_summary = summary.strip()
        audit_return.feedback_sent_at = timezone.now()
        audit_return.save(
            update_fields=["status", "overall_judgement", "feedback_summary", "feedback_sent_at", "updated_at"]
        )
        log(audit_return, "schools.return.send_feedback", user=user, data={"judgement": judgement})
        _notify_members(
            audit_return,
            subject_template="schools/emails/feedback_sent_subject.txt",
            body_template="schools/emails/feedback_sent.txt",
            context={"feedback_url": reverse("schools:return_feedback", args=[audit_return.pk])},
        )
    return audit_return


def audit_return_close(*, audit_return: AuditReturn, user) -> AuditReturn:
    """Close a return whose feedback has been sent (the action-plan work closes it
    automatically once its plan completes)."""
    _require_reviewer(user, audit_return)
    _require_state(audit_return, Status.FEEDBACK_SENT, action="close")
    audit_return.status = Status.CLOSED
    audit_return.closed_at = timezone.now()
    audit_return.save(update_fields=["status", "closed_at", "updated_at"])
    log(audit_return, "schools.return.close", user=user)
    return audit_return


# Evidence ------------------------------------------------------------------------------


def evidence_add(*, audit_return: AuditReturn, question: Question, uploaded, user) -> EvidenceFile:
    """Check an upload by its content, store it privately, and attach it to the answer."""
    from schools.evidence import evidence_check, evidence_scanner

    _require_completer(user, audit_return)
    if question.section.questionnaire_id != audit_return.cycle.questionnaire_id:
        raise PermissionDenied("That question is not part of this return.")
    checked = evidence_check(uploaded)
    scan_status = EvidenceFile.ScanStatus.NOT_SCANNED
    scanner = evidence_scanner()
    if scanner is not None:
        scan_status = scanner(uploaded)
        if scan_status == EvidenceFile.ScanStatus.INFECTED:
            raise ValidationError("The selected file contains a virus and has not been saved")
    with transaction.atomic():
        answer, _ = Answer.objects.get_or_create(audit_return=audit_return, question=question)
        evidence = EvidenceFile(
            answer=answer,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=user,
            scan_status=scan_status,
        )
        evidence.file.save(checked.name, uploaded, save=False)
        evidence.save()
        answer.carried_forward = False
        answer.version += 1
        answer.updated_by = user
        answer.save(update_fields=["carried_forward", "version", "updated_by", "updated_at"])
        log(audit_return, "schools.return.add_evidence", user=user, data={"question": question.pk})
    return evidence


def evidence_remove(*, evidence: EvidenceFile, user) -> None:
    audit_return = evidence.answer.audit_return
    _require_completer(user, audit_return)
    with transaction.atomic():
        evidence.delete()
        transaction.on_commit(lambda: evidence.file.delete(save=False))
        log(audit_return, "schools.return.remove_evidence", user=user, data={"name": evidence.original_name})


def cycle_close(*, cycle: AuditCycle, user) -> AuditCycle:
    """Close a cycle: returns not yet submitted can no longer be changed."""
    if not (user.is_superuser or user_has_role(user, Role.QA_MANAGER)):
        raise PermissionDenied("Only a QA manager can close an audit cycle.")
    if cycle.status != AuditCycle.Status.OPEN:
        raise InvalidTransition("This cycle is already closed.")
    cycle.status = AuditCycle.Status.CLOSED
    cycle.save(update_fields=["status", "updated_at"])
    log(cycle, "schools.cycle.close", user=user)
    return cycle
