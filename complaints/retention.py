"""Retention: after the retention period (site setting, default 6 years after closure) the
complainant's details and every free-text note of a finished complaint are redacted. The
statistics (dates, source, themes, setting, outcome, working days) stay for reporting. A
QA manager's legal hold stops it. Run daily by Celery beat; running twice redacts nothing twice."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from .models import FINAL_STATUSES, Complaint, ComplaintEvent, ComplaintPause, ComplaintResponse
from .services import complaints_settings

REDACTED = "[Redacted after the retention period]"


def retention_cutoff(today: date, years: int) -> date:
    """Complaints closed on or before this date are past retention."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def complaints_due_for_redaction(today: date):
    years = complaints_settings().retention_years
    return Complaint.objects.filter(
        status__in=FINAL_STATUSES,
        closed_on__lte=retention_cutoff(today, years),
        legal_hold=False,
        redacted_at__isnull=True,
    )


def complaint_redact(complaint: Complaint) -> None:
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.redacted_at or complaint.legal_hold:
            return
        complaint.complainant_name = ""
        complaint.complainant_contact = ""
        complaint.summary = REDACTED
        if complaint.closure_reason:
            complaint.closure_reason = REDACTED
        complaint.legal_hold_reason = ""
        complaint.redacted_at = timezone.now()
        complaint.save()
        ComplaintEvent.objects.filter(complaint=complaint).exclude(note="").update(note=REDACTED)
        ComplaintPause.objects.filter(complaint=complaint).update(reason=REDACTED)
        response = ComplaintResponse.objects.filter(complaint=complaint).first()
        if response is not None:
            if response.document:
                response.document.delete(save=False)
            response.findings = REDACTED if response.findings else ""
            response.body = REDACTED if response.body else ""
            response.returned_comment = ""
            response.document = ""
            response.document_name = ""
            response.save()
        ComplaintEvent.objects.create(
            complaint=complaint,
            kind=ComplaintEvent.Kind.REDACTED,
            summary="Personal details and notes redacted after the retention period",
        )
        log(complaint, "complaints.complaint.redact", user=None, data={"retention": "expired"})


def redact_expired(today: date | None = None) -> int:
    today = today or timezone.localdate()
    count = 0
    for complaint in complaints_due_for_redaction(today).only("pk").iterator():
        complaint_redact(complaint)
        count += 1
    return count
