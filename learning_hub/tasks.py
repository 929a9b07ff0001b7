"""Background tasks for the hub: thin wrappers that call a service."""

from celery import shared_task


@shared_task(name="learning_hub.send_session_reminders")
def send_session_reminders_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE "hub-session-reminders"): remind people with a place on a
    session in the next two days. Safe to rerun: each reminder is claimed once."""
    from learning_hub.booking import reminders_send_due

    return reminders_send_due()
