"""The Celery app. Settings come from Django's settings with the CELERY_ prefix
(see portal/settings/base.py); tasks are found in each app's tasks.py.

Every task is a `PortalTask`: a passing outage (the database restarting, the broker or Redis
unreachable, a timeout) is retried with exponential backoff and jitter instead of failing the
job, and a task that fails for good is logged and recorded as a `portal.TaskFailure`, which QA
managers see in the admin. Tasks are written to be idempotent (each claims its work in the
database first), so a retry or a redelivery never sends a reminder twice."""

import logging
import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

logger = logging.getLogger("portal.tasks")


def retryable_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean "try again later", not "this job is wrong"."""
    from django.db import InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as BrokerError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (
        OperationalError,
        InterfaceError,
        BrokerError,
        RedisConnectionError,
        RedisTimeoutError,
        ConnectionError,
        TimeoutError,
    )


class PortalTask(Task):
    retry_backoff = 5  # seconds before the first retry; doubles each time
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Set here rather than as a class attribute so Django is importable first.
        if "autoretry_for" not in cls.__dict__:
            cls.autoretry_for = retryable_errors()

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        logger.error(
            "Task %s (%s) failed for good after %s retries: %s",
            self.name,
            task_id,
            self.request.retries,
            type(exc).__name__,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        try:
            from portal.models import TaskFailure

            TaskFailure.objects.update_or_create(
                task_id=task_id or f"unknown-{id(exc)}",
                defaults={
                    "task_name": self.name or "",
                    "arguments": repr({"args": args, "kwargs": kwargs})[:2000],
                    "exception_type": type(exc).__name__,
                    "message": str(exc)[:2000],
                    "traceback": str(einfo)[:20000] if einfo else "",
                    "retries": self.request.retries or 0,
                },
            )
        except Exception:  # the database may be the very thing that is down: the log line above stands
            logger.exception("Could not record the failure of task %s", task_id)
        super().on_failure(exc, task_id, args, kwargs, einfo)


app = Celery("portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
