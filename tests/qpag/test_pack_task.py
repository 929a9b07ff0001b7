"""The beat task that drafts last month's QPAG pack on the first working day of each month and
tells the QA managers once; and the task that produces an issued pack's files."""

import pytest
from django.conf import settings
from django.core import mail

from portal.models import BankHoliday
from portal.roles import Role
from qpag.models import QpagPack
from qpag.services_packs import first_working_day, pack_draft, pack_draft_monthly, pack_issue
from qpag.tasks import build_pack_files_task, draft_monthly_pack_task

from .conftest import D


@pytest.fixture
def managers(qa_manager, make_user):
    second = make_user(Role.QA_MANAGER, email="qa2@example.org")
    make_user(Role.QA_MANAGER, email="gone@example.org", is_active=False)
    make_user(Role.SENIOR_MANAGER, email="senior-task@example.org")
    return [qa_manager, second]


def test_the_beat_schedule_runs_the_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["qpag-monthly-pack"]
    assert entry == {"task": "qpag.draft_monthly_pack", "schedule": 60 * 60 * 24}
    assert draft_monthly_pack_task.name == "qpag.draft_monthly_pack"
    assert build_pack_files_task.name == "qpag.build_pack_files"


def test_first_working_day_of_the_month_drafts_last_month_and_emails_each_active_qa_manager(
    managers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = pack_draft_monthly(today=D("2026-12-01"))  # a Tuesday
    assert result["drafted"] is True and result["emailed"] == 2
    pack = QpagPack.objects.get()
    assert pack.month == D("2026-11-01") and pack.drafted_by is None
    assert sorted(m.to[0] for m in mail.outbox) == ["qa2@example.org", "qa@example.org"]
    assert "November 2026" in mail.outbox[0].subject
    assert f"/qpag/packs/{pack.pk}/" in mail.outbox[0].body


def test_a_rerun_emails_nobody_twice(managers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pack_draft_monthly(today=D("2026-12-01"))
        again = pack_draft_monthly(today=D("2026-12-01"))
    assert again["drafted"] is False and again["emailed"] == 0
    assert len(mail.outbox) == 2
    assert QpagPack.objects.count() == 1


def test_an_existing_pack_is_left_alone(managers, qa_manager, django_capture_on_commit_callbacks):
    made = pack_draft(month=D("2026-11-01"), user=qa_manager, today=D("2026-11-30"))
    with django_capture_on_commit_callbacks(execute=True):
        result = pack_draft_monthly(today=D("2026-12-01"))
    assert result["drafted"] is False and result["pack_id"] == made.pk
    assert mail.outbox == []


@pytest.mark.parametrize("day", ["2026-12-02", "2026-11-26", "2026-08-01", "2026-08-02"])
def test_other_days_do_nothing(managers, django_capture_on_commit_callbacks, day):
    with django_capture_on_commit_callbacks(execute=True):
        result = pack_draft_monthly(today=D(day))
    assert result["drafted"] is False
    assert not QpagPack.objects.exists() and mail.outbox == []


def test_a_weekend_start_moves_to_monday(managers, django_capture_on_commit_callbacks):
    assert first_working_day(D("2026-08-01")) == D("2026-08-03")  # 1 August 2026 is a Saturday
    with django_capture_on_commit_callbacks(execute=True):
        assert pack_draft_monthly(today=D("2026-08-03"))["drafted"] is True
    assert QpagPack.objects.get().month == D("2026-07-01")


def test_a_bank_holiday_moves_the_first_working_day(managers, django_capture_on_commit_callbacks):
    BankHoliday.objects.get_or_create(date=D("2026-06-01"), defaults={"name": "Extra holiday"})
    with django_capture_on_commit_callbacks(execute=True):
        assert pack_draft_monthly(today=D("2026-06-01"))["drafted"] is False
        assert pack_draft_monthly(today=D("2026-06-02"))["drafted"] is True
    assert QpagPack.objects.get().month == D("2026-05-01")
    assert len(mail.outbox) == 2


def test_new_year_bank_holiday(managers, django_capture_on_commit_callbacks):
    BankHoliday.objects.get_or_create(date=D("2027-01-01"), defaults={"name": "New Year's Day"})
    assert first_working_day(D("2027-01-01")) == D("2027-01-04")
    with django_capture_on_commit_callbacks(execute=True):
        assert pack_draft_monthly(today=D("2027-01-01"))["drafted"] is False
        assert pack_draft_monthly(today=D("2027-01-04"))["drafted"] is True
    assert QpagPack.objects.get().month == D("2026-12-01")


def test_files_task_builds_and_is_idempotent(qa_manager, db):
    pack = pack_issue(
        pack=pack_draft(month=D("2026-10-01"), user=qa_manager, today=D("2026-11-26")),
        user=qa_manager,
        today=D("2026-11-26"),
    )
    assert build_pack_files_task.delay(pack_id=pack.pk).get() == "ready"
    pack.refresh_from_db()
    assert pack.files_status == QpagPack.FilesStatus.READY
    first_name = pack.pdf.name
    assert build_pack_files_task.delay(pack_id=pack.pk).get() == "skipped"
    pack.refresh_from_db()
    assert pack.pdf.name == first_name


def test_files_task_failure_is_recorded(qa_manager, db, monkeypatch):
    pack = pack_issue(
        pack=pack_draft(month=D("2026-10-01"), user=qa_manager, today=D("2026-11-26")),
        user=qa_manager,
        today=D("2026-11-26"),
    )

    def broken(_pack):
        raise OSError("disk full")

    monkeypatch.setattr("qpag.pack_files.pack_xlsx", broken)
    assert build_pack_files_task.delay(pack_id=pack.pk).get() == "failed"
    pack.refresh_from_db()
    assert pack.files_status == QpagPack.FilesStatus.FAILED
    assert "disk full" in pack.files_error
    # A later run (after the fault is fixed) can still produce them.
    monkeypatch.undo()
    assert build_pack_files_task.delay(pack_id=pack.pk).get() == "ready"
