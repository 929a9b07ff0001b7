"""The complaints panels on the role dashboards: an adviser's own complaints and clocks; open
complaints by clock for QA and senior managers (with sign-offs waiting, for QA managers); none
for anyone else. Each takes the same queries however many complaints there are."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import services
from complaints.models import Outcome
from portal.roles import Role
from tests.complaints.test_tracker import ago, bulk_complaints, today

DASHBOARD = reverse("portal:dashboard")


def panel(client) -> str:
    """The complaints panel's HTML, or "" when the dashboard has none."""
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    if 'id="complaints-panel"' not in html:
        return ""
    return html.split('id="complaints-panel"', 1)[1].split("</div></div>", 1)[0]


@pytest.fixture
def caseload(make_complaint, setting, other_setting, adviser, second_adviser):
    """For the adviser: one overdue, one due soon, one closed; one for somebody else."""
    overdue = make_complaint(setting, received_on=ago(30), today=today())
    due_soon = make_complaint(other_setting, received_on=today(), today=today())
    closed = make_complaint(setting, received_on=ago(3), today=today())
    services.complaint_withdraw(complaint=closed, user=adviser, on=today(), reason="Withdrawn", today=today())
    theirs = make_complaint(other_setting, assigned_adviser=second_adviser, received_on=ago(30), today=today())
    return {"overdue": overdue, "due_soon": due_soon, "closed": closed, "theirs": theirs}


def awaiting_sign_off(complaint, adviser):
    services.complaint_acknowledge(complaint=complaint, user=adviser, on=complaint.received_on, today=today())
    services.complaint_start_investigation(complaint=complaint, user=adviser)
    services.response_save(
        complaint=complaint, user=adviser, findings="Found", outcome=Outcome.NOT_UPHELD, body="Dear parent"
    )
    services.response_submit(complaint=complaint, user=adviser)


def test_an_adviser_sees_their_open_complaints_with_clocks(client, adviser, caseload):
    client.force_login(adviser)
    html = panel(client)
    assert '<h2 class="govuk-heading-m">Complaints</h2>' in html
    assert "2 open complaints assigned to you" in html
    assert re.search(r">1 overdue</a>", html) and re.search(r">1 due soon</a>", html)
    refs = re.findall(r">(SC-\d{4}-\d{4})</a>", html)
    # Most urgent first; not the closed one, not somebody else's.
    assert refs == [caseload["overdue"].reference, caseload["due_soon"].reference]
    assert 'govuk-tag--red">Overdue' in html and 'govuk-tag--orange">Due soon' in html
    assert f'href="/complaints/{caseload["overdue"].pk}/"' in html
    assert f'href="{reverse("complaints:tracker")}?adviser={adviser.pk}&amp;clock=overdue"' in html
    assert "Pat Parent" not in html


def test_an_advisers_panel_shows_at_most_10(client, adviser):
    bulk_complaints(12, adviser=adviser)
    client.force_login(adviser)
    html = panel(client)
    assert len(re.findall(r">(SC-\d{4}-\d{4})</a>", html)) == 10
    assert "12 open complaints assigned to you" in html
    assert "to see all 12 of yours" in html


def test_a_qa_manager_sees_clock_counts_and_sign_offs_waiting(client, qa_manager, adviser, caseload, make_complaint):
    client.force_login(qa_manager)
    assert "No responses are waiting for sign-off." in panel(client)
    waiting = make_complaint(caseload["theirs"].setting, received_on=ago(1), today=today())
    awaiting_sign_off(waiting, adviser)
    html = panel(client)
    assert "4 open complaints, by clock" in html
    counts = dict(re.findall(r'\?clock=(\w+)">(\d+)<', html))
    assert counts == {"overdue": "2", "due_soon": "1", "on_track": "1", "paused": "0", "stopped": "0"}
    queue = html.split('id="awaiting-sign-off"')[1].split("</ul>")[0]
    assert re.findall(r">(SC-\d{4}-\d{4})</a>", queue) == [waiting.reference]
    assert f'href="/complaints/{waiting.pk}/"' in queue
    assert reverse("complaints:tracker") in html


def test_a_senior_manager_sees_clock_counts_but_no_sign_off(client, senior_manager, caseload):
    client.force_login(senior_manager)
    html = panel(client)
    assert "3 open complaints, by clock" in html
    assert "sign-off" not in html
    assert "Go to the complaints tracker" in html


@pytest.mark.parametrize(
    "role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.EDITOR, Role.COMMISSIONING_OFFICER], ids=str
)
def test_no_complaints_panel_for_other_roles(client, make_user, caseload, role):
    client.force_login(make_user(role, email=f"other-{role.value}@example.org"))
    assert panel(client) == ""


def test_the_settings_dsl_sees_no_complaints_panel(client, setting_member, caseload):
    client.force_login(setting_member)
    assert panel(client) == ""


@pytest.mark.parametrize("who", ["adviser", "qa_manager", "senior_manager"])
def test_dashboard_takes_the_same_queries_for_5_and_60_complaints(
    client, request, adviser, django_assert_max_num_queries, who
):
    user = request.getfixturevalue(who)
    bulk_complaints(5, adviser=adviser)
    client.force_login(user)
    client.get(DASHBOARD)  # warm the caches
    with CaptureQueriesContext(connection) as five:
        assert panel(client)
    bulk_complaints(55, adviser=adviser, start=2000)
    with django_assert_max_num_queries(len(five)):
        assert panel(client)
