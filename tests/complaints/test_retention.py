"""Retention: six years after closure the complainant's details and free text are redacted,
the statistics stay, a legal hold stops it, it is logged, and a second run changes nothing."""

import datetime

import pytest
from django.core.files.base import ContentFile
from wagtail.models import ModelLogEntry

from complaints import retention, services
from complaints.models import Complaint, ComplaintEvent, ComplaintResponse, Status
from complaints.tasks import redact_expired_task

from .conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_complaint(make_complaint, setting, adviser, qa_manager):
    """Received and answered in 2019, closed on 10 June 2019."""
    today = D("2019-06-10")
    complaint = make_complaint(setting, received_on=D("2019-05-01"), today=today, themes=[])
    services.complaint_acknowledge(complaint=complaint, user=adviser, on=D("2019-05-02"), today=today)
    services.complaint_start_investigation(complaint=complaint, user=adviser)
    services.complaint_pause(
        complaint=complaint, user=adviser, on=D("2019-05-07"), reason="Pat's GP letter", today=today
    )
    services.complaint_resume(complaint=complaint, user=adviser, on=D("2019-05-09"), today=today)
    services.complaint_add_note(complaint=complaint, user=adviser, about="complainant", note="Pat rang about Sam")
    response = services.response_save(
        complaint=complaint,
        user=adviser,
        findings="Sam's records were late",
        outcome="upheld",
        body="Dear Pat",
        document=ContentFile(b"%PDF-1.4 letter", name="letter.pdf"),
    )
    services.response_submit(complaint=complaint, user=adviser)
    services.response_sign_off(complaint=complaint, user=qa_manager)
    ComplaintResponse.objects.filter(pk=response.pk).update(
        signed_off_at=datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC)
    )
    services.response_mark_sent(complaint=complaint, user=adviser, on=D("2019-06-03"), today=today)
    services.complaint_close(complaint=complaint, user=adviser, on=D("2019-06-10"), today=today)
    complaint.refresh_from_db()
    return complaint


def test_nothing_is_redacted_before_six_years(old_complaint):
    assert retention.redact_expired(today=D("2025-06-09")) == 0
    old_complaint.refresh_from_db()
    assert old_complaint.complainant_name == "Pat Parent"


def test_after_six_years_personal_details_and_free_text_go_and_the_figures_stay(old_complaint):
    document_name = old_complaint.response.document.name
    storage = old_complaint.response.document.storage
    assert storage.exists(document_name)

    assert retention.redact_expired(today=D("2025-06-10")) == 1

    complaint = Complaint.objects.get(pk=old_complaint.pk)
    assert complaint.complainant_name == "" and complaint.complainant_contact == ""
    assert complaint.summary == retention.REDACTED
    assert complaint.redacted_at is not None
    notes = set(complaint.events.exclude(note="").values_list("note", flat=True))
    assert notes == {retention.REDACTED}
    assert set(complaint.pauses.values_list("reason", flat=True)) == {retention.REDACTED}
    response = ComplaintResponse.objects.get(complaint=complaint)
    assert (response.findings, response.body, response.document.name) == (retention.REDACTED, retention.REDACTED, "")
    assert not storage.exists(document_name)
    # The statistics are untouched.
    assert (complaint.status, complaint.outcome, complaint.source) == (Status.CLOSED, "upheld", "parent")
    assert complaint.received_on == D("2019-05-01") and complaint.response_sent_on == D("2019-06-03")
    assert complaint.response_working_days == old_complaint.response_working_days
    # Logged, in the timeline and in Wagtail's audit log.
    assert complaint.events.filter(kind=ComplaintEvent.Kind.REDACTED).exists()
    assert ModelLogEntry.objects.filter(action="complaints.complaint.redact", object_id=str(complaint.pk)).exists()


def test_a_second_run_redacts_nothing_twice(old_complaint):
    assert retention.redact_expired(today=D("2025-07-01")) == 1
    assert retention.redact_expired(today=D("2025-07-02")) == 0
    assert ModelLogEntry.objects.filter(action="complaints.complaint.redact").count() == 1


def test_a_legal_hold_stops_redaction_until_lifted(old_complaint, qa_manager):
    services.complaint_set_legal_hold(complaint=old_complaint, user=qa_manager, hold=True, reason="Tribunal")
    assert retention.redact_expired(today=D("2026-01-01")) == 0
    assert Complaint.objects.get(pk=old_complaint.pk).complainant_name == "Pat Parent"
    services.complaint_set_legal_hold(complaint=old_complaint, user=qa_manager, hold=False)
    assert retention.redact_expired(today=D("2026-01-01")) == 1


def test_open_complaints_are_never_redacted(make_complaint, setting):
    make_complaint(setting, received_on=D("2018-01-10"), today=D("2018-01-10"))
    assert retention.redact_expired(today=D("2026-01-01")) == 0


def test_the_retention_period_is_a_site_setting(old_complaint):
    settings_row = services.complaints_settings()
    settings_row.retention_years = 7
    settings_row.save()
    assert retention.redact_expired(today=D("2025-06-10")) == 0
    assert retention.redact_expired(today=D("2026-06-10")) == 1


def test_the_beat_task_runs_the_redaction(old_complaint, settings):
    assert "complaints-retention" in settings.CELERY_BEAT_SCHEDULE
    assert redact_expired_task.apply().get() == 1  # today is long after 2025
    assert Complaint.objects.get(pk=old_complaint.pk).is_redacted
