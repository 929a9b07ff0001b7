"""The audit trail: QA managers search every logged event; nobody else sees it."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from portal.models import TaskFailure
from portal.roles import Role

pytestmark = pytest.mark.django_db
URL = reverse("portal:audit_trail")


@pytest.fixture
def entries(qa_manager, adviser):
    """Three log entries on two records by two people."""
    log(qa_manager, "portal.invitation.create", user=qa_manager, data={"role": "adviser"})
    log(adviser, "portal.invitation.accept", user=adviser)
    old = log(adviser, "portal.invitation.withdraw", user=qa_manager)
    ModelLogEntry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - datetime.timedelta(days=40))


@pytest.mark.parametrize("role", [Role.ADVISER, Role.SENIOR_MANAGER, Role.EDITOR, Role.SCHOOL_USER])
def test_only_qa_managers_see_the_audit_trail(client, user_for_role, role):
    client.force_login(user_for_role(role))
    assert client.get(URL).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("portal:sign_in"))


def test_qa_managers_search_by_action_person_record_and_date(client, qa_manager, adviser, entries):
    client.force_login(qa_manager)
    body = client.get(URL).content.decode()
    assert "3 entries" in body
    assert "1 entry matching" in client.get(URL, {"action": "portal.invitation.accept"}).content.decode()
    assert "2 entries matching" in client.get(URL, {"user": qa_manager.email}).content.decode()
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert "2 entries matching" in client.get(URL, {"date_from": since}).content.decode()
    assert "No entries match" in client.get(URL, {"q": "nobody-by-this-name"}).content.decode()


def test_bad_filters_show_an_error_summary_not_a_crash(client, qa_manager, entries):
    client.force_login(qa_manager)
    response = client.get(URL, {"date_from": "2026-02-30", "date_to": "2026-01-01", "action": "no.such.action"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter the start date as a date" in body


def test_the_export_is_a_csv_and_is_itself_logged(client, qa_manager, entries):
    client.force_login(qa_manager)
    response = client.get(URL, {"format": "csv", "action": "portal.invitation.create"})
    assert response["Content-Disposition"] == 'attachment; filename="audit-trail.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["When", "Action"]
    assert [row[1] for row in rows[1:]] == ["portal.invitation.create"]
    assert ModelLogEntry.objects.filter(action="portal.audit_trail.export", user=qa_manager).count() == 1


def test_the_page_costs_the_same_queries_however_long_the_trail(client, qa_manager, django_assert_max_num_queries):
    client.force_login(qa_manager)
    for _ in range(5):
        log(qa_manager, "portal.invitation.create", user=qa_manager)
    with django_assert_max_num_queries(20) as small:
        client.get(URL)
    for _ in range(60):
        log(qa_manager, "portal.invitation.create", user=qa_manager)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)


def test_the_qa_home_links_to_the_trail_and_counts_failed_jobs(client, qa_manager):
    TaskFailure.objects.create(
        task_name="schools.send_return_reminders", task_id="t-1", exception_type="OperationalError"
    )
    client.force_login(qa_manager)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("portal:audit_trail") in body
    assert "1 to look at" in body
