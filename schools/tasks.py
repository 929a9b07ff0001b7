"""Background tasks for audits: thin wrappers that load by id and call a service."""

from celery import shared_task


@shared_task(name="schools.cycle_invite_settings")
def cycle_invite_settings_task(*, return_ids: list[int]) -> int:
    from schools.services import cycle_invite_settings

    return cycle_invite_settings(return_ids=return_ids)


@shared_task(name="schools.send_return_reminders")
def send_return_reminders_task() -> int:
    from schools.reminders import reminders_send_due

    return reminders_send_due()


@shared_task(name="schools.send_action_reminders")
def send_action_reminders_task() -> int:
    from schools.reminders import action_reminders_send_due

    return action_reminders_send_due()


@shared_task(name="schools.send_adviser_digests")
def send_adviser_digests_task() -> int:
    from schools.reminders import adviser_digest_send

    return adviser_digest_send()
