"""Reminders to settings whose return is not yet submitted: 14 and 3 days before the due
date, then weekly once overdue. Each is recorded, so running twice never sends twice."""

from datetime import date

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
