"""Complaints listening to schools: a learning plan that completes closes its complaint."""

from django.dispatch import receiver

from schools.signals import action_plan_completed

from .services import complaints_close_for_completed_plan


@receiver(action_plan_completed)
def close_complaints_when_learning_plan_completes(sender, plan, user, **kwargs) -> None:
    complaints_close_for_completed_plan(plan=plan, user=user)
