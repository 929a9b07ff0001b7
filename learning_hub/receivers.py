"""The hub listening to Wagtail: a moderation decision on a submitted good-practice example
is sent to its (setting) submitter by the portal."""

from django.dispatch import receiver
from wagtail.signals import workflow_approved, workflow_rejected

from .models import GoodPracticePage
from .submissions import submission_decided


def _good_practice(workflow_state):
    page = workflow_state.content_object
    page = getattr(page, "specific", page)
    return page if isinstance(page, GoodPracticePage) else None


@receiver(workflow_approved)
def good_practice_approved(sender, instance, user, **kwargs) -> None:
    page = _good_practice(instance)
    if page is not None:
        page.refresh_from_db()
        submission_decided(page=page, approved=True)


@receiver(workflow_rejected)
def good_practice_rejected(sender, instance, user, **kwargs) -> None:
    page = _good_practice(instance)
    if page is not None:
        task_state = instance.task_states.order_by("-started_at", "-pk").first()
        comment = (task_state.comment if task_state else "") or ""
        submission_decided(page=page, approved=False, comment=comment)
