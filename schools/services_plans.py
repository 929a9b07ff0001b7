"""Writes for action plans and actions. One function per change: it checks who is asking,
the role and the state, logs to Wagtail's audit log, and queues email."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from portal.permissions import user_has_role
from portal.roles import Role
from portal.services import email_queue
from schools.models import (
    Action,
    ActionEvidence,
    ActionNote,
    ActionPlan,
    AuditReturn,
    ExtensionRequest,
    QuestionnaireKind,
)
from schools.models.questionnaires import AnswerType, Compliance
from schools.selectors import members_of, sections_for_return
from schools.signals import action_plan_completed

PlanStatus = ActionPlan.Status
ActionStatus = Action.Status
DEFAULT_ACTION_WEEKS = 12


class InvalidTransition(Exception):
    pass


# Who may do what -----------------------------------------------------------------


def can_manage_plan(user, plan: ActionPlan) -> bool:
    """Advisers and QA managers manage school plans; commissioning officers (and QA) AP plans."""
    if user.is_superuser:
        return True
    if plan.setting.is_ap_provider:
        return user_has_role(user, Role.COMMISSIONING_OFFICER, Role.QA_MANAGER)
    return user_has_role(user, Role.ADVISER, Role.QA_MANAGER)


def is_plan_member(user, plan: ActionPlan) -> bool:
    wanted = Role.AP_PROVIDER_USER if plan.setting.is_ap_provider else Role.SCHOOL_USER
    return user_has_role(user, wanted) and members_of(plan.setting).filter(user=user).exists()


def _require_manager(user, plan: ActionPlan) -> None:
    if not can_manage_plan(user, plan):
        raise PermissionDenied("You cannot manage this action plan.")


def _require_member(user, plan: ActionPlan) -> None:
    if not is_plan_member(user, plan):
        raise PermissionDenied("Only people at this setting can do that.")


def _notify_setting(plan: ActionPlan, *, subject: str, body_template: str, context: dict) -> None:
    for email in sorted({m.user.email for m in members_of(plan.setting)}):
        email_queue(
            to=[email],
            subject_template="schools/emails/plan_subject.txt",
            body_template=body_template,
            context={
                "plan": plan,
                "subject": subject,
                "plan_url": reverse("schools:plan_detail", args=[plan.pk]),
                **context,
            },
        )


def _notify_lead(plan: ActionPlan, *, subject: str, body_template: str, context: dict) -> None:
    email_queue(
        to=[plan.lead.email],
        subject_template="schools/emails/plan_subject.txt",
        body_template=body_template,
        context={
            "plan": plan,
            "subject": subject,
            "plan_url": reverse("schools:plan_detail", args=[plan.pk]),
            **context,
        },
    )


# Plans -------------------------------------------------------------------------------


def plan_create(
    *, user, setting, source: str, title: str, source_return=None, source_inspection=None, source_reference=""
) -> ActionPlan:
    plan = ActionPlan(
        setting=setting,
        source=source,
        title=title.strip(),
        lead=user,
        source_return=source_return,
        source_inspection=source_inspection,
        source_reference=source_reference,
    )
    _require_manager(user, plan)
    if not plan.title:
        raise ValidationError("Enter a title for the plan")
    plan.save()
    log(plan, "schools.plan.create", user=user, data={"source": source})
    return plan


def plan_create_from_return(*, audit_return: AuditReturn, user, today: date | None = None) -> ActionPlan:
    """A draft plan with one proposed action per red or amber answer, worded from the
    setting's own follow-up, for the adviser to edit before sharing."""
    today = today or timezone.localdate()
    if audit_return.status not in {AuditReturn.Status.FEEDBACK_SENT, AuditReturn.Status.IN_REVIEW}:
        raise InvalidTransition("Create the plan once the return has been reviewed.")
    existing = audit_return.action_plans.exclude(status=PlanStatus.CLOSED).first()
    if existing is not None:
        return existing
    source = (
        ActionPlan.Source.AP_AUDIT
        if audit_return.cycle.kind == QuestionnaireKind.AP_PROVIDER
        else ActionPlan.Source.SCHOOLS_AUDIT
    )
    with transaction.atomic():
        plan = plan_create(
            user=user,
            setting=audit_return.setting,
            source=source,
            title=f"Action plan from the {audit_return.cycle.title}",
            source_return=audit_return,
        )
        answers = {a.question_id: a for a in audit_return.answers.all()}
        actions = []
        order = 0
        for section in sections_for_return(audit_return):
            for question in section.applicable:
                answer = answers.get(question.pk)
                if question.answer_type != AnswerType.COMPLIANCE or answer is None:
                    continue
                if answer.compliance not in {Compliance.PARTLY, Compliance.NO}:
                    continue
                wording = answer.follow_up.strip() or f"Put right: {question.text}"
                due = today + timedelta(weeks=DEFAULT_ACTION_WEEKS if answer.compliance == Compliance.PARTLY else 6)
                actions.append(
                    Action(
                        plan=plan,
                        description=f"{question.code} {wording}",
                        theme=section.theme,
                        original_due_on=due,
                        due_on=due,
                        source_question=question,
                        sort_order=order,
                    )
                )
                order += 1
        Action.objects.bulk_create(actions)
    return plan


def action_save(
    *,
    plan: ActionPlan,
    user,
    description: str,
    due_on: date,
    theme=None,
    owner_name: str = "",
    owner_role: str = "",
    action: Action | None = None,
    today: date | None = None,
) -> Action:
    """Add or edit an action (the adviser, while the plan is open)."""
    _require_manager(user, plan)
    today = today or timezone.localdate()
    if plan.status in {PlanStatus.COMPLETE, PlanStatus.CLOSED}:
        raise InvalidTransition("This plan is complete; it can no longer change.")
    if due_on < today and (action is None or due_on != action.due_on):
        raise ValidationError("The due date must be today or in the future")
    if action is None:
        action = Action(plan=plan, original_due_on=due_on, sort_order=plan.actions.count())
    elif action.plan_id != plan.pk:
        raise PermissionDenied
    action.description = description.strip()
    action.due_on = due_on
    if plan.status == PlanStatus.DRAFT:
        action.original_due_on = due_on  # not yet agreed: the first agreed date is the original
    action.theme = theme
    action.owner_name = owner_name.strip()
    action.owner_role = owner_role.strip()
    action.save()
    log(plan, "schools.plan.edit_action", user=user, data={"action": action.pk})
    return action


def plan_share(*, plan: ActionPlan, user) -> ActionPlan:
    _require_manager(user, plan)
    if plan.status != PlanStatus.DRAFT:
        raise InvalidTransition("Only a draft plan can be shared for agreement.")
    if not plan.actions.exists():
        raise ValidationError("Add at least one action before sharing the plan")
    with transaction.atomic():
        plan.shared_at = timezone.now()
        plan.save(update_fields=["shared_at", "updated_at"])
        log(plan, "schools.plan.share", user=user)
        _notify_setting(
            plan,
            subject="An action plan is ready for you to agree",
            body_template="schools/emails/plan_shared.txt",
            context={},
        )
    return plan


def plan_agree(*, plan: ActionPlan, user, agreed_with: str) -> ActionPlan:
    _require_member(user, plan)
    if not plan.is_awaiting_agreement:
        raise InvalidTransition("This plan is not waiting for agreement.")
    if not agreed_with.strip():
        raise ValidationError("Enter the name of the person agreeing the plan")
    with transaction.atomic():
        plan.status = PlanStatus.AGREED
        plan.agreed_on = timezone.localdate()
        plan.agreed_with = agreed_with.strip()
        plan.agreed_by = user
        plan.save(update_fields=["status", "agreed_on", "agreed_with", "agreed_by", "updated_at"])
        # The dates agreed now are the originals that any extension is measured against.
        plan.actions.update(original_due_on=F("due_on"))
        log(plan, "schools.plan.agree", user=user)
        _notify_lead(plan, subject="Action plan agreed", body_template="schools/emails/plan_agreed.txt", context={})
    return plan


def _lock(plan: ActionPlan, *rows) -> None:
    """Take the plan's row lock and re-read the plan and `rows` (its actions, requests) under it.

    Every change to an action's state holds this lock, so two people changing one action at
    once (an adviser verifying while another sends it back, two deciding one extension) are
    serialised: the second re-reads the first's committed change and its state check refuses,
    instead of both succeeding on a stale copy. It also lets `_complete_plan_if_done` see
    every action's committed status when two advisers verify a plan's last two actions at once.
    Call it first inside the transaction; the plan is always locked before its actions."""
    _reread(plan, ActionPlan.objects.select_for_update(of=("self",)))
    for row in rows:
        _reread(row)


def _reread(row, queryset=None) -> None:
    """refresh_from_db, keeping the related objects the caller reached it through (an action's
    plan): refreshing those too would detach them from the caller's own copies."""
    kept = {f.name for f in row._meta.concrete_fields if f.is_relation and f.is_cached(row)}
    row.refresh_from_db(
        from_queryset=queryset, fields=[f.name for f in row._meta.concrete_fields if f.name not in kept]
    )


def _open_for_work(plan: ActionPlan) -> None:
    if plan.status not in {PlanStatus.AGREED, PlanStatus.IN_PROGRESS}:
        raise InvalidTransition("Work on actions starts once the plan is agreed.")


def action_record_progress(*, action: Action, user, note: str, completed: bool = False) -> Action:
    """The setting says what it has done; optionally that the action is complete."""
    plan = action.plan
    _require_member(user, plan)
    if not note.strip():
        raise ValidationError("Describe the progress made")
    with transaction.atomic():
        _lock(plan, action)
        _open_for_work(plan)
        if action.status not in {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS}:
            raise InvalidTransition("This action is not open for progress updates.")
        ActionNote.objects.create(action=action, author=user, from_setting=True, text=note.strip())
        action.status = ActionStatus.COMPLETED if completed else ActionStatus.IN_PROGRESS
        action.completed_at = timezone.now() if completed else None
        action.save(update_fields=["status", "completed_at", "updated_at"])
        if plan.status == PlanStatus.AGREED:
            plan.status = PlanStatus.IN_PROGRESS
            plan.save(update_fields=["status", "updated_at"])
        log(plan, "schools.action.progress", user=user, data={"action": action.pk, "completed": completed})
        if completed:
            _notify_lead(
                plan,
                subject="An action is ready to verify",
                body_template="schools/emails/action_completed.txt",
                context={"action": action},
            )
    return action


def action_add_note(*, action: Action, user, text: str) -> ActionNote:
    plan = action.plan
    from_setting = is_plan_member(user, plan)
    if not (from_setting or can_manage_plan(user, plan)):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError("Enter a note")
    return ActionNote.objects.create(action=action, author=user, from_setting=from_setting, text=text.strip())


def action_add_evidence(*, action: Action, user, uploaded) -> ActionEvidence:
    from schools.evidence import evidence_check, evidence_scanner

    plan = action.plan
    _require_member(user, plan)
    _open_for_work(plan)
    checked = evidence_check(uploaded)
    scanner = evidence_scanner()
    if scanner is not None and scanner(uploaded) == "infected":
        raise ValidationError("The selected file contains a virus and has not been saved")
    evidence = ActionEvidence(
        action=action,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    evidence.file.save(checked.name, uploaded, save=False)
    evidence.save()
    log(plan, "schools.action.add_evidence", user=user, data={"action": action.pk})
    return evidence


def action_verify(*, action: Action, user) -> Action:
    plan = action.plan
    _require_manager(user, plan)
    with transaction.atomic():
        _lock(plan, action)
        if action.status != ActionStatus.COMPLETED:
            raise InvalidTransition("Only an action the setting has completed can be verified.")
        action.status = ActionStatus.VERIFIED
        action.verified_at = timezone.now()
        action.verified_by = user
        action.save(update_fields=["status", "verified_at", "verified_by", "updated_at"])
        log(plan, "schools.action.verify", user=user, data={"action": action.pk})
        _complete_plan_if_done(plan, user)
    return action


def action_send_back(*, action: Action, user, reason: str) -> Action:
    plan = action.plan
    _require_manager(user, plan)
    if not reason.strip():
        raise ValidationError("Say why the action is not yet complete")
    with transaction.atomic():
        _lock(plan, action)
        if action.status != ActionStatus.COMPLETED:
            raise InvalidTransition("Only a completed action can be sent back.")
        ActionNote.objects.create(action=action, author=user, text=f"Sent back: {reason.strip()}")
        action.status = ActionStatus.IN_PROGRESS
        action.completed_at = None
        action.save(update_fields=["status", "completed_at", "updated_at"])
        log(plan, "schools.action.send_back", user=user, data={"action": action.pk})
        _notify_setting(
            plan,
            subject="An action needs more work",
            body_template="schools/emails/action_sent_back.txt",
            context={"action": action, "reason": reason.strip()},
        )
    return action


def action_cancel(*, action: Action, user, reason: str) -> Action:
    plan = action.plan
    _require_manager(user, plan)
    if not reason.strip():
        raise ValidationError("Say why the action is cancelled")
    with transaction.atomic():
        _lock(plan, action)
        if not action.is_open:
            raise InvalidTransition("This action is already finished.")
        action.status = ActionStatus.CANCELLED
        action.cancelled_reason = reason.strip()
        action.save(update_fields=["status", "cancelled_reason", "updated_at"])
        log(plan, "schools.action.cancel", user=user, data={"action": action.pk})
        _complete_plan_if_done(plan, user)
    return action


def _complete_plan_if_done(plan: ActionPlan, user) -> None:
    """Every action verified or cancelled: the plan is complete, and an audit return it
    came from closes."""
    if plan.status not in {PlanStatus.AGREED, PlanStatus.IN_PROGRESS}:
        return
    statuses = set(plan.actions.values_list("status", flat=True))
    if not statuses or statuses - {ActionStatus.VERIFIED, ActionStatus.CANCELLED}:
        return
    plan.status = PlanStatus.COMPLETE
    plan.completed_at = timezone.now()
    plan.save(update_fields=["status", "completed_at", "updated_at"])
    log(plan, "schools.plan.complete", user=user)
    action_plan_completed.send(sender=ActionPlan, plan=plan, user=user)
    source = plan.source_return
    if source is not None and source.status == AuditReturn.Status.FEEDBACK_SENT:
        source.status = AuditReturn.Status.CLOSED
        source.closed_at = timezone.now()
        source.save(update_fields=["status", "closed_at", "updated_at"])
        log(source, "schools.return.close", user=user, data={"by": "action plan complete"})


def plan_close(*, plan: ActionPlan, user) -> ActionPlan:
    _require_manager(user, plan)
    if plan.status != PlanStatus.COMPLETE:
        raise InvalidTransition("Only a complete plan can be closed.")
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at", "updated_at"])
    log(plan, "schools.plan.close", user=user)
    return plan


# Extensions --------------------------------------------------------------------------


def extension_request(*, action: Action, user, new_due_on: date, reason: str, today: date | None = None):
    plan = action.plan
    _require_member(user, plan)
    today = today or timezone.localdate()
    if not reason.strip():
        raise ValidationError("Give a reason for the extension")
    with transaction.atomic():
        _lock(plan, action)  # two colleagues asking at once: one request, not two pending
        _open_for_work(plan)
        if action.status not in {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS}:
            raise InvalidTransition("Only an open action can be extended.")
        if new_due_on <= today or new_due_on <= action.due_on:
            raise ValidationError("The new due date must be in the future and later than the current one")
        if action.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists():
            raise ValidationError("There is already a request waiting for a decision")
        request = ExtensionRequest.objects.create(
            action=action,
            requested_by=user,
            previous_due_on=action.due_on,
            requested_due_on=new_due_on,
            reason=reason.strip(),
        )
        log(plan, "schools.action.request_extension", user=user, data={"action": action.pk})
        _notify_lead(
            plan,
            subject="Extension requested",
            body_template="schools/emails/extension_requested.txt",
            context={"action": action, "request": request},
        )
    return request


def extension_decide(*, request: ExtensionRequest, user, approve: bool, note: str = "") -> ExtensionRequest:
    action = request.action
    plan = action.plan
    _require_manager(user, plan)
    if not approve and not note.strip():
        raise ValidationError("Say why the extension is refused")
    with transaction.atomic():
        _lock(plan, request, action)
        if request.status != ExtensionRequest.Status.PENDING:
            raise InvalidTransition("This request has already been decided.")
        request.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
        request.decided_by = user
        request.decided_at = timezone.now()
        request.decision_note = note.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        if approve:
            action.due_on = request.requested_due_on
            action.extension_count += 1
            action.save(update_fields=["due_on", "extension_count", "updated_at"])
        log(plan, "schools.action.decide_extension", user=user, data={"action": action.pk, "approved": approve})
        _notify_setting(
            plan,
            subject="Extension " + ("approved" if approve else "refused"),
            body_template="schools/emails/extension_decided.txt",
            context={"action": action, "request": request},
        )
    return request
