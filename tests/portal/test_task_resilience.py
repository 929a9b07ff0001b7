"""Background tasks retry passing outages with backoff and record permanent failures where a
QA manager can see them."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from portal.celery import PortalTask, app, retryable_errors
from portal.models import TaskFailure
from portal.roles import Role

calls = {"flaky": 0, "broken": 0}


@app.task(name="tests.flaky_then_fine", bind=True)
def flaky_then_fine(self, *, fail_times: int) -> str:
    calls["flaky"] += 1
    if calls["flaky"] <= fail_times:
        raise OperationalError("server closed the connection unexpectedly")
    return "done"


@app.task(name="tests.always_broken")
def always_broken(*, record_id: int) -> None:
    calls["broken"] += 1
    raise OperationalError("the database is down")


@app.task(name="tests.wrong_input")
def wrong_input(*, record_id: int) -> None:
    calls["broken"] += 1
    raise ValueError(f"record {record_id} is in the wrong state")


@pytest.fixture(autouse=True)
def _reset_calls(monkeypatch):
    calls.update(flaky=0, broken=0)
    # Run eagerly, each retry is applied inside the previous attempt; let the outcome land in
    # the result (as on a worker) instead of raising out of the test.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def test_every_portal_task_retries_database_and_broker_outages():
    from complaints.tasks import build_quarterly_report_task
    from learning_hub.tasks import send_session_reminders_task
    from qpag.tasks import build_pack_files_task
    from schools.tasks import send_return_reminders_task

    assert isinstance(send_return_reminders_task, PortalTask)
    assert OperationalError in send_return_reminders_task.autoretry_for
    assert send_return_reminders_task.retry_backoff and send_return_reminders_task.retry_jitter
    assert send_return_reminders_task.max_retries == 5
    for task in (build_quarterly_report_task, build_pack_files_task, send_session_reminders_task):
        assert set(retryable_errors()) <= set(task.autoretry_for), task.name


def test_the_email_task_keeps_its_own_smtp_retries():
    from smtplib import SMTPException

    from portal.tasks import send_email_task

    assert isinstance(send_email_task, PortalTask)
    assert SMTPException in send_email_task.autoretry_for


@pytest.mark.django_db
def test_a_passing_outage_is_retried_until_the_task_succeeds():
    # Eagerly, each retry runs at once inside the previous attempt (no countdown).
    flaky_then_fine.apply(kwargs={"fail_times": 2}, throw=False)
    assert calls["flaky"] == 3
    assert not TaskFailure.objects.exists()


@pytest.mark.django_db
def test_a_task_that_keeps_failing_stops_after_its_retries_and_is_recorded():
    always_broken.apply(kwargs={"record_id": 42}, throw=False)
    assert calls["broken"] == 1 + always_broken.max_retries
    failure = TaskFailure.objects.get()
    assert failure.task_name == "tests.always_broken"
    assert failure.exception_type == "OperationalError"
    assert "record_id" in failure.arguments and "42" in failure.arguments
    assert failure.retries == always_broken.max_retries
    assert not failure.resolved


@pytest.mark.django_db
def test_a_wrong_input_error_is_not_retried_but_is_recorded():
    result = wrong_input.apply(kwargs={"record_id": 7}, throw=False)
    assert result.failed()
    assert calls["broken"] == 1
    assert TaskFailure.objects.get().exception_type == "ValueError"


@pytest.mark.django_db
def test_qa_managers_see_failed_jobs_in_the_admin_and_others_do_not(client, user_for_role):
    wrong_input.apply(kwargs={"record_id": 7}, throw=False)
    failure = TaskFailure.objects.get()
    list_url = reverse("portal_taskfailure:index")
    client.force_login(user_for_role(Role.QA_MANAGER))
    response = client.get(list_url)
    assert response.status_code == 200
    assert "tests.wrong_input" in response.content.decode()
    edit_url = reverse("portal_taskfailure:edit", args=[failure.pk])
    response = client.post(edit_url, {"resolved": "on", "resolution_note": "Record 7 fixed by hand."})
    assert response.status_code == 302
    failure.refresh_from_db()
    assert failure.resolved and failure.resolution_note == "Record 7 fixed by hand."
    # Nobody adds or deletes failures by hand.
    assert client.get(reverse("portal_taskfailure:add")).status_code in {302, 403}

    for role in (Role.ADVISER, Role.SENIOR_MANAGER, Role.EDITOR):
        client.force_login(user_for_role(role))
        assert client.get(list_url).status_code in {302, 403}, role
