"""Resource review reminders: editors hear once per resource per review date, never before the
date, never about unpublished pages, and a republish does not make the reminder go again."""

import datetime

import pytest
from django.core import mail

from learning_hub.models import ResourcePage
from learning_hub.reviews import (
    editor_emails,
    resource_review_reminders_send,
    resources_due_for_review,
    send_resource_review_reminders_task,
)
from portal.roles import Role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def editors(make_user):
    return [
        make_user(Role.EDITOR, email="editor.one@example.org"),
        make_user(Role.EDITOR, email="editor.two@example.org"),
    ]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the reminders as the daily task would, letting queued email go once committed."""

    def _run(today: datetime.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return resource_review_reminders_send(today=today)

    return _run


def set_review(page: ResourcePage, review_on: datetime.date | None) -> ResourcePage:
    page.review_on = review_on
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def reminders() -> list:
    return [message for message in mail.outbox if "due for review" in message.subject]


def test_editors_are_reminded_once_when_the_date_comes(hub, editors, adviser, run):
    resource = set_review(hub.public_resource, TODAY)
    mail.outbox.clear()

    assert run(TODAY) == 1
    sent = reminders()
    assert sorted(address for message in sent for address in message.to) == [
        "editor.one@example.org",
        "editor.two@example.org",
    ]
    assert adviser.email not in {address for message in sent for address in message.to}
    assert sent[0].subject == f"Learning hub resource due for review: {resource.title}"
    assert resource.title in sent[0].body
    assert f"/admin/pages/{resource.pk}/edit/" in sent[0].body
    resource.refresh_from_db()
    assert resource.review_reminder_sent_on == TODAY

    mail.outbox.clear()
    assert run(TODAY) == 0
    assert run(TODAY + datetime.timedelta(days=1)) == 0
    assert reminders() == []


def test_not_before_the_date(hub, editors, run):
    set_review(hub.public_resource, TODAY + datetime.timedelta(days=1))
    mail.outbox.clear()
    assert run(TODAY) == 0
    assert reminders() == []
    hub.public_resource.refresh_from_db()
    assert hub.public_resource.review_reminder_sent_on is None


def test_not_for_unpublished_or_undated_resources(hub, editors, run):
    set_review(hub.public_resource, TODAY - datetime.timedelta(days=5))
    hub.public_resource.unpublish()
    set_review(hub.members_resource, None)
    mail.outbox.clear()
    assert run(TODAY) == 0
    assert reminders() == []
    assert not resources_due_for_review(TODAY).exists()


def test_several_resources_go_in_one_message_to_each_editor(hub, editors, run):
    set_review(hub.public_resource, TODAY - datetime.timedelta(days=30))
    set_review(hub.members_resource, TODAY - datetime.timedelta(days=1))
    mail.outbox.clear()
    assert run(TODAY) == 2
    sent = reminders()
    assert len(sent) == 2
    assert sent[0].subject == "2 learning hub resources due for review"
    for resource in (hub.public_resource, hub.members_resource):
        assert resource.title in sent[0].body


def test_a_new_review_date_gets_its_own_reminder(hub, editors, run):
    resource = set_review(hub.public_resource, TODAY - datetime.timedelta(days=3))
    run(TODAY)
    later = TODAY + datetime.timedelta(days=200)
    resource = set_review(resource, later)
    mail.outbox.clear()
    assert run(TODAY + datetime.timedelta(days=100)) == 0
    assert run(later) == 1
    assert len(reminders()) == 2


def test_republishing_without_changing_the_date_does_not_send_it_again(hub, editors, run):
    resource = set_review(hub.public_resource, TODAY - datetime.timedelta(days=3))
    # An editor saved a draft before the reminder went, and publishes it afterwards: the
    # revision holds the page as it was then, with no reminder recorded.
    resource.summary = "A checklist against the filtering and monitoring standards."
    draft = resource.save_revision()
    assert run(TODAY) == 1
    assert draft.as_object().review_reminder_sent_on is None
    draft.publish()
    resource.refresh_from_db()
    assert resource.summary.startswith("A checklist against the filtering")
    assert resource.review_reminder_sent_on == TODAY
    mail.outbox.clear()
    assert run(TODAY + datetime.timedelta(days=1)) == 0
    assert reminders() == []


def test_a_claimed_resource_is_not_sent_by_a_second_run(hub, editors, run):
    """The claim is a conditional update: a run that read the resource before another run
    claimed it still cannot send it."""
    resource = set_review(hub.public_resource, TODAY - datetime.timedelta(days=1))
    ResourcePage.objects.filter(pk=resource.pk).update(review_reminder_sent_on=TODAY)  # the other run
    mail.outbox.clear()
    assert run(TODAY) == 0
    assert reminders() == []


def test_without_editors_nothing_is_claimed(hub, make_user, run):
    make_user(Role.ADVISER, email="adviser.only@example.org")
    resource = set_review(hub.public_resource, TODAY)
    assert editor_emails() == []
    assert run(TODAY) == 0
    resource.refresh_from_db()
    assert resource.review_reminder_sent_on is None


def test_inactive_editors_are_not_emailed(hub, editors):
    editors[1].is_active = False
    editors[1].save(update_fields=["is_active"])
    assert editor_emails() == ["editor.one@example.org"]


def test_the_task_runs_for_today(hub, editors, django_capture_on_commit_callbacks):
    set_review(hub.public_resource, datetime.date.today() - datetime.timedelta(days=400))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_resource_review_reminders_task.delay().get() == 1
    assert len(reminders()) == 2
    assert send_resource_review_reminders_task.name == "learning_hub.send_resource_review_reminders"


def test_queries_are_fixed_apart_from_one_claim_per_resource(hub, editors, django_assert_max_num_queries):
    """Per claimed resource the work is one conditional update; the rest is fixed."""
    set_review(hub.public_resource, TODAY)
    with django_assert_max_num_queries(20) as one:
        resource_review_reminders_send(today=TODAY)
    baseline = len(one.captured_queries)
    set_review(hub.public_resource, TODAY + datetime.timedelta(days=1))
    set_review(hub.members_resource, TODAY + datetime.timedelta(days=1))
    with django_assert_max_num_queries(baseline + 1):
        resource_review_reminders_send(today=TODAY + datetime.timedelta(days=1))
