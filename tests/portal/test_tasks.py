"""The email task, run eagerly (as in `make run` with no broker)."""

import pytest
from django.db import transaction

from portal.services import email_queue
from portal.tasks import send_email_task


def test_email_task_sends_through_django_mail(mailoutbox):
    sent = send_email_task.delay(to=["dsl@school.example.org"], subject="Hello", body="Body text").get()
    assert sent == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["dsl@school.example.org"]
    assert mailoutbox[0].subject == "Hello"
    assert mailoutbox[0].body == "Body text"


def test_email_task_attaches_html_alternative(mailoutbox):
    send_email_task.delay(to=["a@example.org"], subject="S", body="plain", html_body="<p>html</p>")
    assert mailoutbox[0].alternatives[0].content == "<p>html</p>"


@pytest.mark.django_db
def test_queued_email_waits_for_the_transaction_to_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_queue(
            to=["head@school.example.org"],
            subject_template="emails/invitation_subject.txt",
            body_template="emails/password_reset.txt",
            context={
                "protocol": "https",
                "domain": "portal.example.org",
                "uid": "MQ",
                "token": "t",
                "user_name": "Hal",
            },
        )
        assert mailoutbox == []  # nothing leaves before commit
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    assert "Dear Hal" in mailoutbox[0].body
    assert mailoutbox[0].subject == "You're invited to the schools safeguarding portal"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_queued_email_is_dropped_when_the_transaction_rolls_back(mailoutbox):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        email_queue(
            to=["x@example.org"],
            subject_template="emails/invitation_subject.txt",
            body_template="emails/password_reset.txt",
            context={"protocol": "https", "domain": "d", "uid": "MQ", "token": "t", "user_name": "X"},
        )
        raise Rollback
    assert mailoutbox == []


def test_email_task_retries_on_smtp_failure():
    from smtplib import SMTPException

    assert SMTPException in send_email_task.autoretry_for
    assert send_email_task.max_retries == 5
