"""Reminders to settings whose return is not yet submitted: 14 and 3 days before the due
date, then weekly once overdue. Each is recorded, so running twice never sends twice."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal.services import email_queue
from schools.models import AuditCycle, AuditReturn, ReminderSent
from schools.selectors import members_of

NOT_SUBMITTED = [AuditReturn.Status.NOT_STARTED, AuditReturn.Status.IN_PROGRESS, AuditReturn.Status.RETURNED]


def reminder_due(audit_return: AuditReturn, today: date) -> str | None:
    """Which reminder, if any, this return should have by today."""
    days_left = (audit_return.cycle.due_on - today).days
    if days_left < 0:
        return f"overdue-week-{(-days_left - 1) // 7 + 1}"
    if days_left <= 3:
        return "due-in-3-days"
    if days_left <= 14:
        return "due-in-14-days"
    return None


def returns_not_submitted(today: date | None = None):
    today = today or timezone.localdate()
    return (
        AuditReturn.objects.filter(
            status__in=NOT_SUBMITTED, cycle__status=AuditCycle.Status.OPEN, cycle__opens_on__lte=today
        )
        .select_related("cycle", "setting")
        .order_by("cycle__due_on", "setting__name")
    )


def reminders_send_due(*, today: date | None = None) -> int:
    """Send every reminder that is due and not yet sent. Returns how many returns were reminded."""
    today = today or timezone.localdate()
    reminded = 0
    for audit_return in returns_not_submitted(today):
        reminder = reminder_due(audit_return, today)
        if reminder is None:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(audit_return=audit_return, reminder=reminder)
                for membership in members_of(audit_return.setting):
                    email_queue(
                        to=[membership.user.email],
                        subject_template="schools/emails/reminder_subject.txt",
                        body_template="schools/emails/reminder.txt",
                        context={
                            "audit_return": audit_return,
                            "overdue": reminder.startswith("overdue"),
                            "days_left": (audit_return.cycle.due_on - today).days,
                            "return_url": reverse("schools:return_task_list", args=[audit_return.pk]),
                        },
                    )
        except IntegrityError:
            continue  # already sent (another run got there first)
        reminded += 1
    return reminded


# Actions ---------------------------------------------------------------------------------


def actions_needing_reminders(today: date):
    from schools.models import Action, ActionPlan

    return (
        Action.objects.filter(
            status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS],
            plan__status__in=[ActionPlan.Status.AGREED, ActionPlan.Status.IN_PROGRESS],
            due_on__lte=today + timedelta(days=14),
        )
        .select_related("plan__setting", "plan__lead")
        .order_by("due_on", "pk")
    )


def action_reminders_send_due(*, today: date | None = None) -> int:
    """Actions due in 14 and 3 days, and weekly once overdue: to the setting's members and
    the plan's lead. Each reminder is recorded, so a rerun sends nothing twice."""
    from schools.models import ActionReminderSent

    today = today or timezone.localdate()
    reminded = 0
    for action in actions_needing_reminders(today):
        days_left = (action.due_on - today).days
        if days_left < 0:
            reminder = f"overdue-week-{(-days_left - 1) // 7 + 1}"
        elif days_left <= 3:
            reminder = "due-in-3-days"
        else:
            reminder = "due-in-14-days"
        recipients = sorted({m.user.email for m in members_of(action.plan.setting)} | {action.plan.lead.email})
        try:
            with transaction.atomic():
                ActionReminderSent.objects.create(action=action, reminder=reminder)
                for email in recipients:
                    email_queue(
                        to=[email],
                        subject_template="schools/emails/action_reminder_subject.txt",
                        body_template="schools/emails/action_reminder.txt",
                        context={
                            "action": action,
                            "overdue": days_left < 0,
                            "days_left": days_left,
                            "action_url": reverse("schools:action_detail", args=[action.pk]),
                        },
                    )
        except IntegrityError:
            continue
        reminded += 1
    return reminded


def adviser_digest_send(*, today: date | None = None) -> int:
    """A weekly email to each adviser of what needs them: returns to review, actions to
    verify, extension requests and overdue actions in plans they lead. Sent once per ISO week."""
    from django.db.models import Count, Q

    from portal.models import User
    from portal.roles import Role
    from schools.models import Action, AdviserDigestSent, AuditReturn, ExtensionRequest

    today = today or timezone.localdate()
    week = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
    sent = 0
    to_review = AuditReturn.objects.filter(status=AuditReturn.Status.SUBMITTED).count()
    advisers = User.objects.filter(groups__name=Role.ADVISER.group_name, is_active=True).annotate(
        to_verify=Count(
            "led_action_plans__actions", filter=Q(led_action_plans__actions__status=Action.Status.COMPLETED)
        ),
        overdue=Count(
            "led_action_plans__actions",
            filter=Q(
                led_action_plans__actions__status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS],
                led_action_plans__actions__due_on__lt=today,
            ),
        ),
        extensions=Count(
            "led_action_plans__actions__extension_requests",
            filter=Q(led_action_plans__actions__extension_requests__status=ExtensionRequest.Status.PENDING),
        ),
    )
    for adviser in advisers:
        try:
            with transaction.atomic():
                AdviserDigestSent.objects.create(adviser=adviser, week=week)
                email_queue(
                    to=[adviser.email],
                    subject_template="schools/emails/adviser_digest_subject.txt",
                    body_template="schools/emails/adviser_digest.txt",
                    context={"adviser": adviser, "to_review": to_review, "week": week},
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
