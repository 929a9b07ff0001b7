"""Background tasks: thin, JSON-serialisable arguments, the work done by a service."""

from smtplib import SMTPException

from celery import shared_task


@shared_task(
    name="portal.send_email",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_email_task(*, to: list[str], subject: str, body: str, html_body: str | None = None) -> int:
    from portal.services import email_send

    return email_send(to=to, subject=subject, body=body, html_body=html_body)
