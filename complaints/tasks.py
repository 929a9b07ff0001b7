"""Background tasks for complaints: thin wrappers that call a service."""

from celery import shared_task


@shared_task(name="complaints.redact_expired")
def redact_expired_task() -> int:
    from complaints.retention import redact_expired

    return redact_expired()


@shared_task(name="complaints.build_quarterly_report")
def build_quarterly_report_task(*, report_id: int) -> None:
    from complaints.reports import report_build

    report_build(report_id=report_id)
