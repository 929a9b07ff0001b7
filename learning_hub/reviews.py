"""Resource review reminders. A resource's "review by" date says when its guidance should be
checked (KCSIE changes every September). Each day the editors are emailed about every live
resource whose date has come, once per resource per review date: the resource is claimed with
a conditional update before the email is queued, so two runs at once cannot both send it."""

from datetime import date

from celery import shared_task
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from portal.models import User
from portal.roles import Role
from portal.services import email_queue

from .models import ResourcePage

# Not yet reminded about the current review date: never, or only about an earlier one.
NOT_REMINDED = Q(review_reminder_sent_on__isnull=True) | Q(review_reminder_sent_on__lt=F("review_on"))


def resources_due_for_review(today: date) -> QuerySet:
    return (
        ResourcePage.objects.live()
        .filter(review_on__isnull=False, review_on__lte=today)
        .filter(NOT_REMINDED)
        .order_by("review_on", "title")
    )


def editor_emails() -> list[str]:
    return list(
        User.objects.filter(groups__name=Role.EDITOR.group_name, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def resource_review_reminders_send(*, today: date | None = None) -> int:
    """Email every editor one message listing the resources newly due for review. Returns how
    many resources were included."""
    today = today or timezone.localdate()
    recipients = editor_emails()
    if not recipients:
        return 0  # leave them unclaimed, so the reminder goes once there is an editor to read it
    with transaction.atomic():
        claimed = []
        for resource in resources_due_for_review(today):
            # The claim: only one run can move this row from "not reminded" to "reminded today".
            if ResourcePage.objects.filter(pk=resource.pk).filter(NOT_REMINDED).update(review_reminder_sent_on=today):
                claimed.append(resource)
        if not claimed:
            return 0
        for email in recipients:
            email_queue(
                to=[email],
                subject_template="learning_hub/emails/review_reminder_subject.txt",
                body_template="learning_hub/emails/review_reminder.txt",
                context={
                    "resources": [
                        {"resource": resource, "edit_url": reverse("wagtailadmin_pages:edit", args=[resource.pk])}
                        for resource in claimed
                    ],
                    "today": today,
                },
            )
    return len(claimed)


@shared_task(name="learning_hub.send_resource_review_reminders")
def send_resource_review_reminders_task() -> int:
    return resource_review_reminders_send()


@receiver(pre_save, sender=ResourcePage, dispatch_uid="learning_hub.keep_review_reminder_record")
def keep_review_reminder_record(sender, instance: ResourcePage, raw: bool = False, **kwargs) -> None:
    """Publishing restores every field from the revision, including this one (it is not in the
    editor's form), which would forget that a reminder went and send it again. Keep the stored
    date while the review date is unchanged."""
    if raw or instance.pk is None:
        return
    stored = ResourcePage.objects.filter(pk=instance.pk).values_list("review_on", "review_reminder_sent_on").first()
    if stored is None:
        return
    stored_review_on, stored_sent_on = stored
    if (
        stored_sent_on is not None
        and instance.review_on == stored_review_on
        and (instance.review_reminder_sent_on is None or instance.review_reminder_sent_on < stored_sent_on)
    ):
        instance.review_reminder_sent_on = stored_sent_on
